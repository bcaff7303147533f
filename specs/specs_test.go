package specs_test

import (
	"bytes"
	"testing"

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
