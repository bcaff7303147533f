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
	"github.com/refundkit/refundkit/inquiry/inquirytest"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/simulator"
)

// demoPushScale compresses the providers' retry schedules in the demo.
const demoPushScale = 1e6

// demoNotifications serves the real notification handlers on loopback,
// points each pushing simulator of env at them, lets them push every final
// refund and then one forged notification each, and prints what arrived.
func demoNotifications(ctx context.Context, env *inquirytest.Env, out io.Writer) error {
	var inbox demoInbox
	mux, pushing, err := demoHandlers(env, inbox.deliver)
	if err != nil {
		return err
	}
	srv, err := serveSimulator(mux, "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer func() { _ = srv.shutdown(simulatorGrace) }()

	forged := 0
	for _, p := range pushing {
		n, err := demoPush(ctx, env.Simulator(p), srv.url+notifyPath(p), p)
		if err != nil {
			return err
		}
		forged += n
	}
	return printNotifications(out, srv.url, inbox.sorted(), forged)
}

// demoInbox collects the notifications the demo's handlers deliver.
type demoInbox struct {
	mu  sync.Mutex
	got []notify.Notification
}

// deliver is the handlers' DeliverFunc: it keeps n.
func (b *demoInbox) deliver(_ context.Context, n notify.Notification) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.got = append(b.got, n)
	return nil
}

// sorted returns what arrived, by provider and key.
func (b *demoInbox) sorted() []notify.Notification {
	b.mu.Lock()
	defer b.mu.Unlock()
	got := slices.Clone(b.got)
	slices.SortFunc(got, func(a, b notify.Notification) int {
		return strings.Compare(string(a.Provider)+" "+a.Key, string(b.Provider)+" "+b.Key)
	})
	return got
}

// demoHandlers returns a mux with the notification handler of each provider
// of env that pushes, at its notifyPath, and those providers.
func demoHandlers(env *inquirytest.Env, deliver notify.DeliverFunc) (*http.ServeMux, []refundkit.Provider, error) {
	mux := http.NewServeMux()
	var pushing []refundkit.Provider
	for _, p := range env.Providers() {
		h, err := demoHandler(p, env.Keys, deliver)
		if err != nil {
			return nil, nil, err
		}
		if h != nil {
			mux.Handle(notifyPath(p), h)
			pushing = append(pushing, p)
		}
	}
	return mux, pushing, nil
}

// demoPush points sim at url, waits until it has pushed every final refund,
// then seeds one refund whose notification it forges, waits again, and
// returns how many forged attempts the handler refused with HTTP 401.
func demoPush(ctx context.Context, sim *simulator.Simulator, url string, p refundkit.Provider) (int, error) {
	if err := sim.SetPush(simulator.PushConfig{URL: url, TimeScale: demoPushScale}); err != nil {
		return 0, err
	}
	defer sim.StopPush()
	if err := waitPush(ctx, sim); err != nil {
		return 0, err
	}
	sim.SetPushFault(simulator.PushBadSignature)
	forgedRefund := simulator.DemoRefunds(p)[0]
	forgedRefund.RefundID += "-forged"
	if err := sim.Seed(forgedRefund); err != nil {
		return 0, err
	}
	if err := waitPush(ctx, sim); err != nil {
		return 0, err
	}
	forged := 0
	for _, a := range sim.PushLog() {
		if a.RefundID == forgedRefund.RefundID && a.HTTP == http.StatusUnauthorized {
			forged++
		}
	}
	return forged, nil
}

// printNotifications prints the delivered notifications as a table and a
// summary with the count of refused forgeries.
func printNotifications(out io.Writer, url string, got []notify.Notification, forged int) error {
	fmt.Fprintf(out, "\nNotifications the simulators pushed to %s/notify/<provider>, verified and delivered once:\n\n", url)
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
	fmt.Fprint(out, helpText("{not_pushing} push no refund notifications: poll them with inquire.\n"))
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
