package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/internal/pgtest"
	"github.com/refundkit/refundkit/simulator"
)

func TestTrackCommands(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testTrackCommands(t, filepath.Join(t.TempDir(), "track.db")) })
	t.Run("postgres", func(t *testing.T) { testTrackCommands(t, pgtest.DSN(t)) })
}

func testTrackCommands(t *testing.T, db string) {
	e := newEnv(t, func(p refundkit.Provider) []simulator.Refund {
		if p != refundkit.PayerMax {
			return nil
		}
		return []simulator.Refund{{RefundID: "T-late", Status: "REFUND_PENDING", Amount: "10.50", Currency: "USD",
			Transitions: []simulator.Transition{{After: 1, Status: "REFUND_SUCCESS"}}}}
	})
	input, demo := trackInput(t, e.dir)

	r := runCmd(t, "track", "add", "--input", input, "--db", db)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Contains(t, r.stdout, fmt.Sprintf("added %d refunds", demo+1))
	r = runCmd(t, "track", "add", "--input", input, "--db", db)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Contains(t, r.stdout, "added 0 refunds", "adding again changes nothing")

	r = runCmd(t, "track", "run", "--db", db, "--config", e.config, "--ladder", "200ms", "--max-age", "6s")
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Contains(t, r.stderr, fmt.Sprintf("refundkit track run: %d refunds:", demo+1))

	checkTrackStatusSettled(t, db, demo+1)

	r = runCmd(t, "track", "show", "payermax", "T-late", "--db", db)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Contains(t, r.stdout, "- -> pending")
	require.Contains(t, r.stdout, "pending -> succeeded")
	require.Contains(t, r.stdout, "10.50 USD")

	checkTrackExportSucceeded(t, db)

	r = runCmd(t, "track", "show", "payermax", "nope", "--db", db)
	require.Equal(t, exitFailure, r.code)
	require.Contains(t, r.stderr, "not tracked")
}

// trackInput writes a reconcile CSV of T-late (a pending PayerMax refund
// that succeeds at its second inquiry) and every provider's demo refunds,
// and returns its path and the number of demo refunds.
func trackInput(t *testing.T, dir string) (path string, demo int) {
	t.Helper()
	var rows strings.Builder
	rows.WriteString("provider,refund_id\npayermax,T-late\n")
	for _, p := range refundkit.Providers() {
		for _, r := range simulator.DemoRefunds(p) {
			rows.WriteString(string(p) + "," + r.RefundID + "\n")
			demo++
		}
	}
	return writeFile(t, dir, "refunds.csv", rows.String()), demo
}

// checkTrackStatusSettled requires track status --json to list n refunds,
// none still active, and the pending and unknown ones stopped at max_age.
func checkTrackStatusSettled(t *testing.T, db string, n int) {
	t.Helper()
	r := runCmd(t, "track", "status", "--db", db, "--json", "--limit", "100")
	require.Equal(t, exitOK, r.code, r.stderr)
	var st struct {
		Counts  []countJSON  `json:"counts"`
		Refunds []refundJSON `json:"refunds"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &st))
	require.Len(t, st.Refunds, n)
	for _, rf := range st.Refunds {
		require.NotEqual(t, "active", rf.State, "%s/%s is still active", rf.Provider, rf.RefundID)
		if strings.HasSuffix(rf.RefundID, "-pending") || strings.HasSuffix(rf.RefundID, "-unknown") || strings.HasSuffix(rf.RefundID, "_unknown") ||
			strings.HasSuffix(rf.RefundID, "_pending") || strings.HasSuffix(rf.RefundID, "-result-u") {
			require.Equal(t, "stopped", rf.State, rf.RefundID)
			require.Equal(t, "max_age", rf.StopReason, rf.RefundID)
		}
	}
}

// checkTrackExportSucceeded requires track export --status succeeded to
// write the export header and only succeeded refunds, more than one.
func checkTrackExportSucceeded(t *testing.T, db string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "results.csv")
	r := runCmd(t, "track", "export", "--db", db, "--output", out, "--status", "succeeded")
	require.Equal(t, exitOK, r.code, r.stderr)
	recs, err := csv.NewReader(strings.NewReader(readFile(t, out))).ReadAll()
	require.NoError(t, err)
	require.Equal(t, exportHeader, recs[0])
	for _, rec := range recs[1:] {
		require.Equal(t, "succeeded", rec[4])
	}
	require.Greater(t, len(recs), 2)
}

func TestTrackAddBadRowsAddNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "track.db")
	input := writeFile(t, dir, "refunds.csv", "provider,refund_id\npayermax,OK-1\nstripe,X\npayermax,\"broken\nzalopay,Z,extra\n")
	r := runCmd(t, "track", "add", "--input", input, "--db", db)
	require.Equal(t, exitFailure, r.code)
	require.Contains(t, r.stderr, "line 3:")
	require.Contains(t, r.stderr, "nothing added")

	require.NoFileExists(t, db, "nothing written, not even an empty database")
}

// TestTrackCommandsNeedADatabase: every command but add refuses an SQLite
// --db file that does not exist, rather than creating it empty and
// reporting no refunds (or, for run, all done), and creates nothing.
func TestTrackCommandsNeedADatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "typo.db")
	config := writeFile(t, dir, "refundkit.yaml", "")
	for _, args := range [][]string{
		{"status"},
		{"show", "payermax", "R1"},
		{"export", "--output", filepath.Join(dir, "out.csv")},
		{"run", "--once", "--config", config},
	} {
		r := runCmd(t, append(append([]string{"track"}, args...), "--db", db)...)
		require.Equal(t, exitFailure, r.code, "%v: %s%s", args, r.stdout, r.stderr)
		require.Contains(t, r.stderr, "no tracker database at "+db, args)
		require.NoFileExists(t, db, args)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}
