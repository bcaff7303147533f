package track_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry/inquirytest"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/track"
)

// Follow refunds to a final answer: add them, run until each is final or
// stopped, read one back with its history. Here the provider is a PayerMax
// simulator on loopback; in production the Inquirers are the clients of
// package inquiry.
func Example() {
	env, err := inquirytest.Start(inquirytest.Options{
		Providers: []refundkit.Provider{refundkit.PayerMax},
		Refunds: map[refundkit.Provider][]simulator.Refund{refundkit.PayerMax: {
			{RefundID: "R1", Status: "REFUND_SUCCESS", Amount: "10.50", Currency: "USD"},
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer env.Close()
	dir, err := os.MkdirTemp("", "track-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = os.RemoveAll(dir) }()

	ctx := context.Background()
	tr, err := track.Open(ctx, filepath.Join(dir, "refundkit.db"), track.Options{
		Inquirers: env.Clients(),
		Policy:    track.Policy{Ladder: []time.Duration{time.Second}}, // the default starts at 1m
		OnChange: func(_ context.Context, c track.Change) error {
			fmt.Printf("change: %s %s -> %s\n", c.Ref.RefundID, orDash(c.From), c.To)
			return nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = tr.Close() }()

	if _, err := tr.Add(ctx, track.Ref{Provider: refundkit.PayerMax, RefundID: "R1"}); err != nil {
		log.Fatal(err)
	}
	if err := tr.Run(ctx, track.RunOptions{}); err != nil {
		log.Fatal(err)
	}
	r, err := tr.Get(ctx, track.Ref{Provider: refundkit.PayerMax, RefundID: "R1"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.State(), r.Status, r.Amount, len(r.History), "observation")
	// Output:
	// change: R1 - -> succeeded
	// final succeeded 10.50 USD 1 observation
}

func orDash(s refundkit.Status) string {
	if s == "" {
		return "-"
	}
	return string(s)
}
