package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/providers"
)

const listenDetails = `
Serves the refund-notification endpoint of every provider the config file
configures that pushes notifications, at /notify/<provider>: {pushing}.
{not_pushing} push no refund notifications; poll them with inquire.
Each notification's signature is verified over the exact bytes with the
provider's public key from the config; forged, stale, mismatched, malformed
and oversized ones are refused with a 4xx (logged on stderr, with the
reason) and never acknowledged. Each verified notification is printed once,
then acknowledged with the provider's expected answer; a repeat is
acknowledged again but not printed.

With --confirm, every verified notification is first confirmed by an
inquiry with the same credentials (as the providers recommend); what is
printed is then the inquiry's answer, and a notification whose inquiry fails
is not acknowledged, so the provider retries where it retries.

With --json, stdout gets one object per notification, the shape of
"inquire --json" plus where the answer came from:
  {"provider","refund_id","status","provider_status","amount":{"value","currency"}|null,"verified","source","confirmed"}
source is "notification", or "inquiry" with --confirm. refund_id is the id
the provider's inquiry takes (as inquire's --refund-id).

Stops on Ctrl-C. Exit status: 0 stopped, 1 could not serve, 2 usage error.`

func runListen(ctx context.Context, args []string, std stdio) int {
	f := newFlags("listen", "refundkit listen [--addr 127.0.0.1:8090] [--config FILE] [--confirm] [--json]", listenDetails)
	addr := f.String("addr", "127.0.0.1:8090", "the `address` to listen on; port 0 picks a free one")
	configFile := f.String("config", "", "the config `file` (default $"+configEnv+", else ./"+defaultConfigFile+")")
	confirm := f.Bool("confirm", false, "confirm every notification by an inquiry before printing it")
	asJSON := f.Bool("json", false, "print one JSON object per notification instead of a line of text")
	if code, done := f.parse(args, std); done {
		return code
	}
	cfg, err := loadConfig(*configFile)
	if err != nil {
		return std.fail("listen", err)
	}
	out := &notificationPrinter{w: std.out, json: *asJSON}
	mux, paths, err := notifyMux(cfg, out.deliver, *confirm, std.errOut)
	if err != nil {
		return std.fail("listen", err)
	}
	srv, err := serveSimulator(mux, *addr)
	if err != nil {
		return std.fail("listen", err)
	}
	for _, p := range paths {
		fmt.Fprintf(std.errOut, "refundkit listen: %s notifications at %s%s\n", p, srv.url, notifyPath(p))
	}
	fmt.Fprintln(std.errOut, "refundkit listen: stop with Ctrl-C.")
	select {
	case <-ctx.Done():
	case err := <-srv.done:
		return std.fail("listen", err)
	}
	if err := srv.shutdown(simulatorGrace); err != nil {
		return std.fail("listen", err)
	}
	return exitOK
}

// notifyPath is where provider p's notifications are served.
func notifyPath(p refundkit.Provider) string { return "/notify/" + string(p) }

// notifyMux builds the handler of every configured provider that pushes,
// each at notifyPath, and says which it serves. Refusals are logged to
// logTo. A config without any pushing provider is an error.
func notifyMux(cfg *config, deliver notify.DeliverFunc, confirm bool, logTo io.Writer) (*http.ServeMux, []refundkit.Provider, error) {
	mux := http.NewServeMux()
	var served []refundkit.Provider
	logger := slog.New(slog.NewTextHandler(logTo, nil))
	for _, p := range cfg.providers() {
		if d, _ := providers.Lookup(p); d == nil || d.Notify == nil {
			fmt.Fprintf(logTo, "refundkit listen: %s has no refund notifications; poll it with refundkit inquire\n", p)
			continue
		}
		opts := []notify.Option{notify.WithLogger(logger)}
		if confirm {
			cl, err := cfg.client(p)
			if err != nil {
				return nil, nil, err
			}
			opts = append(opts, notify.WithConfirm(cl))
		}
		h, err := cfg.notifyHandler(p, deliver, opts)
		if err != nil {
			return nil, nil, fmt.Errorf("config %s: %s: %w", cfg.path, p, err)
		}
		mux.Handle(notifyPath(p), h)
		served = append(served, p)
	}
	if len(served) == 0 {
		return nil, nil, fmt.Errorf("config %s configures no provider that pushes notifications (%s)", cfg.path, providerNames(providers.Pushing(), "or"))
	}
	return mux, served, nil
}

// notifyHandler builds p's notification handler from the same section,
// keys and all, as p's inquiry client.
func (c *config) notifyHandler(p refundkit.Provider, deliver notify.DeliverFunc, opts []notify.Option) (*notify.Handler, error) {
	d, err := providers.Lookup(p)
	if err != nil {
		return nil, err
	}
	if d.Notify == nil {
		return nil, fmt.Errorf("%s pushes no refund notifications", p)
	}
	return d.Notify(c.sections[p], deliver, opts...)
}

// notificationJSON is inquire's JSON shape plus where the answer came from.
type notificationJSON struct {
	resultJSON
	Source    refundkit.Source `json:"source"`
	Confirmed bool             `json:"confirmed"`
}

// notificationPrinter writes each delivered notification, one at a time.
type notificationPrinter struct {
	mu   sync.Mutex
	w    io.Writer
	json bool
}

// deliver prints n; a write error fails the delivery, so the notification
// is not acknowledged and the provider retries.
func (np *notificationPrinter) deliver(_ context.Context, n notify.Notification) error {
	r := n.Result
	a := answer{provider: string(n.Provider), refundID: inquiryRefundID(r), res: r}
	np.mu.Lock()
	defer np.mu.Unlock()
	if np.json {
		enc := json.NewEncoder(np.w)
		enc.SetEscapeHTML(false)
		return enc.Encode(notificationJSON{resultJSON: newResultJSON(a), Source: r.Source, Confirmed: n.Notified != nil})
	}
	_, err := fmt.Fprintf(np.w, "%s  %s  %s  %s  %s  verified=%s  source=%s\n", a.provider, printable(a.refundID), r.Status,
		printable(orDash(r.ProviderStatus)), amountText(r.Amount), yesNo(r.Verified), r.Source)
	return err
}

// inquiryRefundID is the id a provider's inquiry takes, as inquire's
// --refund-id: AlphaPay's own refund id, the merchant's for the others.
func inquiryRefundID(r *refundkit.Result) string {
	if d, _ := providers.Lookup(r.Provider); d != nil && d.ProviderRefundIDFirst {
		return r.ProviderRefundID
	}
	return r.MerchantRefundID
}
