package main

import (
	"context"
	"fmt"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry/inquirytest"
	"github.com/refundkit/refundkit/simulator"
)

const demoDetails = `
Starts every simulated provider in this process, on 127.0.0.1, with
fresh throwaway keys; seeds each with refunds in every status it can express,
one it never documented included; and asks about every refund through the
SDK, over real HTTP with real signatures. Prints one table row per refund.
Then serves the notification handlers of package notify on 127.0.0.1 and
lets the PayerMax, NewPay and AlphaPay simulators push their final refunds
to them, and one forged notification each, and prints what was delivered.
Needs no config file and no network beyond loopback.`

func runDemo(ctx context.Context, args []string, std stdio) int {
	f := newFlags("demo", "refundkit demo", demoDetails)
	if code, done := f.parse(args, std); done {
		return code
	}
	env, err := inquirytest.Start(inquirytest.Options{})
	if err != nil {
		return std.fail("demo", err)
	}
	defer env.Close()

	t := newTable(std.out)
	fmt.Fprint(t, tableHeader)
	asked, failed := 0, 0
	for _, p := range env.Providers() {
		for _, r := range simulator.DemoRefunds(p) {
			a := answer{provider: string(p), refundID: r.RefundID}
			a.res, a.err = env.Client(p).Inquire(ctx, refundkit.Query{RefundID: r.RefundID})
			tableRow(t, a)
			asked++
			if a.err != nil {
				failed++
			}
		}
	}
	if err := t.Flush(); err != nil {
		return std.fail("demo", err)
	}
	if failed > 0 {
		return std.fail("demo", fmt.Errorf("%d of %d inquiries failed", failed, asked))
	}
	fmt.Fprintf(std.out, "\n%d refunds at %d simulated providers, asked over HTTP with real signatures.\n", asked, len(refundkit.Providers()))
	fmt.Fprint(std.out, helpText("{unsigned} does not sign its answers, so its results are never verified.\n"))
	if err := demoNotifications(ctx, env, std.out); err != nil {
		return std.fail("demo", err)
	}
	fmt.Fprint(std.out, "Next: \"refundkit simulate\" serves them all for \"refundkit inquire\" and \"refundkit reconcile\".\n")
	return exitOK
}
