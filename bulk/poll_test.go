package bulk_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pollUntilFinalCases are what one item's inquiries answer in turn (the
// script), with polling on or off, and how its outcome must end: status or
// error, number of inquiries, and when each inquiry began.
var pollUntilFinalCases = []struct {
	name          string
	poll          bool
	script        []bulkAnswer
	wantStatus    refundkit.Status
	wantErr       error
	wantInquiries int
	wantAt        []time.Duration // when each inquiry began
}{
	{name: "pending twice then succeeded", poll: true, script: []bulkAnswer{ansPending, ansPending, ansSucceeded},
		wantStatus: refundkit.StatusSucceeded, wantInquiries: 3, wantAt: []time.Duration{0, 1 * time.Second, 3 * time.Second}},
	{name: "pending four times then failed, delays capped", poll: true, script: []bulkAnswer{ansPending, ansPending, ansPending, ansPending, ansFailed},
		wantStatus: refundkit.StatusFailed, wantInquiries: 5, wantAt: []time.Duration{0, 1 * time.Second, 3 * time.Second, 6 * time.Second, 9 * time.Second}},
	{name: "unknown after pending is reported, not polled", poll: true, script: []bulkAnswer{ansPending, ansUnknown, ansSucceeded},
		wantStatus: refundkit.StatusUnknown, wantInquiries: 2, wantAt: []time.Duration{0, 1 * time.Second}},
	{name: "error after pending is reported, not polled", poll: true, script: []bulkAnswer{ansPending, ansTemporary, ansSucceeded},
		wantErr: refundkit.ErrTemporary, wantInquiries: 2, wantAt: []time.Duration{0, 1 * time.Second}},
	{name: "unknown at once is not polled", poll: true, script: []bulkAnswer{ansUnknown, ansSucceeded},
		wantStatus: refundkit.StatusUnknown, wantInquiries: 1, wantAt: []time.Duration{0}},
	{name: "error at once is not polled", poll: true, script: []bulkAnswer{ansNotFound, ansSucceeded},
		wantErr: refundkit.ErrNotFound, wantInquiries: 1, wantAt: []time.Duration{0}},
	{name: "without polling pending is reported at once", script: []bulkAnswer{ansPending, ansSucceeded},
		wantStatus: refundkit.StatusPending, wantInquiries: 1, wantAt: []time.Duration{0}},
}

func TestBulkPollUntilFinal(t *testing.T) {
	policy := bulk.PollPolicy{InitialDelay: time.Second, Factor: 2, MaxDelay: 3 * time.Second, MaxAge: time.Hour}
	for _, tt := range pollUntilFinalCases {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				sc := newBulkScript(refundkit.AlphaPay, ansSucceeded)
				sc.scripts["R0"] = tt.script
				var opts []bulk.Option
				if tt.poll {
					opts = append(opts, bulk.WithPollUntilFinal(policy))
				}
				runner := newBulk(t, []refundkit.Inquirer{sc}, opts...)
				start := time.Now()
				// R1 and R2 succeed at once alongside R0: polling one item
				// does not hold up the others.
				var outs []bulk.Outcome
				var finished []time.Duration
				for out := range runner.Run(t.Context(), bulkItems(refundkit.AlphaPay, 3, nil)) {
					outs = append(outs, out)
					finished = append(finished, time.Since(start))
				}
				require.Len(t, outs, 3)
				i := slices.IndexFunc(outs, func(o bulk.Outcome) bool { return o.Item.Query.RefundID == "R0" })
				require.GreaterOrEqual(t, i, 0)
				out := outs[i]
				assert.Equal(t, tt.wantInquiries, out.Inquiries)
				assert.Equal(t, tt.wantAt, sc.offsets("R0", start))
				assert.Equal(t, tt.wantAt[len(tt.wantAt)-1], finished[i], "reported as soon as final")
				if tt.wantErr != nil {
					require.ErrorIs(t, out.Err, tt.wantErr)
					assert.Nil(t, out.Result)
				} else {
					require.NoError(t, out.Err)
					assert.Equal(t, tt.wantStatus, out.Result.Status)
					assert.Equal(t, fmt.Sprintf("answer %d", tt.wantInquiries), out.Result.ProviderMessage, "the last answer")
				}
				for j, o := range outs {
					if j != i {
						require.NoError(t, o.Err)
						assert.Equal(t, refundkit.StatusSucceeded, o.Result.Status)
						assert.Equal(t, time.Duration(0), finished[j])
					}
				}
			})
		})
	}
}

func TestBulkPollSchedule(t *testing.T) {
	// Items whose inquiries take different times fall due for their polls
	// out of the order they started in; each must still be polled exactly
	// on its own schedule.
	synctest.Test(t, func(t *testing.T) {
		policy := bulk.PollPolicy{InitialDelay: time.Second, Factor: 2, MaxDelay: 20 * time.Second, MaxAge: time.Hour}
		sc := newBulkScript(refundkit.PayerMax)
		const n = 24
		want := map[string][]time.Duration{}
		for i := range n {
			id := fmt.Sprintf("R%d", i)
			pending := 1 + (i*7)%6                                       // 1..6 pending answers
			latency := time.Duration(1+(i*5)%9) * 300 * time.Millisecond // 0.3s..2.7s each
			sc.scripts[id] = append(slices.Repeat([]bulkAnswer{ansPending}, pending), ansSucceeded)
			sc.latencies[id] = latency
			at := time.Duration(0)
			for k := 0; k <= pending; k++ {
				want[id] = append(want[id], at)
				at += latency + min(policy.InitialDelay<<k, policy.MaxDelay)
			}
		}
		runner := newBulk(t, []refundkit.Inquirer{sc}, bulk.WithConcurrency(n), bulk.WithPollUntilFinal(policy))
		start := time.Now()
		got := 0
		for out := range runner.Run(t.Context(), bulkItems(refundkit.PayerMax, n, nil)) {
			require.NoError(t, out.Err)
			require.Equal(t, refundkit.StatusSucceeded, out.Result.Status)
			got++
		}
		require.Equal(t, n, got)
		for id, at := range want {
			assert.Equal(t, at, sc.offsets(id, start), id)
		}
	})
}

func TestBulkPollLimits(t *testing.T) {
	// Always pending. Polls are due at 0, 1s, 3s, 7s, 15s, ...
	tests := []struct {
		name          string
		maxAge        time.Duration
		ctxTimeout    time.Duration
		wantInquiries int
		wantAt        time.Duration // when the last pending result is reported
	}{
		{name: "max age", maxAge: 10 * time.Second, wantInquiries: 4, wantAt: 7 * time.Second},
		{name: "max age on a poll", maxAge: 7 * time.Second, wantInquiries: 4, wantAt: 7 * time.Second},
		{name: "context deadline before max age", maxAge: time.Hour, ctxTimeout: 5 * time.Second, wantInquiries: 3, wantAt: 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				sc := newBulkScript(refundkit.ZaloPay, ansPending)
				runner := newBulk(t, []refundkit.Inquirer{sc},
					bulk.WithPollUntilFinal(bulk.PollPolicy{InitialDelay: time.Second, Factor: 2, MaxDelay: time.Hour, MaxAge: tt.maxAge}))
				ctx := t.Context()
				if tt.ctxTimeout > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.ctxTimeout)
					defer cancel()
				}
				start := time.Now()
				var outs []bulk.Outcome
				for out := range runner.Run(ctx, bulkItems(refundkit.ZaloPay, 1, nil)) {
					outs = append(outs, out)
					assert.Equal(t, tt.wantAt, time.Since(start), "reported at once, not at the limit")
				}
				require.Len(t, outs, 1)
				require.NoError(t, outs[0].Err)
				assert.Equal(t, refundkit.StatusPending, outs[0].Result.Status)
				assert.Equal(t, tt.wantInquiries, outs[0].Inquiries)
				assert.Equal(t, fmt.Sprintf("answer %d", tt.wantInquiries), outs[0].Result.ProviderMessage, "the last pending result")
			})
		})
	}
}
