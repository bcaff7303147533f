// Package pgtest gives tests a fresh PostgreSQL database on the server
// named by $REFUNDKIT_TEST_POSTGRES (start one with `make db`).
//
// Without that variable the tests that need PostgreSQL skip, saying so;
// under CI=true they fail instead, so that CI can never skip them silently.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Env is the variable holding the test server's URL.
const Env = "REFUNDKIT_TEST_POSTGRES"

// Server returns the test server's URL, or skips the test (fails it under
// CI=true) when none is configured.
func Server(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(Env)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI must run the PostgreSQL tests (.ci/run starts a server with scripts/postgres.sh)", Env)
		}
		t.Skipf("%s is not set: skipping a PostgreSQL test (run `eval \"$(scripts/postgres.sh start)\"` or `make db` to run it)", Env)
	}
	return dsn
}

// Available reports whether a test server is configured (CI=true counts as
// configured: its tests fail when it is missing).
func Available() bool { return os.Getenv(Env) != "" || os.Getenv("CI") == "true" }

// DSN creates an empty database on the test server, dropped when the test
// ends, and returns its URL.
func DSN(t testing.TB) string {
	t.Helper()
	server := Server(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "rk_test_" + hex.EncodeToString(b)
	admin(t, server, "CREATE DATABASE "+name)
	t.Cleanup(func() { admin(t, server, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	u.Path = "/" + name
	return u.String()
}

// admin runs one statement on the server's own database.
func admin(t testing.TB, server, stmt string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("connect to the test PostgreSQL (%s): %v", Env, err)
	}
	defer func() { _ = conn.Close(ctx) }()
	if _, err := conn.Exec(ctx, stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}
