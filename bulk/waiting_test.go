package bulk_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitingHeap runs n items whose every answer is pending, with a Raw body
// of rawBytes and a ProviderMessage of msgBytes, through a polling Bulk
// whose next poll is an hour away, and returns the live heap per waiting
// item once all n wait, and the outcomes the run reports when its context
// then ends.
//
// With concurrency 1 an extra last item is asked about only once every
// earlier answer has been settled, so its inquiry is where the heap is
// measured; it then ends the run.
func waitingHeap(t testing.TB, n, rawBytes, msgBytes int) (perItem float64, outs []bulk.Outcome) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	msg := strings.Repeat("m", msgBytes)
	var base runtime.MemStats
	client := bulkFunc{provider: refundkit.PayerMax, inquire: func(_ context.Context, q refundkit.Query) (*refundkit.Result, error) {
		if q.RefundID == "measure" {
			var now runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&now)
			perItem = (float64(now.HeapAlloc) - float64(base.HeapAlloc)) / float64(n)
			cancel()
			return nil, context.Canceled
		}
		raw := make([]byte, rawBytes) // a fresh body per answer, as decoding one makes
		for i := range raw {
			raw[i] = ' '
		}
		return &refundkit.Result{Provider: refundkit.PayerMax, Status: refundkit.StatusPending, ProviderStatus: "REFUND_PENDING",
			ProviderMessage: strings.Clone(msg), MerchantRefundID: q.RefundID, Raw: raw}, nil
	}}
	runner, err := bulk.New([]refundkit.Inquirer{client}, bulk.WithConcurrency(1),
		bulk.WithPollUntilFinal(bulk.PollPolicy{InitialDelay: time.Hour, MaxAge: 2 * time.Hour, MaxWaiting: n + 1}))
	require.NoError(t, err)
	items := func(yield func(bulk.Item) bool) {
		for i := range n {
			if !yield(bulk.Item{Provider: refundkit.PayerMax, Query: refundkit.Query{RefundID: fmt.Sprintf("R%06d", i)}, Tag: int64(i)}) {
				return
			}
		}
		yield(bulk.Item{Provider: refundkit.PayerMax, Query: refundkit.Query{RefundID: "measure"}, Tag: int64(n)})
	}
	runtime.GC()
	runtime.ReadMemStats(&base)
	for out := range runner.Run(ctx, items) {
		outs = append(outs, out)
	}
	return perItem, outs
}

// TestBulkWaitingMemory checks that an item waiting for its next poll
// holds well under 4 KiB however large its pending answer was, and that
// what it keeps is still reported when the run ends: the pending status
// and ids, with the body dropped and a long message cut.
func TestBulkWaitingMemory(t *testing.T) {
	const n = 64
	perItem, outs := waitingHeap(t, n, 1<<20, 64<<10)
	t.Logf("heap per waiting item: %.0f B", perItem)
	assert.Less(t, perItem, 4096.0, "heap per waiting item with 1 MiB answers")
	require.Len(t, outs, n+1, "every item taken yields one outcome")
	for _, out := range outs {
		if out.Item.Query.RefundID == "measure" {
			continue
		}
		require.NoError(t, out.Err)
		assert.Equal(t, refundkit.StatusPending, out.Result.Status)
		assert.Equal(t, "REFUND_PENDING", out.Result.ProviderStatus)
		assert.Equal(t, out.Item.Query.RefundID, out.Result.MerchantRefundID)
		assert.Nil(t, out.Result.Raw)
		assert.LessOrEqual(t, len(out.Result.ProviderMessage), 256+len("…"))
		assert.True(t, strings.HasPrefix(out.Result.ProviderMessage, "mmm"))
		assert.Equal(t, 1, out.Inquiries)
	}
}

// BenchmarkBulkWaiting reports the live heap per item waiting for its next
// poll, for pending answers with a 1 MiB body and a 64 KiB message against
// the floor: the same run with empty answers.
func BenchmarkBulkWaiting(b *testing.B) {
	const n = 256
	for _, bc := range []struct {
		name          string
		raw, msgBytes int
	}{{"empty answers", 0, 0}, {"1MiB answers", 1 << 20, 64 << 10}} {
		b.Run(bc.name, func(b *testing.B) {
			var perItem float64
			for b.Loop() {
				perItem, _ = waitingHeap(b, n, bc.raw, bc.msgBytes)
			}
			b.ReportMetric(perItem, "heapB/waiting")
		})
	}
}
