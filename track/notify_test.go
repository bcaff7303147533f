package track_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/track"
)

// A notification is recorded as an observation of its own, changes no
// status, and brings the next poll forward from an hour away to now; the
// poll it replaced does nothing.
func TestRecordNotificationPollsAtOnce(t *testing.T) { eachDB(t, testRecordNotificationPollsAtOnce) }

func testRecordNotificationPollsAtOnce(t *testing.T, db backend) {
	s := newSims(t, refundkit.PayerMax)
	require.NoError(t, s.sim[refundkit.PayerMax].Seed(simulator.Refund{RefundID: "N1", Status: "REFUND_PENDING", Amount: "2", Currency: "IDR",
		Transitions: []simulator.Transition{{After: 1, Status: "REFUND_SUCCESS"}}}))
	tr, _ := db.open(t, track.Options{Inquirers: s.clients, Policy: track.Policy{Ladder: []time.Duration{time.Hour}, Jitter: -1}})
	ctx := context.Background()
	ref := track.Ref{Provider: refundkit.PayerMax, RefundID: "N1"}
	_, err := tr.Add(ctx, ref)
	require.NoError(t, err)
	require.NoError(t, tr.Run(ctx, track.RunOptions{Once: true}))
	r, err := tr.Get(ctx, ref)
	require.NoError(t, err)
	require.Equal(t, refundkit.StatusPending, r.Status)
	require.WithinDuration(t, time.Now().Add(time.Hour), r.NextPoll, time.Minute)

	err = tr.RecordNotification(ctx, track.Ref{Provider: refundkit.PayerMax, RefundID: "nope"}, refundkit.Result{Status: refundkit.StatusSucceeded})
	require.ErrorIs(t, err, track.ErrNotTracked)
	require.NoError(t, tr.RecordNotification(ctx, ref, refundkit.Result{Provider: refundkit.PayerMax, Status: refundkit.StatusSucceeded,
		ProviderStatus: "REFUND_SUCCESS", Verified: true}))
	r, err = tr.Get(ctx, ref)
	require.NoError(t, err)
	require.Equal(t, refundkit.StatusPending, r.Status, "a notification alone changes no status")
	require.WithinDuration(t, time.Now(), r.NextPoll, time.Minute)

	runCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	require.NoError(t, tr.Run(runCtx, track.RunOptions{}))
	r, err = tr.Get(ctx, ref)
	require.NoError(t, err)
	require.Equal(t, refundkit.StatusSucceeded, r.Status)
	require.Len(t, r.History, 3)
	require.Equal(t, []track.Source{track.SourceInquiry, track.SourceNotification, track.SourceInquiry},
		[]track.Source{r.History[0].Source, r.History[1].Source, r.History[2].Source})
	require.False(t, r.History[1].Changed)
	require.True(t, r.History[2].Changed)
	require.Equal(t, refundkit.StatusPending, r.History[2].PreviousStatus)
}

// AddNotified adds an untracked refund with the notification as its first
// observation, in one transaction, and its first poll confirms it; on a
// tracked refund it records the notification as RecordNotification does.
func TestAddNotified(t *testing.T) { eachDB(t, testAddNotified) }

func testAddNotified(t *testing.T, db backend) {
	s := newSims(t, refundkit.PayerMax)
	require.NoError(t, s.sim[refundkit.PayerMax].Seed(simulator.Refund{RefundID: "N2", Status: "REFUND_SUCCESS", Amount: "2", Currency: "IDR"}))
	tr, _ := db.open(t, track.Options{Inquirers: s.clients, Policy: track.Policy{Ladder: []time.Duration{time.Hour}, Jitter: -1}})
	ctx := context.Background()
	ref := track.Ref{Provider: refundkit.PayerMax, RefundID: "N2"}
	pushed := refundkit.Result{Provider: refundkit.PayerMax, Status: refundkit.StatusSucceeded, ProviderStatus: "REFUND_SUCCESS", Verified: true}
	require.ErrorIs(t, tr.RecordNotification(ctx, ref, pushed), track.ErrNotTracked)

	require.NoError(t, tr.AddNotified(ctx, ref, pushed))
	r, err := tr.Get(ctx, ref)
	require.NoError(t, err)
	require.Len(t, r.History, 1)
	require.Equal(t, track.SourceNotification, r.History[0].Source)
	require.Empty(t, r.Status, "a notification alone changes no status")
	require.WithinDuration(t, time.Now(), r.NextPoll, time.Minute, "the first poll is due at once")

	require.NoError(t, tr.AddNotified(ctx, ref, pushed), "tracked now: recorded as RecordNotification")
	runCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	require.NoError(t, tr.Run(runCtx, track.RunOptions{}))
	r, err = tr.Get(ctx, ref)
	require.NoError(t, err)
	require.Equal(t, refundkit.StatusSucceeded, r.Status)
	require.Equal(t, []track.Source{track.SourceNotification, track.SourceNotification, track.SourceInquiry},
		[]track.Source{r.History[0].Source, r.History[1].Source, r.History[2].Source})
	require.Len(t, r.History, 3, "one poll confirms both notifications")
}
