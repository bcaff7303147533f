package specs_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// everyExampleSpec declares a wrong example in every place an example can
// sit: a parameter, a request body's examples, a response header and body,
// a callback's request and response, and a component schema's property.
const everyExampleSpec = `
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

// TestCollectExamples proves the example walk reaches every place an
// example can sit and that a wrong example fails, so TestSpecs cannot pass
// by finding nothing.
func TestCollectExamples(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(everyExampleSpec))
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
