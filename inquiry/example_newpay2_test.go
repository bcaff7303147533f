package inquiry_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

func ExampleClient_Inquire_newPay2() {
	merchant, err := sign.ReadPrivateKeyFile("../sign/testdata/merchant-private.pem")
	if err != nil {
		log.Fatal(err)
	}
	platform, err := sign.ReadPrivateKeyFile("../sign/testdata/platform-private.pem")
	if err != nil {
		log.Fatal(err)
	}
	// A stand-in for https://prod-openapi-v2.newpay.la: the v2 simulator.
	sim, err := simulator.New(simulator.NewPay2Config{AppID: "app-1", MchID: "mch-1",
		MerchantKey: merchant.Public(), PlatformKey: platform})
	if err != nil {
		log.Fatal(err)
	}
	if err := sim.Seed(simulator.Refund{RefundID: "R-1", ProviderRefundID: "NP-1", Status: "PROCESSING",
		Amount: "50000", Currency: "LAK"}); err != nil {
		log.Fatal(err)
	}
	newpay := httptest.NewServer(sim)
	defer newpay.Close()

	client, err := inquiry.New(inquiry.NewPay2Config{
		AppID:      "app-1",
		MchID:      "mch-1",
		PrivateKey: merchant,          // signs each request
		PublicKey:  platform.Public(), // verifies data.sign in each answer
	}, inquiry.WithBaseURL(newpay.URL))
	if err != nil {
		log.Fatal(err)
	}
	// By the merchant's refund number (mchRefundNo), or NewPay's
	// (ProviderRefundID, newpayRefundNo), or both.
	res, err := client.Inquire(context.Background(), refundkit.Query{RefundID: "R-1"})
	if err != nil {
		fmt.Println("no answer:", err)
		return
	}
	fmt.Println(res.Status, res.ProviderStatus, res.Amount, "verified:", res.Verified)
	// Output: pending PROCESSING 50000 LAK verified: true
}
