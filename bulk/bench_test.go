package bulk_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
)

// BenchmarkBulk runs n items through a Bulk whose client answers at once,
// so what is measured is the scheduling alone. B/item and allocs/item stay
// flat (falling, as the fixed cost of a run spreads) as n grows 10x.
func BenchmarkBulk(b *testing.B) {
	res := &refundkit.Result{Provider: refundkit.ZaloPay, Status: refundkit.StatusSucceeded}
	instant := bulkFunc{provider: refundkit.ZaloPay, inquire: func(context.Context, refundkit.Query) (*refundkit.Result, error) { return res, nil }}
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			runner := newBulk(b, []refundkit.Inquirer{instant})
			items := func(yield func(bulk.Item) bool) {
				for i := range n {
					if !yield(bulk.Item{Provider: refundkit.ZaloPay, Query: refundkit.Query{RefundID: "R1"}, Tag: int64(i)}) {
						return
					}
				}
			}
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			runs := 0
			for b.Loop() {
				got := 0
				for range runner.Run(b.Context(), items) {
					got++
				}
				if got != n {
					b.Fatalf("got %d outcomes, want %d", got, n)
				}
				runs++
			}
			runtime.ReadMemStats(&after)
			perItem := float64(runs * n)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/perItem, "B/item")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/perItem, "allocs/item")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/perItem, "ns/item")
		})
	}
}
