//go:build unix

package inquiry_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
)

// bulkBenchItems is how many ZaloPay inquiries each side makes per pair.
const bulkBenchItems = 2_000

// BenchmarkBulkRatio alternates, in one loop, bulk.Runner over
// bulkBenchItems ZaloPay items and plainPool over the same items, both with
// concurrency bulk.DefaultConcurrency over the same SDK client against the
// same pre-signed server, and reports the median of the per-pair ratios of
// the process's CPU time (getrusage) as x-pool-cpu. control pairs the plain
// pool with itself: its distance from 1 is the noise floor.
func BenchmarkBulkRatio(b *testing.B) {
	e := newBenchEnv(b)
	c := e.sdk(b, refundkit.ZaloPay)
	runner, err := bulk.New([]refundkit.Inquirer{c})
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	pool := func() int { return plainPool(ctx, c, bulkBenchItems, bulk.DefaultConcurrency) }
	for _, name := range []string{"zalopay", "control"} {
		b.Run(name, func(b *testing.B) {
			measured := pool
			if name == "zalopay" {
				measured = func() int {
					ok := 0
					for o := range runner.Run(ctx, reconcileItems([]refundkit.Provider{refundkit.ZaloPay}, bulkBenchItems)) {
						if o.Err == nil && o.Result.Status == refundkit.StatusSucceeded {
							ok++
						}
					}
					return ok
				}
			}
			var ratios []float64
			for i := 0; b.Loop(); i++ {
				var f, m float64
				if i%2 == 0 {
					f, m = cpuOf(b, pool), cpuOf(b, measured)
				} else {
					m, f = cpuOf(b, measured), cpuOf(b, pool)
				}
				ratios = append(ratios, m/f)
			}
			slices.Sort(ratios)
			b.ReportMetric(ratios[len(ratios)/2], "x-pool-cpu")
		})
	}
}

// cpuOf runs run, which must report every one of bulkBenchItems
// inquiries succeeded, and returns the CPU time it took.
func cpuOf(b *testing.B, run func() int) float64 {
	start := cpuTime()
	if got := run(); got != bulkBenchItems {
		b.Fatalf("%d of %d inquiries succeeded", got, bulkBenchItems)
	}
	return float64(cpuTime() - start)
}

// plainPool is the floor: n inquiries about benchRefundID on c by a pool
// of workers goroutines fed through a channel, their results gathered
// through another. No tags, polling, per-provider routing or cancellation
// handling.
func plainPool(ctx context.Context, c refundkit.Inquirer, n, workers int) int {
	jobs, results := make(chan refundkit.Query, workers), make(chan bool, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for q := range jobs {
				res, err := c.Inquire(ctx, q)
				results <- err == nil && res.Status == refundkit.StatusSucceeded
			}
		})
	}
	go func() {
		for range n {
			jobs <- refundkit.Query{RefundID: benchRefundID}
		}
		close(jobs)
		wg.Wait()
		close(results)
	}()
	ok := 0
	for r := range results {
		if r {
			ok++
		}
	}
	return ok
}
