package notify

import (
	"log/slog"
	"time"

	"github.com/refundkit/refundkit"
)

// Defaults applied when an option is left at its zero value.
const (
	// DefaultMaxBodyBytes caps the body read. Real notifications are well
	// under a kilobyte.
	DefaultMaxBodyBytes = 64 << 10
	// DefaultMaxFuture is how far ahead of the handler's clock a
	// provider's time may be (clock skew).
	DefaultMaxFuture = 5 * time.Minute
)

// Options configures a handler. Build it with the With… functions.
type Options struct {
	// Store de-duplicates notifications; nil means NewMemoryStore(0).
	Store Store
	// MaxBodyBytes caps the body; zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Clock is the handler's time for the time window; nil means time.Now.
	Clock func() time.Time
	// MaxAge is how old the provider's time may be; zero means the
	// provider's default (see each constructor) [assumed].
	MaxAge time.Duration
	// MaxFuture is how far in the future it may be; zero means
	// DefaultMaxFuture.
	MaxFuture time.Duration
	// Confirm, if set, is asked about every verified notification before
	// delivery; the delivered Result is then its answer.
	Confirm refundkit.Inquirer
	// Logger receives one record per refused notification (reason and
	// detail, never bodies, keys or signatures); nil means none.
	Logger *slog.Logger
	// Ack replaces the provider's acknowledgement body.
	Ack []byte
	// SignedPath replaces the request path in AlphaPay's signed content
	// (for a handler behind a proxy that rewrites the path).
	SignedPath string
	// NewPaySucceeded is the transStatus value that means success in a
	// NewPay refund callback; nil means NewPayTransStatusSucceeded.
	NewPaySucceeded *int64
}

// Option changes Options.
type Option func(*Options)

// WithStore de-duplicates through s instead of an in-memory store.
func WithStore(s Store) Option { return func(o *Options) { o.Store = s } }

// WithMaxBodyBytes caps the body at n bytes.
func WithMaxBodyBytes(n int64) Option { return func(o *Options) { o.MaxBodyBytes = n } }

// WithClock makes the handler read the time from now, for tests.
func WithClock(now func() time.Time) Option { return func(o *Options) { o.Clock = now } }

// WithTimeWindow accepts provider times from maxAge in the past to
// maxFuture in the future of the handler's clock; zero keeps a default.
func WithTimeWindow(maxAge, maxFuture time.Duration) Option {
	return func(o *Options) { o.MaxAge, o.MaxFuture = maxAge, maxFuture }
}

// WithConfirm confirms every verified notification by asking inq (the
// provider's inquiry client, built from the same configuration) before
// delivering it, as the providers recommend. The delivered Result is the
// inquiry's (Source refundkit.SourceInquiry), the notification's own is in
// Notification.Notified. When the inquiry fails, nothing is delivered or
// acknowledged, and the provider retries where it retries.
func WithConfirm(inq refundkit.Inquirer) Option { return func(o *Options) { o.Confirm = inq } }

// WithLogger logs refused notifications to l.
func WithLogger(l *slog.Logger) Option { return func(o *Options) { o.Logger = l } }

// WithAck answers body instead of the provider's acknowledgement, should a
// provider's expected answer turn out to differ (AlphaPay's is [assumed]).
func WithAck(body []byte) Option { return func(o *Options) { o.Ack = append([]byte(nil), body...) } }

// WithSignedPath makes an AlphaPay handler verify the signature over path,
// the path of the notifyUrl as AlphaPay requested it, instead of the path
// the request arrived at [assumed].
func WithSignedPath(path string) Option { return func(o *Options) { o.SignedPath = path } }

func buildOptions(opts []Option, defaultMaxAge time.Duration) Options {
	var o Options
	for _, opt := range opts {
		opt(&o)
	}
	if o.Store == nil {
		o.Store = NewMemoryStore(0)
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.MaxAge <= 0 {
		o.MaxAge = defaultMaxAge
	}
	if o.MaxFuture <= 0 {
		o.MaxFuture = DefaultMaxFuture
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}
