package bulk_test

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
)

// Without polling the feeder reads ahead of the workers; when the context
// ends, every item it read yields exactly one outcome: the inquiries in
// flight with the context's error, and the items read ahead but never asked
// about with bulk.NotAsked's temporary error. After the end the feeder reads
// at most one more item.
func TestBulkReadAheadCancel(t *testing.T) {
	const concurrency = 3
	before := runtime.NumGoroutine()
	sc := newBulkScript(refundkit.PayerMax, ansSucceeded)
	for _, id := range []string{"R0", "R1", "R2"} {
		sc.block[id] = true // the workers hang until the end
	}
	sc.started = make(chan string, 16)
	runner := newBulk(t, []refundkit.Inquirer{sc}, bulk.WithConcurrency(concurrency))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var pulled, taken atomic.Int64 // read from the input; accepted by Run
	var pulledAtCancel int64
	items := func(yield func(bulk.Item) bool) {
		for it := range bulkItems(refundkit.PayerMax, 1000, &pulled) {
			if !yield(it) {
				return
			}
			taken.Add(1)
		}
	}
	go func() {
		for range concurrency {
			<-sc.started
		}
		// Give the feeder every chance to fill its read-ahead.
		for taken.Load() < 2*concurrency {
			runtime.Gosched()
		}
		pulledAtCancel = pulled.Load()
		cancel()
	}()

	outs := map[string]bulk.Outcome{}
	for out := range runner.Run(ctx, items) {
		_, dup := outs[out.Item.Query.RefundID]
		require.False(t, dup, "%s yielded twice", out.Item.Query.RefundID)
		outs[out.Item.Query.RefundID] = out
	}
	requireGoroutinesBack(t, before)
	assert.EqualValues(t, taken.Load(), len(outs), "every item Run accepted yields one outcome")
	assert.LessOrEqual(t, pulled.Load(), pulledAtCancel+2, "at most one more item taken after the end, and one refused")
	notAsked := 0
	for id, out := range outs {
		switch id {
		case "R0", "R1", "R2":
			require.ErrorIs(t, out.Err, context.Canceled, id)
			assert.Equal(t, 1, out.Inquiries, id)
		default:
			notAsked++
			require.ErrorIs(t, out.Err, refundkit.ErrTemporary, id)
			require.ErrorIs(t, out.Err, context.Canceled, id)
			assert.ErrorContains(t, out.Err, "not asked: the run ended first", id)
			assert.Zero(t, out.Inquiries, id)
		}
	}
	assert.GreaterOrEqual(t, notAsked, concurrency, "the read-ahead was reported, not dropped")
	assert.EqualValues(t, concurrency, sc.total.Load(), "nothing read ahead was asked about")
}
