package track_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/track"
)

func TestOpenRefusesBadDatabases(t *testing.T) {
	ctx := context.Background()
	newer := func(t *testing.T, file string) {
		copyFile(t, freshDB(t), file)
		exec(t, file, `UPDATE refundkit_schema_migrations SET version = 99`)
	}
	tests := []struct {
		name    string
		prepare func(t *testing.T, file string)
		want    error
	}{
		{"corrupt", func(t *testing.T, file string) {
			require.NoError(t, os.WriteFile(file, []byte("this is not an SQLite database, just some text that is long enough to look like a header..."), 0o600))
		}, track.ErrCorrupt},
		{"read-only", func(t *testing.T, file string) {
			copyFile(t, freshDB(t), file)
			require.NoError(t, os.Chmod(file, 0o444))
		}, track.ErrReadOnly},
		{"newer refundkit schema", newer, track.ErrSchemaTooNew},
		{"newer River schema", func(t *testing.T, file string) {
			copyFile(t, freshDB(t), file)
			exec(t, file, `INSERT INTO river_migration (line, version) VALUES ('main', 999)`)
		}, track.ErrSchemaTooNew},
		{"dirty", func(t *testing.T, file string) {
			copyFile(t, freshDB(t), file)
			exec(t, file, `UPDATE refundkit_schema_migrations SET dirty = 1`)
		}, track.ErrSchemaDirty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "bad.db")
			tt.prepare(t, file)
			before, err := os.ReadFile(file)
			require.NoError(t, err)
			tr, err := track.Open(ctx, file, track.Options{})
			if tr != nil {
				_ = tr.Close()
			}
			require.ErrorIs(t, err, tt.want)
			require.Contains(t, err.Error(), file, "the error names the file")
			after, err := os.ReadFile(file)
			require.NoError(t, err)
			require.Equal(t, before, after, "a refused database is left as it was")
		})
	}
	t.Run("memory", func(t *testing.T) {
		_, err := track.Open(ctx, ":memory:", track.Options{})
		require.ErrorIs(t, err, track.ErrUnsupportedDatabase)
	})
}

func TestAddIsAllOrNothing(t *testing.T) { eachDB(t, testAddIsAllOrNothing) }

func testAddIsAllOrNothing(t *testing.T, db backend) {
	ctx := context.Background()
	tr, _ := db.open(t, track.Options{})
	_, err := tr.Add(ctx, track.Ref{Provider: refundkit.PayerMax, RefundID: "A"}, track.Ref{Provider: "stripe", RefundID: "B"})
	require.ErrorIs(t, err, track.ErrInvalidRef)
	_, err = tr.Add(ctx, track.Ref{Provider: refundkit.ZaloPay, RefundID: "A", ProviderRefundID: "X"})
	require.ErrorIs(t, err, track.ErrInvalidRef)
	counts, err := tr.Counts(ctx, track.Filter{})
	require.NoError(t, err)
	require.Empty(t, counts, "nothing was added")

	res, err := tr.Add(ctx, track.Ref{Provider: refundkit.PayerMax, ProviderRefundID: "TRADE-1"}, track.Ref{Provider: refundkit.PayerMax, RefundID: "A"})
	require.NoError(t, err)
	require.Equal(t, 2, res.Added)
	r, err := tr.Get(ctx, track.Ref{Provider: refundkit.PayerMax, ProviderRefundID: "TRADE-1"})
	require.NoError(t, err)
	require.Equal(t, track.StateActive, r.State())
	require.Empty(t, r.History)
	_, err = tr.Get(ctx, track.Ref{Provider: refundkit.PayerMax, RefundID: "nope"})
	require.ErrorIs(t, err, track.ErrNotTracked)
}

// freshDB makes a new, migrated database file, closed.
func freshDB(t *testing.T) string {
	tr, path := open(t, track.Options{})
	require.NoError(t, tr.Close())
	return path
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(to, b, 0o600))
}

// exec runs one statement on the file, outside the tracker.
func exec(t *testing.T, file, stmt string) {
	t.Helper()
	db, err := sql.Open("sqlite", file)
	require.NoError(t, err)
	defer func() { _ = db.Close() }()
	_, err = db.Exec(stmt)
	require.NoError(t, err)
	_, err = db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	require.NoError(t, err)
}
