package specs_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/gen/alphapay"
	"github.com/refundkit/refundkit/gen/newpay"
	"github.com/refundkit/refundkit/gen/payermax"
	"github.com/refundkit/refundkit/specs"
)

// soleCallback returns the one callback operation the sole operation of the
// named provider's spec declares (the notification the provider pushes), or
// nil when it declares none.
func soleCallback(t *testing.T, name string) *openapi3.Operation {
	t.Helper()
	doc, err := specs.Load(name)
	require.NoError(t, err)
	var ops []*openapi3.Operation
	for _, cb := range soleOperation(t, doc).Callbacks {
		for _, item := range cb.Value.Map() {
			for _, op := range item.Operations() {
				ops = append(ops, op)
			}
		}
	}
	if len(ops) == 0 {
		return nil
	}
	require.Len(t, ops, 1, "callback operations")
	return ops[0]
}

// TestNotificationCallbacks checks that every provider that pushes refund
// notifications describes exactly one, with a JSON body and a 200
// acknowledgement, that ZaloPay (which has no refund callback) describes
// none, and that an example payload validates against the body schema and
// decodes into the generated type with every digit of the amount kept.
func TestNotificationCallbacks(t *testing.T) {
	assert.Nil(t, soleCallback(t, "zalopay"), "ZaloPay pushes no refund notification")

	for _, tc := range []struct {
		name, file, ack string
		decode          func(raw []byte) (amount string, err error)
		wantAmount      string
	}{
		{"payermax", "testdata/payermax/refund_notification.json", `{"code":"SUCCESS","msg":"Success"}`,
			func(raw []byte) (string, error) {
				var n payermax.RefundNotification
				err := json.Unmarshal(raw, &n)
				return n.Data.RefundAmount.String(), err
			}, "12345678901234.5678"},
		{"newpay", "testdata/newpay/refund_callback.json", `{"transResult":"SUCCESS"}`,
			func(raw []byte) (string, error) {
				var n newpay.RefundCallback
				err := json.Unmarshal(raw, &n)
				return *n.RefundOrderAmt, err
			}, "50000"},
		{"alphapay", "testdata/alphapay/refund_notification.json", `{"result":{"resultCode":"SUCCESS","resultMessage":"success","resultStatus":"S"}}`,
			func(raw []byte) (string, error) {
				var n alphapay.RefundNotification
				err := json.Unmarshal(raw, &n)
				return *n.Refund.RefundAmount.Value, err
			}, "100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op := soleCallback(t, tc.name)
			require.NotNil(t, op, "callback")
			assert.NotEmpty(t, op.OperationID)
			body := op.RequestBody.Value.Content.Get("application/json")
			require.NotNil(t, body, "JSON body")
			ok := op.Responses.Status(http.StatusOK)
			require.NotNil(t, ok, "200 acknowledgement")
			ackSchema := ok.Value.Content.Get("application/json").Schema.Value

			raw, value := readJSON(t, tc.file)
			require.NoError(t, body.Schema.Value.VisitJSON(value, openapi3.VisitAsRequest()))
			amount, err := tc.decode(raw)
			require.NoError(t, err)
			assert.Equal(t, tc.wantAmount, amount)

			var ack any
			dec := json.NewDecoder(bytes.NewReader([]byte(tc.ack)))
			dec.UseNumber()
			require.NoError(t, dec.Decode(&ack))
			assert.NoError(t, ackSchema.VisitJSON(ack, openapi3.VisitAsResponse()))
			assert.Error(t, ackSchema.VisitJSON("SUCCESS", openapi3.VisitAsResponse()), "a bare string is not the acknowledgement")
		})
	}
}
