package inquiry

import (
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/time/rate"
)

// Defaults applied when an option is left at its zero value.
const (
	// DefaultTimeout bounds one attempt when the caller's *http.Client has
	// no Timeout of its own. The context's deadline always wins.
	DefaultTimeout = 15 * time.Second
	// DefaultMaxResponseBytes is the largest response body read; a larger
	// one is an invalid-response error, and no more of it is read.
	DefaultMaxResponseBytes = 1 << 20
	// DefaultMaxResponseHeaderBytes is the most response header bytes the
	// client's own transport reads (http.Transport.MaxResponseHeaderBytes);
	// more is an invalid-response error. A caller's *http.Client is used
	// as it is: give its transport a bound like this one.
	DefaultMaxResponseHeaderBytes = 64 << 10
)

// Options configures a provider client. Build it with the With… functions,
// or fill it in and pass it whole with WithOptions.
type Options struct {
	// HTTPClient sends the requests. Nil means a client of our own with
	// sane transport timeouts and response headers capped at
	// DefaultMaxResponseHeaderBytes. A client of yours is used as it is,
	// except that it follows no redirects: set its transport's
	// MaxResponseHeaderBytes (Go's default is 10 MB) and timeouts.
	HTTPClient *http.Client
	// BaseURL replaces the provider's production host, for a sandbox or a
	// simulator. It may carry a path prefix.
	BaseURL string
	// Clock returns the current time, for request timestamps and signing.
	// Nil means time.Now.
	Clock func() time.Time
	// Logger receives debug records of each attempt (never keys, bodies or
	// signatures). Nil means no logging.
	Logger *slog.Logger
	// InsecureSkipVerify turns off response signature verification. Results
	// are then marked Verified=false. Only for debugging against a provider
	// sandbox that does not sign; never in production.
	InsecureSkipVerify bool
	// Retry says how transient failures are retried.
	Retry RetryPolicy
	// Timeout bounds each attempt when HTTPClient has no Timeout; zero means
	// DefaultTimeout, negative means none.
	Timeout time.Duration
	// MaxResponseBytes caps the response body; zero means
	// DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// RateLimit, if positive, limits requests to this provider client to
	// this many per second, with bursts of RateBurst (at least 1). Off by
	// default.
	RateLimit rate.Limit
	// RateBurst is the token bucket's size when RateLimit is set.
	RateBurst int
	// InsecureHTTP allows a plain http:// base URL on a host other than
	// loopback. Off by default: ZaloPay's answers are protected by TLS alone,
	// and every provider's requests carry credentials.
	InsecureHTTP bool
}

// Option changes Options.
type Option func(*Options)

// WithOptions replaces all options at once, including any set by options
// before it: put it first, and the With… options after it adjust it.
func WithOptions(o Options) Option { return func(dst *Options) { *dst = o } }

// WithHTTPClient sends requests through c.
func WithHTTPClient(c *http.Client) Option { return func(o *Options) { o.HTTPClient = c } }

// WithBaseURL sends requests to u instead of the provider's production host.
func WithBaseURL(u string) Option { return func(o *Options) { o.BaseURL = u } }

// WithClock makes the client read the time from now, for tests.
func WithClock(now func() time.Time) Option { return func(o *Options) { o.Clock = now } }

// WithLogger logs each attempt at debug level to l.
func WithLogger(l *slog.Logger) Option { return func(o *Options) { o.Logger = l } }

// WithInsecureSkipVerify turns off response signature verification. The
// name is meant to be alarming: results are marked Verified=false and can be
// forged by anyone between you and the provider.
func WithInsecureSkipVerify() Option { return func(o *Options) { o.InsecureSkipVerify = true } }

// WithInsecureHTTP allows a plain http:// base URL on a host other than
// loopback (http://127.0.0.1 and http://localhost are always allowed, for
// simulators). Never use it against a real provider.
func WithInsecureHTTP() Option { return func(o *Options) { o.InsecureHTTP = true } }

// WithRetry sets the retry policy; WithRetry(NoRetry()) turns retries off.
func WithRetry(p RetryPolicy) Option { return func(o *Options) { o.Retry = p } }

// WithTimeout bounds each attempt when the *http.Client has no Timeout; a
// negative d means no per-attempt bound (the context's deadline still
// applies). At d the attempt's context is canceled with cause
// context.DeadlineExceeded (its Deadline is the caller's context's).
func WithTimeout(d time.Duration) Option { return func(o *Options) { o.Timeout = d } }

// WithMaxResponseBytes caps the response body size.
func WithMaxResponseBytes(n int64) Option { return func(o *Options) { o.MaxResponseBytes = n } }

// WithRateLimit limits this client to perSecond requests a second, with
// bursts of burst.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *Options) { o.RateLimit, o.RateBurst = rate.Limit(perSecond), burst }
}

func buildOptions(opts []Option) Options {
	var o Options
	for _, opt := range opts {
		opt(&o)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = defaultHTTPClient
	} else {
		o.HTTPClient = withoutRedirects(o.HTTPClient)
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxResponseBytes <= 0 {
		o.MaxResponseBytes = DefaultMaxResponseBytes
	}
	o.Retry = o.Retry.withDefaults()
	return o
}
