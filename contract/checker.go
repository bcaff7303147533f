package contract

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/internal/httpbody"
	"github.com/refundkit/refundkit/simulator"
)

// Message is one half of an exchange: headers and the exact body bytes.
type Message struct {
	Header http.Header
	Body   []byte
}

// Exchange is one request a client sent and the response it got, with
// what a check of both against the spec found.
type Exchange struct {
	Provider refundkit.Provider
	// Notification is set for a refund notification (from a
	// NotificationChecker): the request came from the provider.
	Notification bool
	Method       string
	// URL is the request's URL, user information removed.
	URL     string
	Request Message
	// Status and Response are the response; Status is 0 when none
	// arrived complete (see Err).
	Status   int
	Response Message
	// Err is why no complete response arrived (a network error, a
	// truncated body); the response is then not checked.
	Err error
	// Findings is every deviation found, request first.
	Findings []Finding
}

// Violations returns the findings of kind Violation.
func (e Exchange) Violations() []Finding { return e.only(Violation) }

// Undeclared returns the findings of kind Undeclared.
func (e Exchange) Undeclared() []Finding { return e.only(Undeclared) }

func (e Exchange) only(k Kind) []Finding {
	var out []Finding
	for _, f := range e.Findings {
		if f.Kind == k {
			out = append(out, f)
		}
	}
	return out
}

// Checker is an http.RoundTripper that checks every request sent through
// it and every response received against the provider's spec, and keeps
// each exchange for Exchanges. It passes the traffic through unchanged:
// bodies are read in full and restored, so the client sees the exact
// bytes. A Checker is safe for concurrent use.
type Checker struct {
	base http.RoundTripper
	spec *spec

	mu        sync.Mutex
	exchanges []Exchange
}

// NewChecker returns a Checker of provider p's traffic over base (nil means
// http.DefaultTransport).
func NewChecker(base http.RoundTripper, p refundkit.Provider) (*Checker, error) {
	s, err := specFor(p)
	if err != nil {
		return nil, err
	}
	if base == nil {
		base = http.DefaultTransport
	}
	return &Checker{base: base, spec: s}, nil
}

// Exchanges returns the exchanges checked since the last call, oldest
// first, and forgets them.
func (c *Checker) Exchanges() []Exchange {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.exchanges
	c.exchanges = nil
	return out
}

// RoundTrip sends req through the base transport and checks the exchange.
func (c *Checker) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := httpbody.ReadRequest(req)
	if err != nil {
		return nil, fmt.Errorf("contract: read request body: %w", err)
	}
	out := httpbody.Clone(req, body)
	ex := Exchange{Provider: c.spec.provider, Method: req.Method, URL: req.URL.Redacted(),
		Request: Message{Header: req.Header.Clone(), Body: body}}

	resp, err := c.base.RoundTrip(out)
	if err != nil {
		ex.Err = err
		c.keep(req.Context(), ex)
		return nil, err
	}
	rbody, rerr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = httpbody.Replay(rbody, rerr)
	if rerr != nil {
		ex.Err = rerr
	} else {
		ex.Status, ex.Response = resp.StatusCode, Message{Header: resp.Header.Clone(), Body: rbody}
	}
	c.keep(req.Context(), ex)
	return resp, nil
}

// keep checks ex and stores it.
func (c *Checker) keep(ctx context.Context, ex Exchange) {
	c.spec.check(context.WithoutCancel(ctx), &ex)
	c.mu.Lock()
	c.exchanges = append(c.exchanges, ex)
	c.mu.Unlock()
}

// check fills in ex.Findings.
func (s *spec) check(ctx context.Context, ex *Exchange) {
	fs := s.checkRequest(ctx, ex.Request, ex.Method, ex.URL)
	if ex.Err == nil {
		fs = append(fs, s.checkResponse(ctx, ex.Request, ex.Method, ex.URL, ex.Status, ex.Response)...)
	}
	ex.Findings = sortFindings(fs)
}

// Check checks an exchange of provider ex.Provider against its spec, as a
// Checker (or, for a notification, a NotificationChecker) does, and fills in ex.Findings: for an exchange read back from a
// Recording, for instance.
func Check(ctx context.Context, ex *Exchange) error {
	s, err := specFor(ex.Provider)
	if ex.Notification {
		s, err = newSpec(ex.Provider, true, simulator.NotificationRoute)
	}
	if err != nil {
		return err
	}
	s.check(ctx, ex)
	return nil
}
