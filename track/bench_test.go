package track_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/track"
	"github.com/refundkit/refundkit/wrapper"
)

// benchRefunds is how many refunds each benchmark iteration follows.
const benchRefunds = 2000

// BenchmarkPolls compares polls per second through the tracker (River job,
// SQLite transaction per poll) with the bulk inquirer (no storage) on the
// same simulator, the same clients and the same concurrency. Each refund
// is final at its first answer, so every poll is one inquiry.
func BenchmarkPolls(b *testing.B) {
	for _, p := range []refundkit.Provider{refundkit.PayerMax, refundkit.ZaloPay} {
		s := newSims(b, p)
		var seq atomic.Int64
		seed := func() []track.Ref {
			refs := make([]track.Ref, benchRefunds)
			refunds := make([]simulator.Refund, benchRefunds)
			for i := range refs {
				id := fmt.Sprintf("261201_2554_b%08d", seq.Add(1))
				refunds[i] = simulator.Refund{RefundID: id, Status: "REFUND_SUCCESS", Amount: "1", Currency: "IDR"}
				if p == refundkit.ZaloPay {
					refunds[i] = simulator.Refund{RefundID: id, Status: "1", SubStatus: "1"}
				}
				refs[i] = track.Ref{Provider: p, RefundID: id}
			}
			require.NoError(b, s.sim[p].Seed(refunds...))
			return refs
		}
		b.Run(fmt.Sprintf("provider=%s/bulk", p), func(b *testing.B) {
			bulk, err := wrapper.NewBulk(s.clients, wrapper.WithConcurrency(track.DefaultConcurrency))
			require.NoError(b, err)
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				refs := seed()
				b.StartTimer()
				start := time.Now()
				items := func(yield func(wrapper.Item) bool) {
					for _, r := range refs {
						if !yield(wrapper.Item{Provider: p, Query: r.Query()}) {
							return
						}
					}
				}
				for o := range bulk.Run(context.Background(), items) {
					if o.Err != nil {
						b.Fatal(o.Err)
					}
				}
				elapsed += time.Since(start)
			}
			reportPolls(b, elapsed)
		})
		b.Run(fmt.Sprintf("provider=%s/tracker", p), func(b *testing.B) {
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				refs := seed()
				tr, _ := open(b, track.Options{Inquirers: s.clients, Policy: fastPolicy})
				_, err := tr.Add(context.Background(), refs...)
				require.NoError(b, err)
				b.StartTimer()
				start := time.Now()
				require.NoError(b, tr.Run(context.Background(), track.RunOptions{}))
				elapsed += time.Since(start)
				b.StopTimer()
				require.NoError(b, tr.Close())
				b.StartTimer()
			}
			reportPolls(b, elapsed)
		})
	}
}

// reportPolls reports polls per second and the time per poll.
func reportPolls(b *testing.B, elapsed time.Duration) {
	polls := float64(b.N * benchRefunds)
	b.ReportMetric(polls/elapsed.Seconds(), "polls/s")
	b.ReportMetric(float64(elapsed.Nanoseconds())/polls, "ns/poll")
}
