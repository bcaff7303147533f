package specs_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/specs"
)

// reply is what a validatingServer answers.
type reply struct {
	header http.Header
	body   []byte
}

// validatingServer is a loopback stand-in for a provider. It checks every
// request with openapi3filter.ValidateRequest against the provider's spec,
// with the spec's servers pointed at itself, and checks its own answer with
// ValidateResponse before sending it. A request that fails validation is
// answered with HTTP 400.
type validatingServer struct {
	URL string

	mu       sync.Mutex
	requests []*http.Request // as received, bodies re-readable
	errs     []error
}

// newValidatingServer starts a validatingServer for the named provider that
// answers every valid request with HTTP 200 and rep.
func newValidatingServer(t *testing.T, name string, rep reply) *validatingServer {
	t.Helper()
	raw, err := specs.Raw(name)
	require.NoError(t, err)
	// A private copy: specs.Load's document is shared and must not change.
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	require.NoError(t, err)

	vs := &validatingServer{}
	srv := httptest.NewUnstartedServer(nil)
	vs.URL = "http://" + srv.Listener.Addr().String()
	doc.Servers = openapi3.Servers{{URL: vs.URL}}
	router, err := legacy.NewRouter(doc)
	require.NoError(t, err)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, header, body := vs.serve(r, router, rep)
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
	srv.Start()
	t.Cleanup(srv.Close)
	return vs
}

// serve validates r and, if it is valid, rep; it records r and any error.
func (vs *validatingServer) serve(r *http.Request, router routers.Router, rep reply) (int, http.Header, []byte) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return vs.fail(r, fmt.Errorf("read request body: %w", err))
	}
	req := r.Clone(r.Context())
	req.URL.Scheme, req.URL.Host = "http", r.Host
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	req.Body, _ = req.GetBody()
	vs.record(req, nil)

	route, pathParams, err := router.FindRoute(req)
	if err != nil {
		return vs.fail(r, fmt.Errorf("find route: %w", err))
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: pathParams,
		Route:      route,
		Options:    &openapi3filter.Options{AuthenticationFunc: headerPresent},
	}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		return vs.fail(r, fmt.Errorf("request: %w", err))
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 http.StatusOK,
		Header:                 rep.header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(r.Context(), out.SetBodyBytes(rep.body)); err != nil {
		return vs.fail(r, fmt.Errorf("response: %w", err))
	}
	return http.StatusOK, rep.header, rep.body
}

func (vs *validatingServer) record(req *http.Request, err error) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if req != nil {
		vs.requests = append(vs.requests, req)
	}
	if err != nil {
		vs.errs = append(vs.errs, err)
	}
}

func (vs *validatingServer) fail(r *http.Request, err error) (int, http.Header, []byte) {
	vs.record(nil, err)
	return http.StatusBadRequest, http.Header{"Content-Type": {"text/plain"}}, []byte(err.Error())
}

// Requests returns the requests received so far.
func (vs *validatingServer) Requests() []*http.Request {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	return slices.Clone(vs.requests)
}

// Errors returns the validation failures so far.
func (vs *validatingServer) Errors() []error {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	return slices.Clone(vs.errs)
}

// requireRejected asserts that vs refused the one request a client sent,
// answering HTTP 400, for a reason mentioning want.
func requireRejected(t *testing.T, vs *validatingServer, status int, want string) {
	t.Helper()
	assert.Equal(t, http.StatusBadRequest, status)
	errs := vs.Errors()
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], want)
}

// headerPresent is the AuthenticationFunc for ValidateRequest. It accepts a
// header API-key scheme (PayerMax's `sign`) when the header is present and
// not empty. Whether the signature is right is sign/'s job, not the spec's.
func headerPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	s := in.SecurityScheme
	if s == nil || s.Type != "apiKey" || s.In != "header" {
		return fmt.Errorf("unsupported security scheme %q", in.SecuritySchemeName)
	}
	if in.RequestValidationInput.Request.Header.Get(s.Name) == "" {
		return fmt.Errorf("missing %s header", s.Name)
	}
	return nil
}
