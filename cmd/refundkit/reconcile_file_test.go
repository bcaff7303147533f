package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
	"github.com/refundkit/refundkit/providers"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/simulator"
)

// TestReconcilePassThrough checks that columns reconcile does not know
// (an export's amount, order_id, ...) do not reject the file but come out
// with each row, renamed only where they would clash with reconcile's own,
// and that refund_request_id reaches AlphaPay as --refund-request-id does.
func TestReconcilePassThrough(t *testing.T) {
	e := newEnv(t, nil)
	input := writeFile(t, t.TempDir(), "export.csv", `order_id,provider,amount,refund_id,refund_request_id,note,note
O-1,alphapay,1.00,demo-alphapay-succeeded,RR-1001,"a, b",x
O-2,zalopay,5,230407_2554_demo_failed,,=1+1,y
O-3,newpay,7,demo-newpay-succeeded,RR-9,,z
O-4,payermax
`)
	r := runCmd(t, "reconcile", "--config", e.config, "--input", input)
	require.Equal(t, exitOK, r.code, r.stderr)
	recs := readOutput(t, r.stdout)
	header := strings.SplitN(r.stdout, "\n", 2)[0]
	assert.Equal(t, strings.Join(csvHeader, ",")+",order_id,input_amount,note,input_note", header)
	assert.Equal(t, [][]string{
		{"2", "alphapay", "demo-alphapay-succeeded", "succeeded", "SUCCESS", "1.00", "CAD", "true", "", "", "", "O-1", "1.00", "a, b", "x"},
		{"3", "zalopay", "230407_2554_demo_failed", "failed", "2", "", "", "false", "", "", "", "O-2", "5", "=1+1", "y"},
		{"4", "newpay", "demo-newpay-succeeded", "", "", "", "", "false", "invalid_request", "refund_request_id is AlphaPay's refundRequestId; newpay does not take it", "", "O-3", "7", "", "z"},
		{"5", "payermax", "", "", "", "", "", "false", "invalid_request", "has 2 fields, want 7 like the header", "", "", "", "", ""},
	}, recs)

	r = runCmd(t, "reconcile", "--config", e.config, "--input", input, "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var first struct {
		Line  int
		Input map[string]string
	}
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		require.NoError(t, json.Unmarshal([]byte(l), &first))
		if first.Line == 2 {
			break
		}
	}
	assert.Equal(t, map[string]string{"order_id": "O-1", "input_amount": "1.00", "note": "a, b", "input_note": "x"}, first.Input)

	// A refund_request_id that is not the refund's reaches AlphaPay, which
	// finds no refund with both ids.
	wrong := writeFile(t, t.TempDir(), "wrong.csv", "provider,refund_id,refund_request_id\nalphapay,demo-alphapay-succeeded,RR-nope\n")
	r = runCmd(t, "reconcile", "--config", e.config, "--input", wrong)
	require.Equal(t, exitOK, r.code, r.stderr)
	got := readOutput(t, r.stdout)
	require.Len(t, got, 1)
	assert.Equal(t, []string{"not_found", "refund does not exist"}, got[0][8:10], "%v", got[0])
}

// TestReconcileUnconfiguredStop checks --unconfigured stop: the run ends at
// the first row for a provider the config lacks, with that row written and
// the rows before it answered, and exits 1.
func TestReconcileUnconfiguredStop(t *testing.T) {
	e := newEnv(t, nil)
	dir := t.TempDir()
	cfg := newConfig(map[refundkit.Provider]providers.Section{refundkit.ZaloPay: &providers.ZaloPaySection{BaseURL: e.urls["zalopay"], AppID: 2554, Key1: e.keys.Key1}})
	body, err := cfg.marshal()
	require.NoError(t, err)
	path := writeFile(t, dir, "zalopay-only.yaml", string(body))
	var in strings.Builder
	in.WriteString("provider,refund_id\nzalopay,230407_2554_demo_succeeded\n")
	for i := range 1000 {
		fmt.Fprintf(&in, "newpay,R%d\n", i)
	}
	input := writeFile(t, dir, "in.csv", in.String())

	r := runCmd(t, "reconcile", "--config", path, "--input", input)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 1, strings.Count(r.stderr, "not configured: its rows"), "one line for a thousand rows: %s", r.stderr)
	assert.Contains(t, r.stderr, "  not configured       1000 rows for newpay, which the config lacks\n")
	assert.Len(t, readOutput(t, r.stdout), 1001)

	r = runCmd(t, "reconcile", "--config", path, "--input", input, "--unconfigured", "stop")
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "refundkit reconcile: line 3: provider newpay is not configured: stopping (--unconfigured stop)\n")
	assert.Contains(t, r.stderr, "refundkit: reconcile: line 3: provider newpay is not configured in the config file\n")
	assert.Contains(t, r.stderr, "2 rows read, 2 written")
	assert.Len(t, readOutput(t, r.stdout), 2)

	r = runCmd(t, "reconcile", "--config", path, "--input", filepath.Join(dir, "in.csv"), "--unconfigured", "maybe")
	assert.Equal(t, exitUsage, r.code)
}

// TestReconcileGivenUp checks that with --until-final a refund still
// pending when its --max-age ends is reported as given up, apart from a
// pending answer without polling, and that the progress line counts it as
// waiting for its next poll, not in flight, meanwhile.
func TestReconcileGivenUp(t *testing.T) {
	e := newEnv(t, func(p refundkit.Provider) []simulator.Refund {
		if p != refundkit.PayerMax {
			return nil
		}
		return []simulator.Refund{{RefundID: "stuck-payermax", Status: "REFUND_PENDING", Amount: "5", Currency: "USD"}}
	})
	in := "provider,refund_id\npayermax,stuck-payermax\nzalopay,230407_2554_demo_succeeded\n"
	input := writeFile(t, t.TempDir(), "in.csv", in)

	r := runCmd(t, "reconcile", "--config", e.config, "--input", input, "--until-final", "--poll-delay", "10ms", "--max-age", "100ms")
	require.Equal(t, exitOK, r.code, r.stderr)
	rows := readOutput(t, r.stdout)
	require.Len(t, rows, 2)
	assert.Equal(t, []string{"pending", "REFUND_PENDING"}, rows[0][3:5])
	assert.Equal(t, "true", rows[0][10], "given up, and says so")
	assert.Equal(t, "", rows[1][10])
	assert.Contains(t, r.stderr, "  pending              1 (1 given up at --max-age)\n")

	r = runCmd(t, "reconcile", "--config", e.config, "--input", input, "--until-final", "--poll-delay", "10ms", "--max-age", "100ms", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"provider_status":"REFUND_PENDING","amount":{"value":"5","currency":"USD"},"verified":true,"gave_up":true}`)

	r = runCmd(t, "reconcile", "--config", e.config, "--input", input)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "", readOutput(t, r.stdout)[0][10], "without polling nothing is given up")

	// The progress line while the pending refund waits for its next poll.
	var out, errOut syncBuffer
	_, err := reconcile(context.Background(), strings.NewReader(in), &out, &errOut, e.clients(t), reconcileOptions{
		concurrency: 2, untilFinal: true, progress: true,
		poll: bulk.PollPolicy{InitialDelay: 700 * time.Millisecond, MaxAge: time.Second}})
	require.NoError(t, err)
	assert.Contains(t, errOut.String(), "1 of 2 rows answered, 0 in flight, 1 waiting to poll, 0 errors")
}
