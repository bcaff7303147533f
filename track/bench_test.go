package track_test

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/track"
)

// benchRefunds is how many refunds each benchmark iteration follows.
const benchRefunds = 1000

// pollBench is one provider's simulator and clients, with fresh refunds
// for every run: each final at its first answer, so every poll is one
// inquiry.
type pollBench struct {
	p   refundkit.Provider
	s   *sims
	seq atomic.Int64
}

func newPollBench(b *testing.B, p refundkit.Provider) *pollBench {
	return &pollBench{p: p, s: newSims(b, p)}
}

func (pb *pollBench) seed(b *testing.B) []track.Ref {
	refs := make([]track.Ref, benchRefunds)
	refunds := make([]simulator.Refund, benchRefunds)
	for i := range refs {
		id := fmt.Sprintf("261201_2554_b%08d", pb.seq.Add(1))
		refunds[i] = simulator.Refund{RefundID: id, Status: "REFUND_SUCCESS", Amount: "1", Currency: "IDR"}
		if pb.p == refundkit.ZaloPay {
			refunds[i] = simulator.Refund{RefundID: id, Status: "1", SubStatus: "1"}
		}
		refs[i] = track.Ref{Provider: pb.p, RefundID: id}
	}
	require.NoError(b, pb.s.sim[pb.p].Seed(refunds...))
	return refs
}

// bulk asks about refs through bulk.Runner and returns how long it took.
func (pb *pollBench) bulk(b *testing.B, refs []track.Ref) time.Duration {
	runner, err := bulk.New(pb.s.clients, bulk.WithConcurrency(track.DefaultConcurrency))
	require.NoError(b, err)
	items := func(yield func(bulk.Item) bool) {
		for _, r := range refs {
			if !yield(bulk.Item{Provider: pb.p, Query: r.Query()}) {
				return
			}
		}
	}
	start := time.Now()
	for o := range runner.Run(context.Background(), items) {
		if o.Err != nil {
			b.Fatal(o.Err)
		}
	}
	return time.Since(start)
}

// tracker adds refs to a new database, then times a Run that polls each
// once (same clients, same concurrency).
func (pb *pollBench) tracker(b *testing.B, refs []track.Ref) time.Duration {
	tr, _ := open(b, track.Options{Inquirers: pb.s.clients, Policy: fastPolicy})
	defer func() { _ = tr.Close() }()
	_, err := tr.Add(context.Background(), refs...)
	require.NoError(b, err)
	start := time.Now()
	require.NoError(b, tr.Run(context.Background(), track.RunOptions{}))
	return time.Since(start)
}

// BenchmarkPolls reports polls per second through the tracker (a River
// job and an SQLite transaction per poll) and through the bulk inquirer
// (no storage), on the same simulator with the same clients and
// concurrency; ns/poll of the two differ by the queue's own cost.
func BenchmarkPolls(b *testing.B) {
	for _, p := range []refundkit.Provider{refundkit.PayerMax, refundkit.ZaloPay} {
		pb := newPollBench(b, p)
		for _, side := range []string{"bulk", "tracker"} {
			b.Run(fmt.Sprintf("provider=%s/%s", p, side), func(b *testing.B) {
				var elapsed time.Duration
				for b.Loop() {
					b.StopTimer()
					refs := pb.seed(b)
					b.StartTimer()
					if side == "bulk" {
						elapsed += pb.bulk(b, refs)
					} else {
						elapsed += pb.tracker(b, refs)
					}
				}
				polls := float64(b.N * benchRefunds)
				b.ReportMetric(polls/elapsed.Seconds(), "polls/s")
				b.ReportMetric(float64(elapsed.Nanoseconds())/polls, "ns/poll")
			})
		}
	}
}

// BenchmarkPollsRatio runs the bulk inquirer and the tracker in pairs, in
// alternating order, over fresh refunds (seeding and opening the database
// are not timed) and reports the median of the per-pair ratios of
// their polls per second (tracker over bulk), which the machine's noise
// moves far less than either figure alone.
func BenchmarkPollsRatio(b *testing.B) {
	for _, p := range []refundkit.Provider{refundkit.PayerMax, refundkit.ZaloPay} {
		pb := newPollBench(b, p)
		b.Run("provider="+string(p), func(b *testing.B) {
			var ratios []float64
			var costs []float64
			for i := 0; b.Loop(); i++ {
				// Each side goes first in every other pair, so that a
				// machine getting busier or quieter favours neither.
				var bulk, tracked time.Duration
				if i%2 == 0 {
					bulk = pb.bulk(b, pb.seed(b))
					tracked = pb.tracker(b, pb.seed(b))
				} else {
					tracked = pb.tracker(b, pb.seed(b))
					bulk = pb.bulk(b, pb.seed(b))
				}
				ratios = append(ratios, bulk.Seconds()/tracked.Seconds())
				costs = append(costs, float64((tracked-bulk).Nanoseconds())/benchRefunds)
			}
			b.ReportMetric(median(ratios), "tracker/bulk")
			b.ReportMetric(median(costs), "queue-ns/poll")
		})
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkRunFixedCost times a Run over one refund (ZaloPay, final at the
// first answer): what a Run costs beyond its polls, from River's start to
// its stop, including how soon Run notices that the work is done.
func BenchmarkRunFixedCost(b *testing.B) {
	pb := newPollBench(b, refundkit.ZaloPay)
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		refs := pb.seed(b)[:1]
		b.StartTimer()
		elapsed += pb.tracker(b, refs)
	}
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(b.N)/1e6, "ms/run")
}
