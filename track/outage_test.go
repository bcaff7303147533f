package track_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/track"
)

// TestProviderOutage puts the PayerMax simulator into HTTP 500s, then 429s
// with Retry-After, while the tracker runs: polls back off (far fewer than
// the ladder alone would make, the rate-limited ones no sooner than the
// provider asked), and once the faults clear every refund settles.
func TestProviderOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("outage test: about 30s of simulated outage and recovery")
	}
	eachDB(t, testProviderOutage)
}

func testProviderOutage(t *testing.T, db backend) {
	s := newSims(t, refundkit.PayerMax)
	sim := s.sim[refundkit.PayerMax]
	const n = 50
	var refs []track.Ref
	for i := range n {
		id := fmt.Sprintf("OUT-%02d", i)
		require.NoError(t, sim.Seed(simulator.Refund{RefundID: id, Status: "REFUND_PENDING", Amount: "5", Currency: "IDR",
			Transitions: []simulator.Transition{{After: 1, Status: "REFUND_SUCCESS"}}}))
		refs = append(refs, track.Ref{Provider: refundkit.PayerMax, RefundID: id})
	}
	policy := track.Policy{Ladder: []time.Duration{100 * time.Millisecond}, BackoffInitial: 2 * time.Second,
		BackoffMax: 20 * time.Second, MaxAge: 5 * time.Minute, Jitter: -1}
	tr, _ := db.open(t, track.Options{Inquirers: s.clients, Policy: policy})
	ctx := context.Background()
	_, err := tr.Add(ctx, refs...)
	require.NoError(t, err)

	faults := sim.Faults()
	faults.Always(simulator.FaultHTTP500)
	runCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- tr.Run(runCtx, track.RunOptions{}) }()

	time.Sleep(12 * time.Second)
	during500 := faults.Count(simulator.FaultHTTP500)
	// Backoff 2s, 4s, 8s: at most 4 polls each in 12s (the ladder would make ~100).
	require.LessOrEqual(t, during500, int64(4*n), "polls back off during the outage")
	require.GreaterOrEqual(t, during500, int64(2*n), "every refund was polled again during the outage")
	r, err := tr.Get(ctx, refs[0])
	require.NoError(t, err)
	require.Equal(t, refundkit.CategoryTemporary, r.LastError)
	require.Equal(t, track.StateActive, r.State())

	faults.SetRetryAfter(3 * time.Second)
	faults.Always(simulator.FaultRateLimit)
	time.Sleep(12 * time.Second)
	faults.Always(simulator.FaultNone)
	require.NoError(t, <-done)

	for _, ref := range refs {
		r, err := tr.Get(ctx, ref)
		require.NoError(t, err)
		require.Equal(t, refundkit.StatusSucceeded, r.Status, ref.String())
		var last time.Time
		for _, o := range r.History {
			if !last.IsZero() {
				require.GreaterOrEqual(t, o.At.Sub(last), 3*time.Second, "%s: polled before the Retry-After", ref)
			}
			if o.ErrorCategory == refundkit.CategoryRateLimited {
				last = o.At
			} else {
				last = time.Time{}
			}
			if o.ErrorCategory != "" {
				require.Contains(t, []refundkit.Category{refundkit.CategoryTemporary, refundkit.CategoryRateLimited}, o.ErrorCategory)
			}
		}
	}
	require.Positive(t, faults.Count(simulator.FaultRateLimit))
}
