package bulk_test

import (
	"context"
	"fmt"
	"iter"
	"math"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
	for name, opts := range map[string][]bulk.Option{
		"polling":         {bulk.WithPollUntilFinal(bulk.PollPolicy{})},
		"without polling": nil,
	} {
		t.Run(name, func(t *testing.T) {
			runner := newBulk(t, []refundkit.Inquirer{broken}, opts...)
			var outs []bulk.Outcome
			for out := range runner.Run(t.Context(), bulkItems(refundkit.PayerMax, 1, nil)) {
				outs = append(outs, out)
			}
			require.Len(t, outs, 1)
			require.ErrorIs(t, outs[0].Err, refundkit.ErrInvalidResponse)
			assert.Nil(t, outs[0].Result)
			assert.Equal(t, 1, outs[0].Inquiries)
		})
	}
}
