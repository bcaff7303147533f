package specs_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// schemaCase is a JSON payload and whether schema must accept it.
type schemaCase struct {
	name   string
	schema *openapi3.Schema
	body   string
	valid  bool
}

// testdataCase is a schemaCase for a payload in testdata/<provider>/ that
// schema must accept.
func testdataCase(t *testing.T, provider, file string, schema *openapi3.Schema) schemaCase {
	t.Helper()
	raw, _ := readJSON(t, filepath.Join("testdata", provider, file))
	return schemaCase{name: file, schema: schema, body: string(raw), valid: true}
}

// checkSchemaCases validates each case's payload against its schema, with
// numbers kept as json.Number as readJSON keeps them.
func checkSchemaCases(t *testing.T, cases []schemaCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var value any
			dec := json.NewDecoder(bytes.NewReader([]byte(tc.body)))
			dec.UseNumber()
			require.NoError(t, dec.Decode(&value))
			err := tc.schema.VisitJSON(value)
			if tc.valid {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}

// acceptedRequest checks that srv received exactly one request, found it
// valid and answered it with HTTP 200 (the client saw status and respBody),
// and returns that request.
func acceptedRequest(t *testing.T, srv *validatingServer, status int, respBody []byte) *http.Request {
	t.Helper()
	require.Empty(t, srv.Errors(), "spec validation on the server")
	require.Equal(t, http.StatusOK, status, string(respBody))
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	return reqs[0]
}

// receivedBody returns the body of a request a validatingServer recorded,
// exactly as it arrived.
func receivedBody(t *testing.T, r *http.Request) []byte {
	t.Helper()
	require.NotNil(t, r.GetBody, "recorded request has no re-readable body")
	rc, err := r.GetBody()
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return b
}
