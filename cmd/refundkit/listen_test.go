package main

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// startListen runs "refundkit listen" on a free port in the background and
// returns its output buffers and each provider's notify URL.
func startListen(t *testing.T, args ...string) (stdout, stderr *syncBuffer, urls map[refundkit.Provider]string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, append([]string{"listen", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), stdout, stderr)
	}()
	t.Cleanup(func() {
		cancel()
		assert.Equal(t, exitOK, <-code, stderr.String())
	})
	require.Eventually(t, func() bool { return strings.Contains(stderr.String(), "stop with Ctrl-C.") },
		30*time.Second, 5*time.Millisecond, "listen did not start: %s", stderr)
	urls = map[refundkit.Provider]string{}
	for _, m := range regexp.MustCompile(`refundkit listen: (\w+) notifications at (\S+)`).FindAllStringSubmatch(stderr.String(), -1) {
		urls[refundkit.Provider(m[1])] = m[2]
	}
	return stdout, stderr, urls
}

// finalDemoRefunds are the demo refunds each provider notifies.
var finalDemoRefunds = map[refundkit.Provider][]string{
	refundkit.PayerMax: {"demo-payermax-failed", "demo-payermax-succeeded"},
	refundkit.NewPay:   {"demo-newpay-failed", "demo-newpay-succeeded", "demo-newpay-succeeded-example"},
	refundkit.AlphaPay: {"demo-alphapay-succeeded"},
}

// TestListen: the simulators push their final demo refunds to "refundkit
// listen", which prints each once as a JSON line in inquire's shape plus its
// source; a stale and a forged push are refused with their reason on stderr
// and never printed. With --confirm, each is confirmed by an inquiry first.
func TestListen(t *testing.T) {
	for _, confirm := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "confirm"}[confirm], func(t *testing.T) {
			e := newEnv(t, nil)
			args := []string{"--config", e.config, "--json"}
			if confirm {
				args = append(args, "--confirm")
			}
			stdout, stderr, urls := startListen(t, args...)
			assert.Contains(t, stderr.String(), "zalopay has no refund notifications")
			require.Len(t, urls, 3)
			for p, url := range urls {
				sim := e.sims[p]
				require.NoError(t, sim.SetPush(simulator.PushConfig{URL: url, TimeScale: 1e6}))
				for _, f := range []simulator.PushFault{simulator.PushStale, simulator.PushBadSignature} {
					require.NoError(t, sim.WaitPush(t.Context()))
					sim.SetPushFault(f)
					r := simulator.DemoRefunds(p)[0]
					r.RefundID += "-" + string(f)
					require.NoError(t, sim.Seed(r))
				}
				require.NoError(t, sim.WaitPush(t.Context()))
				sim.StopPush()
			}

			got := map[refundkit.Provider][]string{}
			for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
				var n struct {
					notificationJSON
					Amount *refundkit.Money `json:"amount"`
				}
				require.NoError(t, json.Unmarshal([]byte(line), &n), line)
				got[refundkit.Provider(n.Provider)] = append(got[refundkit.Provider(n.Provider)], n.RefundID)
				assert.True(t, n.Verified)
				assert.NotNil(t, n.Amount)
				assert.Equal(t, confirm, n.Confirmed)
				assert.Equal(t, map[bool]refundkit.Source{false: refundkit.SourceNotification, true: refundkit.SourceInquiry}[confirm], n.Source)
				assert.Equal(t, string(demoStatus(t, n.RefundID)), string(n.Status), n.RefundID)
			}
			for p, want := range finalDemoRefunds {
				assert.ElementsMatch(t, want, got[p], "%s: each final refund printed once", p)
			}
			assert.Contains(t, stderr.String(), "reason=stale")
			assert.Contains(t, stderr.String(), "reason=signature")
		})
	}
}

func TestListenNeedsAPushingProvider(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "refundkit.yaml", "zalopay: {app_id: 2554, key1: k}\n")
	r := runCmd(t, "listen", "--addr", "127.0.0.1:0", "--config", cfg)
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "no provider that pushes notifications")
}
