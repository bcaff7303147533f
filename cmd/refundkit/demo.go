package main

import (
	"context"
	"fmt"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/wrapper"
)

const demoDetails = `
Starts the four simulated providers in this process, on 127.0.0.1, with
fresh throwaway keys; seeds each with refunds in every status it can express,
one it never documented included; and asks about every refund through the
SDK, over real HTTP with real signatures. Prints one table row per refund.
Needs no config file and no network beyond loopback.`

func runDemo(ctx context.Context, args []string, std stdio) int {
	f := newFlags("demo", "refundkit demo", demoDetails)
	if code, done := f.parse(args, std); done {
		return code
	}
	keys, err := simulator.GenerateKeys()
	if err != nil {
		return std.fail("demo", err)
	}
	cfg := simulator.DemoConfig(keys, nil)

	t := newTable(std.out)
	fmt.Fprint(t, tableHeader)
	asked, failed := 0, 0
	for _, p := range refundkit.Providers() {
		refunds := simulator.DemoRefunds(p)
		sim, err := simulator.New(p, cfg)
		if err == nil {
			err = sim.Seed(refunds...)
		}
		if err != nil {
			return std.fail("demo", err)
		}
		srv, err := serveSimulator(sim, "127.0.0.1:0")
		if err != nil {
			return std.fail("demo", err)
		}
		client, err := demoClient(p, keys, srv.url)
		if err != nil {
			_ = srv.shutdown(time.Second)
			return std.fail("demo", err)
		}
		for _, r := range refunds {
			a := answer{provider: string(p), refundID: r.RefundID}
			a.res, a.err = client.Inquire(ctx, refundkit.Query{RefundID: r.RefundID})
			tableRow(t, a)
			asked++
			if a.err != nil {
				failed++
			}
		}
		if err := srv.shutdown(time.Second); err != nil {
			return std.fail("demo", err)
		}
	}
	if err := t.Flush(); err != nil {
		return std.fail("demo", err)
	}
	if failed > 0 {
		return std.fail("demo", fmt.Errorf("%d of %d inquiries failed", failed, asked))
	}
	fmt.Fprintf(std.out, "\n%d refunds at %d simulated providers, asked over HTTP with real signatures.\n", asked, len(refundkit.Providers()))
	fmt.Fprint(std.out, "ZaloPay does not sign its answers, so its results are never verified.\n")
	fmt.Fprint(std.out, "Next: \"refundkit simulate\" serves the four for \"refundkit inquire\" and \"refundkit reconcile\".\n")
	return exitOK
}

// demoClient builds the SDK client for a demo simulator: the identities of
// simulator.DemoConfig, the merchant's private key to sign requests, the
// platform's public key to verify answers.
func demoClient(p refundkit.Provider, keys *simulator.Keys, baseURL string) (refundkit.Inquirer, error) {
	base := wrapper.WithBaseURL(baseURL)
	switch p {
	case refundkit.NewPay:
		return inquirer(wrapper.NewNewPay(wrapper.NewPayConfig{AppID: simulator.DemoNewPayAppID, MerchantID: simulator.DemoNewPayMerchantID,
			PrivateKey: keys.Merchant.Private, PublicKey: keys.Platform.Public}, base))
	case refundkit.PayerMax:
		return inquirer(wrapper.NewPayerMax(wrapper.PayerMaxConfig{AppID: simulator.DemoPayerMaxAppID, MerchantNo: simulator.DemoPayerMaxMerchantNo,
			PrivateKey: keys.Merchant.Private, PublicKey: keys.Platform.Public}, base))
	case refundkit.ZaloPay:
		return inquirer(wrapper.NewZaloPay(wrapper.ZaloPayConfig{AppID: simulator.DemoZaloPayAppID,
			Key1: sign.NewSecret(keys.Key1)}, base))
	case refundkit.AlphaPay:
		return inquirer(wrapper.NewAlphaPay(wrapper.AlphaPayConfig{MerchantCode: simulator.DemoAlphaPayMerchant,
			PrivateKey: keys.Merchant.Private, PublicKey: keys.Platform.Public}, base))
	}
	return nil, fmt.Errorf("no demo for provider %q", p)
}
