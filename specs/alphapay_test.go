package specs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/gen/alphapay"
	"github.com/refundkit/refundkit/specs"
)

// TestAlphaPayPayloads checks the published and vector payloads against the
// schemas they illustrate, and that the schemas still reject what AlphaPay
// would: no refund id, an amount as a JSON number, an over-long remark.
func TestAlphaPayPayloads(t *testing.T) {
	doc, err := specs.Load("alphapay")
	require.NoError(t, err)
	request, response := bodySchemas(t, doc, "application/json")

	remark := func(n int) string {
		return `{"refund":{"description":"` + strings.Repeat("r", n) + `"}}`
	}
	checkSchemaCases(t, []schemaCase{
		testdataCase(t, "alphapay", "inquiry_refund_request_documented.json", request),
		testdataCase(t, "alphapay", "inquiry_refund_request_vector.json", request),
		testdataCase(t, "alphapay", "inquiry_refund_response_documented.json", response),
		testdataCase(t, "alphapay", "inquiry_refund_response_vector.json", response),
		{"unknown statuses are valid", response, `{"refundStatus":"REFUND_CLOSED","result":{"resultCode":"NEW_CODE","resultStatus":"X"}}`, true},
		{"remark of 128 characters", response, remark(128), true},
		{"remark of 129 characters", response, remark(129), false},
		{"refundId missing", request, `{"refundRequestId":"RR-1001"}`, false},
		{"empty refundId", request, `{"refundId":""}`, false},
		{"amount as a number", response, `{"refund":{"refundAmount":{"value":100,"currency":"CAD"}}}`, false},
		{"currency not ISO 4217", response, `{"refund":{"refundAmount":{"value":"100","currency":"cad"}}}`, false},
		{"refundTime not RFC 3339", response, `{"refundTime":"2019-05-28 12:15:02"}`, false},
	})
}

// alphapayHeaders holds testdata/alphapay/inquiry_refund_vector_headers.json:
// the headers of refundkit's AlphaPay signing vector, exactly as sent.
type alphapayHeaders struct {
	Request  map[string]string `json:"request"`
	Response map[string]string `json:"response"`
}

func readAlphaPayHeaders(t *testing.T) alphapayHeaders {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "alphapay", "inquiry_refund_vector_headers.json"))
	require.NoError(t, err)
	var h alphapayHeaders
	require.NoError(t, json.Unmarshal(raw, &h))
	return h
}

// alphapayParams are the generated client's parameters carrying the
// vector's request headers.
func alphapayParams(vector alphapayHeaders) alphapay.InquiryRefundParams {
	return alphapay.InquiryRefundParams{
		MerchantCode: vector.Request["Merchant-Code"],
		RequestTime:  vector.Request["Request-Time"],
		Nonce:        vector.Request["Nonce"],
		Signature:    vector.Request["Signature"],
	}
}

// alphapaySend is one way the generated client sends the vector's inquiry,
// whose signed body is signed: the Content-Type it sends and what the body
// received must be.
type alphapaySend struct {
	name        string
	contentType string
	send        func(ctx context.Context, c *alphapay.ClientWithResponses, p alphapay.InquiryRefundParams, signed []byte) (*alphapay.InquiryRefundHTTPResponse, error)
	checkBody   func(t *testing.T, signed, body []byte)
}

var alphapaySends = []alphapaySend{
	{
		name:        "raw body",
		contentType: "application/json; charset=UTF-8",
		send: func(ctx context.Context, c *alphapay.ClientWithResponses, p alphapay.InquiryRefundParams, signed []byte) (*alphapay.InquiryRefundHTTPResponse, error) {
			return c.InquiryRefundWithBodyWithResponse(ctx, &p, "application/json; charset=UTF-8", bytes.NewReader(signed))
		},
		checkBody: func(t *testing.T, signed, body []byte) {
			assert.Equal(t, string(signed), string(body), "the signed bytes, byte for byte")
		},
	},
	{
		name:        "typed body",
		contentType: "application/json",
		send: func(ctx context.Context, c *alphapay.ClientWithResponses, p alphapay.InquiryRefundParams, _ []byte) (*alphapay.InquiryRefundHTTPResponse, error) {
			return c.InquiryRefundWithResponse(ctx, &p, alphapay.InquiryRefundRequest{RefundID: "7b46758a-464c-42e8-b8ff-cbe779c2299f"})
		},
		checkBody: func(t *testing.T, signed, body []byte) {
			assert.JSONEq(t, string(signed), string(body))
		},
	},
}

// alphapayAnswer is an answer the loopback AlphaPay gives (the testdata
// file, else body) and what the generated client must decode from it.
type alphapayAnswer struct {
	name string
	file string
	body string
	want alphapay.InquiryRefundResponse
}

var alphapayAnswers = []alphapayAnswer{
	{
		name: "documented",
		file: "inquiry_refund_response_documented.json",
		want: alphapay.InquiryRefundResponse{
			PaymentID:       "string",
			RefundRequestID: new("string"),
			RefundID:        new("string"),
			RefundTime:      "2019-08-24T14:15:22Z",
			RefundStatus:    new("REFUND_IN_PROCESS"),
			Refund: &alphapay.Refund{
				RefundAmount: &alphapay.Amount{Value: new("string"), Currency: new("CAD")},
				Description:  "string",
				NotifyURL:    "string",
			},
			Result: &alphapay.Result{ResultCode: "string", ResultMessage: "string", ResultStatus: "S"},
		},
	},
	{
		name: "vector",
		file: "inquiry_refund_response_vector.json",
		want: alphapay.InquiryRefundResponse{
			PaymentID:       "P2019052800001",
			RefundRequestID: new("RR-1001"),
			RefundID:        new("7b46758a-464c-42e8-b8ff-cbe779c2299f"),
			RefundTime:      "2019-05-28T12:15:02+08:00",
			RefundStatus:    new("SUCCESS"),
			Refund: &alphapay.Refund{
				RefundAmount: &alphapay.Amount{Value: new("100"), Currency: new("CAD")},
				Description:  "damaged item",
			},
			Result: &alphapay.Result{ResultCode: "SUCCESS", ResultMessage: "success", ResultStatus: "S"},
		},
	},
	{
		name: "amount beyond float64",
		body: `{"refundId":"7b46758a-464c-42e8-b8ff-cbe779c2299f","refundStatus":"SUCCESS",` +
			`"refund":{"refundAmount":{"value":"123456789012345678901234567890","currency":"JPY"}},` +
			`"result":{"resultCode":"SUCCESS","resultMessage":"success","resultStatus":"S"}}`,
		want: alphapay.InquiryRefundResponse{
			RefundID:     new("7b46758a-464c-42e8-b8ff-cbe779c2299f"),
			RefundStatus: new("SUCCESS"),
			Refund: &alphapay.Refund{
				RefundAmount: &alphapay.Amount{Value: new("123456789012345678901234567890"), Currency: new("JPY")},
			},
			Result: &alphapay.Result{ResultCode: "SUCCESS", ResultMessage: "success", ResultStatus: "S"},
		},
	},
}

// raw returns the answer's body as sent.
func (ans alphapayAnswer) raw(t *testing.T) []byte {
	t.Helper()
	if ans.file == "" {
		return []byte(ans.body)
	}
	raw, _ := readJSON(t, filepath.Join("testdata", "alphapay", ans.file))
	return raw
}

// alphapayInvalidParams are requests the spec refuses, each for the named
// header.
var alphapayInvalidParams = []struct {
	name, header string
	edit         func(p *alphapay.InquiryRefundParams)
}{
	{"empty Merchant-Code", "Merchant-Code", func(p *alphapay.InquiryRefundParams) { p.MerchantCode = "" }},
	{"Request-Time not ISO 8601", "Request-Time", func(p *alphapay.InquiryRefundParams) { p.RequestTime = "28/05/2019 12:12" }},
	{"short Nonce", "Nonce", func(p *alphapay.InquiryRefundParams) { p.Nonce = "b111bcf0" }},
	{"Signature without algorithm", "Signature", func(p *alphapay.InquiryRefundParams) { p.Signature = "signature=abc" }},
}

// TestAlphaPayClient points the generated client at a loopback AlphaPay that
// validates each request, headers included, against the spec, and checks the
// answers decode with every value and response header intact. The raw-body
// call is the one a signer uses: it sends exactly the bytes it signed.
func TestAlphaPayClient(t *testing.T) {
	vector := readAlphaPayHeaders(t)
	signed, _ := readJSON(t, filepath.Join("testdata", "alphapay", "inquiry_refund_request_vector.json"))
	for _, s := range alphapaySends {
		for _, ans := range alphapayAnswers {
			t.Run(s.name+"/"+ans.name, func(t *testing.T) {
				checkAlphaPayExchange(t, vector, signed, s, ans)
			})
		}
	}
	for _, tc := range alphapayInvalidParams {
		t.Run("invalid request is caught/"+tc.name, func(t *testing.T) {
			srv, client := newAlphaPay(t, vector, alphapayAnswers[1].raw(t)) // the vector's answer
			bad := alphapayParams(vector)
			tc.edit(&bad)
			resp, err := alphapaySends[0].send(t.Context(), client, bad, signed)
			require.NoError(t, err)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode())
			require.Len(t, srv.Errors(), 1)
			assert.ErrorContains(t, srv.Errors()[0], tc.header)
		})
	}
}

// checkAlphaPayExchange sends the vector's inquiry s's way to a loopback
// AlphaPay answering ans, and checks both sides: the request's headers and
// body as signed, the answer decoded with its raw body and headers.
func checkAlphaPayExchange(t *testing.T, vector alphapayHeaders, signed []byte, s alphapaySend, ans alphapayAnswer) {
	t.Helper()
	body := ans.raw(t)
	srv, client := newAlphaPay(t, vector, body)

	resp, err := s.send(t.Context(), client, alphapayParams(vector), signed)
	require.NoError(t, err)
	got := acceptedRequest(t, srv, resp.StatusCode(), resp.Body)
	assert.Equal(t, s.contentType, got.Header.Get("Content-Type"))
	for name, value := range vector.Request {
		assert.Equal(t, []string{value}, got.Header.Values(name), "header %s, as signed", name)
	}
	s.checkBody(t, signed, receivedBody(t, got))

	require.NotNil(t, resp.JSON200)
	assert.Equal(t, ans.want, *resp.JSON200)
	assert.Equal(t, body, resp.Body, "raw body kept for verification")
	require.NotNil(t, resp.Headers200)
	assert.Equal(t, alphapay.InquiryRefundHTTPResponse200Headers{
		ResponseTime: vector.Response["Response-Time"],
		Nonce:        vector.Response["Nonce"],
		Signature:    vector.Response["Signature"],
	}, *resp.Headers200)
}

// TestAlphaPayDecodeTolerant checks that the generated decoder keeps what the
// spec deliberately leaves open: a status AlphaPay adds later, and a refund
// time in a format the spec's date-time would reject, both arrive as text
// instead of failing the whole answer.
func TestAlphaPayDecodeTolerant(t *testing.T) {
	body := `{"refundId":"r1","refundTime":"2019-05-28T12:15:02+0800","refundStatus":"REFUND_CLOSED",` +
		`"result":{"resultCode":"NEW_CODE","resultMessage":"?","resultStatus":"X"}}`
	resp, err := alphapay.ParseInquiryRefundHTTPResponse(&http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(body)),
	})
	require.NoError(t, err)
	require.NotNil(t, resp.JSON200)
	assert.Equal(t, alphapay.InquiryRefundResponse{
		RefundID:     new("r1"),
		RefundTime:   "2019-05-28T12:15:02+0800",
		RefundStatus: new("REFUND_CLOSED"),
		Result:       &alphapay.Result{ResultCode: "NEW_CODE", ResultMessage: "?", ResultStatus: "X"},
	}, *resp.JSON200)
}

// newAlphaPay starts a validating loopback AlphaPay answering body as JSON
// with the vector's response headers, and a generated client pointed at it.
func newAlphaPay(t *testing.T, vector alphapayHeaders, body []byte) (*validatingServer, *alphapay.ClientWithResponses) {
	t.Helper()
	header := http.Header{"Content-Type": {"application/json"}}
	for name, value := range vector.Response {
		header.Set(name, value)
	}
	srv := newValidatingServer(t, "alphapay", reply{header: header, body: body})
	client, err := alphapay.NewClientWithResponses(srv.URL)
	require.NoError(t, err)
	return srv, client
}
