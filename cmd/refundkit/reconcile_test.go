package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
)

// mixedCSV has a good row for every provider, every kind of bad row, and a
// refund no provider knows.
const mixedCSV = `provider,refund_id,provider_refund_id
newpay,demo-newpay-succeeded,
payermax,demo-payermax-pending,
payermax,,20220117091657TI790000055003
zalopay,230407_2554_demo_failed,
alphapay,demo-alphapay-unknown,
paypal,R1,
newpay,,
zalopay,x
newpay,R1,T1
alphapay,no-such-refund,
zalopay,"broken"x,
 AlphaPay , demo-alphapay-succeeded ,
`

// mixedWant is mixedCSV's output, by line.
var mixedWant = [][]string{
	{"2", "newpay", "demo-newpay-succeeded", "succeeded", "1", "50000", "LAK", "true", "", "", ""},
	{"3", "payermax", "demo-payermax-pending", "pending", "REFUND_PENDING", "12345678901234.5678", "USD", "true", "", "", ""},
	{"4", "payermax", "", "failed", "REFUND_FAILED", "10000", "IDR", "true", "", "", ""},
	{"5", "zalopay", "230407_2554_demo_failed", "failed", "2", "", "", "false", "", "", ""},
	{"6", "alphapay", "demo-alphapay-unknown", "unknown", "REFUND_REVERSED", "1.00", "CAD", "true", "", "", ""},
	{"7", "paypal", "R1", "", "", "", "", "false", "invalid_request", `unknown provider "paypal" (want ` + providerList() + `)`, ""},
	{"8", "newpay", "", "", "", "", "", "false", "invalid_request", "refund_id is empty", ""},
	{"9", "zalopay", "x", "", "", "", "", "false", "invalid_request", "has 2 fields, want 3 like the header", ""},
	{"10", "newpay", "R1", "", "", "", "", "false", "invalid_request", "provider_refund_id is PayerMax's refundTradeNo; newpay does not take it", ""},
	{"11", "alphapay", "no-such-refund", "", "", "", "", "true", "not_found", "refund does not exist", ""},
	{"12", "", "", "", "", "", "", "false", "invalid_request", `not valid CSV: extraneous or missing " in quoted-field`, ""},
	{"13", "alphapay", "demo-alphapay-succeeded", "succeeded", "SUCCESS", "1.00", "CAD", "true", "", "", ""},
}

// readOutput parses reconcile's CSV output, checks the header, and returns
// the rows sorted by line.
func readOutput(t *testing.T, out string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	require.GreaterOrEqual(t, len(recs[0]), len(csvHeader))
	require.Equal(t, csvHeader, recs[0][:len(csvHeader)], "reconcile's columns first, then any passed through")
	rows := recs[1:]
	sort.Slice(rows, func(i, j int) bool { return lineOf(t, rows[i]) < lineOf(t, rows[j]) })
	return rows
}

func lineOf(t *testing.T, rec []string) int {
	n, err := strconv.Atoi(rec[0])
	require.NoError(t, err)
	return n
}

func TestReconcileMixedRows(t *testing.T) {
	e := newEnv(t, nil)
	var out, errOut bytes.Buffer
	sum, err := reconcile(context.Background(), strings.NewReader(mixedCSV), &out, &errOut, e.clients(t), reconcileOptions{concurrency: 4})
	require.NoError(t, err)

	assert.Equal(t, mixedWant, readOutput(t, out.String()))
	assert.Equal(t, `refundkit reconcile: line 7: unknown provider "paypal" (want `+providerList()+`)
refundkit reconcile: line 8: refund_id is empty
refundkit reconcile: line 9: has 2 fields, want 3 like the header
refundkit reconcile: line 10: provider_refund_id is PayerMax's refundTradeNo; newpay does not take it
refundkit reconcile: line 12: not valid CSV: extraneous or missing " in quoted-field
`, errOut.String(), "bad rows on stderr with their lines, in input order")

	assert.Equal(t, 12, sum.rows)
	assert.Equal(t, 5, sum.badRows)
	assert.Equal(t, 7, sum.inquiries, "bad rows are never asked about")
	assert.Equal(t, map[refundkit.Status]int{"succeeded": 2, "pending": 1, "failed": 2, "unknown": 1}, sum.statuses)
	assert.Equal(t, map[refundkit.Category]int{"invalid_request": 5, "not_found": 1}, sum.errors)

	var text bytes.Buffer
	sum.write(&text, false)
	for _, want := range []string{"refundkit reconcile: 12 rows read, 12 written in ", ", 7 inquiries\n",
		"  succeeded            2\n", "  pending              1\n", "  failed               2\n", "  unknown              1\n",
		"  errors               6\n", "    invalid_request    5 (5 bad input rows)\n", "    not_found          1\n"} {
		assert.Contains(t, text.String(), want)
	}
	assert.NotContains(t, text.String(), "rate_limited", "only categories that occurred")
}

func TestReconcileJSONLines(t *testing.T) {
	e := newEnv(t, nil)
	var out bytes.Buffer
	_, err := reconcile(context.Background(), strings.NewReader(mixedCSV), &out, io.Discard, e.clients(t), reconcileOptions{concurrency: 2, json: true})
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, len(mixedWant))
	byLine := map[int]string{}
	for _, l := range lines {
		var v struct{ Line int }
		require.NoError(t, json.Unmarshal([]byte(l), &v), l)
		byLine[v.Line] = l
	}
	assert.Equal(t, `{"line":3,"provider":"payermax","refund_id":"demo-payermax-pending","status":"pending","provider_status":"REFUND_PENDING","amount":{"value":"12345678901234.5678","currency":"USD"},"verified":true}`, byLine[3])
	assert.Equal(t, `{"line":5,"provider":"zalopay","refund_id":"230407_2554_demo_failed","status":"failed","provider_status":"2","amount":null,"verified":false}`, byLine[5])
	assert.Equal(t, `{"line":11,"provider":"alphapay","refund_id":"no-such-refund","error":{"category":"not_found","provider_code":"REFUND_NOT_EXIST","message":"refund does not exist","provider_message":"refund does not exist","explanation":"refund not found: provider code \"REFUND_NOT_EXIST\"","http_status":200,"attempts":1,"verified":true}}`, byLine[11])
	assert.Equal(t, `{"line":8,"provider":"newpay","refund_id":"","error":{"category":"invalid_request","provider_code":"","message":"refund_id is empty","provider_message":"","explanation":"refund_id is empty","http_status":0,"attempts":0,"verified":false}}`, byLine[8])
}

func TestReconcileCommand(t *testing.T) {
	e := newEnv(t, nil)
	input := writeFile(t, t.TempDir(), "refunds.csv", "\xef\xbb\xbf"+mixedCSV) // with a byte order mark
	output := filepath.Join(t.TempDir(), "results.csv")

	t.Run("to a file", func(t *testing.T) {
		r := runCmd(t, "reconcile", "--config", e.config, "--input", input, "--output", output, "--concurrency", "3")
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Empty(t, r.stdout)
		got, err := os.ReadFile(output)
		require.NoError(t, err)
		assert.Equal(t, mixedWant, readOutput(t, string(got)))
		assert.Contains(t, r.stderr, "refundkit reconcile: line 9: has 2 fields")
		assert.Contains(t, r.stderr, "refundkit reconcile: 12 rows read, 12 written in ")
		assert.NotContains(t, r.stderr, "\r", "no progress line when stderr is not a terminal")
	})
	t.Run("from stdin to stdout", func(t *testing.T) {
		r := runCmdIn(t, context.Background(), mixedCSV, "reconcile", "--config", e.config, "--input", "-")
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Equal(t, mixedWant, readOutput(t, r.stdout))
	})
	t.Run("json to stdout", func(t *testing.T) {
		r := runCmd(t, "reconcile", "--config", e.config, "--input", input, "--json")
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Equal(t, len(mixedWant), strings.Count(r.stdout, "\n"))
		assert.True(t, strings.HasPrefix(r.stdout, `{"line":`), r.stdout)
	})
	t.Run("interrupted", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r := runCmdIn(t, ctx, "", "reconcile", "--config", e.config, "--input", input)
		assert.Equal(t, exitInterrupted, r.code)
		assert.Contains(t, r.stderr, "refundkit reconcile (interrupted): 1 rows read, 1 written in ")
		assert.Equal(t, [][]string{{"2", "newpay", "demo-newpay-succeeded", "", "", "", "", "false", "temporary",
			"temporary failure: not asked: the run ended first: context canceled", ""}},
			readOutput(t, r.stdout), "the row read is reported, not dropped")
	})
}

func TestReconcileFatal(t *testing.T) {
	e := newEnv(t, nil)
	dir := t.TempDir()
	tests := []struct {
		name  string
		input string // file content; "" means no file at all
		args  []string
		want  string
	}{
		{"missing input", "", nil, "refundkit: reconcile: input: open "},
		{"empty input", "\n", nil, "input is empty: want a header line provider,refund_id[,provider_refund_id]"},
		{"missing column", "provider,provider_refund_id\n", nil, "input header: want the columns provider and refund_id"},
		{"repeated column", "provider,refund_id,provider\n", nil, `input header: column "provider" appears twice`},
		{"output is the input", "provider,refund_id\n", []string{"--output", "SELF"}, "is the input file"},
		{"no config", "provider,refund_id\n", []string{"--config", filepath.Join(dir, "none.yaml")}, "does not exist"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := filepath.Join(dir, fmt.Sprintf("in%d.csv", i))
			if tt.input != "" {
				writeFile(t, dir, filepath.Base(input), tt.input)
			}
			args := []string{"reconcile", "--config", e.config, "--input", input}
			for _, a := range tt.args {
				args = append(args, strings.ReplaceAll(a, "SELF", input))
			}
			r := runCmd(t, args...)
			assert.Equal(t, exitFailure, r.code)
			assert.Contains(t, r.stderr, tt.want)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line, no summary of a run that never began: %s", r.stderr)
			assert.Empty(t, r.stdout)
		})
	}
}

func TestReconcileUnconfiguredProvider(t *testing.T) {
	e := newEnv(t, nil)
	clients := e.clients(t)
	clients = slices.DeleteFunc(clients, func(c refundkit.Inquirer) bool { return c.Provider() == refundkit.NewPay })
	var out, errOut bytes.Buffer
	in := "provider,refund_id\nnewpay,demo-newpay-succeeded\nzalopay,230407_2554_demo_succeeded\nnewpay,demo-newpay-failed\n"
	sum, err := reconcile(context.Background(), strings.NewReader(in), &out, &errOut, clients, reconcileOptions{concurrency: 1})
	require.NoError(t, err)
	assert.Equal(t, [][]string{
		{"2", "newpay", "demo-newpay-succeeded", "", "", "", "", "false", "invalid_request", "provider newpay is not configured", ""},
		{"3", "zalopay", "230407_2554_demo_succeeded", "succeeded", "1", "", "", "false", "", "", ""},
		{"4", "newpay", "demo-newpay-failed", "", "", "", "", "false", "invalid_request", "provider newpay is not configured", ""},
	}, readOutput(t, out.String()))
	assert.Equal(t, "refundkit reconcile: line 2: provider newpay is not configured: its rows are written as invalid_request errors and not reported here again (--unconfigured stop ends the run instead)\n",
		errOut.String(), "said once, not once per row")
	assert.Equal(t, map[refundkit.Provider]int{refundkit.NewPay: 2}, sum.unconfigured)
	assert.Equal(t, 1, sum.inquiries)
	_, asked, _ := e.sims[refundkit.NewPay].Refund("demo-newpay-succeeded")
	assert.Zero(t, asked)
}
