package bulk_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
)

// desk stands in for a provider client here: every refund it is asked about
// stays pending until its third inquiry. In real code, pass the clients
// built with inquiry.New.
type desk struct {
	provider refundkit.Provider
	mu       sync.Mutex
	asked    map[string]int
}

func (d *desk) Provider() refundkit.Provider { return d.provider }

func (d *desk) Inquire(_ context.Context, q refundkit.Query) (*refundkit.Result, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.asked[q.RefundID]++
	status := refundkit.StatusPending
	if d.asked[q.RefundID] >= 3 {
		status = refundkit.StatusSucceeded
	}
	return &refundkit.Result{Provider: d.provider, Status: status, MerchantRefundID: q.RefundID}, nil
}

func ExampleRunner_Run() {
	newpay := &desk{provider: refundkit.NewPay, asked: map[string]int{}}
	zalopay := &desk{provider: refundkit.ZaloPay, asked: map[string]int{}}
	runner, err := bulk.New([]refundkit.Inquirer{newpay, zalopay},
		bulk.WithConcurrency(4),
		bulk.WithPollUntilFinal(bulk.PollPolicy{InitialDelay: 10 * time.Millisecond, MaxAge: time.Minute}))
	if err != nil {
		fmt.Println(err)
		return
	}

	// Items can come from anywhere: a CSV reader, a database cursor. Tag
	// carries the caller's reference, here the input line number.
	items := []bulk.Item{
		{Provider: refundkit.NewPay, Query: refundkit.Query{RefundID: "NP-20240101-1"}, Tag: 2},
		{Provider: refundkit.ZaloPay, Query: refundkit.Query{RefundID: "220817_2553_1"}, Tag: 3},
		{Provider: "nopay", Query: refundkit.Query{RefundID: "X-1"}, Tag: 4},
	}
	var outcomes []bulk.Outcome
	for out := range runner.Run(context.Background(), slices.Values(items)) {
		outcomes = append(outcomes, out) // outcomes arrive as they finish
	}

	// Sorted by line for a stable printout.
	slices.SortFunc(outcomes, func(a, b bulk.Outcome) int { return cmp.Compare(a.Item.Tag, b.Item.Tag) })
	for _, out := range outcomes {
		if out.Err != nil {
			fmt.Printf("line %d: %s %s: error %s\n", out.Item.Tag, out.Item.Provider, out.Item.Query.RefundID, refundkit.CategoryOf(out.Err))
			continue
		}
		fmt.Printf("line %d: %s %s: %s after %d inquiries\n", out.Item.Tag, out.Item.Provider, out.Item.Query.RefundID, out.Result.Status, out.Inquiries)
	}
	// Output:
	// line 2: newpay NP-20240101-1: succeeded after 3 inquiries
	// line 3: zalopay 220817_2553_1: succeeded after 3 inquiries
	// line 4: nopay X-1: error invalid_request
}
