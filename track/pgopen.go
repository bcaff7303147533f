package track

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"

	"github.com/golang-migrate/migrate/v4"
	migratepgx "github.com/golang-migrate/migrate/v4/database/pgx/v5"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// IsPostgres reports whether dsn names a PostgreSQL database
// ("postgres://..." or "postgresql://...") rather than an SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// RedactDSN returns dsn with any password replaced by "xxxxx", for
// messages. An SQLite path is returned as it is.
func RedactDSN(dsn string) string {
	if !IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// migrateLockKey is the PostgreSQL advisory lock that serialises schema
// migrations between processes starting at once ("rfndkit" in ASCII).
const migrateLockKey = 0x72666e646b6974

// openPostgres connects to a PostgreSQL database and migrates it. Several
// processes may open and Run on the same database at once.
func (t *Tracker) openPostgres(ctx context.Context, dsn string) error {
	t.file, t.shared = RedactDSN(dsn), true
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrUnsupportedDatabase, t.file, err)
	}
	// River's producer, its listener and every poll's transaction each
	// want a connection.
	cfg.MaxConns = int32(max(8, t.opts.Concurrency+6))
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("track: open %s: %w", t.file, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return fmt.Errorf("track: open %s: %w", t.file, err)
	}
	if err := migratePostgres(ctx, t.file, pool); err != nil {
		pool.Close()
		return err
	}
	t.db = pgDB{pool}
	return nil
}

// migratePostgres is migrateSchema for PostgreSQL, under an advisory lock
// so that workers starting together migrate one after the other.
func migratePostgres(ctx context.Context, name string, pool *pgxpool.Pool) (err error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("track: migrate %s: %w", name, err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrateLockKey)); err != nil {
		return fmt.Errorf("track: migrate %s: lock: %w", name, err)
	}
	defer func() {
		if _, uerr := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrateLockKey)); uerr != nil && err == nil {
			err = fmt.Errorf("track: migrate %s: unlock: %w", name, uerr)
		}
	}()
	rm, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Line: "main"})
	if err != nil {
		return err
	}
	src, err := fs.Sub(migrations, "migrations/postgres")
	if err != nil {
		return err
	}
	ours, err := iofs.New(src, ".")
	if err != nil {
		return err
	}
	sqldb := stdlib.OpenDBFromPool(pool) // golang-migrate speaks database/sql
	drv, err := migratepgx.WithInstance(sqldb, &migratepgx.Config{MigrationsTable: migrationsTable})
	if err != nil {
		_ = sqldb.Close()
		return fmt.Errorf("track: read schema version of %s: %w", name, err)
	}
	m, err := migrate.NewWithInstance("iofs", ours, "pgx5", drv)
	if err != nil {
		_ = drv.Close()
		return err
	}
	defer func() { _, _ = m.Close() }() // closes sqldb, not the pool
	if err := checkVersions(ctx, name, rm, m, ours); err != nil {
		return err
	}
	if _, err := rm.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("track: migrate River's schema in %s: %w", name, err)
	}
	if err := m.Up(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("track: migrate refundkit's schema in %s: %w", name, err)
	}
	return nil
}
