package bulk_test

import (
	"context"
	"fmt"
	"iter"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
	"github.com/stretchr/testify/require"
)

// bulkAnswer is one scripted answer: a status, or an error.
type bulkAnswer struct {
	status refundkit.Status
	err    error
}

var (
	ansPending   = bulkAnswer{status: refundkit.StatusPending}
	ansSucceeded = bulkAnswer{status: refundkit.StatusSucceeded}
	ansFailed    = bulkAnswer{status: refundkit.StatusFailed}
	ansUnknown   = bulkAnswer{status: refundkit.StatusUnknown}
	ansNotFound  = bulkAnswer{err: &refundkit.Error{Provider: refundkit.NewPay, Op: "inquire", Category: refundkit.CategoryNotFound}}
	ansTemporary = bulkAnswer{err: &refundkit.Error{Provider: refundkit.NewPay, Op: "inquire", Category: refundkit.CategoryTemporary}}
)

// bulkScript is a test Inquirer that answers from a script: the n-th
// inquiry about a refund id gets the n-th answer in its script, the last
// answer repeating. It records when each inquiry began and how many were in
// flight at once. Bulk only schedules, so a scripted Inquirer is the right
// thing to test it against; the real clients are tested over HTTP.
type bulkScript struct {
	provider  refundkit.Provider
	scripts   map[string][]bulkAnswer  // by refund id
	fallback  []bulkAnswer             // for ids without a script
	latency   time.Duration            // how long each inquiry takes
	latencies map[string]time.Duration // by refund id, instead of latency
	block     map[string]bool          // ids whose inquiry waits for ctx to end
	started   chan string              // if set, gets each id as its inquiry begins

	mu    sync.Mutex
	calls map[string][]time.Time

	inflight, maxInflight, total atomic.Int64
}

func newBulkScript(p refundkit.Provider, fallback ...bulkAnswer) *bulkScript {
	return &bulkScript{provider: p, scripts: map[string][]bulkAnswer{}, fallback: fallback, block: map[string]bool{},
		latencies: map[string]time.Duration{}, calls: map[string][]time.Time{}}
}

func (s *bulkScript) Provider() refundkit.Provider { return s.provider }

func (s *bulkScript) Inquire(ctx context.Context, q refundkit.Query) (*refundkit.Result, error) {
	n := s.inflight.Add(1)
	defer s.inflight.Add(-1)
	storeMax(&s.maxInflight, n)
	s.total.Add(1)
	s.mu.Lock()
	s.calls[q.RefundID] = append(s.calls[q.RefundID], time.Now())
	k := len(s.calls[q.RefundID])
	script, blocks := s.scripts[q.RefundID], s.block[q.RefundID]
	latency, ok := s.latencies[q.RefundID]
	if !ok {
		latency = s.latency
	}
	s.mu.Unlock()
	if s.started != nil {
		s.started <- q.RefundID
	}
	if blocks {
		<-ctx.Done()
		return nil, &refundkit.Error{Provider: s.provider, Op: "inquire", Category: refundkit.CategoryTemporary, Err: context.Cause(ctx)}
	}
	if latency > 0 {
		t := time.NewTimer(latency)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return nil, &refundkit.Error{Provider: s.provider, Op: "inquire", Category: refundkit.CategoryTemporary, Err: context.Cause(ctx)}
		case <-t.C:
		}
	}
	if script == nil {
		script = s.fallback
	}
	a := script[min(k, len(script))-1]
	if a.err != nil {
		return nil, a.err
	}
	return &refundkit.Result{Provider: s.provider, Status: a.status, ProviderStatus: string(a.status),
		MerchantRefundID: q.RefundID, ProviderMessage: fmt.Sprintf("answer %d", k)}, nil
}

// offsets returns when each inquiry about id began, relative to start.
func (s *bulkScript) offsets(id string, start time.Time) []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []time.Duration
	for _, t := range s.calls[id] {
		out = append(out, t.Sub(start))
	}
	return out
}

func storeMax(m *atomic.Int64, v int64) {
	for {
		old := m.Load()
		if v <= old || m.CompareAndSwap(old, v) {
			return
		}
	}
}

// bulkFunc is an Inquirer made of a function.
type bulkFunc struct {
	provider refundkit.Provider
	inquire  func(context.Context, refundkit.Query) (*refundkit.Result, error)
}

func (f bulkFunc) Provider() refundkit.Provider { return f.provider }

func (f bulkFunc) Inquire(ctx context.Context, q refundkit.Query) (*refundkit.Result, error) {
	return f.inquire(ctx, q)
}

// bulkItems yields n items for provider p with refund ids R0..R<n-1> and
// tags 0..n-1, counting into pulled (if not nil) as they are taken.
func bulkItems(p refundkit.Provider, n int, pulled *atomic.Int64) iter.Seq[bulk.Item] {
	return func(yield func(bulk.Item) bool) {
		for i := range n {
			if pulled != nil {
				pulled.Add(1)
			}
			if !yield(bulk.Item{Provider: p, Query: refundkit.Query{RefundID: fmt.Sprintf("R%d", i)}, Tag: int64(i)}) {
				return
			}
		}
	}
}

func newBulk(t testing.TB, clients []refundkit.Inquirer, opts ...bulk.Option) *bulk.Runner {
	t.Helper()
	b, err := bulk.New(clients, opts...)
	require.NoError(t, err)
	return b
}

// requireGoroutinesBack waits briefly for the goroutine count to fall back
// to before, and fails if it does not.
func requireGoroutinesBack(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	require.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left behind")
}
