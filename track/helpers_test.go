package track_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/track"
)

var (
	keysOnce sync.Once
	keys     *simulator.Keys
)

// testKeys returns throwaway keys, made once per test binary.
func testKeys(t testing.TB) *simulator.Keys {
	keysOnce.Do(func() {
		var err error
		keys, err = simulator.GenerateKeys()
		require.NoError(t, err)
	})
	require.NotNil(t, keys)
	return keys
}

// sims is one real simulator per provider on httptest servers, with the SDK
// client of each.
type sims struct {
	sim     map[refundkit.Provider]*simulator.Simulator
	clients []refundkit.Inquirer
}

// newSims starts the simulators of ps and builds their clients (one
// attempt per inquiry: the tracker's policy does the waiting).
func newSims(t testing.TB, ps ...refundkit.Provider) *sims {
	t.Helper()
	k := testKeys(t)
	s := &sims{sim: map[refundkit.Provider]*simulator.Simulator{}}
	for _, p := range ps {
		sim, err := simulator.New(simulator.DemoConfig(k, nil)[p])
		require.NoError(t, err)
		srv := httptest.NewServer(sim)
		t.Cleanup(srv.Close)
		s.sim[p] = sim
		s.clients = append(s.clients, client(t, p, k, srv.URL))
	}
	return s
}

// client is p's client for its demo simulator at url, without retries:
// its descriptor's demo client, so every registered provider has one.
func client(t testing.TB, p refundkit.Provider, k *simulator.Keys, url string) refundkit.Inquirer {
	c, err := providers.DemoClient(p, k, inquiry.WithBaseURL(url), inquiry.WithRetry(inquiry.NoRetry()))
	require.NoError(t, err)
	return c
}

// fastPolicy settles in seconds.
var fastPolicy = track.Policy{Ladder: []time.Duration{100 * time.Millisecond}, BackoffInitial: 100 * time.Millisecond,
	BackoffMax: time.Second, MaxAge: time.Minute, Jitter: -1}

// open opens a tracker on a new database file in a temporary directory.
func open(t testing.TB, opts track.Options) (*track.Tracker, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "refundkit.db")
	tr, err := track.Open(context.Background(), file, opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tr.Close() })
	return tr, file
}

// runUntilSettled runs the tracker until every refund is final or stopped,
// failing the test after limit.
func runUntilSettled(t testing.TB, tr *track.Tracker, limit time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	require.NoError(t, tr.Run(ctx, track.RunOptions{}))
}
