//go:build unix

package bulk_test

import (
	"context"
	"slices"
	"sync"
	"syscall"
	"testing"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
)

// overheadItems is how many items each side runs per pair.
const overheadItems = 10_000

// BenchmarkBulkOverhead measures what a Runner costs per item beyond a
// plain worker pool, which inquiry's BenchmarkBulkRatio cannot resolve:
// there each item's inquiry costs about 60 µs of CPU, and that ratio's
// noise floor is a few percent. Here the client answers at once, so what
// is left is scheduling alone. It alternates, in one loop, a Runner run
// over overheadItems items and poolOverInstant over as many, both with
// concurrency bulk.DefaultConcurrency, and reports the medians of the
// process's CPU time (getrusage) per item of each side and of the per-pair
// difference, bulk-over-pool-ns/item.
func BenchmarkBulkOverhead(b *testing.B) {
	res := &refundkit.Result{Provider: refundkit.ZaloPay, Status: refundkit.StatusSucceeded}
	instant := bulkFunc{provider: refundkit.ZaloPay, inquire: func(context.Context, refundkit.Query) (*refundkit.Result, error) { return res, nil }}
	runner := newBulk(b, []refundkit.Inquirer{instant})
	ctx := b.Context()
	pool := func() int { return poolOverInstant(ctx, instant, overheadItems, bulk.DefaultConcurrency) }
	run := func() int {
		ok := 0
		for o := range runner.Run(ctx, bulkItems(refundkit.ZaloPay, overheadItems, nil)) {
			if o.Err == nil && o.Result.Status == refundkit.StatusSucceeded {
				ok++
			}
		}
		return ok
	}
	var pools, bulks, over []float64
	for i := 0; b.Loop(); i++ {
		var p, m float64
		if i%2 == 0 {
			p, m = cpuPerItem(b, pool), cpuPerItem(b, run)
		} else {
			m, p = cpuPerItem(b, run), cpuPerItem(b, pool)
		}
		pools, bulks, over = append(pools, p), append(bulks, m), append(over, m-p)
	}
	b.ReportMetric(median(pools), "pool-cpu-ns/item")
	b.ReportMetric(median(bulks), "bulk-cpu-ns/item")
	b.ReportMetric(median(over), "bulk-over-pool-ns/item")
}

// cpuPerItem runs run, which must report every one of overheadItems
// succeeded, and returns the process's CPU time per item, in nanoseconds.
func cpuPerItem(b *testing.B, run func() int) float64 {
	start := processCPU()
	if got := run(); got != overheadItems {
		b.Fatalf("%d of %d items succeeded", got, overheadItems)
	}
	return float64(processCPU()-start) / overheadItems
}

func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	return s[len(s)/2]
}

// poolOverInstant is the floor, as inquiry's plainPool is for
// BenchmarkBulkRatio: n inquiries on c by a pool of workers goroutines fed
// through a channel, their results gathered through another. bulkItems'
// formatted refund ids are made here too, so that both sides pay for them.
func poolOverInstant(ctx context.Context, c refundkit.Inquirer, n, workers int) int {
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
		for it := range bulkItems(refundkit.ZaloPay, n, nil) {
			jobs <- it.Query
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
