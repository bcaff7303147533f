package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTrackAddRefundRequestID checks that a refund_request_id column
// reaches AlphaPay's inquiry through track add and track run, as it does
// through reconcile: with the refund's own id the refund is answered, with
// an id that is not the refund's AlphaPay finds no refund with both ids
// (dropped, the second row would read "failed").
func TestTrackAddRefundRequestID(t *testing.T) {
	e := newEnv(t, nil)
	db := filepath.Join(t.TempDir(), "track.db")
	input := writeFile(t, e.dir, "refunds.csv", "provider,refund_id,refund_request_id\n"+
		"alphapay,demo-alphapay-succeeded,RR-1001\nalphapay,demo-alphapay-failed,RR-nope\n")
	r := runCmd(t, "track", "add", "--input", input, "--db", db)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Contains(t, r.stdout, "added 2 refunds")
	r = runCmd(t, "track", "run", "--db", db, "--config", e.config, "--ladder", "100ms", "--max-age", "5s")
	require.Equal(t, exitOK, r.code, r.stderr)

	r = runCmd(t, "track", "status", "--db", db, "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var st struct {
		Refunds []refundJSON `json:"refunds"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &st))
	got := map[string]refundJSON{}
	for _, rf := range st.Refunds {
		got[rf.RefundID] = rf
	}
	require.Len(t, got, 2, r.stdout)
	assert.Equal(t, "succeeded", got["demo-alphapay-succeeded"].Status)
	assert.NotEqual(t, "failed", got["demo-alphapay-failed"].Status, "the refund_request_id was not sent")

	r = runCmd(t, "track", "show", "alphapay", "demo-alphapay-failed", "--db", db, "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var wrong refundJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &wrong))
	require.NotEmpty(t, wrong.History, r.stdout)
	for _, o := range wrong.History {
		assert.Equal(t, "not_found", o.ErrorCategory, "%+v", o)
	}
}
