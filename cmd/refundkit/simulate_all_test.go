package main

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// tryLines returns the command lines simulate printed under "Try:", each
// split into arguments (none of them needs shell quoting here).
func tryLines(t *testing.T, stdout string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, m := range regexp.MustCompile(`(?m)^  refundkit ((inquire|reconcile) .+)$`).FindAllStringSubmatch(stdout, -1) {
		out[m[2]] = strings.Fields(m[1])
	}
	return out
}

// reconciled reads reconcile's CSV output: refund id to status.
func reconciled(t *testing.T, stdout string) map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	require.Equal(t, "refund_id", recs[0][2])
	require.Equal(t, "status", recs[0][3])
	got := map[string]string{}
	for _, r := range recs[1:] {
		got[r[1]+"/"+r[2]] = r[3]
	}
	return got
}

// With no --provider, simulate serves all four on one address, writes one
// config with four sections, and both printed lines work as printed.
func TestSimulateAllProviders(t *testing.T) {
	t.Chdir(t.TempDir())
	s := startSimulate(t, "--keys-dir", "keys")
	out := s.stdout.String()
	m := regexp.MustCompile(`^` + providerNames(refundkit.Providers(), "and") + ` simulators listening on (http://127\.0\.0\.1:\d+)\n`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	assert.Contains(t, out, "  refunds: "+refundCounts(func(p refundkit.Provider) int { return len(simulator.DemoRefunds(p)) })+"\n")
	assert.Contains(t, out, "  list:    "+filepath.Join("keys", "refunds.csv")+"\n")

	cfg, err := loadConfig(s.configFile(t))
	require.NoError(t, err)
	assert.Equal(t, refundkit.Providers(), cfg.providers(), "one section per provider")

	try := tryLines(t, out)
	require.Contains(t, try, "inquire", out)
	require.Contains(t, try, "reconcile", out)
	r := runCmd(t, try["inquire"]...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	r = runCmd(t, try["reconcile"]...)
	require.Equal(t, exitOK, r.code, r.stderr)
	got := reconciled(t, r.stdout)
	want := map[string]string{}
	for _, p := range refundkit.Providers() {
		for _, ref := range simulator.DemoRefunds(p) {
			want[string(p)+"/"+ref.RefundID] = string(demoStatus(t, ref.RefundID))
		}
	}
	assert.Equal(t, want, got, "every demo refund of every provider, answered")

	// Anything but the four inquiry paths is a plain 404.
	resp, err := http.Post(m[1]+"/v2/refund", "application/json", strings.NewReader("{}"))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	assert.Equal(t, exitOK, s.exit())
	n := len(want) + 1 // reconcile's, and the inquire line's
	assert.Contains(t, s.stderr.String(), "refundkit simulate: stopped after "+strconv.Itoa(n)+" requests (0 rejected, 0 for unknown refunds)")
}

// One seed file seeds every provider; "--provider all" is the default.
func TestSimulateAllProvidersSeedFile(t *testing.T) {
	dir := t.TempDir()
	seed := writeFile(t, dir, "seed.yaml", `
payermax:
  - {refund_id: P-1, status: REFUND_SUCCESS, amount: 10.50, currency: USD}
zalopay:
  - {refund_id: 230407_2554_1, status: 3}
alphapay:
  - {refund_id: A-1, refund_request_id: RR-1, status: FAILED, amount: 100, currency: CAD}
`)
	s := startSimulate(t, "--provider", "all", "--seed", seed)
	out := s.stdout.String()
	seeded := map[refundkit.Provider]int{refundkit.PayerMax: 1, refundkit.ZaloPay: 1, refundkit.AlphaPay: 1}
	assert.Contains(t, out, "  refunds: "+refundCounts(func(p refundkit.Provider) int { return seeded[p] })+"\n")
	try := tryLines(t, out)
	assert.Equal(t, []string{"inquire", "--config", s.configFile(t), "--provider", "payermax", "--refund-id", "P-1"}, try["inquire"])
	r := runCmd(t, try["reconcile"]...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, map[string]string{"payermax/P-1": "succeeded", "zalopay/230407_2554_1": "pending", "alphapay/A-1": "failed"},
		reconciled(t, r.stdout))
}

func TestSimulateAllProvidersFailures(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a list for four providers", []string{"--seed", writeFile(t, dir, "list.yaml", "- {refund_id: A, status: 1}\n")},
			"a list of refunds is for one --provider"},
		{"a refund one provider cannot express", []string{"--seed", writeFile(t, dir, "bad.yaml", "newpay: [{refund_id: A, status: maybe}]\n")},
			"simulator: invalid refund"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, append([]string{"simulate", "--addr", "127.0.0.1:0"}, tt.args...)...)
			assert.Equal(t, exitFailure, r.code)
			assert.Contains(t, r.stderr, tt.want)
			assert.Empty(t, r.stdout)
		})
	}
}

// refundCounts writes simulate's "refunds:" line for every provider, with
// count(p) refunds each: "newpay 4, payermax 4, ...".
func refundCounts(count func(refundkit.Provider) int) string {
	parts := make([]string, 0, len(refundkit.Providers()))
	for _, p := range refundkit.Providers() {
		parts = append(parts, fmt.Sprintf("%s %d", p, count(p)))
	}
	return strings.Join(parts, ", ")
}
