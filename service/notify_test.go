package service_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/track"
)

// post sends a notification as PayerMax would: no token.
func (e *env) post(t *testing.T, hdr http.Header, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("POST", e.url+"/notify/payermax", strings.NewReader(body))
	require.NoError(t, err)
	req.Header = hdr
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestNotificationsRecordAndConfirm(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	require.NoError(t, e.sim.Seed(
		simulator.Refund{RefundID: "N-1", Status: "REFUND_PENDING", Amount: "10.50", Currency: "USD",
			Transitions: []simulator.Transition{{After: 1, Status: "REFUND_SUCCESS"}}},
		simulator.Refund{RefundID: "N-new", Status: "REFUND_SUCCESS", Amount: "10.50", Currency: "USD"}))
	ref := track.Ref{Provider: refundkit.PayerMax, RefundID: "N-1"}
	_, err := e.tr.Add(ctx, ref)
	require.NoError(t, err)
	require.NoError(t, e.tr.Run(ctx, track.RunOptions{Once: true})) // N-1 is pending, next poll on the ladder

	// A burst: the first schedules the confirming poll at once (unless the
	// ladder's is due already), the rest find it due and only add their
	// observations.
	pending := func() int {
		b, err := e.tr.Backlog(ctx, time.Now(), time.Minute)
		require.NoError(t, err)
		return b.Jobs["available"] + b.Jobs["scheduled"]
	}
	before := pending()
	for _, st := range []string{"REFUND_SUCCESS", "REFUND_PENDING", "REFUND_FAILED"} {
		hdr, body := payermaxNotification(t, "N-1", st)
		status, answer := e.post(t, hdr, body)
		require.Equal(t, http.StatusOK, status, answer)
		require.Equal(t, `{"code":"SUCCESS","msg":"Success"}`, answer)
	}
	require.LessOrEqual(t, pending(), before+1, "a burst of notifications adds at most one poll")

	// Forged: refused, nothing recorded.
	hdr, body := payermaxNotification(t, "N-1", "REFUND_FAILED")
	status, answer := e.post(t, hdr, strings.Replace(body, "10.50", "99.50", 1))
	require.Equal(t, http.StatusUnauthorized, status)
	require.Equal(t, "signature\n", answer)

	// A verified notification about a refund not tracked yet adds it.
	hdr, body = payermaxNotification(t, "N-new", "REFUND_SUCCESS")
	status, _ = e.post(t, hdr, body)
	require.Equal(t, http.StatusOK, status)

	runCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	require.NoError(t, e.tr.Run(runCtx, track.RunOptions{}))
	got, err := e.tr.Get(ctx, ref)
	require.NoError(t, err)
	require.Equal(t, refundkit.StatusSucceeded, got.Status, "the confirming inquiry decides, not the notifications")
	var sources []track.Source
	for _, o := range got.History {
		sources = append(sources, o.Source)
	}
	require.Equal(t, []track.Source{track.SourceInquiry, track.SourceNotification, track.SourceNotification, track.SourceNotification, track.SourceInquiry}, sources)
	added, err := e.tr.Get(ctx, track.Ref{Provider: refundkit.PayerMax, RefundID: "N-new"})
	require.NoError(t, err)
	require.Equal(t, refundkit.StatusSucceeded, added.Status)

	status, metrics := e.do(t, "GET", "/metrics", "-", "", "")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, metrics, `refundkit_notifications_total{provider="payermax",reason="",result="accepted"} 4`)
	require.Contains(t, metrics, `refundkit_notifications_total{provider="payermax",reason="signature",result="refused"} 1`)
}
