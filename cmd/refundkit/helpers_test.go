package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// testKeys are made once per test binary: RSA key generation is the slow
// part of starting simulators.
var testKeys = sync.OnceValues(simulator.GenerateKeys)

// env is the four simulators on httptest servers, with their key files and
// a config file for clients of all four.
type env struct {
	sims   map[refundkit.Provider]*simulator.Simulator
	urls   map[refundkit.Provider]string
	keys   *simulator.Keys
	files  simulator.KeyFiles
	dir    string // holds the keys and the config
	config string // the config file's path
}

// newEnv starts the four simulators, each seeded with its demo refunds plus
// extra(p), and writes keys and config into a temporary directory.
func newEnv(t testing.TB, extra func(refundkit.Provider) []simulator.Refund) *env {
	t.Helper()
	keys, err := testKeys()
	require.NoError(t, err)
	e := &env{sims: map[refundkit.Provider]*simulator.Simulator{}, urls: map[refundkit.Provider]string{},
		keys: keys, dir: t.TempDir()}
	e.files, err = keys.WriteFiles(e.dir)
	require.NoError(t, err)
	cfg := newConfig(nil)
	for _, p := range refundkit.Providers() {
		sim, err := simulator.New(simulator.DemoConfig(keys, nil)[p])
		require.NoError(t, err)
		require.NoError(t, sim.Seed(simulator.DemoRefunds(p)...))
		if extra != nil {
			require.NoError(t, sim.Seed(extra(p)...))
		}
		srv := httptest.NewServer(sim)
		t.Cleanup(srv.Close)
		e.sims[p], e.urls[p] = sim, srv.URL
		simulatorSection(cfg, p, srv.URL, keys, e.files)
	}
	body, err := cfg.marshal()
	require.NoError(t, err)
	e.config = writeFile(t, e.dir, "refundkit.yaml", string(body))
	return e
}

// clients builds one SDK client per provider from the env's config file,
// the way the commands do.
func (e *env) clients(t testing.TB) []refundkit.Inquirer {
	t.Helper()
	cfg, err := loadConfig(e.config)
	require.NoError(t, err)
	cl, err := cfg.clients()
	require.NoError(t, err)
	return cl
}

// result is what one run of the command did.
type result struct {
	code           int
	stdout, stderr string
}

// runCmd runs the command with args and empty stdin.
func runCmd(t *testing.T, args ...string) result {
	t.Helper()
	return runCmdIn(t, context.Background(), "", args...)
}

func runCmdIn(t *testing.T, ctx context.Context, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(ctx, args, strings.NewReader(stdin), &out, &errOut)
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// writeFile writes content to dir/name and returns the path.
func writeFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// syncBuffer is a bytes.Buffer safe to write from one goroutine while
// another reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
