package bulk_test

import (
	"context"
	"fmt"
	"iter"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
	"github.com/stretchr/testify/assert"
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

func TestNewBulk(t *testing.T) {
	np := newBulkScript(refundkit.NewPay, ansSucceeded)
	pm := newBulkScript(refundkit.PayerMax, ansSucceeded)
	poll := func(p bulk.PollPolicy) []bulk.Option {
		return []bulk.Option{bulk.WithPollUntilFinal(p)}
	}
	tests := []struct {
		name    string
		clients []refundkit.Inquirer
		opts    []bulk.Option
		wantErr string
	}{
		{name: "two providers", clients: []refundkit.Inquirer{np, pm}},
		{name: "defaults for a zero poll policy", clients: []refundkit.Inquirer{np}, opts: poll(bulk.PollPolicy{})},
		{name: "max waiting equal to the concurrency", clients: []refundkit.Inquirer{np},
			opts: append(poll(bulk.PollPolicy{MaxWaiting: 4}), bulk.WithConcurrency(4))},
		{name: "no clients", wantErr: "at least one client"},
		{name: "nil client", clients: []refundkit.Inquirer{np, nil}, wantErr: "client 1 is nil"},
		{name: "two clients for one provider", clients: []refundkit.Inquirer{np, pm, newBulkScript(refundkit.NewPay)}, wantErr: `two clients for provider "newpay"`},
		{name: "zero concurrency", clients: []refundkit.Inquirer{np}, opts: []bulk.Option{bulk.WithConcurrency(0)}, wantErr: "concurrency 0 is below 1"},
		{name: "negative concurrency", clients: []refundkit.Inquirer{np}, opts: []bulk.Option{bulk.WithConcurrency(-3)}, wantErr: "concurrency -3 is below 1"},
		{name: "negative initial delay", clients: []refundkit.Inquirer{np}, opts: poll(bulk.PollPolicy{InitialDelay: -time.Second}), wantErr: "negative"},
		{name: "negative max age", clients: []refundkit.Inquirer{np}, opts: poll(bulk.PollPolicy{MaxAge: -1}), wantErr: "negative"},
		{name: "negative max waiting", clients: []refundkit.Inquirer{np}, opts: poll(bulk.PollPolicy{MaxWaiting: -1}), wantErr: "negative"},
		{name: "shrinking factor", clients: []refundkit.Inquirer{np}, opts: poll(bulk.PollPolicy{Factor: 0.5}), wantErr: "factor 0.5 is not at least 1"},
		{name: "NaN factor", clients: []refundkit.Inquirer{np}, opts: poll(bulk.PollPolicy{Factor: math.NaN()}), wantErr: "factor NaN"},
		{name: "max delay below initial delay", clients: []refundkit.Inquirer{np},
			opts: poll(bulk.PollPolicy{InitialDelay: time.Minute, MaxDelay: time.Second}), wantErr: "max delay 1s is below the initial delay 1m0s"},
		{name: "max waiting below the concurrency", clients: []refundkit.Inquirer{np},
			opts: append(poll(bulk.PollPolicy{MaxWaiting: 3}), bulk.WithConcurrency(4)), wantErr: "max waiting 3 is below the concurrency 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := bulk.New(tt.clients, tt.opts...)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				assert.Regexp(t, "^bulk: ", err.Error())
				assert.Nil(t, b)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, b)
		})
	}
}

func TestBulkEveryItemYieldsOneOutcome(t *testing.T) {
	// Refund ids choose the answer: R0 succeeded, R1 failed, R2 unknown,
	// R3 not found, R4 pending (reported as is: no polling here).
	answers := []bulkAnswer{ansSucceeded, ansFailed, ansUnknown, ansNotFound, ansPending}
	script := func(p refundkit.Provider) *bulkScript {
		s := newBulkScript(p)
		for i := range 600 {
			s.scripts[fmt.Sprintf("R%d", i)] = []bulkAnswer{answers[i%len(answers)]}
		}
		return s
	}
	for _, concurrency := range []int{1, 4, 64} {
		t.Run(fmt.Sprintf("concurrency=%d", concurrency), func(t *testing.T) {
			np, zp := script(refundkit.NewPay), script(refundkit.ZaloPay)
			runner := newBulk(t, []refundkit.Inquirer{np, zp}, bulk.WithConcurrency(concurrency))
			providers := []refundkit.Provider{refundkit.NewPay, refundkit.ZaloPay}
			var items []bulk.Item
			for i := range 600 {
				items = append(items, bulk.Item{Provider: providers[i%2], Query: refundkit.Query{RefundID: fmt.Sprintf("R%d", i)}, Tag: int64(1000 + i)})
			}

			seen := map[int64]int{}
			for out := range runner.Run(t.Context(), slices.Values(items)) {
				seen[out.Item.Tag]++
				i := int(out.Item.Tag - 1000)
				require.True(t, i >= 0 && i < len(items), "tag %d", out.Item.Tag)
				require.Equal(t, items[i], out.Item)
				assert.Equal(t, 1, out.Inquiries)
				want := answers[i%len(answers)]
				if want.err != nil {
					require.ErrorIs(t, out.Err, refundkit.ErrNotFound)
					assert.Nil(t, out.Result)
					continue
				}
				require.NoError(t, out.Err)
				assert.Equal(t, want.status, out.Result.Status)
				assert.Equal(t, out.Item.Provider, out.Result.Provider)
				assert.Equal(t, out.Item.Query.RefundID, out.Result.MerchantRefundID)
			}
			require.Len(t, seen, len(items))
			for tag, n := range seen {
				require.Equal(t, 1, n, "tag %d yielded %d times", tag, n)
			}
			assert.EqualValues(t, 300, np.total.Load())
			assert.EqualValues(t, 300, zp.total.Load())
		})
	}
}

func TestBulkNoItems(t *testing.T) {
	runner := newBulk(t, []refundkit.Inquirer{newBulkScript(refundkit.NewPay, ansSucceeded)})
	for name, items := range map[string]iter.Seq[bulk.Item]{"nil": nil, "empty": slices.Values([]bulk.Item{})} {
		t.Run(name, func(t *testing.T) {
			for out := range runner.Run(t.Context(), items) {
				t.Fatalf("unexpected outcome %+v", out)
			}
		})
	}
}

func TestBulkConcurrencyLimit(t *testing.T) {
	const items, latency = 200, 10 * time.Millisecond
	for _, limit := range []int{1, 3, 8, 50} {
		t.Run(fmt.Sprintf("limit=%d", limit), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := newBulkScript(refundkit.PayerMax, ansSucceeded)
				s.latency = latency
				runner := newBulk(t, []refundkit.Inquirer{s}, bulk.WithConcurrency(limit))
				start := time.Now()
				n := 0
				for out := range runner.Run(t.Context(), bulkItems(refundkit.PayerMax, items, nil)) {
					require.NoError(t, out.Err)
					n++
				}
				assert.Equal(t, items, n)
				assert.EqualValues(t, limit, s.maxInflight.Load(), "the limit is reached and never passed")
				// Fake time makes the schedule exact: full batches of limit
				// inquiries, back to back.
				batches := (items + limit - 1) / limit
				assert.Equal(t, time.Duration(batches)*latency, time.Since(start))
			})
		})
	}
}

func TestBulkPollUntilFinal(t *testing.T) {
	policy := bulk.PollPolicy{InitialDelay: time.Second, Factor: 2, MaxDelay: 3 * time.Second, MaxAge: time.Hour}
	s := time.Second
	tests := []struct {
		name          string
		poll          bool
		script        []bulkAnswer
		wantStatus    refundkit.Status
		wantErr       error
		wantInquiries int
		wantAt        []time.Duration // when each inquiry began
	}{
		{name: "pending twice then succeeded", poll: true, script: []bulkAnswer{ansPending, ansPending, ansSucceeded},
			wantStatus: refundkit.StatusSucceeded, wantInquiries: 3, wantAt: []time.Duration{0, 1 * s, 3 * s}},
		{name: "pending four times then failed, delays capped", poll: true, script: []bulkAnswer{ansPending, ansPending, ansPending, ansPending, ansFailed},
			wantStatus: refundkit.StatusFailed, wantInquiries: 5, wantAt: []time.Duration{0, 1 * s, 3 * s, 6 * s, 9 * s}},
		{name: "unknown after pending is reported, not polled", poll: true, script: []bulkAnswer{ansPending, ansUnknown, ansSucceeded},
			wantStatus: refundkit.StatusUnknown, wantInquiries: 2, wantAt: []time.Duration{0, 1 * s}},
		{name: "error after pending is reported, not polled", poll: true, script: []bulkAnswer{ansPending, ansTemporary, ansSucceeded},
			wantErr: refundkit.ErrTemporary, wantInquiries: 2, wantAt: []time.Duration{0, 1 * s}},
		{name: "unknown at once is not polled", poll: true, script: []bulkAnswer{ansUnknown, ansSucceeded},
			wantStatus: refundkit.StatusUnknown, wantInquiries: 1, wantAt: []time.Duration{0}},
		{name: "error at once is not polled", poll: true, script: []bulkAnswer{ansNotFound, ansSucceeded},
			wantErr: refundkit.ErrNotFound, wantInquiries: 1, wantAt: []time.Duration{0}},
		{name: "without polling pending is reported at once", script: []bulkAnswer{ansPending, ansSucceeded},
			wantStatus: refundkit.StatusPending, wantInquiries: 1, wantAt: []time.Duration{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				sc := newBulkScript(refundkit.AlphaPay, ansSucceeded)
				sc.scripts["R0"] = tt.script
				var opts []bulk.Option
				if tt.poll {
					opts = append(opts, bulk.WithPollUntilFinal(policy))
				}
				runner := newBulk(t, []refundkit.Inquirer{sc}, opts...)
				start := time.Now()
				// R1 and R2 succeed at once alongside R0: polling one item
				// does not hold up the others.
				var outs []bulk.Outcome
				var finished []time.Duration
				for out := range runner.Run(t.Context(), bulkItems(refundkit.AlphaPay, 3, nil)) {
					outs = append(outs, out)
					finished = append(finished, time.Since(start))
				}
				require.Len(t, outs, 3)
				i := slices.IndexFunc(outs, func(o bulk.Outcome) bool { return o.Item.Query.RefundID == "R0" })
				require.GreaterOrEqual(t, i, 0)
				out := outs[i]
				assert.Equal(t, tt.wantInquiries, out.Inquiries)
				assert.Equal(t, tt.wantAt, sc.offsets("R0", start))
				assert.Equal(t, tt.wantAt[len(tt.wantAt)-1], finished[i], "reported as soon as final")
				if tt.wantErr != nil {
					require.ErrorIs(t, out.Err, tt.wantErr)
					assert.Nil(t, out.Result)
				} else {
					require.NoError(t, out.Err)
					assert.Equal(t, tt.wantStatus, out.Result.Status)
					assert.Equal(t, fmt.Sprintf("answer %d", tt.wantInquiries), out.Result.ProviderMessage, "the last answer")
				}
				for j, o := range outs {
					if j != i {
						require.NoError(t, o.Err)
						assert.Equal(t, refundkit.StatusSucceeded, o.Result.Status)
						assert.Equal(t, time.Duration(0), finished[j])
					}
				}
			})
		})
	}
}

func TestBulkPollSchedule(t *testing.T) {
	// Items whose inquiries take different times fall due for their polls
	// out of the order they started in; each must still be polled exactly
	// on its own schedule.
	synctest.Test(t, func(t *testing.T) {
		policy := bulk.PollPolicy{InitialDelay: time.Second, Factor: 2, MaxDelay: 20 * time.Second, MaxAge: time.Hour}
		sc := newBulkScript(refundkit.PayerMax)
		const n = 24
		want := map[string][]time.Duration{}
		for i := range n {
			id := fmt.Sprintf("R%d", i)
			pending := 1 + (i*7)%6                                       // 1..6 pending answers
			latency := time.Duration(1+(i*5)%9) * 300 * time.Millisecond // 0.3s..2.7s each
			sc.scripts[id] = append(slices.Repeat([]bulkAnswer{ansPending}, pending), ansSucceeded)
			sc.latencies[id] = latency
			at := time.Duration(0)
			for k := 0; k <= pending; k++ {
				want[id] = append(want[id], at)
				at += latency + min(policy.InitialDelay<<k, policy.MaxDelay)
			}
		}
		runner := newBulk(t, []refundkit.Inquirer{sc}, bulk.WithConcurrency(n), bulk.WithPollUntilFinal(policy))
		start := time.Now()
		got := 0
		for out := range runner.Run(t.Context(), bulkItems(refundkit.PayerMax, n, nil)) {
			require.NoError(t, out.Err)
			require.Equal(t, refundkit.StatusSucceeded, out.Result.Status)
			got++
		}
		require.Equal(t, n, got)
		for id, at := range want {
			assert.Equal(t, at, sc.offsets(id, start), id)
		}
	})
}

func TestBulkPollLimits(t *testing.T) {
	// Always pending. Polls are due at 0, 1s, 3s, 7s, 15s, ...
	tests := []struct {
		name          string
		maxAge        time.Duration
		ctxTimeout    time.Duration
		wantInquiries int
		wantAt        time.Duration // when the last pending result is reported
	}{
		{name: "max age", maxAge: 10 * time.Second, wantInquiries: 4, wantAt: 7 * time.Second},
		{name: "max age on a poll", maxAge: 7 * time.Second, wantInquiries: 4, wantAt: 7 * time.Second},
		{name: "context deadline before max age", maxAge: time.Hour, ctxTimeout: 5 * time.Second, wantInquiries: 3, wantAt: 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				sc := newBulkScript(refundkit.ZaloPay, ansPending)
				runner := newBulk(t, []refundkit.Inquirer{sc},
					bulk.WithPollUntilFinal(bulk.PollPolicy{InitialDelay: time.Second, Factor: 2, MaxDelay: time.Hour, MaxAge: tt.maxAge}))
				ctx := t.Context()
				if tt.ctxTimeout > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.ctxTimeout)
					defer cancel()
				}
				start := time.Now()
				var outs []bulk.Outcome
				for out := range runner.Run(ctx, bulkItems(refundkit.ZaloPay, 1, nil)) {
					outs = append(outs, out)
					assert.Equal(t, tt.wantAt, time.Since(start), "reported at once, not at the limit")
				}
				require.Len(t, outs, 1)
				require.NoError(t, outs[0].Err)
				assert.Equal(t, refundkit.StatusPending, outs[0].Result.Status)
				assert.Equal(t, tt.wantInquiries, outs[0].Inquiries)
				assert.Equal(t, fmt.Sprintf("answer %d", tt.wantInquiries), outs[0].Result.ProviderMessage, "the last pending result")
			})
		})
	}
}

func TestBulkUnknownProvider(t *testing.T) {
	sc := newBulkScript(refundkit.NewPay, ansSucceeded)
	runner := newBulk(t, []refundkit.Inquirer{sc})
	items := []bulk.Item{
		{Provider: refundkit.NewPay, Query: refundkit.Query{RefundID: "A"}, Tag: 1},
		{Provider: "nopay", Query: refundkit.Query{RefundID: "B"}, Tag: 2},
		{Provider: refundkit.PayerMax, Query: refundkit.Query{RefundID: "C"}, Tag: 3}, // valid, but no client
		{Provider: "", Query: refundkit.Query{RefundID: "D"}, Tag: 4},
		{Provider: refundkit.NewPay, Query: refundkit.Query{RefundID: "E"}, Tag: 5},
	}
	outs := map[int64]bulk.Outcome{}
	for out := range runner.Run(t.Context(), slices.Values(items)) {
		outs[out.Item.Tag] = out
	}
	require.Len(t, outs, len(items), "the run goes on past a bad item")
	for _, it := range items {
		out := outs[it.Tag]
		t.Run(fmt.Sprintf("%d %q", it.Tag, it.Provider), func(t *testing.T) {
			if it.Provider == refundkit.NewPay {
				require.NoError(t, out.Err)
				assert.Equal(t, refundkit.StatusSucceeded, out.Result.Status)
				return
			}
			require.ErrorIs(t, out.Err, refundkit.ErrInvalidRequest)
			var e *refundkit.Error
			require.ErrorAs(t, out.Err, &e)
			assert.Equal(t, refundkit.CategoryInvalidRequest, e.Category)
			assert.Equal(t, it.Provider, e.Provider)
			assert.ErrorContains(t, out.Err, fmt.Sprintf("no client for provider %q", it.Provider))
			assert.Nil(t, out.Result)
			assert.Zero(t, out.Inquiries)
		})
	}
	assert.EqualValues(t, 2, sc.total.Load())
}

func TestBulkNeitherResultNorError(t *testing.T) {
	broken := bulkFunc{provider: refundkit.PayerMax, inquire: func(context.Context, refundkit.Query) (*refundkit.Result, error) { return nil, nil }}
	runner := newBulk(t, []refundkit.Inquirer{broken}, bulk.WithPollUntilFinal(bulk.PollPolicy{}))
	var outs []bulk.Outcome
	for out := range runner.Run(t.Context(), bulkItems(refundkit.PayerMax, 1, nil)) {
		outs = append(outs, out)
	}
	require.Len(t, outs, 1)
	require.ErrorIs(t, outs[0].Err, refundkit.ErrInvalidResponse)
	assert.Equal(t, 1, outs[0].Inquiries)
}

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
			assert.LessOrEqual(t, pulled.Load(), int64(tt.breakAfter+tt.concurrency+1), "no more input after the break")
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
