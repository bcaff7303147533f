package track_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/track"
)

func TestRunFollowsRefundsToTheEnd(t *testing.T) { eachDB(t, testRunFollowsRefundsToTheEnd) }

func testRunFollowsRefundsToTheEnd(t *testing.T, db backend) {
	s := newSims(t, refundkit.PayerMax, refundkit.ZaloPay)
	require.NoError(t, s.sim[refundkit.PayerMax].Seed(
		simulator.Refund{RefundID: "P-late", Status: "REFUND_PENDING", Amount: "10.50", Currency: "USD",
			Transitions: []simulator.Transition{{After: 2, Status: "REFUND_SUCCESS"}}},
		simulator.Refund{RefundID: "P-now", Status: "REFUND_FAILED", Amount: "1", Currency: "IDR"},
	))
	require.NoError(t, s.sim[refundkit.ZaloPay].Seed(
		simulator.Refund{RefundID: "230407_2554_z1", Status: "3", SubStatus: "3",
			Transitions: []simulator.Transition{{After: 1, Status: "1", SubStatus: "1"}}},
	))
	var (
		mu      sync.Mutex
		changes []track.Change
	)
	tr, _ := db.open(t, track.Options{Inquirers: s.clients, Policy: fastPolicy,
		OnChange: func(_ context.Context, c track.Change) error {
			mu.Lock()
			defer mu.Unlock()
			changes = append(changes, c)
			return nil
		}})
	ctx := context.Background()
	refs := []track.Ref{{Provider: refundkit.PayerMax, RefundID: "P-late"}, {Provider: refundkit.PayerMax, RefundID: "P-now"},
		{Provider: refundkit.ZaloPay, RefundID: "230407_2554_z1"}, {Provider: refundkit.PayerMax, RefundID: "P-missing"}}
	res, err := tr.Add(ctx, refs...)
	require.NoError(t, err)
	require.Equal(t, track.AddResult{Added: 4}, res)
	res, err = tr.Add(ctx, refs[0])
	require.NoError(t, err)
	require.Equal(t, track.AddResult{Known: 1}, res)

	runUntilSettled(t, tr, 2*time.Minute)

	late, err := tr.Get(ctx, refs[0])
	require.NoError(t, err)
	require.Equal(t, refundkit.StatusSucceeded, late.Status)
	require.Equal(t, track.StateFinal, late.State())
	require.Equal(t, "10.50 USD", late.Amount.String())
	require.Len(t, late.History, 3)
	require.True(t, late.History[0].Changed)
	require.False(t, late.History[1].Changed)
	require.True(t, late.History[2].Changed)
	require.Equal(t, refundkit.StatusPending, late.History[2].PreviousStatus)

	missing, err := tr.Get(ctx, refs[3])
	require.NoError(t, err)
	require.Equal(t, track.StateStopped, missing.State())
	require.Equal(t, string(refundkit.CategoryNotFound), missing.StopReason)
	require.Len(t, missing.History, 1+track.DefaultNotFoundRetries)

	// P-late: -> pending -> succeeded; P-now: -> failed; z1: -> pending -> succeeded.
	require.Len(t, changes, 5)
	ids := map[int64]bool{}
	for _, c := range changes {
		require.False(t, ids[c.ID], "change %d delivered twice", c.ID)
		ids[c.ID] = true
	}
}
