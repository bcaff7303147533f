package track_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/internal/pgtest"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/track"
)

// TestPostgresNotificationBurstSchedulesOnePoll sends a burst of
// notifications about one refund, whose next poll is an hour away, through
// two trackers on one database at once (two serve processes behind a load
// balancer): the burst must schedule exactly one confirming poll, else two
// workers poll the refund at once and both record the same transition.
func TestPostgresNotificationBurstSchedulesOnePoll(t *testing.T) {
	dsn := pgtest.DSN(t)
	s := newSims(t, refundkit.PayerMax)
	require.NoError(t, s.sim[refundkit.PayerMax].Seed(simulator.Refund{RefundID: "BURST-1", Status: "REFUND_PENDING", Amount: "1.00", Currency: "USD"}))
	ref := track.Ref{Provider: refundkit.PayerMax, RefundID: "BURST-1"}
	ctx := context.Background()
	slow := track.Policy{Ladder: []time.Duration{time.Hour}, MaxAge: 24 * time.Hour, Jitter: -1}
	var trackers []*track.Tracker
	for range 2 {
		tr, err := track.Open(ctx, dsn, track.Options{Inquirers: s.clients, Policy: slow})
		require.NoError(t, err)
		t.Cleanup(func() { _ = tr.Close() })
		trackers = append(trackers, tr)
	}
	_, err := trackers[0].Add(ctx, ref)
	require.NoError(t, err)
	require.NoError(t, trackers[0].Run(ctx, track.RunOptions{Once: true}))
	r, err := trackers[0].Get(ctx, ref)
	require.NoError(t, err)
	require.Equal(t, refundkit.StatusPending, r.Status)

	res := refundkit.Result{Provider: refundkit.PayerMax, Status: refundkit.StatusSucceeded, ProviderStatus: "REFUND_SUCCESS",
		MerchantRefundID: "BURST-1", Verified: true, Source: refundkit.SourceNotification}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() { assert.NoError(t, trackers[i%2].RecordNotification(ctx, ref, res)) })
	}
	wg.Wait()

	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	var n int
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'refundkit_poll' AND state = 'available'`).Scan(&n))
	require.Equal(t, 1, n, "confirming polls scheduled by one burst of notifications")
}
