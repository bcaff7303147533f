package track_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/internal/pgtest"
	"github.com/refundkit/refundkit/track"
)

// BenchmarkPollsBackends reports polls per second over 1,000 fresh refunds
// an op (ZaloPay, final at the first answer: one inquiry a poll, the
// cheapest provider, so the queue's part shows) through bulk.Runner (no
// storage), one tracker on SQLite, and one and three trackers on one
// PostgreSQL database (three Tracker values in this process, each with
// its own pool and River client, as three workers would be; concurrency
// 8 each). ns/poll less bulk's is the queue's own cost per poll.
func BenchmarkPollsBackends(b *testing.B) {
	pb := newPollBench(b, refundkit.ZaloPay)
	sides := []struct {
		name    string
		dsn     func(testing.TB) string
		workers int
	}{
		{"bulk", nil, 0},
		{"sqlite-1", backends[0].dsn, 1},
		{"postgres-1", pgtest.DSN, 1},
		{"postgres-3", pgtest.DSN, 3},
	}
	for _, side := range sides {
		b.Run(side.name, func(b *testing.B) {
			var trs []*track.Tracker
			if side.dsn != nil {
				dsn := side.dsn(b)
				for range side.workers {
					tr, err := track.Open(context.Background(), dsn, track.Options{Inquirers: pb.s.clients, Policy: fastPolicy})
					require.NoError(b, err)
					b.Cleanup(func() { _ = tr.Close() })
					trs = append(trs, tr)
				}
			}
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				refs := pb.seed(b)
				if trs != nil {
					_, err := trs[0].Add(context.Background(), refs...)
					require.NoError(b, err)
				}
				b.StartTimer()
				if trs == nil {
					elapsed += pb.bulk(b, refs)
					continue
				}
				start := time.Now()
				var g errgroup.Group
				for _, tr := range trs {
					g.Go(func() error { return tr.Run(context.Background(), track.RunOptions{}) })
				}
				require.NoError(b, g.Wait())
				elapsed += time.Since(start)
			}
			polls := float64(b.N * benchRefunds)
			b.ReportMetric(polls/elapsed.Seconds(), "polls/s")
			b.ReportMetric(float64(elapsed.Nanoseconds())/polls, "ns/poll")
		})
	}
}
