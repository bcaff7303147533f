package simulator

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/internal/httpbody"
)

// ErrContractViolation is wrapped by the error a ValidatingTransport made
// with FailOnViolation returns for a request or response that does not match
// the provider's spec.
var ErrContractViolation = errors.New("simulator: contract violation")

// Violation is one request or response that did not match the provider's
// OpenAPI spec.
type Violation struct {
	Provider refundkit.Provider
	// Response is false for a request the client sent, true for a
	// response it received.
	Response bool
	Method   string
	URL      string
	// Status is the response's HTTP status (0 for a request).
	Status int
	// Err is the validation error from openapi3filter.
	Err error
}

// String describes the violation on one line.
func (v Violation) String() string {
	what := "request"
	if v.Response {
		what = fmt.Sprintf("response %d to", v.Status)
	}
	return fmt.Sprintf("%s: %s %s %s: %v", v.Provider, what, v.Method, v.URL, v.Err)
}

// ValidatingTransport is an http.RoundTripper for contract tests: it checks
// every request sent through it and every response received against the
// provider's OpenAPI spec with openapi3filter.ValidateRequest and
// ValidateResponse, and records each mismatch as a Violation. Bodies are
// read in full and restored, so the client sees the exact bytes.
//
// Requests must be the provider's refund inquiry (POST to the spec's path,
// under any base URL); anything else is a violation. A response that fails
// to arrive or whose body fails to read (a reset connection, a truncated
// body) is passed through unchanged and not validated: there is nothing
// complete to check. Simulator faults that break the contract on purpose
// show up as violations too: FaultMissingSignature on AlphaPay, whose spec
// requires the Signature header.
//
// A ValidatingTransport is safe for concurrent use.
type ValidatingTransport struct {
	base   http.RoundTripper
	valid  *validator
	strict bool

	mu         sync.Mutex
	violations []Violation

	requests, responses atomic.Int64
}

// ContractOption configures a ValidatingTransport.
type ContractOption func(*ValidatingTransport)

// FailOnViolation makes the transport fail a round trip whose request or
// response violates the spec, with an error wrapping ErrContractViolation
// (a violating request is then not sent). The violation is recorded either
// way.
func FailOnViolation() ContractOption {
	return func(t *ValidatingTransport) { t.strict = true }
}

// NewValidatingTransport returns a transport that validates provider's
// traffic over base (nil means http.DefaultTransport).
func NewValidatingTransport(base http.RoundTripper, provider refundkit.Provider, opts ...ContractOption) (*ValidatingTransport, error) {
	v, err := validatorFor(provider)
	if err != nil {
		return nil, err
	}
	if base == nil {
		base = http.DefaultTransport
	}
	t := &ValidatingTransport{base: base, valid: v}
	for _, o := range opts {
		o(t)
	}
	return t, nil
}

// Violations returns the violations recorded so far, oldest first.
func (t *ValidatingTransport) Violations() []Violation {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Violation(nil), t.violations...)
}

// Checked reports how many requests and responses the transport has
// validated, so that a test can tell "no violations" from "no traffic".
func (t *ValidatingTransport) Checked() (requests, responses int64) {
	return t.requests.Load(), t.responses.Load()
}

// Reset forgets the recorded violations and counts.
func (t *ValidatingTransport) Reset() {
	t.mu.Lock()
	t.violations = nil
	t.mu.Unlock()
	t.requests.Store(0)
	t.responses.Store(0)
}

// RoundTrip validates req, sends it through the base transport, validates
// the response and returns it with its body restored.
func (t *ValidatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	reqBody, err := httpbody.ReadRequest(req)
	if err != nil {
		return nil, fmt.Errorf("simulator: validating transport: read request body: %w", err)
	}
	out := httpbody.Clone(req, reqBody)

	t.requests.Add(1)
	if err := t.checkRequest(req, reqBody); err != nil {
		if v := t.record(Violation{Method: req.Method, URL: req.URL.Redacted(), Err: err}); t.strict {
			return nil, v
		}
	}
	resp, err := t.base.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		resp.Body = httpbody.Replay(body, err)
		return resp, nil
	}
	resp.Body = httpbody.Replay(body, nil)
	t.responses.Add(1)
	if err := t.valid.response(req, reqBody, resp.StatusCode, resp.Header, body); err != nil {
		v := t.record(Violation{Response: true, Method: req.Method, URL: req.URL.Redacted(), Status: resp.StatusCode, Err: err})
		if t.strict {
			return nil, v
		}
	}
	return resp, nil
}

// checkRequest validates a request: the spec's one operation, then its
// headers and body.
func (t *ValidatingTransport) checkRequest(req *http.Request, body []byte) error {
	if req.Method != http.MethodPost || !strings.HasSuffix(req.URL.Path, t.valid.path) {
		return fmt.Errorf("%s %s is not the spec's operation POST %s", req.Method, req.URL.Path, t.valid.path)
	}
	return t.valid.request(req, body)
}

// record stores v and returns it as an error wrapping ErrContractViolation.
func (t *ValidatingTransport) record(v Violation) error {
	v.Provider = t.valid.provider
	t.mu.Lock()
	t.violations = append(t.violations, v)
	t.mu.Unlock()
	return fmt.Errorf("%w: %s", ErrContractViolation, v)
}
