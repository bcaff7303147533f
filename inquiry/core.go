package inquiry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
	"golang.org/x/time/rate"
)

// core is what every provider client shares: resolved options, the rate
// limiter, the attempt loop and the order of an attempt (pipeline.go). Each
// provider client embeds one and is its backend: the steps that differ.
type core struct {
	provider refundkit.Provider
	backend  backend
	signing  signing
	proto    *http.Request     // the request every attempt copies; see prototype
	direct   http.RoundTripper // what do sends through, skipping http.Client.Do; nil: Do (roundtrip.go)
	opts     Options
	limiter  *rate.Limiter                 // nil when rate limiting is off
	codes    map[string]refundkit.Category // provider error code -> category; see setCodes
	tel      *providerTelemetry            // see observe
}

func newCore(p refundkit.Provider, b backend, s signing, opts []Option) core {
	o := buildOptions(opts)
	c := core{provider: p, backend: b, signing: s, opts: o, direct: directTransport(o.HTTPClient), tel: telemetryFor(p)}
	if o.RateLimit > 0 {
		c.limiter = rate.NewLimiter(o.RateLimit, max(o.RateBurst, 1))
	}
	return c
}

const opInquire = "inquire"

// run performs attempt until it succeeds, fails for good, runs out of
// attempts or ctx ends. Each call of attempt builds, signs and sends a new
// request, so every retry carries a fresh timestamp, nonce and signature.
//
// The error, when there is one, says in Error.Attempts how many attempts
// were made.
func (c *core) run(ctx context.Context, attempt func(ctx context.Context) (*refundkit.Result, error)) (*refundkit.Result, error) {
	ctx, obs := c.observe(ctx) // telemetry.go
	res, n, err := c.attempts(ctx, attempt)
	if err != nil { // errors.As costs an allocation: not on success
		if e := (*refundkit.Error)(nil); errors.As(err, &e) {
			e.Attempts = n
		}
	}
	obs.done(res, n, err)
	return res, err
}

// attempts is run's loop; n is how many attempts it made.
func (c *core) attempts(ctx context.Context, attempt func(ctx context.Context) (*refundkit.Result, error)) (_ *refundkit.Result, n int, _ error) {
	log := c.opts.Logger
	for n = 1; ; n++ {
		if c.limiter != nil {
			if err := c.limiter.Wait(ctx); err != nil {
				return nil, n - 1, c.contextError(ctx, err)
			}
		}
		actx, release := c.attemptContext(ctx) // attempt_timeout.go
		start := time.Now()
		res, err := attempt(actx)
		release.end()
		if err == nil {
			res.Source = refundkit.SourceInquiry
			log.LogAttrs(ctx, slog.LevelDebug, "refundkit: inquiry answered",
				slog.String("provider", string(c.provider)), slog.Int("attempt", n),
				slog.String("status", string(res.Status)), slog.Duration("elapsed", time.Since(start)))
			return res, n, nil
		}
		if ctx.Err() != nil {
			return nil, n, c.contextError(ctx, err)
		}
		cat := refundkit.CategoryOf(err)
		log.LogAttrs(ctx, slog.LevelDebug, "refundkit: inquiry attempt failed",
			slog.String("provider", string(c.provider)), slog.Int("attempt", n),
			slog.String("category", string(cat)), slog.Duration("elapsed", time.Since(start)))
		if !cat.Retryable() || n >= c.opts.Retry.MaxAttempts {
			return nil, n, err
		}
		var retryAfter time.Duration
		if e := (*refundkit.Error)(nil); errors.As(err, &e) {
			retryAfter = e.RetryAfter
		}
		if retryAfter > c.opts.Retry.MaxDelay {
			return nil, n, err // the provider asked for a longer pause than we may wait; Error.RetryAfter says how long
		}
		wait := c.opts.Retry.delay(n+1, retryAfter)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return nil, n, err // the wait would outlive the caller's deadline
		}
		log.LogAttrs(ctx, slog.LevelDebug, "refundkit: retrying",
			slog.String("provider", string(c.provider)), slog.Int("attempt", n+1), slog.Duration("wait", wait))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, n, c.contextError(ctx, err)
		case <-t.C:
		}
	}
}

// contextError reports that the caller's context ended. The result matches
// both errors.Is(err, context.Canceled/DeadlineExceeded) and ErrTemporary.
func (c *core) contextError(ctx context.Context, last error) error {
	cause := context.Cause(ctx)
	if cause == nil {
		cause = last
	}
	return c.fail(refundkit.CategoryTemporary, nil, "", "", cause)
}

// fail builds the error every provider client returns.
func (c *core) fail(cat refundkit.Category, resp *response, code, msg string, cause error) *refundkit.Error {
	e := &refundkit.Error{Provider: c.provider, Op: opInquire, Category: cat, Code: code, Message: msg, Err: cause}
	if resp != nil {
		e.HTTPStatus = resp.status
		e.Body = resp.body
		e.RetryAfter = resp.retryAfter
		e.Verified = resp.verified
	}
	return e
}

// invalidRequest reports a query or configuration problem found before any
// network call.
func (c *core) invalidRequest(format string, args ...any) *refundkit.Error {
	return c.fail(refundkit.CategoryInvalidRequest, nil, "", "", fmt.Errorf(format, args...))
}

// invalidResponse reports a response that cannot be trusted or understood.
func (c *core) invalidResponse(resp *response, format string, args ...any) *refundkit.Error {
	return c.fail(refundkit.CategoryInvalidResponse, resp, "", "", fmt.Errorf(format, args...))
}

// response is one HTTP answer, read in full (up to the size limit) so that
// its signature can be checked over the exact bytes before decoding.
type response struct {
	status     int
	header     http.Header
	body       []byte
	retryAfter time.Duration
	verified   bool // the provider's signature over what is read from body verified
	decoded    any  // what a verify step parsed of body, for its decode step to reuse
}

// receive turns the generated client's (*http.Response, error) into a
// response, or a categorised error: network failures are temporary, an
// oversized body is invalid, and a non-2xx status is classified by code.
// The response is x's.
func (c *core) receive(x *exchange, resp *http.Response, err error) (*response, error) {
	if headerLimitError(err) {
		return nil, c.invalidResponse(nil, "response headers too large: %w", err)
	}
	if err != nil {
		return nil, c.fail(refundkit.CategoryTemporary, nil, "", "", fmt.Errorf("send request: %w", err))
	}
	defer resp.Body.Close()
	r := &x.resp
	*r = response{status: resp.StatusCode, header: resp.Header, retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), c.opts.Clock())}
	limit := c.opts.MaxResponseBytes
	body, err := readBody(resp.Body, resp.ContentLength, limit)
	if err != nil {
		return nil, c.fail(refundkit.CategoryTemporary, r, "", "", fmt.Errorf("read response: %w", err))
	}
	if int64(len(body)) > limit {
		r.body = body[:min(len(body), 512)]
		return nil, c.invalidResponse(r, "response body exceeds %d bytes", limit)
	}
	r.body = body
	if r.status < 200 || r.status > 299 {
		return nil, c.fail(categoryForHTTPStatus(r.status), r, "", http.StatusText(r.status), nil)
	}
	if !json.Valid(body) {
		return nil, c.invalidResponse(r, "response body is not valid JSON (%d bytes)", len(body))
	}
	return r, nil
}

// categoryForHTTPStatus classifies a non-2xx answer. A 404 is an invalid
// request (a wrong URL or path), never "refund not found": only the
// provider's own business code may say a refund does not exist.
func categoryForHTTPStatus(code int) refundkit.Category {
	switch {
	case code == http.StatusTooManyRequests:
		return refundkit.CategoryRateLimited
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return refundkit.CategoryAuth
	case code == http.StatusRequestTimeout || code >= 500:
		return refundkit.CategoryTemporary
	case code >= 400:
		return refundkit.CategoryInvalidRequest
	default: // 1xx, 3xx: redirects are refused for signed requests (refuseRedirect)
		return refundkit.CategoryInvalidResponse
	}
}

// maxRetryAfterSeconds bounds a Retry-After so that converting it to a
// time.Duration cannot overflow (a day is far past any retry policy).
const maxRetryAfterSeconds = 24 * 60 * 60

// parseRetryAfter reads a Retry-After header in seconds or as an HTTP date.
// A number of seconds too large for any integer type is a long wait, not
// none: it is read as the cap, so that the retries stop.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if digits := strings.TrimPrefix(v, "+"); digits != "" && strings.Trim(digits, "0123456789") == "" {
		s, err := strconv.ParseUint(digits, 10, 64)
		if err != nil || s > maxRetryAfterSeconds { // err: out of range, as digits only remain
			s = maxRetryAfterSeconds
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// decodeJSON unmarshals a response body into the generated type v.
func (c *core) decodeJSON(r *response, v any) error {
	if err := json.Unmarshal(r.body, v); err != nil {
		return c.invalidResponse(r, "decode response: %w", err)
	}
	return nil
}

// codeError returns the error for a provider's business error code, in the
// category the client's code table gives it. A code the table does not know
// is an invalid response, with the code and message kept.
func (c *core) codeError(r *response, code, msg string) error {
	if cat, ok := c.codes[code]; ok {
		return c.fail(cat, r, code, msg, nil)
	}
	return c.fail(refundkit.CategoryInvalidResponse, r, code, msg,
		fmt.Errorf("unknown error code %.32q", code))
}
