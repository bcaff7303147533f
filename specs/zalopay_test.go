package specs_test

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/gen/zalopay"
	"github.com/refundkit/refundkit/specs"
)

// zalopayQuery is the query of refundkit's ZaloPay signing vector, the same
// values as testdata/zalopay/query_refund_request_vector.json.
var zalopayQuery = zalopay.QueryRefundRequest{
	AppID:     2554,
	MRefundID: "230407_2554_13221300383",
	Timestamp: 1680848533635,
	Mac:       "3c48fefef8a0a63347f632e1efa09a9b8842eab07c409eb9a3539fb4fea85c65",
}

// TestZaloPayPayloads checks the published and vector payloads against the
// schemas they illustrate, and that the schemas still reject what ZaloPay
// would: a missing field, a number sent as text, a non-hex mac.
func TestZaloPayPayloads(t *testing.T) {
	doc, err := specs.Load("zalopay")
	require.NoError(t, err)
	request, response := bodySchemas(t, doc, "application/json")

	t.Run("form body has the JSON body's schema", func(t *testing.T) {
		form := soleOperation(t, doc).RequestBody.Value.Content.Get("application/x-www-form-urlencoded")
		require.NotNil(t, form)
		assert.Same(t, request, form.Schema.Value)
	})

	checkSchemaCases(t, []schemaCase{
		testdataCase(t, "zalopay", "query_refund_request_vector.json", request),
		testdataCase(t, "zalopay", "query_refund_response_documented.json", response),
		testdataCase(t, "zalopay", "query_refund_response_sdk_success.json", response),
		{"unknown codes are valid", response, `{"return_code":7,"return_message":"new","sub_return_code":-7777,"sub_return_message":"new"}`, true},
		{"mac missing", request, `{"app_id":2554,"m_refund_id":"230407_2554_1","timestamp":1680848533635}`, false},
		{"empty m_refund_id", request, `{"app_id":2554,"m_refund_id":"","timestamp":1680848533635,"mac":"3c48"}`, false},
		{"app_id as text", request, `{"app_id":"2554","m_refund_id":"230407_2554_1","timestamp":1680848533635,"mac":"3c48"}`, false},
		{"timestamp with a fraction", request, `{"app_id":2554,"m_refund_id":"230407_2554_1","timestamp":1680848533635.5,"mac":"3c48"}`, false},
		{"mac not lowercase hex", request, `{"app_id":2554,"m_refund_id":"230407_2554_1","timestamp":1680848533635,"mac":"3C48"}`, false},
		{"return_code as text", response, `{"return_code":"1"}`, false},
	})
}

// zalopayEncoding is one of the two encodings ZaloPay takes: how the
// generated client sends the vector's query that way, and what the body
// received must be (vector is the JSON vector's bytes).
type zalopayEncoding struct {
	name        string
	contentType string
	send        func(context.Context, *zalopay.ClientWithResponses, zalopay.QueryRefundRequest) (*zalopay.QueryRefundHTTPResponse, error)
	checkBody   func(t *testing.T, vector, body []byte)
}

var zalopayEncodings = []zalopayEncoding{
	{
		name:        "json",
		contentType: "application/json",
		send: func(ctx context.Context, c *zalopay.ClientWithResponses, q zalopay.QueryRefundRequest) (*zalopay.QueryRefundHTTPResponse, error) {
			return c.QueryRefundWithResponse(ctx, q)
		},
		checkBody: func(t *testing.T, vector, body []byte) {
			assert.JSONEq(t, string(vector), string(body))
		},
	},
	{
		name:        "form",
		contentType: "application/x-www-form-urlencoded",
		send: func(ctx context.Context, c *zalopay.ClientWithResponses, q zalopay.QueryRefundRequest) (*zalopay.QueryRefundHTTPResponse, error) {
			return c.QueryRefundWithFormdataBodyWithResponse(ctx, q)
		},
		checkBody: func(t *testing.T, _, body []byte) {
			got, err := url.ParseQuery(string(body))
			require.NoError(t, err)
			assert.Equal(t, url.Values{
				"app_id":      {"2554"},
				"m_refund_id": {"230407_2554_13221300383"},
				"timestamp":   {"1680848533635"},
				"mac":         {"3c48fefef8a0a63347f632e1efa09a9b8842eab07c409eb9a3539fb4fea85c65"},
			}, got)
		},
	},
}

// zalopayAnswers are testdata answers and what the generated client must
// decode from each.
var zalopayAnswers = []struct {
	file string
	want zalopay.QueryRefundResponse
}{
	{"query_refund_response_documented.json", zalopay.QueryRefundResponse{
		ReturnCode: new(0), ReturnMessage: "string",
		SubReturnCode: new(0), SubReturnMessage: "string",
	}},
	{"query_refund_response_sdk_success.json", zalopay.QueryRefundResponse{
		ReturnCode: new(1), ReturnMessage: "",
		SubReturnCode: new(1), SubReturnMessage: "",
	}},
}

// TestZaloPayClient points the generated client at a loopback ZaloPay that
// validates each request against the spec, in both encodings ZaloPay takes,
// and checks the documented answers decode with every value intact.
func TestZaloPayClient(t *testing.T) {
	vector, _ := readJSON(t, filepath.Join("testdata", "zalopay", "query_refund_request_vector.json"))
	for _, enc := range zalopayEncodings {
		for _, ans := range zalopayAnswers {
			t.Run(enc.name+"/"+ans.file, func(t *testing.T) {
				raw, _ := readJSON(t, filepath.Join("testdata", "zalopay", ans.file))
				srv, client := newZaloPay(t, raw)

				resp, err := enc.send(t.Context(), client, zalopayQuery)
				require.NoError(t, err)
				got := acceptedRequest(t, srv, resp.StatusCode(), resp.Body)
				assert.Equal(t, enc.contentType, got.Header.Get("Content-Type"))
				enc.checkBody(t, vector, receivedBody(t, got))

				require.NotNil(t, resp.JSON200)
				assert.Equal(t, ans.want, *resp.JSON200)
				assert.Equal(t, raw, resp.Body, "raw body kept for diagnosis")
			})
		}
	}

	t.Run("unknown codes decode", func(t *testing.T) {
		srv, client := newZaloPay(t, []byte(`{"return_code":7,"return_message":"new","sub_return_code":-7777,"sub_return_message":"new"}`))
		resp, err := client.QueryRefundWithResponse(t.Context(), zalopayQuery)
		require.NoError(t, err)
		acceptedRequest(t, srv, resp.StatusCode(), resp.Body)
		require.NotNil(t, resp.JSON200)
		assert.Equal(t, zalopay.QueryRefundResponse{
			ReturnCode: new(7), ReturnMessage: "new",
			SubReturnCode: new(-7777), SubReturnMessage: "new",
		}, *resp.JSON200)
	})

	for _, enc := range zalopayEncodings {
		t.Run(enc.name+"/invalid request is caught", func(t *testing.T) {
			srv, client := newZaloPay(t, []byte(`{"return_code":1}`))
			bad := zalopayQuery
			bad.Mac = "not hex"
			resp, err := enc.send(t.Context(), client, bad)
			require.NoError(t, err)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode())
			require.Len(t, srv.Errors(), 1)
			assert.ErrorContains(t, srv.Errors()[0], "mac")
		})
	}
}

// newZaloPay starts a validating loopback ZaloPay answering body as JSON, and
// a generated client pointed at it.
func newZaloPay(t *testing.T, body []byte) (*validatingServer, *zalopay.ClientWithResponses) {
	t.Helper()
	srv := newValidatingServer(t, "zalopay", reply{
		header: http.Header{"Content-Type": {"application/json"}},
		body:   body,
	})
	client, err := zalopay.NewClientWithResponses(srv.URL)
	require.NoError(t, err)
	return srv, client
}
