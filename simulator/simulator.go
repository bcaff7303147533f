package simulator

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/refundkit/refundkit"
)

// Simulator is a fake provider: an http.Handler that answers the provider's
// refund inquiry the way the provider does, from refunds seeded with Seed.
// Build one with [New].
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

// noSignatureHeaders is embedded by the backends that set no signature
// header: their sign does nothing (NewPay signs inside the body, ZaloPay
// not at all).
type noSignatureHeaders struct{}

func (noSignatureHeaders) sign(*http.Request, http.Header, []byte, Fault, time.Time) error {
	return nil
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
