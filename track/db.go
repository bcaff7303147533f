package track

import (
	"context"
	"database/sql"
)

// The tracker's queries run on one of two databases, SQLite through
// database/sql and PostgreSQL through pgx, behind these small interfaces.
// Queries are written once, with ? placeholders; the PostgreSQL side
// rewrites them to $1, $2, ... (see rebind).

// row is one result row (*sql.Row, or pgx's).
type row interface{ Scan(dest ...any) error }

// rows iterates result rows (*sql.Rows, or pgx's).
type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// execer runs queries: the database itself, or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) row
}

// dbTx is a transaction.
type dbTx interface {
	execer
	Commit() error
	Rollback() error
}

// database is an open tracker database.
type database interface {
	execer
	BeginTx(ctx context.Context, opts *sql.TxOptions) (dbTx, error)
	PingContext(ctx context.Context) error
	Close() error
}

// sqlDB is an SQLite database through database/sql.
type sqlDB struct{ *sql.DB }

// QueryContext implements execer.
func (d sqlDB) QueryContext(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := d.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// QueryRowContext implements execer.
func (d sqlDB) QueryRowContext(ctx context.Context, query string, args ...any) row {
	return d.DB.QueryRowContext(ctx, query, args...)
}

// BeginTx implements database.
func (d sqlDB) BeginTx(ctx context.Context, opts *sql.TxOptions) (dbTx, error) {
	tx, err := d.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return sqlTx{tx}, nil
}

// sqlTx is an SQLite transaction.
type sqlTx struct{ *sql.Tx }

// QueryContext implements execer.
func (t sqlTx) QueryContext(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := t.Tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// QueryRowContext implements execer.
func (t sqlTx) QueryRowContext(ctx context.Context, query string, args ...any) row {
	return t.Tx.QueryRowContext(ctx, query, args...)
}
