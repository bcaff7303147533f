package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/track"
)

// TestServeWorkersOnPostgres: three "refundkit serve" processes on one
// PostgreSQL database settle the kill test's 10,000 refunds. On the way
// one worker is killed with SIGKILL (its polls are rescued by the others)
// and PostgreSQL is stopped for 10 seconds (the workers report it on
// /healthz, reconnect, and lose nothing). At the end every refund is final
// with its script's history, no refund was ever polled by two workers at
// once, and all three did part of the work.
func TestServeWorkersOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary, runs three workers and a PostgreSQL server for about a minute")
	}
	pg := startOwnPostgres(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	scripts, config := killSimulators(t, dir)
	dsn := pg.newDatabase(t, "workers")
	var csvRows strings.Builder
	csvRows.WriteString("provider,refund_id\n")
	for _, s := range scripts {
		fmt.Fprintf(&csvRows, "%s,%s\n", s.ref.Provider, s.ref.RefundID)
	}
	input := writeFile(t, dir, "refunds.csv", csvRows.String())
	out, err := exec.Command(bin, "track", "add", "--db", dsn, "--input", input).CombinedOutput()
	require.NoError(t, err, string(out))

	args := []string{"--db", dsn, "--config", config, "--ladder", "300ms", "--rescue-after", "4s"}
	var ws []*worker
	for range 3 {
		ws = append(ws, startWorker(t, bin, args...))
	}
	start := time.Now()
	require.Eventually(t, func() bool { return ws[2].inquiries(t) > 0 }, 30*time.Second, 100*time.Millisecond)
	time.Sleep(time.Second)
	done := []int{ws[0].inquiries(t), ws[1].inquiries(t), ws[2].inquiries(t)}
	require.NoError(t, ws[2].cmd.Process.Signal(syscall.SIGKILL))
	_ = ws[2].cmd.Wait()
	t.Logf("%v: inquiries by worker before worker 3 was killed: %v", time.Since(start).Round(time.Millisecond), done)
	for i, n := range done {
		require.Positive(t, n, "worker %d did no work", i+1)
	}

	pg.script("pause")
	outageSeen := false
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(500 * time.Millisecond) {
		if status, _ := ws[0].get("/healthz"); status == http.StatusServiceUnavailable {
			outageSeen = true
		}
	}
	pg.script("resume")
	require.True(t, outageSeen, "/healthz did not report the outage")
	require.Eventually(t, func() bool { status, _ := ws[1].get("/healthz"); return status == http.StatusOK },
		30*time.Second, 200*time.Millisecond, "/healthz did not recover")

	waitSettled(t, dsn, 150*time.Second)
	t.Logf("%v: every refund settled; inquiries by the two survivors: %d, %d",
		time.Since(start).Round(time.Millisecond), ws[0].inquiries(t), ws[1].inquiries(t))
	ws[0].stop(t)
	ws[1].stop(t)

	require.Zero(t, overlappingPolls(t, dsn), "a refund was polled by two workers at the same time")
	tr, err := track.Open(context.Background(), dsn, track.Options{})
	require.NoError(t, err)
	defer func() { _ = tr.Close() }()
	for _, s := range scripts {
		r, err := tr.Get(context.Background(), s.ref)
		require.NoError(t, err)
		checkHistory(t, s, r)
	}
}

// TestServeWorkersShareARateLimit: three workers with --rate-limit
// payermax=20 never send the PayerMax simulator more than 20 inquiries in
// any one-second window, all together, and all three take part.
func TestServeWorkersShareARateLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary, runs three workers and a PostgreSQL server")
	}
	const limit, n = 20, 240
	pg := startOwnPostgres(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	keys, err := testKeys()
	require.NoError(t, err)
	files, err := keys.WriteFiles(dir)
	require.NoError(t, err)
	sim, err := simulator.New(simulator.DemoConfig(keys, nil)[refundkit.PayerMax])
	require.NoError(t, err)
	var csvRows strings.Builder
	csvRows.WriteString("provider,refund_id\n")
	for i := range n {
		id := fmt.Sprintf("RL-%04d", i)
		require.NoError(t, sim.Seed(simulator.Refund{RefundID: id, Status: "REFUND_SUCCESS", Amount: "1.00", Currency: "USD"}))
		fmt.Fprintf(&csvRows, "payermax,%s\n", id)
	}
	seen := &arrivals{h: sim}
	srv := httptest.NewServer(seen)
	t.Cleanup(srv.Close)
	cfg := &config{}
	simulatorSection(cfg, refundkit.PayerMax, srv.URL, keys, files)
	body, err := cfg.marshal()
	require.NoError(t, err)
	config := writeFile(t, dir, "refundkit.yaml", string(body))
	dsn := pg.newDatabase(t, "ratelimit")
	out, err := exec.Command(bin, "track", "add", "--db", dsn, "--input", writeFile(t, dir, "refunds.csv", csvRows.String())).CombinedOutput()
	require.NoError(t, err, string(out))

	var ws []*worker
	for range 3 {
		ws = append(ws, startWorker(t, bin, "--db", dsn, "--config", config, "--ladder", "1s", "--rate-limit", fmt.Sprintf("payermax=%d", limit)))
	}
	start := time.Now()
	waitSettled(t, dsn, 60*time.Second)
	took := time.Since(start)
	var by []int
	for _, w := range ws {
		by = append(by, w.inquiries(t))
		w.stop(t)
	}
	busiest := seen.busiestSecond()
	t.Logf("%d inquiries in %v by workers %v; busiest second at the simulator: %d", len(seen.at), took.Round(time.Millisecond), by, busiest)
	require.GreaterOrEqual(t, len(seen.at), n)
	require.LessOrEqual(t, busiest, limit, "the workers together exceeded the limit")
	require.GreaterOrEqual(t, busiest, limit*3/4, "the limit was not approached: the test proves nothing")
	for i, k := range by {
		require.Positive(t, k, "worker %d did no work", i+1)
	}
}
