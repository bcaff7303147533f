package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/track"
)

// killRefunds is how many refunds the kill test follows, and killRuns how
// many runs it kills.
const (
	killRefunds = 10_000
	killRuns    = 12
)

// TestTrackRunSurvivesSIGKILL runs the real binary over 10,000 refunds that
// settle over time, kills it with SIGKILL at random moments, restarts it,
// and then checks the database refund by refund: every one final with the
// status its script ends in, and its recorded transitions exactly the
// status changes of its observations, each once, none missing.
func TestTrackRunSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test: builds the binary and runs it for about a minute")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	scripts, config := killSimulators(t, dir)
	db := filepath.Join(dir, "track.db")

	var csvRows strings.Builder
	csvRows.WriteString("provider,refund_id\n")
	for _, s := range scripts {
		fmt.Fprintf(&csvRows, "%s,%s\n", s.ref.Provider, s.ref.RefundID)
	}
	input := writeFile(t, dir, "refunds.csv", csvRows.String())
	out, err := exec.Command(bin, "track", "add", "--db", db, "--input", input).CombinedOutput()
	require.NoError(t, err, string(out))

	args := []string{"track", "run", "--db", db, "--config", config, "--ladder", "300ms", "--rescue-after", "4s"}
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	for i := range killRuns {
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = nil, nil
		require.NoError(t, cmd.Start())
		time.Sleep(time.Duration(200+rng.IntN(2300)) * time.Millisecond)
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		err := cmd.Wait()
		if st, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !st.Signaled() {
			t.Logf("run %d ended before its kill: %v", i+1, err)
		}
	}
	killed, err := track.Open(context.Background(), db, track.Options{})
	require.NoError(t, err)
	counts, err := killed.Counts(context.Background(), track.Filter{State: track.StateFinal})
	require.NoError(t, err)
	require.NoError(t, killed.Close())
	final := 0
	for _, c := range counts {
		final += c.N
	}
	t.Logf("after %d killed runs: %d of %d refunds final", killRuns, final, len(scripts))
	require.Positive(t, final, "the killed runs did work before they were killed")
	require.Less(t, final, len(scripts), "the runs were killed before they finished")

	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute) // generous: a loaded 2-core CI machine under -race
	defer cancel()
	out, err = exec.CommandContext(ctx, bin, args...).CombinedOutput()
	require.NoError(t, err, string(out))
	t.Logf("final run: %s", lastLine(string(out)))

	tr, err := track.Open(context.Background(), db, track.Options{})
	require.NoError(t, err)
	defer func() { _ = tr.Close() }()
	for _, s := range scripts {
		r, err := tr.Get(context.Background(), s.ref)
		require.NoError(t, err)
		checkHistory(t, s, r)
	}
}

// script is one refund's scripted life: the statuses its inquiries see.
type script struct {
	ref      track.Ref
	statuses []refundkit.Status
}

// killSimulators starts ZaloPay and PayerMax simulators seeded with the
// kill test's refunds and writes a config for both.
func killSimulators(t *testing.T, dir string) ([]script, string) {
	keys, err := testKeys()
	require.NoError(t, err)
	files, err := keys.WriteFiles(dir)
	require.NoError(t, err)
	cfg := newConfig(nil)
	var scripts []script
	for _, p := range []refundkit.Provider{refundkit.ZaloPay, refundkit.PayerMax} {
		sim, err := simulator.New(simulator.DemoConfig(keys, nil)[p])
		require.NoError(t, err)
		n := killRefunds * 9 / 10
		if p == refundkit.PayerMax {
			n = killRefunds - n // RSA on both sides: the expensive provider gets fewer
		}
		refunds := make([]simulator.Refund, 0, n)
		for i := range n {
			r, s := killRefund(p, i)
			refunds, scripts = append(refunds, r), append(scripts, s)
		}
		require.NoError(t, sim.Seed(refunds...))
		srv := httptest.NewServer(sim)
		t.Cleanup(srv.Close)
		simulatorSection(cfg, p, srv.URL, keys, files)
	}
	body, err := cfg.marshal()
	require.NoError(t, err)
	return scripts, writeFile(t, dir, "refundkit.yaml", string(body))
}

// killRefund is refund i of provider p: pending for 0 to 3 inquiries, then
// succeeded or failed.
func killRefund(p refundkit.Provider, i int) (simulator.Refund, script) {
	after, fails := i%4, i%7 == 3
	final := refundkit.StatusSucceeded
	if fails {
		final = refundkit.StatusFailed
	}
	s := script{statuses: []refundkit.Status{refundkit.StatusPending, final}}
	if after == 0 {
		s.statuses = s.statuses[1:]
	}
	var r simulator.Refund
	if p == refundkit.ZaloPay {
		r = simulator.Refund{RefundID: fmt.Sprintf("261201_2554_kill%05d", i), Status: "3", SubStatus: "3"}
		t := simulator.Transition{After: after, Status: "1", SubStatus: "1"}
		if fails {
			t.Status, t.SubStatus = "2", "-3"
		}
		r.Transitions = []simulator.Transition{t}
	} else {
		r = simulator.Refund{RefundID: fmt.Sprintf("KILL-%05d", i), Status: "REFUND_PENDING", Amount: "10.50", Currency: "USD"}
		t := simulator.Transition{After: after, Status: "REFUND_SUCCESS"}
		if fails {
			t.Status = "REFUND_FAILED"
		}
		r.Transitions = []simulator.Transition{t}
	}
	s.ref = track.Ref{Provider: p, RefundID: r.RefundID}
	return r, s
}

// checkHistory checks one refund after the kill test: final with its
// script's last status; each answered observation's Changed flag true
// exactly when its status differs from the one before, with that previous
// status recorded; and the statuses it went through in the script's order.
func checkHistory(t *testing.T, s script, r *track.Refund) {
	t.Helper()
	want := s.statuses[len(s.statuses)-1]
	require.Equal(t, track.StateFinal, r.State(), "%s: %s, stop reason %q", s.ref, r.State(), r.StopReason)
	require.Equal(t, want, r.Status, s.ref.String())
	var (
		prev    refundkit.Status
		changes []refundkit.Status
	)
	for _, o := range r.History {
		if o.Status == "" {
			require.False(t, o.Changed, "%s: an error observation changed the status", s.ref)
			continue
		}
		require.Equal(t, o.Status != prev, o.Changed, "%s: observation %d", s.ref, o.ID)
		if o.Changed {
			require.Equal(t, prev, o.PreviousStatus, "%s: observation %d", s.ref, o.ID)
			changes = append(changes, o.Status)
		}
		prev = o.Status
	}
	require.Equal(t, want, changes[len(changes)-1], s.ref.String())
	require.True(t, isSubsequence(changes, s.statuses), "%s: transitions %v, script %v", s.ref, changes, s.statuses)
	final := slices.IndexFunc(r.History, func(o track.Observation) bool { return o.Status.Final() })
	require.Equal(t, len(r.History)-1, final, "%s: no poll after the final answer", s.ref)
}

func isSubsequence(sub, seq []refundkit.Status) bool {
	i := 0
	for _, s := range seq {
		if i < len(sub) && sub[i] == s {
			i++
		}
	}
	return i == len(sub)
}

// buildBinary builds the refundkit command once, without the race
// detector (the processes under test are the real program).
func buildBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "refundkit")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	return bin
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
