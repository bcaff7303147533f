package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// maxNotificationBytes caps the notification bodies a NotificationChecker
// reads; real ones are well under a kilobyte.
const maxNotificationBytes = 1 << 20

// NotificationChecker is an http.Handler for the merchant's notify URL: it
// checks every refund notification a provider pushes, and the answer the
// next handler gives it (the acknowledgement), against the notification
// callback of the provider's spec, and keeps each exchange for Exchanges.
// In an Exchange from it the request is the provider's notification, so
// undeclared request members and headers are the ones the provider sends
// that the spec does not know. The next handler sees the exact bytes.
// A NotificationChecker is safe for concurrent use.
type NotificationChecker struct {
	// OnExchange, if set, is handed each exchange once it is checked,
	// with the notification request's context, before ServeHTTP returns,
	// instead of the exchange being kept for Exchanges (so a long-running
	// endpoint keeps nothing). It must be safe for concurrent use. Set it
	// before serving.
	OnExchange func(ctx context.Context, ex Exchange)

	next http.Handler
	spec *spec

	mu        sync.Mutex
	exchanges []Exchange
}

// NewNotificationChecker returns a NotificationChecker of provider p's
// notifications in front of next (typically a package notify handler).
// A provider that pushes no refund notification (ZaloPay) is an error.
func NewNotificationChecker(next http.Handler, p refundkit.Provider) (*NotificationChecker, error) {
	s, err := newSpec(p, true, simulator.NotificationRoute)
	if err != nil {
		return nil, err
	}
	return &NotificationChecker{next: next, spec: s}, nil
}

// Exchanges returns the exchanges checked since the last call, oldest
// first, and forgets them.
func (c *NotificationChecker) Exchanges() []Exchange {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.exchanges
	c.exchanges = nil
	return out
}

// ServeHTTP reads the notification, hands it to the next handler, answers
// with the next handler's answer and checks both.
func (c *NotificationChecker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ex := Exchange{Provider: c.spec.provider, Notification: true, Method: r.Method, URL: requestURL(r)}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxNotificationBytes))
	ex.Request = Message{Header: r.Header.Clone(), Body: body}
	if err != nil {
		ex.Err = fmt.Errorf("read notification: %w", err)
		if errors.As(err, new(*http.MaxBytesError)) {
			http.Error(w, "notification too large", http.StatusRequestEntityTooLarge)
		}
		c.keep(r.Context(), ex)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	rec := &answerRecorder{w: w, status: http.StatusOK}
	c.next.ServeHTTP(rec, r)
	ex.Status, ex.Response = rec.status, Message{Header: w.Header().Clone(), Body: rec.body.Bytes()}
	c.keep(r.Context(), ex)
}

func (c *NotificationChecker) keep(ctx context.Context, ex Exchange) {
	if ex.Err == nil { // an incomplete notification has nothing to check
		c.spec.check(context.WithoutCancel(ctx), &ex)
	}
	if c.OnExchange != nil {
		c.OnExchange(ctx, ex)
		return
	}
	c.mu.Lock()
	c.exchanges = append(c.exchanges, ex)
	c.mu.Unlock()
}

// requestURL rebuilds the absolute URL a notification was sent to.
func requestURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + r.URL.RequestURI()
}

// answerRecorder passes the next handler's answer through to the client
// and keeps a copy.
type answerRecorder struct {
	w      http.ResponseWriter
	status int
	wrote  bool
	body   bytes.Buffer
}

func (a *answerRecorder) Header() http.Header { return a.w.Header() }

func (a *answerRecorder) WriteHeader(code int) {
	if !a.wrote {
		a.status, a.wrote = code, true
		a.w.WriteHeader(code)
	}
}

func (a *answerRecorder) Write(b []byte) (int, error) {
	a.WriteHeader(http.StatusOK)
	if a.body.Len() < maxNotificationBytes {
		a.body.Write(b)
	}
	return a.w.Write(b)
}
