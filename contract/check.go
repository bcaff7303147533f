package contract

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// spec is one provider's route and validation options, as the simulators
// use them, with every error reported rather than the first.
type spec struct {
	provider refundkit.Provider
	route    *routers.Route
	opts     *openapi3filter.Options
	// notification is set for the spec of a provider's refund
	// notifications: requests come from the provider to any URL, so their
	// headers are checked for undeclared ones and their path is not.
	notification bool
}

func specFor(p refundkit.Provider) (*spec, error) {
	return newSpec(p, false, simulator.ContractRoute)
}

func newSpec(p refundkit.Provider, notification bool, routeOf func(refundkit.Provider) (*routers.Route, *openapi3filter.Options, error)) (*spec, error) {
	route, shared, err := routeOf(p)
	if err != nil {
		return nil, fmt.Errorf("contract: %w", err)
	}
	opts := *shared
	opts.MultiError = true
	return &spec{provider: p, route: route, opts: &opts, notification: notification}, nil
}

// checkRequest validates a request the client sent.
func (s *spec) checkRequest(ctx context.Context, m Message, method, url string) []Finding {
	req, err := m.httpRequest(ctx, method, url)
	if err != nil {
		return []Finding{{Side: Request, Kind: Violation, Message: err.Error()}}
	}
	if !s.notification && (method != http.MethodPost || !strings.HasSuffix(req.URL.Path, s.route.Path)) {
		return []Finding{{Side: Request, Kind: Violation, Where: "",
			Message: fmt.Sprintf("%s %s is not the spec's operation POST %s", method, req.URL.Path, s.route.Path)}}
	}
	opts, out := s.opts, []Finding(nil)
	if body := s.route.Operation.RequestBody; body != nil && body.Value != nil && len(m.Body) > 0 && !contentTypeListed(body.Value.Content, m.Header) {
		out = append(out, Finding{Side: Request, Kind: Violation, Where: header("Content-Type"),
			Message: fmt.Sprintf("%q is not in the spec (want %s)", m.Header.Get("Content-Type"), orList(mediaTypes(body.Value.Content)))})
		o := *s.opts
		o.ExcludeRequestBody = true // its media type is not one the spec can check
		opts = &o
	}
	in := &openapi3filter.RequestValidationInput{Request: req, Route: s.route, Options: opts}
	out = append(out, findings(openapi3filter.ValidateRequest(ctx, in), Request, "")...)
	if s.notification {
		out = append(out, undeclaredHeaders(Request, s.requestHeaders(), m.Header)...)
	}
	if body := s.route.Operation.RequestBody; body != nil && body.Value != nil {
		out = append(out, undeclaredMembers(Request, body.Value.Content, m.Header, m.Body)...)
	}
	return out
}

// checkResponse validates a response to the request req. Headers and body
// are validated apart, each header on its own, so that one deviation does
// not hide the next: kin-openapi stops at the first header it rejects.
func (s *spec) checkResponse(ctx context.Context, req Message, method, url string, status int, resp Message) []Finding {
	ref := s.route.Operation.Responses.Status(status)
	if ref == nil {
		ref = s.route.Operation.Responses.Default()
	}
	if ref == nil || ref.Value == nil {
		return []Finding{{Side: Response, Kind: Violation, Where: whereStatus,
			Message: fmt.Sprintf("HTTP %d is not in the spec (it lists %s)", status, orList(s.statuses()))}}
	}
	r := ref.Value
	var out []Finding
	names := make([]string, 0, len(r.Headers))
	for name := range r.Headers {
		if !strings.EqualFold(name, "Content-Type") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		part := &openapi3.Response{Headers: openapi3.Headers{name: r.Headers[name]}}
		out = append(out, s.validatePart(ctx, req, method, url, status, resp, part, header(name))...)
	}
	out = append(out, s.validatePart(ctx, req, method, url, status, resp, &openapi3.Response{Content: r.Content}, "")...)
	out = append(out, undeclaredHeaders(Response, responseHeaders(r.Headers), resp.Header)...)
	return append(out, undeclaredMembers(Response, r.Content, resp.Header, resp.Body)...)
}

// validatePart runs kin-openapi's ValidateResponse against a route whose
// answer for status is only part of the spec's.
func (s *spec) validatePart(ctx context.Context, req Message, method, url string, status int, resp Message, part *openapi3.Response, where string) []Finding {
	op := *s.route.Operation
	op.Responses = openapi3.NewResponses(openapi3.WithStatus(status, &openapi3.ResponseRef{Value: part}))
	route := *s.route
	route.Operation = &op
	hr, err := req.httpRequest(ctx, method, url)
	if err != nil {
		return []Finding{{Side: Request, Kind: Violation, Message: err.Error()}}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: hr, Route: &route, Options: s.opts},
		Status:                 status,
		Header:                 resp.Header,
		Options:                s.opts,
	}
	in.SetBodyBytes(resp.Body)
	if part.Content != nil && !contentTypeListed(part.Content, resp.Header) {
		return []Finding{{Side: Response, Kind: Violation, Where: header("Content-Type"),
			Message: fmt.Sprintf("%q is not in the spec (want %s)", resp.Header.Get("Content-Type"), orList(mediaTypes(part.Content)))}}
	}
	return findings(openapi3filter.ValidateResponse(ctx, in), Response, where)
}

// requestHeaders names the request headers the operation declares:
// header parameters and the headers of its security schemes.
func (s *spec) requestHeaders() []string {
	var out []string
	for _, p := range s.route.Operation.Parameters {
		if p != nil && p.Value != nil && p.Value.In == openapi3.ParameterInHeader {
			out = append(out, p.Value.Name)
		}
	}
	if s.route.Spec.Components != nil {
		for _, ss := range s.route.Spec.Components.SecuritySchemes {
			if ss != nil && ss.Value != nil && ss.Value.In == "header" {
				out = append(out, ss.Value.Name)
			}
		}
	}
	return out
}

func responseHeaders(h openapi3.Headers) []string {
	out := make([]string, 0, len(h))
	for name := range h {
		out = append(out, name)
	}
	return out
}

// statuses lists the response statuses the spec declares.
func (s *spec) statuses() []string {
	var out []string
	for code := range s.route.Operation.Responses.Map() {
		out = append(out, code)
	}
	sort.Strings(out)
	return out
}

// contentTypeListed reports whether the message's Content-Type is one the
// spec lists (parameters such as charset ignored).
func contentTypeListed(c openapi3.Content, h http.Header) bool {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	return err == nil && c.Get(mt) != nil
}

func mediaTypes(c openapi3.Content) []string {
	out := make([]string, 0, len(c))
	for mt := range c {
		out = append(out, mt)
	}
	sort.Strings(out)
	return out
}

// httpRequest rebuilds the request m was, for kin-openapi's input.
func (m Message) httpRequest(ctx context.Context, method, url string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(m.Body))
	if err != nil {
		return nil, fmt.Errorf("contract: rebuild request: %w", err)
	}
	req.Header = m.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	req.ContentLength = int64(len(m.Body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(m.Body)), nil }
	return req, nil
}
