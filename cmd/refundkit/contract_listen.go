package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/contract"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/providers"
)

// delivered carries, through a notification request's context, what the
// notify handler delivered for it.
type delivered struct{ res *refundkit.Result }

type deliveredKey struct{}

// contractListen serves every configured provider's notification endpoint
// (as "refundkit listen" does, at the same paths), each behind a
// NotificationChecker, and reports each notification as it arrives, until
// ctx ends or count notifications were checked (count 0: no limit).
func (c *contractRun) contractListen(ctx context.Context, addr string, count int) error {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var mu sync.Mutex // one report at a time; the count
	seen := 0
	deliver := func(ctx context.Context, n notify.Notification) error {
		if d, ok := ctx.Value(deliveredKey{}).(*delivered); ok {
			d.res = n.Result
		}
		return nil
	}
	onExchange := func(ctx context.Context, ex contract.Exchange) {
		mu.Lock()
		defer mu.Unlock()
		if count > 0 && seen >= count {
			return
		}
		seen++
		c.inquiries++
		d, _ := ctx.Value(deliveredKey{}).(*delivered)
		a := notificationAnswer(ex, d)
		c.report(a, []contract.Exchange{ex})
		if c.record != "" {
			c.recordAll(a, refundkit.Query{}, []contract.Exchange{ex})
		}
		if count > 0 && seen >= count {
			stop()
		}
	}
	mux, paths, err := c.checkedMux(deliver, onExchange)
	if err != nil {
		return err
	}
	srv, err := serveSimulator(withDelivered(mux), addr)
	if err != nil {
		return err
	}
	for _, p := range paths {
		fmt.Fprintf(c.std.errOut, "refundkit contract: checking %s notifications at %s%s\n", p, srv.url, notifyPath(p))
	}
	select {
	case <-ctx.Done():
	case err := <-srv.done:
		return err
	}
	return srv.shutdown(simulatorGrace)
}

// checkedMux is notifyMux's endpoints, each behind a NotificationChecker.
func (c *contractRun) checkedMux(deliver notify.DeliverFunc, onExchange func(context.Context, contract.Exchange)) (*http.ServeMux, []refundkit.Provider, error) {
	mux := http.NewServeMux()
	var served []refundkit.Provider
	for _, p := range c.cfg.providers() {
		if d, err := providers.Lookup(p); err != nil || d.Notify == nil {
			continue // a provider that pushes no notifications
		}
		h, err := c.cfg.notifyHandler(p, deliver, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("config %s: %s: %w", c.cfg.path, p, err)
		}
		chk, err := contract.NewNotificationChecker(h, p)
		if err != nil {
			return nil, nil, err
		}
		chk.OnExchange = onExchange
		mux.Handle(notifyPath(p), chk)
		served = append(served, p)
	}
	if len(served) == 0 {
		return nil, nil, fmt.Errorf("config %s configures no provider that pushes notifications (%s)", c.cfg.path, providerNames(providers.Pushing(), "or"))
	}
	return mux, served, nil
}

// withDelivered gives each request a slot for what its notification
// delivers.
func withDelivered(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), deliveredKey{}, &delivered{})))
	})
}

// notificationAnswer is the answer a notification gave: what the handler
// delivered, or why it refused it.
func notificationAnswer(ex contract.Exchange, d *delivered) answer {
	a := answer{provider: string(ex.Provider)}
	switch {
	case d != nil && d.res != nil:
		a.res, a.refundID = d.res, inquiryRefundID(d.res)
	case ex.Err != nil:
		a.err = ex.Err
	default:
		a.err = fmt.Errorf("notification refused: HTTP %d: %s", ex.Status, bytes.TrimSpace(ex.Response.Body))
	}
	return a
}

var errListenMode = errors.New("--listen checks notifications; leave out --provider, the ids and --input")
