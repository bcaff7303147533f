package specs_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/specs"
)

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
