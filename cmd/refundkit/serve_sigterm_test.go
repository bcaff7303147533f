package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/track"
)

// TestServeSIGTERMFinishesPollInFlight: SIGTERM reaches "refundkit serve"
// while a poll is in flight (the simulator holds its answer until serve
// has stopped listening, so the signal has been taken). serve still
// exits 0, and the poll's answer is recorded, once. Started again on the
// same database, serve asks nothing more of the refund (it is final) and
// the history stays one observation.
func TestServeSIGTERMFinishesPollInFlight(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	keys, err := testKeys()
	require.NoError(t, err)
	files, err := keys.WriteFiles(dir)
	require.NoError(t, err)
	sim, err := simulator.New(simulator.DemoConfig(keys, nil)[refundkit.PayerMax])
	require.NoError(t, err)
	ref := track.Ref{Provider: refundkit.PayerMax, RefundID: "SIGTERM-1"}
	require.NoError(t, sim.Seed(simulator.Refund{RefundID: ref.RefundID, Status: "REFUND_SUCCESS", Amount: "12.34", Currency: "USD"}))
	held := &heldAnswers{h: sim, arrived: make(chan struct{}, 1), release: make(chan struct{})}
	srv := httptest.NewServer(held)
	t.Cleanup(srv.Close)
	cfg := &config{}
	simulatorSection(cfg, refundkit.PayerMax, srv.URL, keys, files)
	body, err := cfg.marshal()
	require.NoError(t, err)
	config := writeFile(t, dir, "refundkit.yaml", string(body))
	db := filepath.Join(dir, "track.db")
	addRefund(t, db, ref)
	args := []string{"--db", db, "--config", config, "--ladder", "1s"}

	w := startWorker(t, bin, args...)
	select {
	case <-held.arrived:
	case <-time.After(30 * time.Second):
		t.Fatalf("no poll reached the simulator: %s", w.stderr)
	}
	require.NoError(t, w.cmd.Process.Signal(syscall.SIGTERM))
	require.Eventually(t, func() bool { status, _ := w.get("/healthz"); return status == 0 },
		10*time.Second, 10*time.Millisecond, "serve kept listening after SIGTERM")
	close(held.release)
	require.NoError(t, w.cmd.Wait(), w.stderr.String())
	require.Equal(t, int64(1), held.requests.Load())
	requireHistory(t, db, ref, 1)

	w = startWorker(t, bin, args...)
	time.Sleep(2 * time.Second) // a poll left to be retried would be due within this
	w.stop(t)
	require.Equal(t, int64(1), held.requests.Load(), "the poll was asked again after the restart")
	requireHistory(t, db, ref, 1)
}

// heldAnswers hands each request to h only once release is closed (or
// the client has gone), telling arrived about the first.
type heldAnswers struct {
	h        http.Handler
	arrived  chan struct{}
	release  chan struct{}
	requests atomic.Int64
}

func (a *heldAnswers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.requests.Add(1)
	select {
	case a.arrived <- struct{}{}:
	default:
	}
	select {
	case <-a.release:
	case <-r.Context().Done():
		return
	}
	a.h.ServeHTTP(w, r)
}

// addRefund tracks ref in the database file db.
func addRefund(t *testing.T, db string, ref track.Ref) {
	t.Helper()
	tr, err := track.Open(context.Background(), db, track.Options{})
	require.NoError(t, err)
	defer func() { _ = tr.Close() }()
	_, err = tr.Add(context.Background(), ref)
	require.NoError(t, err)
}

// requireHistory requires ref's history in db to be n successful
// observations and the refund final.
func requireHistory(t *testing.T, db string, ref track.Ref, n int) {
	t.Helper()
	tr, err := track.Open(context.Background(), db, track.Options{})
	require.NoError(t, err)
	defer func() { _ = tr.Close() }()
	r, err := tr.Get(context.Background(), ref)
	require.NoError(t, err)
	require.Len(t, r.History, n, "history: %+v", r.History)
	for _, o := range r.History {
		require.Equal(t, refundkit.StatusSucceeded, o.Status, "observation %+v", o)
	}
	require.Equal(t, track.StateFinal, r.State())
}
