package track

import (
	"context"
	"database/sql/driver"
	"errors"
	"sync"

	"modernc.org/sqlite"
)

// maxCachedStatements bounds each connection's statement cache. The
// tracker's and River's statements are a few dozen distinct texts.
const maxCachedStatements = 256

// cachingConnector opens SQLite connections that keep their prepared
// statements. SQLite's parser is most of the cost of a short statement
// (River's are long), and database/sql prepares afresh for every call
// without one; with the cache each distinct statement is parsed once per
// connection.
type cachingConnector struct{ dsn string }

// Connect implements driver.Connector.
func (c cachingConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := (&sqlite.Driver{}).Open(c.dsn)
	if err != nil {
		return nil, err
	}
	inner, ok := conn.(connInterfaces)
	if !ok {
		_ = conn.Close()
		return nil, errors.New("track: the SQLite driver's connection lacks the expected methods")
	}
	return &cachingConn{inner: inner, stmts: make(map[string]*cachedStmt)}, nil
}

// Driver implements driver.Connector.
func (c cachingConnector) Driver() driver.Driver { return &sqlite.Driver{} }

// connInterfaces are the methods of modernc's connection that cachingConn
// passes on. It has ExecContext and QueryContext too, which are left out
// on purpose: without them database/sql goes through PrepareContext, and
// so through the cache.
type connInterfaces interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// cachingConn is one connection with its statement cache. database/sql
// uses a connection from one goroutine at a time; mu guards the cache
// anyway, since a statement's Close may come from a Rows being closed.
type cachingConn struct {
	inner connInterfaces
	mu    sync.Mutex
	stmts map[string]*cachedStmt
}

func (c *cachingConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext returns the cached statement for query when it is not in
// use, else a new one (cached when there is room).
func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.stmts[query]; ok {
		if !s.inUse {
			s.inUse = true
			return s, nil
		}
		st, err := c.inner.PrepareContext(ctx, query)
		return st, err // in use (a query inside its own Rows): not cached
	}
	st, err := c.inner.PrepareContext(ctx, query)
	if err != nil || len(c.stmts) >= maxCachedStatements {
		return st, err
	}
	s := &cachedStmt{Stmt: st, conn: c, inUse: true}
	c.stmts[query] = s
	return s, nil
}

func (c *cachingConn) Begin() (driver.Tx, error) { //nolint:staticcheck // driver.Conn requires it
	return c.inner.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.inner.BeginTx(ctx, opts)
}

func (c *cachingConn) Ping(ctx context.Context) error         { return c.inner.Ping(ctx) }
func (c *cachingConn) ResetSession(ctx context.Context) error { return c.inner.ResetSession(ctx) }
func (c *cachingConn) IsValid() bool                          { return c.inner.IsValid() }

// Close finalizes the cached statements, then closes the connection.
func (c *cachingConn) Close() error {
	c.mu.Lock()
	var errs []error
	for q, s := range c.stmts {
		errs = append(errs, s.Stmt.Close())
		delete(c.stmts, q)
	}
	c.mu.Unlock()
	return errors.Join(append(errs, c.inner.Close())...)
}

// cachedStmt is a statement that Close returns to its connection's cache
// instead of finalizing.
type cachedStmt struct {
	driver.Stmt
	conn  *cachingConn
	inUse bool // guarded by conn.mu
}

func (s *cachedStmt) Close() error {
	s.conn.mu.Lock()
	s.inUse = false
	s.conn.mu.Unlock()
	return nil
}

func (s *cachedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s *cachedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}
