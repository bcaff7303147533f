package contract_test

import (
	"cmp"
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/contract"
)

const payermaxURL = "https://pay-gate-uat.payermax.com/aggregate-pay/api/gateway/refundQuery"

var (
	payermaxRequest = `{"version":"1.1","keyVersion":"1","requestTime":"2022-01-17T07:01:23.737+00:00",` +
		`"appId":"a0dddd1f622243cb9aa1b676e808b5f8","data":{"outRefundNo":"R1"}}`
	jsonHeader = http.Header{"Content-Type": {"application/json"}, "Sign": {"c2lnbmF0dXJl"}}
)

// checkCases are hand-made PayerMax exchanges (the request defaults to
// payermaxRequest with jsonHeader) and the findings each must have.
var checkCases = []struct {
	name    string
	req     string
	reqHdr  http.Header
	status  int
	resHdr  http.Header
	res     string
	want    []contract.Finding
	wantErr bool
}{
	{name: "conforms", status: 200,
		res: `{"code":"APPLY_SUCCESS","msg":"Success.","data":{"outRefundNo":"R1","refundAmount":10000,"refundCurrency":"IDR","status":"REFUND_SUCCESS"}}`},
	{name: "amount as a string", status: 200,
		res:  `{"code":"APPLY_SUCCESS","msg":"Success.","data":{"outRefundNo":"R1","refundAmount":"10000"}}`,
		want: []contract.Finding{{Side: contract.Response, Kind: contract.Violation, Where: "/data/refundAmount", Message: "want number, got string"}}},
	{name: "two deviations at once", status: 200,
		res: `{"code":1,"data":{"outRefundNo":"R1","status":"REFUND_SUCCESS"}}`,
		want: []contract.Finding{
			{Side: contract.Response, Kind: contract.Violation, Where: "/code", Message: "want string, got number"},
			{Side: contract.Response, Kind: contract.Violation, Where: "/msg", Message: "missing (required)"},
		}},
	{name: "undeclared member and header", status: 200,
		resHdr: http.Header{"X-Trace-Id": {"abc"}, "Server": {"nginx"}, "Date": {"today"}},
		res:    `{"code":"APPLY_SUCCESS","msg":"Success.","data":{"outRefundNo":"R1","refundChannel":"bank"}}`,
		want: []contract.Finding{
			{Side: contract.Response, Kind: contract.Undeclared, Where: "/data/refundChannel", Message: "member not in the spec"},
			{Side: contract.Response, Kind: contract.Undeclared, Where: "header X-Trace-Id", Message: "header not in the spec"},
		}},
	{name: "status not in the spec", status: 302, res: ``,
		want: []contract.Finding{{Side: contract.Response, Kind: contract.Violation, Where: "status", Message: "HTTP 302 is not in the spec (it lists 200, 4XX or 5XX)"}}},
	{name: "5xx with any body", status: 503, resHdr: http.Header{"Content-Type": {"text/html"}}, res: `<html>busy</html>`,
		want: []contract.Finding{{Side: contract.Response, Kind: contract.Undeclared, Where: "header Sign", Message: "header not in the spec"}}},
	{name: "not JSON", status: 200, res: `{"code":`,
		want: []contract.Finding{{Side: contract.Response, Kind: contract.Violation, Message: "response body doesn't match schema RefundQueryResponse"}}},
	{name: "request without its signature and appId", status: 200,
		req:    `{"version":"1.1","keyVersion":"1","requestTime":"2022-01-17T07:01:23.737+00:00","data":{"outRefundNo":"R1","extra":1}}`,
		reqHdr: http.Header{"Content-Type": {"application/json"}},
		res:    `{"code":"SIGN_VERIFY_FAILED","msg":"Signature verification failed."}`,
		want: []contract.Finding{
			{Side: contract.Request, Kind: contract.Violation, Where: "/appId", Message: "missing (required)"},
			{Side: contract.Request, Kind: contract.Violation, Where: "/data/extra", Message: "not allowed by the spec (additionalProperties: false)"},
			{Side: contract.Request, Kind: contract.Violation, Where: "header sign", Message: "missing (the spec's security scheme requires it)"},
		}},
}

// TestCheck checks hand-made PayerMax exchanges: each deviation is found
// where it is, with what is wrong.
func TestCheck(t *testing.T) {
	for _, c := range checkCases {
		t.Run(c.name, func(t *testing.T) {
			ex := &contract.Exchange{Provider: refundkit.PayerMax, Method: http.MethodPost, URL: payermaxURL,
				Request:  contract.Message{Header: orHeader(c.reqHdr, jsonHeader), Body: []byte(cmp.Or(c.req, payermaxRequest))},
				Status:   c.status,
				Response: contract.Message{Header: merge(jsonHeader, c.resHdr), Body: []byte(c.res)},
			}
			require.NoError(t, contract.Check(context.Background(), ex))
			got := ex.Findings
			if c.name == "not JSON" {
				require.Len(t, got, 1)
				assert.Equal(t, contract.Response, got[0].Side)
				return
			}
			assert.ElementsMatch(t, c.want, got)
			assert.Equal(t, len(ex.Violations())+len(ex.Undeclared()), len(got))
		})
	}
}

func TestCheckUnknownProvider(t *testing.T) {
	assert.Error(t, contract.Check(context.Background(), &contract.Exchange{Provider: "nopay"}))
	_, err := contract.NewChecker(nil, "nopay")
	assert.Error(t, err)
}

func TestFindingString(t *testing.T) {
	assert.Equal(t, "/data/refundAmount: want number, got string", contract.Finding{Where: "/data/refundAmount", Message: "want number, got string"}.String())
	assert.Equal(t, "body is not JSON", contract.Finding{Message: "body is not JSON"}.String())
}

func orHeader(h, def http.Header) http.Header {
	if h == nil {
		return def
	}
	return h
}

func merge(a, b http.Header) http.Header {
	out := a.Clone()
	for k, v := range b {
		out[http.CanonicalHeaderKey(k)] = v
	}
	return out
}
