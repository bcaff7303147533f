package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/contract"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/simulator"
)

// TestContractListen runs contract --listen for one notification per
// pushing provider and fault: a plain push conforms and is delivered, each
// contract fault is named by its member, and --record writes a recording
// that replays.
func TestContractListen(t *testing.T) {
	e := newEnv(t, nil)
	for _, p := range providers.Pushing() {
		for _, f := range append([]simulator.Fault{simulator.FaultNone}, simulator.ContractFaults()...) {
			t.Run(string(p)+"/"+string(f), func(t *testing.T) {
				dir := t.TempDir()
				code, stdout, stderr := listenForOne(t, e, dir, p, f)
				out := decodeContract(t, stdout)
				require.Len(t, out, 1, stderr)
				checkListened(t, p, f, code, out[0], stderr)
				paths, err := filepath.Glob(filepath.Join(dir, string(p)+"-notification-*.json"))
				require.NoError(t, err)
				require.Len(t, paths, 1, stderr)
				rec, err := contract.ReadRecording(paths[0])
				require.NoError(t, err)
				got, err := rec.Replay()
				require.NoError(t, err)
				assert.Equal(t, rec.Expect, got)
				raw, err := os.ReadFile(paths[0])
				require.NoError(t, err)
				assert.NotContains(t, string(raw), simulator.DemoRefunds(p)[0].RefundID)
			})
		}
	}
}

// listenForOne runs contract --listen --count 1 --json --record dir while
// provider p's simulator pushes its first demo refund with contract fault
// f, and returns the command's exit code, stdout and stderr.
func listenForOne(t *testing.T, e *env, dir string, p refundkit.Provider, f simulator.Fault) (code int, stdout, stderr string) {
	t.Helper()
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(context.Background(), []string{"contract", "--listen", "127.0.0.1:0", "--count", "1", "--json",
			"--record", dir, "--config", e.config}, nil, out, errOut)
	}()
	url := waitFor(t, errOut, regexp.MustCompile(`checking `+string(p)+` notifications at (\S+)`))

	sim, err := simulator.New(simulator.DemoConfig(e.keys, nil)[p])
	require.NoError(t, err)
	require.NoError(t, sim.SetPush(simulator.PushConfig{URL: url, TimeScale: 1e6, Client: &http.Client{Timeout: 5 * time.Second}}))
	require.NoError(t, sim.SetPushDeviation(f))
	require.NoError(t, sim.Seed(simulator.DemoRefunds(p)[0]))
	select {
	case code = <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("contract --listen did not stop after one notification: %s", errOut.String())
	}
	sim.StopPush()
	return code, out.String(), errOut.String()
}

// checkListened checks what contract --listen made of p's notification
// with contract fault f: a plain one conforms and is delivered, each
// deviation is named by its member, and the exit code says so (stderr is
// the command's, for the failure message).
func checkListened(t *testing.T, p refundkit.Provider, f simulator.Fault, code int, out contractOut, stderr string) {
	t.Helper()
	ex := out.Exchanges[0]
	switch member := simulator.DeviatedNotificationMember(p, f); f {
	case simulator.FaultNone:
		assert.Equal(t, exitOK, code, stderr)
		assert.Empty(t, ex.Violations)
		assert.Contains(t, string(out.Result), `"status":"succeeded"`)
	case simulator.FaultUndeclaredMember:
		require.Len(t, ex.Undeclared, 1)
		assert.Equal(t, member, ex.Undeclared[0].Where)
	case simulator.FaultWrongContentType:
		require.NotEmpty(t, ex.Violations)
		assert.Equal(t, "header Content-Type", ex.Violations[0].Where)
		assert.Equal(t, exitFailure, code)
	default:
		require.NotEmpty(t, ex.Violations)
		assert.Equal(t, member, ex.Violations[0].Where, "%v", ex.Violations)
		assert.Equal(t, contract.Request, ex.Violations[0].Side)
		assert.Equal(t, exitFailure, code)
	}
}

// waitFor waits for re to match what the command wrote to stderr, and
// returns its first group.
func waitFor(t *testing.T, stderr *syncBuffer, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no %v in: %s", re, stderr.String())
	return ""
}
