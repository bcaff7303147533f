package simulator

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/refundkit/refundkit"
)

// maxRequestBody caps the request bodies a simulator reads. The real
// requests are a few hundred bytes.
const maxRequestBody = 64 << 10

// Simulator is a fake provider: an http.Handler that answers the provider's
// refund inquiry the way the provider does, from refunds seeded with Seed.
// Build one with NewNewPay, NewPayerMax, NewZaloPay, NewAlphaPay or New.
//
// For every request it checks, in order: the path and method (404 and 405,
// plain text); the request against the provider's OpenAPI spec; the app or
// merchant identity; the request signature; and, for PayerMax, the request
// time. A request that fails a check gets the provider's own error answer
// (see the package documentation for the codes). An accepted inquiry may get
// a fault (see Injector), then is answered from the store, signed with the
// platform key exactly as the provider signs.
//
// A Simulator is safe for concurrent use.
type Simulator struct {
	provider refundkit.Provider
	backend  backend
	valid    *validator
	store    *store
	faults   *Injector
	clock    func() time.Time

	requests, rejected, notFound atomic.Int64

	pushMu sync.Mutex
	push   *pushState // nil unless SetPush was called; see push.go
}

// backend is what differs between providers.
type backend interface {
	// check reports whether a refund can be represented in the provider's
	// response.
	check(r Refund) error
	// invalid maps a request that failed spec validation to the
	// provider's error.
	invalid(inv invalidity) providerError
	// accept checks the identity, signature and freshness of a request that
	// passed spec validation and says which refund it asks about.
	accept(r *http.Request, body []byte, now time.Time) (lookup, *providerError)
	// notFound is the provider's answer for an unknown refund.
	notFound() providerError
	// render writes the response body: the refund ref (nil if none), or
	// the error perr, with fault f applied where it lives in the body.
	render(q lookup, ref *Refund, perr *providerError, f Fault, now time.Time) ([]byte, error)
	// sign sets the response's signature headers for body, with f applied.
	sign(r *http.Request, h http.Header, body []byte, f Fault, now time.Time) error
}

// providerError is an error answer in the provider's own terms.
type providerError struct {
	code    string // NewPay and PayerMax code, AlphaPay resultCode, ZaloPay return_code
	subCode string // ZaloPay sub_return_code
	message string
}

func newSimulator(p refundkit.Provider, b backend, clock func() time.Time) (*Simulator, error) {
	v, err := validatorFor(p)
	if err != nil {
		return nil, err
	}
	if clock == nil {
		clock = time.Now
	}
	return &Simulator{provider: p, backend: b, valid: v, store: newStore(), faults: newInjector(), clock: clock}, nil
}

// Provider reports which provider s plays.
func (s *Simulator) Provider() refundkit.Provider { return s.provider }

// Path returns the URL path s answers, the one in the provider's spec (for
// example "/aggregate-pay/api/gateway/refundQuery"). A client's base URL is
// the server's root: an httptest.Server's URL, with no path.
func (s *Simulator) Path() string { return s.valid.path }

// Seed adds refunds to the store, all or none. It fails if a refund id is
// empty or already present (ErrDuplicateRefund), or if a value cannot appear
// in the provider's response (ErrInvalidRefund).
func (s *Simulator) Seed(refunds ...Refund) error {
	for _, r := range refunds {
		if err := s.backend.check(r); err != nil {
			return fmt.Errorf("%w: %s refund %q: %w", ErrInvalidRefund, s.provider, r.RefundID, err)
		}
	}
	if err := s.store.put(refunds); err != nil {
		return err
	}
	for _, r := range refunds {
		s.pushIfFinal(r.RefundID)
	}
	return nil
}

// Refund returns the current state of a seeded refund (transitions applied,
// Transitions cleared) and how many inquiries it has answered.
func (s *Simulator) Refund(refundID string) (r Refund, inquiries int, ok bool) {
	return s.store.get(refundID)
}

// Remove deletes a refund from the store; it reports whether there was one.
func (s *Simulator) Remove(refundID string) bool { return s.store.remove(refundID) }

// Faults returns the simulator's fault injector.
func (s *Simulator) Faults() *Injector { return s.faults }

// Stats counts what a simulator has seen since it was built.
type Stats struct {
	// Requests is every request the handler received.
	Requests int64
	// Rejected is the requests answered with a provider error before any
	// lookup: invalid against the spec, unknown app or merchant, bad
	// request signature, stale request time.
	Rejected int64
	// NotFound is the accepted inquiries about a refund the store does not
	// hold.
	NotFound int64
}

// Stats returns the simulator's counters.
func (s *Simulator) Stats() Stats {
	return Stats{Requests: s.requests.Load(), Rejected: s.rejected.Load(), NotFound: s.notFound.Load()}
}

// ServeHTTP answers one request; see Simulator.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	q, now, ok := s.accept(w, r)
	if !ok {
		return
	}
	f := s.faults.pick(Inquiry{Provider: s.provider, RefundID: q.refundID, ProviderRefundID: q.providerRefundID})
	if !s.transportFault(w, r, f) {
		return
	}
	if f == FaultSlow {
		now = s.clock()
	}
	ref, ok := s.store.inquire(q)
	if !ok {
		s.notFound.Add(1)
		nf := s.backend.notFound()
		s.answer(w, r, q, nil, &nf, f, now)
		return
	}
	s.pushIfFinal(ref.RefundID) // a transition may have made it final
	s.answer(w, r, q, &ref, nil, f, now)
}

// accept checks the request's path, method, size and spec, then the
// provider's own checks, and returns the inquiry and the time it arrived.
// When a check fails it has answered, and ok is false.
func (s *Simulator) accept(w http.ResponseWriter, r *http.Request) (q lookup, now time.Time, ok bool) {
	if r.URL.Path != s.valid.path {
		http.Error(w, "simulator: no such path; the refund inquiry is POST "+s.valid.path, http.StatusNotFound)
		return lookup{}, now, false
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "simulator: method not allowed", http.StatusMethodNotAllowed)
		return lookup{}, now, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			s.reject(w, r, s.backend.invalid(invalidity{reason: "request body too large"}))
		}
		return lookup{}, now, false // otherwise the client went away mid-body
	}
	now = s.clock()
	if err := s.valid.request(r, body); err != nil {
		s.reject(w, r, s.backend.invalid(describe(err)))
		return lookup{}, now, false
	}
	q, perr := s.backend.accept(r, body, now)
	if perr != nil {
		s.reject(w, r, *perr)
		return lookup{}, now, false
	}
	return q, now, true
}

// transportFault applies the faults that act before any answer: an HTTP
// 500, a rate limit, a reset connection, or a delay. It reports whether the
// request still gets an answer (false: the fault has answered, or the client
// went away while the answer was delayed).
func (s *Simulator) transportFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	switch f {
	case FaultHTTP500:
		http.Error(w, "simulator: injected internal server error", http.StatusInternalServerError)
		return false
	case FaultRateLimit:
		w.Header().Set("Retry-After", retryAfterSeconds(s.faults.retryAfter()))
		http.Error(w, "simulator: injected rate limit", http.StatusTooManyRequests)
		return false
	case FaultConnReset:
		reset(w)
		return false
	case FaultSlow:
		t := time.NewTimer(s.faults.slowDelay())
		select {
		case <-r.Context().Done():
			t.Stop()
			return false
		case <-t.C:
		}
	}
	return true
}

// reject answers a request that failed a check, with no fault.
func (s *Simulator) reject(w http.ResponseWriter, r *http.Request, perr providerError) {
	s.rejected.Add(1)
	s.answer(w, r, lookup{}, nil, &perr, FaultNone, s.clock())
}

// answer renders, signs and writes a 200 answer, applying the body-level
// faults (oversized, truncated) on the way.
func (s *Simulator) answer(w http.ResponseWriter, r *http.Request, q lookup, ref *Refund, perr *providerError, f Fault, now time.Time) {
	body, err := s.backend.render(q, ref, perr, f, now)
	if err == nil && f == FaultOversized {
		body = append(body, padding()...)
	}
	if err == nil {
		body, err = deviateBody(s.provider, body, f)
	}
	h := w.Header()
	if err == nil {
		err = s.backend.sign(r, h, body, f, now)
	}
	if err != nil {
		http.Error(w, "simulator: cannot build the answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	deviateHeader(s.provider, h, f)
	w.WriteHeader(http.StatusOK)
	if f == FaultTruncated {
		// net/http closes the connection after a handler that wrote less
		// than its declared Content-Length: the client sees an unexpected
		// EOF inside the body.
		body = body[:len(body)/2]
	}
	_, _ = w.Write(body)
}

var paddingBytes = func() []byte {
	b := make([]byte, oversizePadding)
	for i := range b {
		b[i] = ' '
	}
	b[len(b)-1] = '\n'
	return b
}()

// padding returns JSON white space, more than 1 MiB of it. Callers must not
// modify it.
func padding() []byte { return paddingBytes }

// reset closes the client's connection abruptly: SO_LINGER 0 makes the
// kernel send a TCP RST instead of a FIN. Where the connection cannot be
// hijacked (HTTP/2), aborting the handler resets the stream instead.
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// retryAfterSeconds writes d as a Retry-After delay in whole seconds,
// rounded up.
func retryAfterSeconds(d time.Duration) string {
	return strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10)
}

// signedPath returns the request path as the client sent (and signed) it,
// even when the handler is mounted under a prefix with http.StripPrefix.
func signedPath(r *http.Request) string {
	if u, err := url.ParseRequestURI(r.RequestURI); err == nil && u.Path != "" {
		return u.EscapedPath()
	}
	return r.URL.EscapedPath()
}
