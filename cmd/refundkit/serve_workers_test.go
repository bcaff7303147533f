package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/internal/pgtest"
	"github.com/refundkit/refundkit/track"
)

// ownPostgres is a PostgreSQL server of the test's own (scripts/postgres.sh
// on a new cluster and port), so that stopping it hurts no other test.
type ownPostgres struct {
	t   *testing.T
	env []string
	dsn string
}

func startOwnPostgres(t *testing.T) *ownPostgres {
	t.Helper()
	pgtest.Server(t)                              // skips without a test server, fails under CI=true
	dir, err := os.MkdirTemp("", "refundkit-pg-") // not t.TempDir: the postgres user must reach it
	require.NoError(t, err)
	require.NoError(t, os.Chmod(dir, 0o755))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close())
	pg := &ownPostgres{t: t, env: append(os.Environ(), "REFUNDKIT_PGDIR="+filepath.Join(dir, "pg"), "REFUNDKIT_PGPORT="+strconv.Itoa(port))}
	out := pg.script("start")
	t.Cleanup(func() { pg.script("stop"); _ = os.RemoveAll(dir) })
	m := regexp.MustCompile(`REFUNDKIT_TEST_POSTGRES=(\S+)`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	pg.dsn = m[1]
	return pg
}

func (pg *ownPostgres) script(arg string) string {
	cmd := exec.Command("../../scripts/postgres.sh", arg)
	cmd.Env = pg.env
	out, err := cmd.CombinedOutput()
	require.NoError(pg.t, err, "postgres.sh %s: %s", arg, out)
	return string(out)
}

// worker is one "refundkit serve" process.
type worker struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
}

const workerToken = "workers-test-token-0123456789"

// startWorker starts "refundkit serve" with args on a free port and waits
// until it listens.
func startWorker(t *testing.T, bin string, args ...string) *worker {
	t.Helper()
	w := &worker{stderr: &syncBuffer{}}
	w.cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	w.cmd.Env = append(os.Environ(), tokenEnv+"="+workerToken)
	w.cmd.Stderr = w.stderr
	require.NoError(t, w.cmd.Start())
	t.Cleanup(func() {
		if w.cmd.ProcessState == nil {
			_ = w.cmd.Process.Kill()
			_ = w.cmd.Wait()
		}
	})
	re := regexp.MustCompile(`listening on (http://\S+),`)
	require.Eventually(t, func() bool {
		m := re.FindStringSubmatch(w.stderr.String())
		if m != nil {
			w.url = m[1]
		}
		return m != nil
	}, 60*time.Second, 20*time.Millisecond, "serve did not start: %s", w.stderr)
	return w
}

// stop sends SIGTERM and requires exit status 0.
func (w *worker) stop(t *testing.T) {
	require.NoError(t, w.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, w.cmd.Wait(), w.stderr.String())
}

// get returns the status and body of GET path, or 0 when it failed.
func (w *worker) get(path string) (int, string) {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(w.url + path)
	if err != nil {
		return 0, err.Error()
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// inquiries sums the worker's refundkit_inquiries_total.
func (w *worker) inquiries(t *testing.T) int {
	status, body := w.get("/metrics")
	require.Equal(t, http.StatusOK, status, body)
	n := 0
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "refundkit_inquiries_total{"); ok {
			f, err := strconv.ParseFloat(v[strings.LastIndexByte(v, ' ')+1:], 64)
			require.NoError(t, err)
			n += int(f)
		}
	}
	return n
}

// waitSettled waits until no refund in the database is active.
func waitSettled(t *testing.T, dsn string, limit time.Duration) {
	t.Helper()
	tr, err := track.Open(context.Background(), dsn, track.Options{})
	require.NoError(t, err)
	defer func() { _ = tr.Close() }()
	deadline := time.Now().Add(limit)
	for {
		counts, err := tr.Counts(context.Background(), track.Filter{State: track.StateActive})
		if err == nil && len(counts) == 0 {
			return
		}
		require.True(t, time.Now().Before(deadline), "refunds still active after %v: %v (%v)", limit, counts, err)
		time.Sleep(500 * time.Millisecond)
	}
}

// overlappingPolls counts pairs of inquiries of one refund whose times
// (observed_at less the inquiry's duration, to observed_at) overlap.
func overlappingPolls(t *testing.T, dsn string) int {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	var n int
	require.NoError(t, conn.QueryRow(ctx, `SELECT COUNT(*) FROM refundkit_observation a JOIN refundkit_observation b
		ON a.refund = b.refund AND a.id < b.id AND a.source = 'inquiry' AND b.source = 'inquiry'
		WHERE a.observed_at - a.duration_us < b.observed_at AND b.observed_at - b.duration_us < a.observed_at`).Scan(&n))
	return n
}

// newDatabase creates a database on pg and returns its URL.
func (pg *ownPostgres) newDatabase(t *testing.T, name string) string {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pg.dsn)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	_, err = conn.Exec(ctx, "CREATE DATABASE "+name)
	require.NoError(t, err)
	return strings.Replace(pg.dsn, "/refundkit_test?", "/"+name+"?", 1)
}

// arrivals records when each request reached a handler.
type arrivals struct {
	mu sync.Mutex
	at []time.Time
	h  http.Handler
}

func (a *arrivals) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.at = append(a.at, time.Now())
	a.mu.Unlock()
	a.h.ServeHTTP(w, r)
}

// busiestSecond is the most requests in any one-second window [t, t+1s)
// starting at an arrival.
func (a *arrivals) busiestSecond() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	most, j := 0, 0
	for i := range a.at {
		for j < len(a.at) && a.at[j].Sub(a.at[i]) < time.Second {
			j++
		}
		most = max(most, j-i)
	}
	return most
}
