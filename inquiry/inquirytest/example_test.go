package inquirytest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/inquiry/inquirytest"
	"github.com/refundkit/refundkit/simulator"
)

// Two simulated providers, each seeded with one refund, and a client for
// each, ready to ask: what a test of reconciliation code starts with.
func ExampleStart() {
	env, err := inquirytest.Start(inquirytest.Options{
		Providers: []refundkit.Provider{refundkit.PayerMax, refundkit.ZaloPay},
		Refunds: map[refundkit.Provider][]simulator.Refund{
			refundkit.PayerMax: {{RefundID: "R1", ProviderRefundID: "T1", Status: "REFUND_SUCCESS", Amount: "10.50", Currency: "USD"}},
			refundkit.ZaloPay:  {{RefundID: "230407_2554_1", Status: "3", SubStatus: "3"}},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer env.Close()
	ctx := context.Background()

	res, err := env.Client(refundkit.PayerMax).Inquire(ctx, refundkit.Query{RefundID: "R1"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Provider, res.Status, res.Amount, "verified:", res.Verified)
	res, err = env.Client(refundkit.ZaloPay).Inquire(ctx, refundkit.Query{RefundID: "230407_2554_1"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Provider, res.Status, "verified:", res.Verified) // ZaloPay signs nothing
	// Output:
	// payermax succeeded 10.50 USD verified: true
	// zalopay pending verified: false
}

// The simulator behind a client misbehaves on demand: here every NewPay
// answer is forged, and the client, trying once, reports a signature error.
func ExampleEnv_Simulator() {
	env, err := inquirytest.Start(inquirytest.Options{
		Providers:     []refundkit.Provider{refundkit.NewPay},
		ClientOptions: []inquiry.Option{inquiry.WithRetry(inquiry.NoRetry())},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer env.Close()
	env.Simulator(refundkit.NewPay).Faults().Always(simulator.FaultBadSignature)

	_, err = env.Client(refundkit.NewPay).Inquire(context.Background(), refundkit.Query{RefundID: "demo-newpay-succeeded"})
	fmt.Println(refundkit.CategoryOf(err))
	// Output:
	// signature
}
