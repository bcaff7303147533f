package specs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sort"
	"strings"
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

// TestSpecs checks every provider's spec: it loads and validates with
// kin-openapi, describes exactly one operation, and every example it declares
// satisfies the schema it illustrates. Run one provider with
// `go test ./specs/ -run 'TestSpecs/newpay'`.
func TestSpecs(t *testing.T) {
	for _, name := range specs.Names {
		t.Run(name, func(t *testing.T) {
			doc, err := specs.Load(name)
			require.NoError(t, err)

			t.Run("shape", func(t *testing.T) {
				assert.Equal(t, "3.0.3", doc.OpenAPI)
				assert.NotEmpty(t, doc.Servers, "servers")
				op := soleOperation(t, doc)
				assert.NotEmpty(t, op.OperationID, "operationId")
				assert.NotEmpty(t, op.Description, "operation description")
			})

			t.Run("examples", func(t *testing.T) {
				examples := collectExamples(doc)
				require.NotEmpty(t, examples, "the spec declares no example")
				for _, ex := range examples {
					t.Run(ex.where, func(t *testing.T) {
						assert.NoError(t, ex.schema.VisitJSON(ex.value, ex.opts...))
					})
				}
			})
		})
	}
}

// TestSpecsRaw checks the embedded files are reachable by name and that an
// unknown name is an error, not an empty spec.
func TestSpecsRaw(t *testing.T) {
	for _, name := range specs.Names {
		t.Run(name, func(t *testing.T) {
			raw, err := specs.Raw(name)
			require.NoError(t, err)
			assert.True(t, bytes.HasPrefix(raw, []byte("openapi: 3.0")), "starts with the OpenAPI version")
		})
	}
	t.Run("unknown", func(t *testing.T) {
		_, err := specs.Raw("nopay")
		require.Error(t, err)
		_, err = specs.Load("nopay")
		require.Error(t, err)
	})
}

// TestCollectExamples proves the example walk reaches every place an
// example can sit and that a wrong example fails, so TestSpecs cannot pass
// by finding nothing.
func TestCollectExamples(t *testing.T) {
	const spec = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /p:
    post:
      parameters:
        - name: h
          in: header
          schema: {type: integer}
          example: not-a-number
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Body"}
            examples:
              bad: {value: {n: "x"}}
      responses:
        "200":
          description: ok
          headers:
            sig:
              schema: {type: string, minLength: 3}
              example: ab
          content:
            application/json:
              schema: {type: object, required: [a]}
              example: {b: 1}
      callbacks:
        pushed:
          "{$request.body#/url}":
            post:
              requestBody:
                content:
                  application/json:
                    schema: {type: object, required: [c]}
                    example: {d: 1}
              responses:
                "200":
                  description: ack
                  content:
                    application/json:
                      schema: {type: string, enum: [OK]}
                      example: NO
components:
  schemas:
    Body:
      type: object
      properties:
        n:
          type: integer
          example: 1.5
`
	doc, err := openapi3.NewLoader().LoadFromData([]byte(spec))
	require.NoError(t, err)
	examples := collectExamples(doc)

	var where []string
	for _, ex := range examples {
		where = append(where, ex.where)
		assert.Error(t, ex.schema.VisitJSON(ex.value, ex.opts...), ex.where)
	}
	assert.ElementsMatch(t, []string{
		"POST /p/parameters/h/example",
		"POST /p/request/application/json/examples/bad",
		"POST /p/responses/200/headers/sig/example",
		"POST /p/responses/200/application/json/example",
		"POST /p/callbacks/pushed/POST {$request.body#/url}/request/application/json/example",
		"POST /p/callbacks/pushed/POST {$request.body#/url}/responses/200/application/json/example",
		"components/schemas/Body/properties/n/example",
	}, where)
}

// example is one example value a spec declares, with the schema it must
// satisfy.
type example struct {
	where  string
	schema *openapi3.Schema
	value  any
	opts   []openapi3.SchemaValidationOption
}

// collectExamples returns every example in doc, in a stable order: those of
// each operation's parameters, request body, response headers and response
// bodies, and those of every schema reachable from the operations or from
// components/schemas, however deeply nested.
func collectExamples(doc *openapi3.T) []example {
	w := exampleWalker{seen: map[*openapi3.Schema]bool{}}
	for _, path := range sortedKeys(doc.Paths.Map()) {
		w.pathItem("", path, doc.Paths.Value(path))
	}
	if doc.Components != nil {
		for _, name := range sortedKeys(doc.Components.Schemas) {
			w.schema("components/schemas/"+name, doc.Components.Schemas[name])
		}
	}
	return w.found
}

// pathItem walks every operation of one path item, and the path items of
// each operation's callbacks (the notifications a provider pushes), named
// "<operation>/callbacks/<name>/<METHOD> <expression>/...".
func (w *exampleWalker) pathItem(prefix, path string, item *openapi3.PathItem) {
	for _, method := range sortedKeys(item.Operations()) {
		op := item.GetOperation(method)
		at := prefix + method + " " + path
		params := append(slices.Clone(item.Parameters), op.Parameters...)
		for _, p := range params {
			if p.Value != nil {
				w.parameter(at+"/parameters/"+p.Value.Name, p.Value, openapi3.VisitAsRequest())
			}
		}
		if op.RequestBody != nil && op.RequestBody.Value != nil {
			w.content(at+"/request", op.RequestBody.Value.Content, openapi3.VisitAsRequest())
		}
		if op.Responses != nil {
			w.responses(at, op.Responses)
		}
		for _, name := range sortedKeys(op.Callbacks) {
			cb := op.Callbacks[name]
			if cb == nil || cb.Value == nil {
				continue
			}
			for _, expr := range sortedKeys(cb.Value.Map()) {
				w.pathItem(at+"/callbacks/"+name+"/", expr, cb.Value.Value(expr))
			}
		}
	}
}

func (w *exampleWalker) responses(at string, responses *openapi3.Responses) {
	for _, status := range sortedKeys(responses.Map()) {
		resp := responses.Value(status)
		if resp.Value == nil {
			continue
		}
		for _, name := range sortedKeys(resp.Value.Headers) {
			if h := resp.Value.Headers[name]; h.Value != nil {
				w.parameter(at+"/responses/"+status+"/headers/"+name, &h.Value.Parameter, openapi3.VisitAsResponse())
			}
		}
		w.content(at+"/responses/"+status, resp.Value.Content, openapi3.VisitAsResponse())
	}
}

// exampleWalker accumulates examples; seen keeps shared schemas from being
// visited (and reported) twice.
type exampleWalker struct {
	found []example
	seen  map[*openapi3.Schema]bool
}

func (w *exampleWalker) add(where string, s *openapi3.SchemaRef, value any, opts ...openapi3.SchemaValidationOption) {
	if s == nil || s.Value == nil {
		// A parameter without a schema uses content instead; nothing to check here.
		return
	}
	w.found = append(w.found, example{where: where, schema: s.Value, value: value, opts: opts})
}

func (w *exampleWalker) parameter(at string, p *openapi3.Parameter, opt openapi3.SchemaValidationOption) {
	if p.Example != nil {
		w.add(at+"/example", p.Schema, p.Example, opt)
	}
	w.examples(at, p.Schema, p.Examples, opt)
	w.schema(at+"/schema", p.Schema)
	w.content(at, p.Content, opt)
}

func (w *exampleWalker) content(at string, c openapi3.Content, opt openapi3.SchemaValidationOption) {
	for _, mediaType := range sortedKeys(c) {
		mt := c[mediaType]
		if mt == nil {
			continue
		}
		if mt.Example != nil {
			w.add(at+"/"+mediaType+"/example", mt.Schema, mt.Example, opt)
		}
		w.examples(at+"/"+mediaType, mt.Schema, mt.Examples, opt)
		w.schema(at+"/"+mediaType+"/schema", mt.Schema)
	}
}

func (w *exampleWalker) examples(at string, s *openapi3.SchemaRef, examples openapi3.Examples, opt openapi3.SchemaValidationOption) {
	for _, name := range sortedKeys(examples) {
		if ex := examples[name]; ex != nil && ex.Value != nil && ex.Value.ExternalValue == "" {
			w.add(at+"/examples/"+name, s, ex.Value.Value, opt)
		}
	}
}

// schema records s's own example and walks every schema nested in it.
func (w *exampleWalker) schema(at string, ref *openapi3.SchemaRef) {
	if ref == nil || ref.Value == nil || w.seen[ref.Value] {
		return
	}
	s := ref.Value
	w.seen[s] = true
	if strings.HasPrefix(ref.Ref, "#/") {
		// Named where it is defined, whatever led to it.
		at = strings.TrimPrefix(ref.Ref, "#/")
	}
	if s.Example != nil {
		w.add(at+"/example", ref, s.Example)
	}
	for _, name := range sortedKeys(s.Properties) {
		w.schema(at+"/properties/"+name, s.Properties[name])
	}
	w.schema(at+"/items", s.Items)
	w.schema(at+"/not", s.Not)
	if s.AdditionalProperties.Schema != nil {
		w.schema(at+"/additionalProperties", s.AdditionalProperties.Schema)
	}
	for _, group := range []struct {
		kind string
		list openapi3.SchemaRefs
	}{{"allOf", s.AllOf}, {"anyOf", s.AnyOf}, {"oneOf", s.OneOf}} {
		for i, sub := range group.list {
			w.schema(fmt.Sprintf("%s/%s/%d", at, group.kind, i), sub)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// soleOperation returns the one operation doc describes; each provider's
// spec covers exactly its refund inquiry.
func soleOperation(t *testing.T, doc *openapi3.T) *openapi3.Operation {
	t.Helper()
	var ops []*openapi3.Operation
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			ops = append(ops, op)
		}
	}
	require.Len(t, ops, 1, "operations in the spec")
	return ops[0]
}

// bodySchemas returns the schemas of the sole operation's request body and of
// its HTTP 200 answer, for the given media type.
func bodySchemas(t *testing.T, doc *openapi3.T, mediaType string) (request, response *openapi3.Schema) {
	t.Helper()
	op := soleOperation(t, doc)
	require.NotNil(t, op.RequestBody, "request body")
	req := op.RequestBody.Value.Content.Get(mediaType)
	require.NotNil(t, req, "request body media type %s", mediaType)
	ok := op.Responses.Status(http.StatusOK)
	require.NotNil(t, ok, "200 response")
	resp := ok.Value.Content.Get(mediaType)
	require.NotNil(t, resp, "200 response media type %s", mediaType)
	return req.Schema.Value, resp.Schema.Value
}

// payload names an example payload in testdata and the side of the
// exchange it belongs to.
type payload struct {
	file     string
	response bool // an answer to the operation, not a request
}

// checkPayloads validates each payload against the schema the named
// provider's operation uses for its side of the exchange.
func checkPayloads(t *testing.T, name string, payloads ...payload) {
	t.Helper()
	doc, err := specs.Load(name)
	require.NoError(t, err)
	reqSchema, respSchema := bodySchemas(t, doc, "application/json")
	for _, p := range payloads {
		t.Run(p.file, func(t *testing.T) {
			_, value := readJSON(t, p.file)
			if p.response {
				assert.NoError(t, respSchema.VisitJSON(value, openapi3.VisitAsResponse()))
			} else {
				assert.NoError(t, reqSchema.VisitJSON(value, openapi3.VisitAsRequest()))
			}
		})
	}
}

// readJSON reads a payload from testdata and decodes it with numbers kept
// as json.Number, the form kin-openapi validates without losing digits.
func readJSON(t *testing.T, path string) (raw []byte, value any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&value), path)
	return raw, value
}

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
