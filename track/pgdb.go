package track

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pgDB is a PostgreSQL database through a pgx pool.
type pgDB struct{ pool *pgxpool.Pool }

// ExecContext implements execer.
func (d pgDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	tag, err := d.pool.Exec(ctx, rebind(query), args...)
	return pgResult(tag), err
}

// QueryContext implements execer.
func (d pgDB) QueryContext(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := d.pool.Query(ctx, rebind(query), args...)
	if err != nil {
		return nil, err
	}
	return pgRows{r}, nil
}

// QueryRowContext implements execer.
func (d pgDB) QueryRowContext(ctx context.Context, query string, args ...any) row {
	return pgRow{d.pool.QueryRow(ctx, rebind(query), args...)}
}

// BeginTx implements database; opts must be nil.
func (d pgDB) BeginTx(ctx context.Context, _ *sql.TxOptions) (dbTx, error) {
	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return &pgTx{tx: tx, ctx: ctx}, nil
}

// PingContext implements database.
func (d pgDB) PingContext(ctx context.Context) error { return d.pool.Ping(ctx) }

// Close implements database.
func (d pgDB) Close() error { d.pool.Close(); return nil }

// pgTx is a PostgreSQL transaction. Commit and Rollback use the context it
// was begun with, as *sql.Tx does.
type pgTx struct {
	tx  pgx.Tx
	ctx context.Context
}

// ExecContext implements execer.
func (t *pgTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	tag, err := t.tx.Exec(ctx, rebind(query), args...)
	return pgResult(tag), err
}

// QueryContext implements execer.
func (t *pgTx) QueryContext(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := t.tx.Query(ctx, rebind(query), args...)
	if err != nil {
		return nil, err
	}
	return pgRows{r}, nil
}

// QueryRowContext implements execer.
func (t *pgTx) QueryRowContext(ctx context.Context, query string, args ...any) row {
	return pgRow{t.tx.QueryRow(ctx, rebind(query), args...)}
}

// Commit implements dbTx.
func (t *pgTx) Commit() error { return t.tx.Commit(t.ctx) }

// Rollback implements dbTx.
func (t *pgTx) Rollback() error { return t.tx.Rollback(context.WithoutCancel(t.ctx)) }

// pgRow reports no row as sql.ErrNoRows, as database/sql does.
type pgRow struct{ r pgx.Row }

func (r pgRow) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return sql.ErrNoRows
	}
	return err
}

// pgRows adapts pgx.Rows to rows.
type pgRows struct{ pgx.Rows }

func (r pgRows) Close() error { r.Rows.Close(); return nil }

// pgResult adapts a command tag to sql.Result.
type pgResult pgconn.CommandTag

func (r pgResult) LastInsertId() (int64, error) {
	return 0, errors.New("track: LastInsertId is not available on PostgreSQL")
}

func (r pgResult) RowsAffected() (int64, error) { return pgconn.CommandTag(r).RowsAffected(), nil }

// rebind rewrites a query's ? placeholders as PostgreSQL's $1, $2, ...
// The tracker's queries have no ? inside string literals.
func rebind(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
