package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/wrapper/wrappertest"
)

// demoPushScale compresses the providers' retry schedules in the demo.
const demoPushScale = 1e6

// demoNotifications serves the real notification handlers on loopback,
// points each pushing simulator of env at them, lets them push every final
// refund and then one forged notification each, and prints what arrived.
func demoNotifications(ctx context.Context, env *wrappertest.Env, out io.Writer) error {
	var mu sync.Mutex
	var got []notify.Notification
	deliver := func(_ context.Context, n notify.Notification) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, n)
		return nil
	}
	mux := http.NewServeMux()
	var pushing []refundkit.Provider
	for _, p := range env.Providers() {
		h, err := demoHandler(p, env.Keys, deliver)
		if err != nil {
			return err
		}
		if h != nil {
			mux.Handle(notifyPath(p), h)
			pushing = append(pushing, p)
		}
	}
	srv, err := serveSimulator(mux, "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer func() { _ = srv.shutdown(simulatorGrace) }()

	forged := 0
	for _, p := range pushing {
		sim := env.Simulator(p)
		if err := sim.SetPush(simulator.PushConfig{URL: srv.url + notifyPath(p), TimeScale: demoPushScale}); err != nil {
			return err
		}
		if err := waitPush(ctx, sim); err != nil {
			return err
		}
		sim.SetPushFault(simulator.PushBadSignature)
		forgedRefund := simulator.DemoRefunds(p)[0]
		forgedRefund.RefundID += "-forged"
		if err := sim.Seed(forgedRefund); err != nil {
			return err
		}
		if err := waitPush(ctx, sim); err != nil {
			return err
		}
		for _, a := range sim.PushLog() {
			if a.RefundID == forgedRefund.RefundID && a.HTTP == http.StatusUnauthorized {
				forged++
			}
		}
		sim.StopPush()
	}

	mu.Lock()
	defer mu.Unlock()
	slices.SortFunc(got, func(a, b notify.Notification) int {
		return strings.Compare(string(a.Provider)+" "+a.Key, string(b.Provider)+" "+b.Key)
	})
	fmt.Fprintf(out, "\nNotifications the simulators pushed to %s/notify/<provider>, verified and delivered once:\n\n", srv.url)
	t := newTable(out)
	fmt.Fprint(t, "PROVIDER\tREFUND ID\tSTATUS\tPROVIDER STATUS\tAMOUNT\tVERIFIED\tSOURCE\n")
	for _, n := range got {
		r := n.Result
		fmt.Fprintf(t, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", n.Provider, printable(inquiryRefundID(r)), r.Status,
			printable(orDash(r.ProviderStatus)), amountText(r.Amount), yesNo(r.Verified), r.Source)
	}
	if err := t.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%d notifications delivered; %d forged attempts (bad signature, retried on each provider's schedule) refused with HTTP 401, none delivered.\n", len(got), forged)
	fmt.Fprint(out, "ZaloPay has no refund callback: poll it with inquire.\n")
	return nil
}

// demoHandler is provider p's notification handler for a demo simulator,
// with the demo identities and keys; nil for a provider that does not push.
func demoHandler(p refundkit.Provider, keys *simulator.Keys, deliver notify.DeliverFunc) (*notify.Handler, error) {
	d, err := providers.Lookup(p)
	if err != nil || d.DemoNotify == nil {
		return nil, err
	}
	return d.DemoNotify(keys, deliver)
}

func waitPush(ctx context.Context, sim *simulator.Simulator) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return sim.WaitPush(ctx)
}
