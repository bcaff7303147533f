package bulk_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBulkCancel(t *testing.T) {
	t.Run("before the run", func(t *testing.T) {
		before := runtime.NumGoroutine()
		sc := newBulkScript(refundkit.NewPay, ansSucceeded)
		runner := newBulk(t, []refundkit.Inquirer{sc})
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		for out := range runner.Run(ctx, bulkItems(refundkit.NewPay, 1000, nil)) {
			t.Fatalf("unexpected outcome %+v", out)
		}
		assert.Zero(t, sc.total.Load())
		requireGoroutinesBack(t, before)
	})

	t.Run("with items waiting and in flight", func(t *testing.T) {
		before := runtime.NumGoroutine()
		// R0 and R1 stay pending and wait an hour for their next poll; R2
		// and R3 hang until the context ends; R4 and later are never taken.
		sc := newBulkScript(refundkit.NewPay, ansPending)
		sc.block["R2"], sc.block["R3"] = true, true
		sc.started = make(chan string, 16)
		runner := newBulk(t, []refundkit.Inquirer{sc}, bulk.WithConcurrency(2),
			bulk.WithPollUntilFinal(bulk.PollPolicy{InitialDelay: time.Hour, MaxAge: 2 * time.Hour}))
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		cancelledAt := make(chan time.Time, 1)
		go func() {
			for seen := map[string]bool{}; !seen["R2"] || !seen["R3"]; {
				seen[<-sc.started] = true
			}
			cancelledAt <- time.Now()
			cancel()
		}()

		outs := map[string]bulk.Outcome{}
		for out := range runner.Run(ctx, bulkItems(refundkit.NewPay, 1000, nil)) {
			require.Error(t, ctx.Err(), "%s reported before the cancellation", out.Item.Query.RefundID)
			outs[out.Item.Query.RefundID] = out
		}
		assert.Less(t, time.Since(<-cancelledAt), time.Second, "stops promptly")
		assert.Zero(t, sc.inflight.Load(), "every inquiry has returned")
		requireGoroutinesBack(t, before)

		require.Len(t, outs, 4, "every item taken yields an outcome, and no other")
		for _, id := range []string{"R0", "R1"} {
			require.NoError(t, outs[id].Err, id)
			assert.Equal(t, refundkit.StatusPending, outs[id].Result.Status, "%s keeps its last result", id)
			assert.Equal(t, 1, outs[id].Inquiries, id)
		}
		for _, id := range []string{"R2", "R3"} {
			require.ErrorIs(t, outs[id].Err, context.Canceled, id)
			assert.Equal(t, 1, outs[id].Inquiries, id)
		}
		assert.EqualValues(t, 4, sc.total.Load())
	})
}

func TestBulkEarlyBreak(t *testing.T) {
	tests := []struct {
		name        string
		concurrency int
		block       bool // every inquiry but R0's hangs until the run stops
		breakAfter  int
	}{
		{name: "answers at once", concurrency: 4, breakAfter: 10},
		{name: "inquiries hanging", concurrency: 4, block: true, breakAfter: 1},
		{name: "one at a time", concurrency: 1, breakAfter: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			sc := newBulkScript(refundkit.AlphaPay, ansSucceeded)
			if tt.block {
				for i := 1; i < 100; i++ {
					sc.block[fmt.Sprintf("R%d", i)] = true
				}
			}
			var pulled atomic.Int64
			runner := newBulk(t, []refundkit.Inquirer{sc}, bulk.WithConcurrency(tt.concurrency))
			n := 0
			start := time.Now()
			for out := range runner.Run(t.Context(), bulkItems(refundkit.AlphaPay, 10_000, &pulled)) {
				require.NoError(t, out.Err)
				if n++; n == tt.breakAfter {
					break
				}
			}
			assert.Less(t, time.Since(start), time.Second)
			assert.Zero(t, sc.inflight.Load(), "every inquiry has returned")
			requireGoroutinesBack(t, before)
			assert.LessOrEqual(t, sc.total.Load(), int64(tt.breakAfter+tt.concurrency), "no more work after the break")
			// In flight, plus the feeder's read-ahead (the concurrency again,
			// see Run), plus the one it has pulled and not handed over.
			assert.LessOrEqual(t, pulled.Load(), int64(tt.breakAfter+2*tt.concurrency+1), "no more input after the break")
		})
	}
}

func TestBulkMemoryBounded(t *testing.T) {
	// Every item is pending three times before it succeeds, so items pile
	// up waiting; the run must stop taking input instead of growing.
	const concurrency, maxWaiting = 4, 16
	peaks := map[int]int64{}
	for _, n := range []int{200, 2000} {
		t.Run(fmt.Sprintf("items=%d", n), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				sc := newBulkScript(refundkit.ZaloPay)
				sc.fallback = []bulkAnswer{ansPending, ansPending, ansPending, ansSucceeded}
				sc.latency = 50 * time.Millisecond
				runner := newBulk(t, []refundkit.Inquirer{sc}, bulk.WithConcurrency(concurrency),
					bulk.WithPollUntilFinal(bulk.PollPolicy{InitialDelay: time.Second, Factor: 1, MaxWaiting: maxWaiting}))

				// Held = taken from the input and not yet yielded, measured
				// from outside on both sides of the run.
				var pulled, yielded, peakHeld atomic.Int64
				items := func(yield func(bulk.Item) bool) {
					for it := range bulkItems(refundkit.ZaloPay, n, &pulled) {
						storeMax(&peakHeld, pulled.Load()-yielded.Load())
						if !yield(it) {
							return
						}
					}
				}
				for out := range runner.Run(t.Context(), items) {
					storeMax(&peakHeld, pulled.Load()-yielded.Load())
					yielded.Add(1)
					require.NoError(t, out.Err)
					require.Equal(t, refundkit.StatusSucceeded, out.Result.Status)
					require.Equal(t, 4, out.Inquiries)
				}
				assert.EqualValues(t, n, yielded.Load())
				assert.EqualValues(t, concurrency, sc.maxInflight.Load())
				// At most maxWaiting items are held, plus the one the feeder
				// has pulled and not yet handed over; and the cap is reached,
				// so this test does exercise it.
				assert.LessOrEqual(t, peakHeld.Load(), int64(maxWaiting+1))
				assert.GreaterOrEqual(t, peakHeld.Load(), int64(maxWaiting))
				peaks[n] = peakHeld.Load()
			})
		})
	}
	t.Logf("peak items held: %v", peaks)
	assert.LessOrEqual(t, peaks[2000], peaks[200], "10x the items, no more held")
}
