package track

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// A statement in use (its rows still open) is never handed out again: the
// same query inside the loop gets a statement of its own, and both read
// every row.
func TestStatementCacheNestedUse(t *testing.T) {
	db, err := openSQLite(filepath.Join(t.TempDir(), "cache.db"))
	require.NoError(t, err)
	defer func() { _ = db.Close() }()
	ctx := context.Background()
	_, err = db.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY)`)
	require.NoError(t, err)
	for i := 1; i <= 3; i++ {
		_, err = db.ExecContext(ctx, `INSERT INTO t (id) VALUES (?)`, i)
		require.NoError(t, err)
	}
	const q = `SELECT id FROM t ORDER BY id`
	tx, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(ctx, q)
	require.NoError(t, err)
	var outer []int
	for rows.Next() {
		var id int
		require.NoError(t, rows.Scan(&id))
		outer = append(outer, id)
		var first int
		require.NoError(t, tx.QueryRowContext(ctx, q).Scan(&first))
		require.Equal(t, 1, first)
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.Equal(t, []int{1, 2, 3}, outer)
	for range 3 { // and the cached statement is reused, with new arguments
		var n int
		require.NoError(t, tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM t WHERE id >= ?`, 2).Scan(&n))
		require.Equal(t, 2, n)
	}
}
