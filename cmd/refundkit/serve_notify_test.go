package main

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/track"
)

// TestServeNotificationsFlowIn: two "refundkit serve" workers on one
// PostgreSQL database, the simulators pushing their refund notifications
// to them (NewPay and AlphaPay to one, PayerMax to the other). Refunds
// that become final after a first pending answer are confirmed at once by
// the poll their notification triggers, not an hour later on the ladder.
func TestServeNotificationsFlowIn(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two workers and a PostgreSQL server")
	}
	pg := startOwnPostgres(t)
	bin := buildBinary(t)
	e := newEnv(t, func(p refundkit.Provider) []simulator.Refund {
		switch p {
		case refundkit.PayerMax:
			return []simulator.Refund{{RefundID: "PUSH-1", Status: "REFUND_PENDING", Amount: "10.50", Currency: "USD",
				Transitions: []simulator.Transition{{After: 1, Status: "REFUND_SUCCESS"}}}}
		case refundkit.AlphaPay:
			return []simulator.Refund{{RefundID: "PUSH-2", Status: "REFUND_IN_PROCESS", Amount: "100", Currency: "CAD",
				ProviderOrderID: "P2019052800001", RefundTime: "2019-05-28T12:15:02+08:00",
				Transitions: []simulator.Transition{{After: 1, Status: "SUCCESS"}}}}
		}
		return nil
	})
	dsn := pg.newDatabase(t, "notify")
	input := writeFile(t, e.dir, "refunds.csv", "provider,refund_id\npayermax,PUSH-1\nalphapay,PUSH-2\n")
	out, err := exec.Command(bin, "track", "add", "--db", dsn, "--input", input).CombinedOutput()
	require.NoError(t, err, string(out))

	args := []string{"--db", dsn, "--config", e.config, "--ladder", "1h"}
	ws := []*worker{startWorker(t, bin, args...), startWorker(t, bin, args...)}
	for p, w := range map[refundkit.Provider]*worker{refundkit.NewPay: ws[0], refundkit.AlphaPay: ws[0], refundkit.PayerMax: ws[1]} {
		require.NoError(t, e.sims[p].SetPush(simulator.PushConfig{URL: w.url + "/notify/" + string(p), TimeScale: 1e6}))
		t.Cleanup(e.sims[p].StopPush)
	}

	tr, err := track.Open(context.Background(), dsn, track.Options{})
	require.NoError(t, err)
	defer func() { _ = tr.Close() }()
	for _, id := range []track.Ref{{Provider: refundkit.PayerMax, RefundID: "PUSH-1"}, {Provider: refundkit.AlphaPay, RefundID: "PUSH-2"}} {
		var r *track.Refund
		require.Eventually(t, func() bool {
			r, err = tr.Get(context.Background(), id)
			return err == nil && r.Status == refundkit.StatusSucceeded
		}, 60*time.Second, 200*time.Millisecond, "%s not confirmed: %+v", id, r)
		var sources []string
		for _, o := range r.History {
			sources = append(sources, fmt.Sprintf("%s:%s", o.Source, o.Status))
		}
		require.Equal(t, "inquiry:pending", sources[0], id.String())
		require.Contains(t, sources, "notification:succeeded", id.String())
		require.Equal(t, "inquiry:succeeded", sources[len(sources)-1], "%s: the confirming poll decides", id)
	}
	// The demo refunds that were already final when pushing began are
	// added by their notifications.
	requireAddedByNotification(t, tr, track.Ref{Provider: refundkit.NewPay, RefundID: "demo-newpay-succeeded"})
	for i, w := range ws {
		status, body := w.get("/metrics")
		require.Equal(t, http.StatusOK, status)
		require.True(t, strings.Contains(body, `result="accepted"`), "worker %d accepted no notification", i+1)
		w.stop(t)
	}
}

// requireAddedByNotification waits for ref to be tracked, as its pushed
// notification adds it (pushes run on their own schedule: one may still be
// on its way), and requires the notification to be its first observation.
func requireAddedByNotification(t *testing.T, tr *track.Tracker, ref track.Ref) {
	t.Helper()
	var got *track.Refund
	var err error
	require.Eventually(t, func() bool {
		got, err = tr.Get(context.Background(), ref)
		return err == nil
	}, 30*time.Second, 100*time.Millisecond, "%s not added by its notification: %v", ref, err)
	require.Equal(t, track.SourceNotification, got.History[0].Source)
}
