package specs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/gen/payermax"
)

const (
	payermaxRequestFile       = "testdata/payermax/refund_query_request.json"
	payermaxResponseFile      = "testdata/payermax/refund_query_response.json"
	payermaxHighPrecisionFile = "testdata/payermax/refund_query_response_high_precision.json"

	// payermaxTestSign stands in for the request and response signatures:
	// the spec only requires the header, sign/ checks what is in it.
	payermaxTestSign = "c2lnbmF0dXJl"
)

// TestPayerMaxPayloads validates PayerMax's own example payloads (see
// testdata/payermax/README.md) against the schemas the operation uses.
func TestPayerMaxPayloads(t *testing.T) {
	checkPayloads(t, "payermax",
		payload{file: payermaxRequestFile},
		payload{file: payermaxResponseFile, response: true},
		payload{file: payermaxHighPrecisionFile, response: true},
	)
}

// TestPayerMaxClient points the generated client at a loopback server that
// validates each request against the spec, and checks that the answer
// decodes with refundAmount intact to the last digit and re-encodes to the
// same document.
func TestPayerMaxClient(t *testing.T) {
	var body payermax.RefundQueryRequest
	raw, _ := readJSON(t, payermaxRequestFile)
	require.NoError(t, json.Unmarshal(raw, &body))

	for _, tc := range []struct {
		file       string
		wantAmount string
		wantStatus string
	}{
		{payermaxResponseFile, "10000", "REFUND_SUCCESS"},
		{payermaxHighPrecisionFile, "12345678901234.5678", "REFUND_PENDING"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			answer, sent := readJSON(t, tc.file)
			srv := newValidatingServer(t, "payermax", reply{
				header: http.Header{"Content-Type": {"application/json"}, "Sign": {payermaxTestSign}},
				body:   answer,
			})
			client, err := payermax.NewClientWithResponses(srv.URL,
				payermax.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
					req.Header.Set("sign", payermaxTestSign) // what sign/ does, with a real signature
					return nil
				}))
			require.NoError(t, err)

			resp, err := client.RefundQueryWithResponse(context.Background(), body)
			require.NoError(t, err)
			require.Empty(t, srv.Errors())
			require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))

			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, payermaxTestSign, reqs[0].Header.Get("sign"))
			assert.Equal(t, "/aggregate-pay/api/gateway/refundQuery", reqs[0].URL.Path)

			require.NotNil(t, resp.Headers200)
			assert.Equal(t, ptr(payermaxTestSign), resp.Headers200.Sign)
			got := resp.JSON200
			require.NotNil(t, got)
			assert.Equal(t, "APPLY_SUCCESS", got.Code)
			require.NotNil(t, got.Data)
			require.NotNil(t, got.Data.RefundAmount)
			assert.Equal(t, tc.wantAmount, got.Data.RefundAmount.String())
			assert.Equal(t, tc.wantStatus, got.Data.Status)

			// Re-encoding gives back the same document, every digit
			// included: both sides decoded with numbers as json.Number.
			again, err := json.Marshal(got)
			require.NoError(t, err)
			assert.Contains(t, string(again), `"refundAmount":`+tc.wantAmount+`,`)
			dec := json.NewDecoder(bytes.NewReader(again))
			dec.UseNumber()
			var roundTripped any
			require.NoError(t, dec.Decode(&roundTripped))
			assert.Equal(t, sent, roundTripped)
		})
	}
}

// TestPayerMaxRequestValidation shows the validating server refuses requests
// that break the spec, so TestPayerMaxClient's clean result means something.
func TestPayerMaxRequestValidation(t *testing.T) {
	valid, _ := readJSON(t, payermaxRequestFile)
	replace := func(old, new string) []byte {
		b := bytes.Replace(valid, []byte(old), []byte(new), 1)
		require.NotEqual(t, valid, b, "replacement %q not applied", old)
		return b
	}
	for _, tc := range []struct {
		name string
		sign string
		body []byte
		want string // in the validation error
	}{
		{"missing sign header", "", valid, "missing sign header"},
		{"no refund number", payermaxTestSign,
			replace(`"outRefundNo": "R1642411016202"`, ``), "at least 1 properties"},
		{"unknown refund key", payermaxTestSign,
			replace(`"outRefundNo"`, `"refundNo"`), `property "refundNo" is unsupported`},
		// Any RFC 3339 time passes (PayerMax's Go SDK trims the
		// fraction); these are not RFC 3339.
		{"request time without an offset", payermaxTestSign,
			replace(`07:01:23.737+00:00`, `07:01:23.737`), "requestTime"},
		{"request time with ten fraction digits", payermaxTestSign,
			replace(`07:01:23.737+00:00`, `07:01:23.7370000000+00:00`), "requestTime"},
		{"merchantNo too long", payermaxTestSign,
			replace(`"02021382719993"`, `"012345678901234567890123456789012"`), "maximum string length"},
		{"missing keyVersion", payermaxTestSign,
			replace(`"keyVersion": "1",`, ``), `property "keyVersion" is missing`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newValidatingServer(t, "payermax", reply{})
			client, err := payermax.NewClientWithResponses(srv.URL)
			require.NoError(t, err)
			editor := func(_ context.Context, req *http.Request) error {
				if tc.sign != "" {
					req.Header.Set("sign", tc.sign)
				}
				return nil
			}
			resp, err := client.RefundQueryWithBodyWithResponse(context.Background(),
				"application/json", bytes.NewReader(tc.body), editor)
			require.NoError(t, err)
			requireRejected(t, srv, resp.StatusCode(), tc.want)
		})
	}
}
