package specs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/gen/newpay"
	"github.com/refundkit/refundkit/specs"
)

const (
	newpayRequestFile     = "testdata/newpay/query_refund_request.json"
	newpayPublishedFile   = "testdata/newpay/query_refund_response.json"
	newpayTableShapedFile = "testdata/newpay/query_refund_response_numeric_timestamp.json"
)

// TestNewPayPayloads validates NewPay's own example payloads (see
// testdata/newpay/README.md) against the schemas the operation uses.
func TestNewPayPayloads(t *testing.T) {
	checkPayloads(t, "newpay",
		payload{file: newpayRequestFile},
		payload{file: newpayPublishedFile, response: true},
		payload{file: newpayTableShapedFile, response: true},
	)
}

// TestNewPayTimestamp checks that the spec and the generated type agree on
// the response timestamp: a number or a string of digits is valid and
// decodes to the same json.Number; anything else is refused by both.
func TestNewPayTimestamp(t *testing.T) {
	doc, err := specs.Load("newpay")
	require.NoError(t, err)
	_, respSchema := bodySchemas(t, doc, "application/json")

	for _, tc := range []struct {
		name, timestamp string // timestamp as JSON text
		want            string // decoded json.Number; "" means refused
	}{
		{"number", `1662528718641`, "1662528718641"},
		{"string", `"1662528718641"`, "1662528718641"},
		{"string with letters", `"1662528718641Z"`, ""},
		{"empty string", `""`, ""},
		{"boolean", `true`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := []byte(`{"success":true,"code":"0","timestamp":` + tc.timestamp + `}`)
			var value any
			require.NoError(t, json.Unmarshal(body, &value))
			specErr := respSchema.VisitJSON(value, openapi3.VisitAsResponse())

			var got newpay.QueryRefundResponse
			decodeErr := json.Unmarshal(body, &got)

			if tc.want == "" {
				assert.Error(t, specErr, "spec")
				assert.Error(t, decodeErr, "decode")
				return
			}
			require.NoError(t, specErr, "spec")
			require.NoError(t, decodeErr, "decode")
			require.NotNil(t, got.Timestamp)
			assert.Equal(t, tc.want, got.Timestamp.String())
			ms, err := got.Timestamp.Int64()
			require.NoError(t, err)
			assert.Equal(t, int64(1662528718641), ms)
		})
	}
}

// TestNewPayClient points the generated client at a loopback server that
// validates each request against the spec, and checks that both the
// published answer and the table-shaped one decode with every field intact.
func TestNewPayClient(t *testing.T) {
	var body newpay.QueryRefundRequest
	raw, _ := readJSON(t, newpayRequestFile)
	require.NoError(t, json.Unmarshal(raw, &body))

	for _, tc := range []struct {
		file              string
		wantTranStatus    *int32
		wantRefundSuccess *bool
	}{
		{file: newpayPublishedFile, wantRefundSuccess: ptr(true)},
		{file: newpayTableShapedFile, wantTranStatus: ptr[int32](1)},
	} {
		t.Run(tc.file, func(t *testing.T) {
			answer, err := os.ReadFile(tc.file)
			require.NoError(t, err)
			srv := newValidatingServer(t, "newpay", reply{
				header: http.Header{"Content-Type": {"application/json"}},
				body:   answer,
			})
			client, err := newpay.NewClientWithResponses(srv.URL)
			require.NoError(t, err)

			resp, err := client.QueryRefundWithResponse(context.Background(),
				&newpay.QueryRefundParams{Version: newpay.APIVersion1}, body)
			require.NoError(t, err)
			require.Empty(t, srv.Errors())
			require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))

			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, "1.0", reqs[0].Header.Get("version"))
			assert.Equal(t, "/api/open/converge/pay/v1/queryRefund", reqs[0].URL.Path)

			got := resp.JSON200
			require.NotNil(t, got)
			assert.True(t, got.Success)
			assert.Equal(t, "0", got.Code)
			require.NotNil(t, got.Timestamp)
			assert.Equal(t, "1662528718641", got.Timestamp.String())
			require.NotNil(t, got.Data)
			d := got.Data
			assert.Nil(t, d.TranAbbr, "tranAbbr is null")
			assert.Equal(t, tc.wantTranStatus, d.TranStatus)
			assert.Equal(t, tc.wantRefundSuccess, d.RefundSuccess)
			assert.Equal(t, ptr("50000"), d.RefundOrderAmt)
			assert.Equal(t, ptr("LAK"), d.Currency)
			assert.Equal(t, ptr[int32](1), d.PayMethod)
			assert.Equal(t, ptr("ORDERNORFD000000000A104"), d.RefundOrderNo)
			assert.Equal(t, ptr("202209078000000702"), d.NewpayRefundOrderNo)
			assert.Equal(t, ptr("00012022090700000037"), d.TranNo, "leading zeros kept")
			assert.Len(t, *d.Sign, 344)
		})
	}
}

// TestNewPayRequestValidation shows the validating server refuses requests
// that break the spec, so TestNewPayClient's clean result means something.
func TestNewPayRequestValidation(t *testing.T) {
	valid, _ := readJSON(t, newpayRequestFile)
	for _, tc := range []struct {
		name   string
		params *newpay.QueryRefundParams
		body   []byte
		want   string // in the validation error
	}{
		{"missing version header", nil, valid, `"version" in header`},
		{"wrong version", &newpay.QueryRefundParams{Version: "2.0"}, valid, "not one of the allowed values"},
		{"missing sign", &newpay.QueryRefundParams{Version: newpay.APIVersion1},
			[]byte(`{"appId":"a","merchantId":"m","timestamp":1662528718641,"refundOrderNo":"r"}`),
			`property "sign" is missing`},
		{"timestamp as a string", &newpay.QueryRefundParams{Version: newpay.APIVersion1},
			bytes.Replace(valid, []byte(`1662528718641`), []byte(`"1662528718641"`), 1),
			"must be an integer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newValidatingServer(t, "newpay", reply{})
			client, err := newpay.NewClientWithResponses(srv.URL)
			require.NoError(t, err)
			resp, err := client.QueryRefundWithBodyWithResponse(context.Background(),
				tc.params, "application/json", bytes.NewReader(tc.body))
			require.NoError(t, err)
			requireRejected(t, srv, resp.StatusCode(), tc.want)
		})
	}
}

func ptr[T any](v T) *T { return &v }
