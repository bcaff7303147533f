package specs_test

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/specs"
)

// TestPayerMaxRequestTimeForms: the spec accepts every RFC 3339 time with 0
// to 9 fraction digits and any offset, as PayerMax's own Go SDK writes them
// (its .999 layout trims trailing zeros), and an empty merchantNo, which the
// same SDK sends when it has none.
func TestPayerMaxRequestTimeForms(t *testing.T) {
	doc, err := specs.Load("payermax")
	require.NoError(t, err)
	reqSchema, _ := bodySchemas(t, doc, "application/json")
	with := func(member string, v any) map[string]any {
		_, value := readJSON(t, payermaxRequestFile)
		body := value.(map[string]any)
		body[member] = v
		return body
	}
	for _, ok := range []string{
		"2022-01-17T07:01:23.737+00:00", // what refundkit and PayerMax's docs send
		"2026-12-01T08:36:12.55Z",       // PayerMax's Go SDK, trailing zero trimmed
		"2026-12-01T08:36:12.5Z",
		"2026-12-01T08:36:12Z", // all zeros trimmed
		"2026-12-01T15:36:12.123456789+07:00",
		"2026-12-01T03:06:12.1-05:30",
	} {
		assert.NoError(t, reqSchema.VisitJSON(with("requestTime", ok), openapi3.VisitAsRequest()), ok)
	}
	for _, bad := range []string{
		"2026-12-01T08:36:12.1234567890Z", // ten fraction digits
		"2026-12-01T08:36:12.Z",
		"2026-12-01T08:36:12.5", // no offset
		"2026-12-01 08:36:12.5Z",
		"2026-12-01T08:36:12.5+0700",
	} {
		assert.Error(t, reqSchema.VisitJSON(with("requestTime", bad), openapi3.VisitAsRequest()), bad)
	}
	assert.NoError(t, reqSchema.VisitJSON(with("merchantNo", ""), openapi3.VisitAsRequest()), "empty merchantNo")
}
