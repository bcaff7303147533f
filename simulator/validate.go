package simulator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/specs"
)

// validator checks traffic of one provider's refund inquiry against its
// spec. Each spec describes exactly one operation, so the route is built
// directly from it instead of through a router: the request's host never
// matters (simulators run on loopback, not on the spec's servers), only its
// path and method. A validator is built once per provider and shared; it is
// safe for concurrent use.
type validator struct {
	provider refundkit.Provider
	path     string
	route    *routers.Route
	opts     *openapi3filter.Options
}

var validators sync.Map // refundkit.Provider -> *validatorOnce

type validatorOnce struct {
	once sync.Once
	v    *validator
	err  error
}

// validatorFor returns the shared validator of provider p.
func validatorFor(p refundkit.Provider) (*validator, error) {
	x, _ := validators.LoadOrStore(p, &validatorOnce{})
	vo := x.(*validatorOnce)
	vo.once.Do(func() { vo.v, vo.err = newValidator(p) })
	return vo.v, vo.err
}

func newValidator(p refundkit.Provider) (*validator, error) {
	if !p.Valid() {
		return nil, fmt.Errorf("simulator: unknown provider %q", p)
	}
	doc, err := specs.Load(string(p))
	if err != nil {
		return nil, fmt.Errorf("simulator: %w", err)
	}
	if doc.Paths.Len() != 1 {
		return nil, fmt.Errorf("simulator: %s spec has %d paths, want exactly one", p, doc.Paths.Len())
	}
	path := doc.Paths.InMatchingOrder()[0]
	item := doc.Paths.Value(path)
	if item.Post == nil {
		return nil, fmt.Errorf("simulator: %s spec has no POST %s", p, path)
	}
	return &validator{
		provider: p,
		path:     path,
		route:    &routers.Route{Spec: doc, Path: path, PathItem: item, Method: http.MethodPost, Operation: item.Post},
		opts: &openapi3filter.Options{
			AuthenticationFunc:  requireHeaderKey,
			SkipSettingDefaults: true,
		},
	}, nil
}

// requireHeaderKey is the AuthenticationFunc for the specs' security schemes.
// They describe signatures carried in headers (PayerMax's sign, AlphaPay's
// Signature): validation checks only that the header is there; whether the
// signature is right is the signing code's business.
func requireHeaderKey(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	s := in.SecurityScheme
	if s.Type == "apiKey" && s.In == "header" && in.RequestValidationInput.Request.Header.Get(s.Name) == "" {
		return in.NewError(fmt.Errorf("header %q is missing", s.Name))
	}
	return nil
}

// input returns the validation input for req, whose body has been read into
// body. The request handed to openapi3filter is a shallow copy with its own
// body reader, so req itself is left as it was.
func (v *validator) input(req *http.Request, body []byte) *openapi3filter.RequestValidationInput {
	r := req.WithContext(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	r.ContentLength = int64(len(body))
	return &openapi3filter.RequestValidationInput{Request: r, Route: v.route, Options: v.opts}
}

// request validates a request (headers and body) against the spec.
func (v *validator) request(req *http.Request, body []byte) error {
	return openapi3filter.ValidateRequest(req.Context(), v.input(req, body))
}

// response validates a response to req against the spec: status, headers
// and body.
func (v *validator) response(req *http.Request, reqBody []byte, status int, header http.Header, body []byte) error {
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: v.input(req, reqBody),
		Status:                 status,
		Header:                 header,
		Options:                v.opts,
	}
	in.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(req.Context(), in)
}

// invalidity says what was wrong with a request that failed validation, so
// that each provider can answer with the code it uses for that field.
type invalidity struct {
	// signature is set when a signature header required by a security
	// scheme is missing.
	signature bool
	// field names the offending header or body field: a header name as the
	// spec spells it, or a body field path such as "appId" or
	// "data.outRefundNo"; empty when the body as a whole is wrong.
	field string
	// reason is a short human-readable explanation, free of request data.
	reason string
}

// describe turns a validation error into an invalidity.
func describe(err error) invalidity {
	var sec *openapi3filter.SecurityRequirementsError
	if errors.As(err, &sec) {
		return invalidity{signature: true, reason: "signature header is missing"}
	}
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		return invalidity{reason: "request does not match the API"}
	}
	if re.Parameter != nil {
		return invalidity{field: re.Parameter.Name, reason: fmt.Sprintf("header %s is missing or invalid", re.Parameter.Name)}
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		if ptr := se.JSONPointer(); len(ptr) > 0 {
			f := strings.Join(ptr, ".")
			return invalidity{field: f, reason: fmt.Sprintf("field %s is missing or invalid", f)}
		}
		return invalidity{reason: "request body does not match the API"}
	}
	return invalidity{reason: "request body is missing, malformed or of the wrong content type"}
}
