package main

import (
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// TestTrackExportCSVNoFormulas: track export, like reconcile, writes a
// provider status that a spreadsheet would run as a formula inert, with a
// leading apostrophe; a harmless one stays as it is.
func TestTrackExportCSVNoFormulas(t *testing.T) {
	statuses := map[string]string{"formula-a": "=1+1", "formula-b": "@SUM(A1)", "formula-c": "OK=1"}
	e := newEnv(t, func(p refundkit.Provider) []simulator.Refund {
		if p != refundkit.AlphaPay {
			return nil
		}
		var rs []simulator.Refund
		for id, st := range statuses {
			rs = append(rs, simulator.Refund{RefundID: id, Status: st, Amount: "100", Currency: "CAD"})
		}
		return rs
	})
	db := filepath.Join(t.TempDir(), "track.db")
	input := writeFile(t, e.dir, "refunds.csv", "provider,refund_id\nalphapay,formula-a\nalphapay,formula-b\nalphapay,formula-c\n")
	r := runCmd(t, "track", "add", "--input", input, "--db", db)
	require.Equal(t, exitOK, r.code, r.stderr)
	r = runCmd(t, "track", "run", "--db", db, "--config", e.config, "--once")
	require.Equal(t, exitOK, r.code, r.stderr)

	out := filepath.Join(t.TempDir(), "results.csv")
	r = runCmd(t, "track", "export", "--db", db, "--output", out)
	require.Equal(t, exitOK, r.code, r.stderr)
	recs, err := csv.NewReader(strings.NewReader(readFile(t, out))).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 4)
	got := map[string]string{}
	for _, rec := range recs[1:] {
		got[rec[1]] = rec[5]
	}
	assert.Equal(t, map[string]string{"formula-a": "'=1+1", "formula-b": "'@SUM(A1)", "formula-c": "OK=1"}, got)
}
