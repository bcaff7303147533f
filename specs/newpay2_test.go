package specs_test

import (
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/gen/newpay2"
	"github.com/refundkit/refundkit/specs"
)

// TestNewPay2Payloads validates the v2 payloads of testdata/newpay2 (see
// its README.md) against the schemas the operation uses.
func TestNewPay2Payloads(t *testing.T) {
	checkPayloads(t, "newpay2",
		payload{file: "testdata/newpay2/uni_query_refund_request.json"},
		payload{file: "testdata/newpay2/uni_query_refund_response.json", response: true},
		payload{file: "testdata/newpay2/uni_query_refund_response_not_found.json", response: true},
	)
}

// TestNewPay2RefundStatusIsOpen: NewPay types refundStatus "int" yet lists
// strings, so the spec and the generated type take any JSON value and keep
// it as received; package inquiry maps what is not one of the three strings to
// unknown.
func TestNewPay2RefundStatusIsOpen(t *testing.T) {
	doc, err := specs.Load("newpay2")
	require.NoError(t, err)
	_, respSchema := bodySchemas(t, doc, "application/json")
	for _, status := range []string{`"SUCCESS"`, `"REFUND_CLOSED"`, `1`, `null`} {
		body := []byte(`{"success":true,"code":"0","data":{"refundStatus":` + status + `}}`)
		var value any
		require.NoError(t, json.Unmarshal(body, &value))
		assert.NoError(t, respSchema.VisitJSON(value, openapi3.VisitAsResponse()), status)
		var got newpay2.UniQueryRefundResponse
		require.NoError(t, json.Unmarshal(body, &got), status)
		if status != `null` {
			assert.JSONEq(t, status, string(*got.Data.RefundStatus))
		}
	}
	// code and success are required.
	var value any
	require.NoError(t, json.Unmarshal([]byte(`{"success":true}`), &value))
	assert.Error(t, respSchema.VisitJSON(value, openapi3.VisitAsResponse()))
}
