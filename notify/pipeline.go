package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
)

// Notification is one verified refund notification, as delivered to the
// user's function.
type Notification struct {
	// Provider is the provider that pushed it.
	Provider refundkit.Provider
	// Result is the notification in the shared vocabulary, with Source
	// refundkit.SourceNotification and Verified true. With WithConfirm it
	// is the confirming inquiry's answer instead (Source
	// refundkit.SourceInquiry).
	Result *refundkit.Result
	// Notified is the notification's own Result when Result came from a
	// confirming inquiry; nil otherwise. The two may disagree (a forged
	// or stale claim): Result, the inquiry's, is the one to act on.
	Notified *refundkit.Result
	// Query is what an inquiry about the notified refund asks, in the
	// provider's own terms (for AlphaPay, RefundID is AlphaPay's refund id):
	// the query WithConfirm sends, and the one to track the refund by.
	Query refundkit.Query
	// Key identifies the notification for de-duplication: the provider,
	// the merchant, the refund's ids and the status it reports.
	Key string
	// SentAt is the time the provider stamped on the notification.
	SentAt time.Time
	// ReceivedAt is when the handler received it.
	ReceivedAt time.Time
}

// DeliverFunc receives each verified notification once. Returning nil lets
// the handler acknowledge it; returning an error (or panicking) leaves it
// unacknowledged and undelivered, so the provider retries where it retries
// and the next attempt is delivered again.
type DeliverFunc func(ctx context.Context, n Notification) error

// Request is one notification as received: for users with their own
// router, Handler.Handle takes it directly.
type Request struct {
	// Path is the escaped URL path the notification was sent to (AlphaPay
	// signs it).
	Path string
	// Header holds the request headers (PayerMax and AlphaPay sign with
	// them).
	Header http.Header
	// Body is the exact body received, not parsed and re-encoded.
	Body []byte
}

// Reply is what to answer the provider.
type Reply struct {
	// Status is the HTTP status: 200 with the provider's acknowledgement,
	// or an error status.
	Status int
	// ContentType is the Content-Type of Body.
	ContentType string
	// Body is the acknowledgement, or a short plain-text reason.
	Body []byte
	// Delivered reports that this call delivered the notification.
	Delivered bool
	// Duplicate reports a notification delivered before: acknowledged
	// again, not delivered.
	Duplicate bool
}

// Handler receives one provider's refund notifications: it verifies,
// de-duplicates, optionally confirms and delivers them, and acknowledges
// only what was delivered. It is an http.Handler; Handle serves users with
// their own router. Build one with [New]. A
// Handler is safe for concurrent use.
type Handler struct {
	provider refundkit.Provider
	steps    steps
	deliver  DeliverFunc
	opts     Options
	ack      []byte
}

var _ http.Handler = (*Handler)(nil)

// steps is what a provider fills in; Handle owns the order.
type steps interface {
	// verify checks the signature over the exact bytes, before decoding.
	verify(req Request, path string) error
	// decode parses the verified body into a claim.
	decode(req Request) (*claim, error)
}

// claim is a verified, decoded notification, before the checks that need
// configuration and the clock.
type claim struct {
	result   *refundkit.Result
	identity []ident         // the app or merchant it names, against ours
	sentAt   time.Time       // the provider's time
	key      []string        // what identifies it, beyond the provider
	query    refundkit.Query // to confirm it by inquiry
}

// ident is one identity field of a notification and the value it must have.
type ident struct{ name, got, want string }

// newHandler assembles a handler from a provider's steps, its
// acknowledgement and the options built with its default time window.
func newHandler(p refundkit.Provider, s steps, deliver DeliverFunc, ack []byte, o Options) (*Handler, error) {
	if deliver == nil {
		return nil, fmt.Errorf("notify: %s: the deliver function is nil", p)
	}
	if o.Confirm != nil && o.Confirm.Provider() != p {
		return nil, fmt.Errorf("notify: %s: WithConfirm was given a %s client", p, o.Confirm.Provider())
	}
	if o.Ack != nil {
		ack = o.Ack
	}
	return &Handler{provider: p, steps: s, deliver: deliver, opts: o, ack: ack}, nil
}

// Provider reports which provider the handler receives from.
func (h *Handler) Provider() refundkit.Provider { return h.provider }

// Handle processes one notification: size cap, signature over the exact
// bytes, decoding, merchant and time checks, de-duplication, the optional
// confirming inquiry, delivery and acknowledgement, in that order. The Reply
// is always what to answer; the error says why it is not an
// acknowledgement (nil for a delivered or duplicate notification).
func (h *Handler) Handle(ctx context.Context, req Request) (Reply, error) {
	received := h.opts.Clock()
	if int64(len(req.Body)) > h.opts.MaxBodyBytes {
		return h.refuse(ctx, ReasonTooLarge, fmt.Sprintf("more than %d bytes", h.opts.MaxBodyBytes), nil)
	}
	path := req.Path
	if h.opts.SignedPath != "" {
		path = h.opts.SignedPath
	}
	if err := h.steps.verify(req, path); err != nil {
		return h.refuse(ctx, ReasonSignature, "", err)
	}
	c, err := h.steps.decode(req)
	if err != nil {
		return h.refuse(ctx, ReasonMalformed, "", err)
	}
	for _, id := range c.identity {
		if id.want != "" && id.got != id.want {
			return h.refuse(ctx, ReasonWrongMerchant, id.name+" is not ours", nil)
		}
	}
	if age := received.Sub(c.sentAt); age > h.opts.MaxAge || -age > h.opts.MaxFuture {
		return h.refuse(ctx, ReasonStale, fmt.Sprintf("sent %s, received %s", c.sentAt.UTC().Format(time.RFC3339), received.UTC().Format(time.RFC3339)), nil)
	}
	n := Notification{Provider: h.provider, Result: c.result, Query: c.query, Key: h.key(c.key), SentAt: c.sentAt, ReceivedAt: received}
	return h.deliverOnce(ctx, n)
}

// deliverOnce claims the key, confirms if asked to, delivers and commits.
// Every path that does not deliver releases the claim.
func (h *Handler) deliverOnce(ctx context.Context, n Notification) (rep Reply, err error) {
	claim, err := h.opts.Store.Begin(ctx, n.Key)
	switch {
	case err != nil:
		return h.refuse(ctx, ReasonInFlight, "de-duplication store failed", err)
	case claim == ClaimDone:
		return Reply{Status: http.StatusOK, ContentType: "application/json", Body: h.ack, Duplicate: true}, nil
	case claim == ClaimBusy:
		return h.refuse(ctx, ReasonInFlight, "", nil)
	}
	committed := false
	defer func() {
		if !committed {
			_ = h.opts.Store.Abort(context.WithoutCancel(ctx), n.Key)
		}
	}()
	if h.opts.Confirm != nil {
		res, err := h.opts.Confirm.Inquire(ctx, n.Query)
		if err != nil {
			return h.refuse(ctx, ReasonConfirm, "", err)
		}
		n.Notified, n.Result = n.Result, res
	}
	if err := h.call(ctx, n); err != nil {
		return h.refuse(ctx, ReasonDelivery, "", err)
	}
	if err := h.opts.Store.Commit(ctx, n.Key); err != nil {
		// Delivered but not recorded: acknowledging is right (the user has
		// it); a retry may deliver it once more.
		h.opts.Logger.LogAttrs(ctx, slog.LevelWarn, "refundkit: notification delivered but not recorded",
			slog.String("provider", string(h.provider)), slog.String("error", err.Error()))
	}
	committed = true
	return Reply{Status: http.StatusOK, ContentType: "application/json", Body: h.ack, Delivered: true}, nil
}

// call runs the user's function, turning a panic into an error so the
// claim is released and nothing is acknowledged.
func (h *Handler) call(ctx context.Context, n Notification) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("deliver function panicked: %v", p)
		}
	}()
	return h.deliver(ctx, n)
}

func (h *Handler) key(parts []string) string {
	var b strings.Builder
	b.WriteString(string(h.provider))
	for _, p := range parts {
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(p))
	}
	return b.String()
}

// refuse builds the error and its Reply, and logs it.
func (h *Handler) refuse(ctx context.Context, r Reason, detail string, cause error) (Reply, error) {
	e := &Error{Provider: h.provider, Reason: r, Detail: detail, Err: cause}
	h.opts.Logger.LogAttrs(ctx, slog.LevelInfo, "refundkit: notification refused",
		slog.String("provider", string(h.provider)), slog.String("reason", string(r)), slog.String("error", e.Error()))
	return Reply{Status: e.HTTPStatus(), ContentType: "text/plain; charset=utf-8", Body: []byte(string(r) + "\n")}, e
}

// ServeHTTP reads the body (capped), hands it to Handle and writes the
// Reply. Only POST is accepted.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { _, _ = h.Serve(w, r) }

// Serve is ServeHTTP for a caller that counts outcomes (a service's
// metrics): it writes the same answer and returns the Reply and the error
// Handle (or the method and body checks before it) gave.
func (h *Handler) Serve(w http.ResponseWriter, r *http.Request) (Reply, error) {
	var rep Reply
	var err error
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		rep, err = h.refuse(r.Context(), ReasonMethod, r.Method, nil)
	} else if body, rerr := io.ReadAll(http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes)); rerr != nil {
		if errors.As(rerr, new(*http.MaxBytesError)) {
			rep, err = h.refuse(r.Context(), ReasonTooLarge, fmt.Sprintf("more than %d bytes", h.opts.MaxBodyBytes), nil)
		} else {
			rep, err = h.refuse(r.Context(), ReasonMalformed, "body truncated", rerr)
		}
	} else {
		rep, err = h.Handle(r.Context(), Request{Path: requestPath(r), Header: r.Header, Body: body})
	}
	w.Header().Set("Content-Type", rep.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(rep.Body)))
	w.WriteHeader(rep.Status)
	_, _ = w.Write(rep.Body)
	return rep, err
}

// requestPath is the path as the sender wrote (and signed) it, even under
// http.StripPrefix.
func requestPath(r *http.Request) string {
	if u, err := url.ParseRequestURI(r.RequestURI); err == nil && u.Path != "" {
		return u.EscapedPath()
	}
	return r.URL.EscapedPath()
}
