package notify_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/simulator"
)

// printResult is the user's function in the examples: it receives each
// verified notification once, in the shared vocabulary.
func printResult(_ context.Context, n notify.Notification) error {
	r := n.Result
	fmt.Println(n.Provider, r.Status, r.ProviderStatus, r.Amount, "verified:", r.Verified, "source:", r.Source)
	return nil // an error here leaves the notification unacknowledged: the provider retries
}

// push makes a simulator of provider p push refund to url, twice (a
// duplicate), and waits until it has.
func push(p refundkit.Provider, keys *simulator.Keys, url string, refund simulator.Refund) {
	sim, err := simulator.New(simulator.DemoConfig(keys, nil)[p])
	if err != nil {
		log.Fatal(err)
	}
	if err := sim.SetPush(simulator.PushConfig{URL: url}); err != nil {
		log.Fatal(err)
	}
	sim.SetPushFault(simulator.PushDuplicate)
	if err := sim.Seed(refund); err != nil {
		log.Fatal(err)
	}
	if err := sim.WaitPush(context.Background()); err != nil {
		log.Fatal(err)
	}
}

// A PayerMax endpoint: the handler verifies the sign header over the exact
// body with PayerMax's key, checks the app, and acknowledges with
// {"code":"SUCCESS","msg":"Success"} once printResult returned nil. The
// simulator sends the notification twice; it is delivered once.
func ExampleNew_payerMax() {
	keys, err := simulator.GenerateKeys() // throwaway keys: yours come from PayerMax's portal
	if err != nil {
		log.Fatal(err)
	}
	cfg := inquiry.PayerMaxConfig{AppID: simulator.DemoPayerMaxAppID, MerchantNo: simulator.DemoPayerMaxMerchantNo,
		PrivateKey: keys.Merchant.Private, PublicKey: keys.Platform.Public} // the inquiry client's config
	h, err := notify.New(cfg, printResult)
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(h) // in production: http.Handle("/notify/payermax", h)
	defer srv.Close()

	push(refundkit.PayerMax, keys, srv.URL+"/notify/payermax", simulator.Refund{RefundID: "R1", ProviderRefundID: "T1",
		Status: "REFUND_SUCCESS", Amount: "12345678901234.5678", Currency: "USD"})
	// Output: payermax succeeded REFUND_SUCCESS 12345678901234.5678 USD verified: true source: notification
}

// A NewPay v1 endpoint: sign in the body is verified over the canonical
// string of the exact bytes, and the answer is {"transResult":"SUCCESS"}.
func ExampleNew_newPay() {
	keys, err := simulator.GenerateKeys()
	if err != nil {
		log.Fatal(err)
	}
	cfg := inquiry.NewPayConfig{AppID: simulator.DemoNewPayAppID, MerchantID: simulator.DemoNewPayMerchantID,
		PrivateKey: keys.Merchant.Private, PublicKey: keys.Platform.Public}
	h, err := notify.New(cfg, printResult)
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	push(refundkit.NewPay, keys, srv.URL+"/notify/newpay", simulator.Refund{RefundID: "RFD1", Status: "0",
		Amount: "50000", Currency: "LAK", Message: "refund rejected"})
	// Output: newpay failed 0 50000 LAK verified: true source: notification
}

// An AlphaPay endpoint: the Signature header is verified over
// "POST <path>\n<Merchant-Code>.<Request-Time>.<Nonce>.<body>", the amount
// converted from minor units. AlphaPay pushes once, without retries, so
// keep polling with Inquire too.
func ExampleNew_alphaPay() {
	keys, err := simulator.GenerateKeys()
	if err != nil {
		log.Fatal(err)
	}
	cfg := inquiry.AlphaPayConfig{MerchantCode: simulator.DemoAlphaPayMerchant,
		PrivateKey: keys.Merchant.Private, PublicKey: keys.Platform.Public}
	h, err := notify.New(cfg, printResult)
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	push(refundkit.AlphaPay, keys, srv.URL+"/notify/alphapay", simulator.Refund{RefundID: "7b46758a", RefundRequestID: "RR-1",
		Status: "SUCCESS", Amount: "100", Currency: "CAD"})
	// Output: alphapay succeeded SUCCESS 1.00 CAD verified: true source: notification
}
