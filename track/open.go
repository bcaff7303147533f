package track

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
)

// Defaults for zero Options fields.
const (
	DefaultConcurrency = 8
	DefaultRescueAfter = 2 * time.Minute
	// DefaultBusyTimeout is how long a statement waits for another
	// process's write lock on the SQLite file before it fails.
	DefaultBusyTimeout = 10 * time.Second
)

// Options configure a Tracker. The zero value opens a database for Add,
// Get and List; Run also needs Inquirers.
type Options struct {
	// Inquirers are the clients polls ask, one per provider.
	Inquirers []refundkit.Inquirer
	// Policy is the polling policy for every provider without its own entry
	// in Policies. See Policy for the defaults.
	Policy Policy
	// Policies overrides Policy per provider.
	Policies map[refundkit.Provider]Policy
	// OnChange, when set, is called once per status transition, after the
	// transition is committed, from a durable job of its own: delivery is
	// at least once. A crash after the hook ran but before its job was
	// marked done calls it again after the restart, and an error from it
	// makes it run again later (with River's retry backoff), so make it
	// idempotent on Change.ID. Only transitions recorded while a hook is
	// set are delivered.
	OnChange func(ctx context.Context, c Change) error
	// Concurrency is how many polls run at once. Zero means
	// DefaultConcurrency.
	Concurrency int
	// KeepRaw, when positive, stores up to that many bytes of each answer's
	// raw body with its observation. Off by default: bodies may hold
	// personal data.
	KeepRaw int
	// RescueAfter is how long a poll may run before it is taken to have been
	// lost with a crashed process and is retried. Zero means
	// DefaultRescueAfter. A poll's own time limit is half of it.
	RescueAfter time.Duration
	// RateLimits caps the inquiries per second to a provider, shared by
	// every tracker on the database: on PostgreSQL, by every process (one
	// sequence of request slots per provider, kept in the database; see
	// RateLimitHeadroom). A provider without an entry is not limited here.
	RateLimits map[refundkit.Provider]float64
	// Logger receives River's and the tracker's log lines; nil discards
	// them.
	Logger *slog.Logger
}

// Tracker follows refunds to a final answer, durably: every refund, every
// observation and every scheduled poll is stored in one database, and
// every change to them is made in one transaction with the poll job that
// caused it. A Tracker is safe for concurrent use.
type Tracker struct {
	file     string   // the SQLite file, or the PostgreSQL DSN without its password
	db       database // SQLite (sqlDB) or PostgreSQL (pgDB)
	shared   bool     // several processes may Run on the database at once (PostgreSQL)
	river    jobQueue
	clients  map[refundkit.Provider]refundkit.Inquirer
	policy   Policy
	policies map[refundkit.Provider]Policy
	opts     Options
	now      func() time.Time
	polled   chan struct{} // a poll committed: see notePolled
}

// Open opens the tracker database named by dsn, creating its schema on
// first use and migrating an older one. dsn is either an SQLite file path,
// optionally written "sqlite:PATH" or "sqlite://PATH" (the file is created
// on first use), or a PostgreSQL URL, "postgres://..." or
// "postgresql://..." (the database must exist; see OpenPostgres). Anything
// else that cannot be an SQLite file path is ErrUnsupportedDatabase.
//
// Opening fails with ErrReadOnly, ErrCorrupt, ErrSchemaTooNew or
// ErrSchemaDirty, before anything is written, when the database is not one
// this build can safely write.
func Open(ctx context.Context, dsn string, opts Options) (*Tracker, error) {
	t := &Tracker{opts: opts, now: time.Now, clients: map[refundkit.Provider]refundkit.Inquirer{}, polled: make(chan struct{}, 1)}
	if err := t.resolveOptions(); err != nil {
		return nil, err
	}
	var err error
	if IsPostgres(dsn) {
		err = t.openPostgres(ctx, dsn)
	} else {
		err = t.openFile(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	if t.river, err = t.newRiver(); err != nil {
		_ = t.db.Close()
		return nil, err
	}
	return t, nil
}

// openFile opens (creating) an SQLite database file and migrates it.
func (t *Tracker) openFile(ctx context.Context, dsn string) error {
	file, err := sqlitePath(dsn)
	if err != nil {
		return err
	}
	t.file = file
	if err := checkFile(file); err != nil {
		return err
	}
	db, err := openSQLite(file)
	if err != nil {
		return err
	}
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return classify(file, fmt.Errorf("track: open %s: %w", file, err))
	}
	if err := migrateSchema(ctx, file, db); err != nil {
		_ = db.Close()
		return err
	}
	t.db = sqlDB{db}
	return nil
}

// resolveOptions checks the options and fills in the defaults.
func (t *Tracker) resolveOptions() error {
	for i, c := range t.opts.Inquirers {
		if c == nil {
			return fmt.Errorf("track: inquirer %d is nil", i)
		}
		if _, dup := t.clients[c.Provider()]; dup {
			return fmt.Errorf("track: two inquirers for provider %s", c.Provider())
		}
		t.clients[c.Provider()] = c
	}
	var err error
	if t.policy, err = t.opts.Policy.resolve(); err != nil {
		return err
	}
	t.policies = make(map[refundkit.Provider]Policy, len(t.opts.Policies))
	for p, pol := range t.opts.Policies {
		if t.policies[p], err = pol.resolve(); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	if t.opts.Concurrency == 0 {
		t.opts.Concurrency = DefaultConcurrency
	}
	if t.opts.RescueAfter == 0 {
		t.opts.RescueAfter = DefaultRescueAfter
	}
	if t.opts.Concurrency < 1 || t.opts.RescueAfter < 2*time.Second || t.opts.KeepRaw < 0 {
		return fmt.Errorf("track: concurrency %d must be at least 1, rescue-after %v at least 2s, keep-raw %d not negative",
			t.opts.Concurrency, t.opts.RescueAfter, t.opts.KeepRaw)
	}
	if t.opts.Logger == nil {
		t.opts.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// policyFor returns provider p's policy.
func (t *Tracker) policyFor(p refundkit.Provider) Policy {
	if pol, ok := t.policies[p]; ok {
		return pol
	}
	return t.policy
}

// sqlitePath returns the file a DSN names.
func sqlitePath(dsn string) (string, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite://"):
		dsn = strings.TrimPrefix(dsn, "sqlite://")
	case strings.HasPrefix(dsn, "sqlite:"):
		dsn = strings.TrimPrefix(dsn, "sqlite:")
	}
	if dsn == "" || strings.ContainsAny(dsn, "?#") || strings.HasPrefix(dsn, ":memory:") {
		return "", fmt.Errorf("%w: %q: want a file path without '?' or '#'", ErrUnsupportedDatabase, dsn)
	}
	return dsn, nil
}

// checkFile refuses an existing file that its permissions say is not to be
// written (even for root, who could), and a directory.
func checkFile(file string) error {
	st, err := os.Stat(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("track: open database: %w", err)
	case st.IsDir():
		return fmt.Errorf("track: database %s is a directory", file)
	case st.Mode().Perm()&0o222 == 0:
		return fmt.Errorf("%w: %s (mode %v)", ErrReadOnly, file, st.Mode().Perm())
	}
	return nil
}

// openSQLite opens the file with the settings River needs on SQLite: WAL
// journal, a busy timeout, foreign keys, IMMEDIATE transactions (a
// transaction takes the write lock when it begins, not half-way), and one
// connection, so the tracker's writes and River's never contend inside the
// process. Its connections keep their prepared statements (see
// cachingConnector).
func openSQLite(file string) (*sql.DB, error) {
	dsn := fmt.Sprintf("%s?_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate",
		file, DefaultBusyTimeout.Milliseconds())
	db := sql.OpenDB(cachingConnector{dsn: dsn})
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// Close releases the database. Stop a running tracker first (cancel Run's
// context and let it return).
func (t *Tracker) Close() error { return t.db.Close() }

// File returns the database file's path or, on PostgreSQL, its URL without
// the password.
func (t *Tracker) File() string { return t.file }

// containsFold reports whether s contains sub, ignoring case.
func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
