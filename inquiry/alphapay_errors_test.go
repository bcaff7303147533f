package inquiry_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAlphaPayErrors covers every resultCode family of an F answer, and
// every answer that is signed but cannot be trusted or understood.
// alphaPayErrorCase is a signed AlphaPay answer that is an error: its
// category and code, and how many attempts it takes (0: one, or three for a
// retryable category).
type alphaPayErrorCase struct {
	name    string
	members map[string]any // for a signed alphaPayBody
	body    string         // a signed body as is, when members is nil
	query   refundkit.Query
	cat     refundkit.Category
	code    string
	hits    int32
}

// alphaPayFail is an F answer with code and its message.
func alphaPayFail(code string) map[string]any {
	return map[string]any{"result": alphaPayResult("F", code, "message for "+code), "refundStatus": nil, "refund": nil}
}

// alphaPayErrorCases are every resultCode family of an F answer, and every
// answer that is signed but cannot be trusted or understood.
func alphaPayErrorCases() []alphaPayErrorCase {
	fail := alphaPayFail
	tests := []alphaPayErrorCase{
		{name: "unknown F code", members: fail("NO_SUCH_CODE"), cat: refundkit.CategoryInvalidResponse, code: "NO_SUCH_CODE"},
		{name: "F code with white space", members: fail(" REFUND_NOT_EXIST "), cat: refundkit.CategoryNotFound, code: "REFUND_NOT_EXIST"},
		{name: "F without any id", body: `{"result":{"resultStatus":"F","resultCode":"REFUND_NOT_EXIST","resultMessage":"message for REFUND_NOT_EXIST"}}`,
			cat: refundkit.CategoryNotFound, code: "REFUND_NOT_EXIST"},
		{name: "F about another refund", members: map[string]any{"refundId": "other", "result": alphaPayResult("F", "REFUND_NOT_EXIST", "")},
			cat: refundkit.CategoryInvalidResponse},
		{name: "F code SUCCESS", members: fail("SUCCESS"), cat: refundkit.CategoryInvalidResponse, code: "SUCCESS"},
		{name: "F without a code", body: `{"result":{"resultStatus":"F"}}`, cat: refundkit.CategoryInvalidResponse},

		{name: "result missing", members: map[string]any{"result": nil}, cat: refundkit.CategoryInvalidResponse},
		{name: "result null", members: map[string]any{"result": json.RawMessage("null")}, cat: refundkit.CategoryInvalidResponse},
		{name: "resultStatus missing", members: map[string]any{"result": map[string]any{"resultCode": "SUCCESS"}}, cat: refundkit.CategoryInvalidResponse},
		{name: "resultStatus empty", members: map[string]any{"result": alphaPayResult(" ", "SUCCESS", "")}, cat: refundkit.CategoryInvalidResponse},
		{name: "S without refundStatus", members: map[string]any{"refundStatus": nil}, cat: refundkit.CategoryInvalidResponse},
		{name: "refundStatus a number", members: map[string]any{"refundStatus": 1}, cat: refundkit.CategoryInvalidResponse},
		{name: "malformed JSON", body: `{"result":`, cat: refundkit.CategoryInvalidResponse},
		{name: "a JSON string", body: `"SUCCESS"`, cat: refundkit.CategoryInvalidResponse},

		{name: "another refundId", members: map[string]any{"refundId": "8c57869b-575d-53f9-c9aa-dcf88ad3300a"}, cat: refundkit.CategoryInvalidResponse},
		{name: "refundId in another case", members: map[string]any{"refundId": strings.ToUpper(alphaPayRefundID)}, cat: refundkit.CategoryInvalidResponse},
		{name: "S without refundId", members: map[string]any{"refundId": nil}, cat: refundkit.CategoryInvalidResponse},
		{name: "U about another refund", members: map[string]any{"refundId": "other", "result": alphaPayResult("U", "", "")}, cat: refundkit.CategoryInvalidResponse},
		{name: "another refundRequestId", members: map[string]any{"refundRequestId": "RR-1002"},
			query: refundkit.Query{RefundID: alphaPayRefundID, RefundRequestID: "RR-1001"}, cat: refundkit.CategoryInvalidResponse},
		{name: "S without refundRequestId when asked", members: map[string]any{"refundRequestId": nil},
			query: refundkit.Query{RefundID: alphaPayRefundID, RefundRequestID: "RR-1001"}, cat: refundkit.CategoryInvalidResponse},

		{name: "amount in major units", members: map[string]any{"refund": alphaPayRefund("1.00", "CAD")}, cat: refundkit.CategoryInvalidResponse},
		{name: "negative amount", members: map[string]any{"refund": alphaPayRefund("-5", "CAD")}, cat: refundkit.CategoryInvalidResponse},
		{name: "empty amount", members: map[string]any{"refund": alphaPayRefund("", "CAD")}, cat: refundkit.CategoryInvalidResponse},
		{name: "amount with a space", members: map[string]any{"refund": alphaPayRefund(" 100", "CAD")}, cat: refundkit.CategoryInvalidResponse},
		{name: "amount with an exponent", members: map[string]any{"refund": alphaPayRefund("1e3", "CAD")}, cat: refundkit.CategoryInvalidResponse},
		{name: "amount a JSON number", members: map[string]any{"refund": map[string]any{"refundAmount": map[string]any{"value": 100, "currency": "CAD"}}},
			cat: refundkit.CategoryInvalidResponse},
		{name: "amount without currency", members: map[string]any{"refund": map[string]any{"refundAmount": map[string]any{"value": "100"}}},
			cat: refundkit.CategoryInvalidResponse},
		{name: "currency without amount", members: map[string]any{"refund": map[string]any{"refundAmount": map[string]any{"currency": "CAD"}}},
			cat: refundkit.CategoryInvalidResponse},
		{name: "currency in lower case", members: map[string]any{"refund": alphaPayRefund("100", "cad")}, cat: refundkit.CategoryInvalidResponse},
		{name: "currency not a code", members: map[string]any{"refund": alphaPayRefund("100", "CADX")}, cat: refundkit.CategoryInvalidResponse},
		{name: "currency unknown", members: map[string]any{"refund": alphaPayRefund("100", "XTS")}, cat: refundkit.CategoryInvalidResponse},
		{name: "oversized", members: map[string]any{"pad": strings.Repeat("x", 4096)}, cat: refundkit.CategoryInvalidResponse},
	}
	for code, cat := range map[string]refundkit.Category{
		"REFUND_NOT_EXIST": refundkit.CategoryNotFound, "ORDER_NOT_EXIST": refundkit.CategoryNotFound,
		"ACCESS_DENIED": refundkit.CategoryAuth, "INVALID_SIGNATURE": refundkit.CategoryAuth,
		"KEY_NOT_FOUND": refundkit.CategoryAuth, "MERCHANT_NOT_REGISTERED": refundkit.CategoryAuth,
		"PARAM_ILLEGAL": refundkit.CategoryInvalidRequest, "INVALID_API": refundkit.CategoryInvalidRequest,
		"REQUEST_TRAFFIC_EXCEED_LIMIT": refundkit.CategoryRateLimited,
		"SYSTEM_ERROR":                 refundkit.CategoryTemporary, "PROCESS_FAIL": refundkit.CategoryTemporary,
		"UNKNOWN_EXCEPTION": refundkit.CategoryTemporary,
	} {
		tests = append(tests, alphaPayErrorCase{name: "F " + code, members: fail(code), cat: cat, code: code})
	}
	return tests
}

func TestAlphaPayErrors(t *testing.T) {
	k := loadTestKeys(t)
	for _, tt := range alphaPayErrorCases() {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.body
			if tt.members != nil {
				body = alphaPayBody(tt.members)
			}
			srv := alphaPayStub(t, k, alphaPayAlways(alphaPaySigned(t, k.platform, alphaPayPath, body)))
			c := newAlphaPayClient(t, alphaPayConfig(k), srv.URL, inquiry.WithMaxResponseBytes(4096))
			q := tt.query
			if q.RefundID == "" {
				q.RefundID = alphaPayRefundID
			}
			res, err := c.Inquire(t.Context(), q)
			assert.Nil(t, res)
			e := requireStubError(t, err, tt.cat, tt.code)
			assert.Equal(t, refundkit.AlphaPay, e.Provider)
			assert.Equal(t, http.StatusOK, e.HTTPStatus)
			if r, ok := tt.members["result"].(map[string]any); ok && tt.code != "" {
				assert.Equal(t, r["resultMessage"], e.Message, "the message that goes with the code")
			}
			assert.Equal(t, cmp.Or(tt.hits, map[bool]int32{false: 1, true: 3}[tt.cat.Retryable()]), srv.hits.Load(), "attempts")
		})
	}
}

// TestAlphaPayHTTPFailures: a non-2xx answer is an error whatever its body,
// and the transient ones are retried.
func TestAlphaPayHTTPFailures(t *testing.T) {
	k := loadTestKeys(t)
	for _, tt := range []struct {
		reply stubReply
		cat   refundkit.Category
		hits  int32
	}{
		{stubReply{status: 500, body: []byte(`{"result":{"resultStatus":"F","resultCode":"SYSTEM_ERROR"}}`)}, refundkit.CategoryTemporary, 3},
		{alphaPaySigned(t, k.platform, alphaPayPath, alphaPayBody(nil)), refundkit.CategoryTemporary, 3}, // 502 below
		// Retry-After (1s) is past the test policy's MaxDelay: no retry.
		{stubReply{status: 429, header: map[string]string{"Retry-After": "1"}}, refundkit.CategoryRateLimited, 1},
		{stubReply{status: 401}, refundkit.CategoryAuth, 1},
		{stubReply{status: 403}, refundkit.CategoryAuth, 1},
		{stubReply{status: 400, body: []byte(`{}`)}, refundkit.CategoryInvalidRequest, 1},
	} {
		if tt.reply.status == 0 {
			tt.reply.status = http.StatusBadGateway // a signed status answer, but not a 2xx
		}
		t.Run(http.StatusText(tt.reply.status), func(t *testing.T) {
			srv := alphaPayStub(t, k, alphaPayAlways(tt.reply))
			res, err := newAlphaPayClient(t, alphaPayConfig(k), srv.URL).Inquire(t.Context(), refundkit.Query{RefundID: alphaPayRefundID})
			assert.Nil(t, res)
			e := requireStubError(t, err, tt.cat, "")
			assert.Equal(t, tt.reply.status, e.HTTPStatus)
			assert.Equal(t, tt.hits, srv.hits.Load())
			if tt.reply.status == http.StatusTooManyRequests {
				assert.Equal(t, time.Second, e.RetryAfter)
			}
		})
	}
}

// TestAlphaPaySignatureFailures: every 2xx answer must carry a signature
// that verifies over its exact body, error answers included.
func TestAlphaPaySignatureFailures(t *testing.T) {
	k := loadTestKeys(t)
	body := alphaPayBody(nil)
	good := alphaPaySigned(t, k.platform, alphaPayPath, body)
	edit := func(f func(r *stubReply)) stubReply {
		r := stubReply{status: good.status, body: good.body, header: map[string]string{}}
		for name, v := range good.header {
			r.header[name] = v
		}
		f(&r)
		return r
	}
	notFound := alphaPayBody(map[string]any{"result": alphaPayResult("F", "REFUND_NOT_EXIST", "")})
	tests := []struct {
		name  string
		reply stubReply
		cause error
	}{
		{"unsigned", stubReply{body: []byte(body)}, sign.ErrMissingSignature},
		{"unsigned error answer", stubReply{body: []byte(notFound)}, sign.ErrMissingSignature},
		{"no Response-Time", edit(func(r *stubReply) { delete(r.header, "Response-Time") }), sign.ErrMissingSignature},
		{"no Nonce", edit(func(r *stubReply) { delete(r.header, "Nonce") }), sign.ErrMissingSignature},
		{"no Signature", edit(func(r *stubReply) { delete(r.header, "Signature") }), sign.ErrMissingSignature},
		{"empty Signature", edit(func(r *stubReply) { r.header["Signature"] = "" }), sign.ErrMissingSignature},
		{"signed with the wrong key", alphaPaySigned(t, k.merchant, alphaPayPath, body), sign.ErrInvalidSignature},
		{"signed over another path", alphaPaySigned(t, k.platform, "/api/v2.0/payments/inquiryPayment", body), sign.ErrInvalidSignature},
		{"status changed after signing", edit(func(r *stubReply) {
			r.body = bytes.Replace(r.body, []byte(`"SUCCESS"`), []byte(`"FAILED"`), 1)
		}), sign.ErrInvalidSignature},
		{"amount changed after signing", edit(func(r *stubReply) {
			r.body = bytes.Replace(r.body, []byte(`"100"`), []byte(`"900"`), 1)
		}), sign.ErrInvalidSignature},
		{"white space added after signing", edit(func(r *stubReply) { r.body = append(r.body, '\n') }), sign.ErrInvalidSignature},
		{"Response-Time changed", edit(func(r *stubReply) { r.header["Response-Time"] = "2019-05-28T12:12:14+08:00" }), sign.ErrInvalidSignature},
		{"Nonce changed", edit(func(r *stubReply) { r.header["Nonce"] = strings.Repeat("0", 32) }), sign.ErrInvalidSignature},
		{"another algorithm", edit(func(r *stubReply) {
			r.header["Signature"] = strings.Replace(r.header["Signature"], "RS256", "HS256", 1)
		}), sign.ErrInvalidSignature},
		{"signature not base64", edit(func(r *stubReply) { r.header["Signature"] = "algorithm=RS256,keyVersion=1,signature=!!!" }), sign.ErrInvalidSignature},
		{"no signature part", edit(func(r *stubReply) { r.header["Signature"] = "algorithm=RS256,keyVersion=1" }), sign.ErrInvalidSignature},
		{"forged error answer", edit(func(r *stubReply) { r.body = []byte(notFound) }), sign.ErrInvalidSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := alphaPayStub(t, k, alphaPayAlways(tt.reply))
			res, err := newAlphaPayClient(t, alphaPayConfig(k), srv.URL).Inquire(t.Context(), refundkit.Query{RefundID: alphaPayRefundID})
			assert.Nil(t, res)
			e := requireStubError(t, err, refundkit.CategorySignature, "")
			assert.ErrorIs(t, err, refundkit.ErrSignature)
			assert.ErrorIs(t, err, tt.cause)
			assert.Equal(t, tt.reply.body, e.Body, "the body is kept for diagnosis")
			assert.EqualValues(t, 1, srv.hits.Load(), "a signature failure is not retried")
		})
	}
}

// TestAlphaPayRetriesSignAfresh: every attempt carries a new Request-Time,
// a new Nonce and a Signature over them (the stub verifies each).
func TestAlphaPayRetriesSignAfresh(t *testing.T) {
	k := loadTestKeys(t)
	busy := alphaPaySigned(t, k.platform, alphaPayPath, alphaPayBody(map[string]any{"result": alphaPayResult("F", "SYSTEM_ERROR", "busy")}))
	srv := alphaPayStub(t, k, func(n int) stubReply {
		switch n {
		case 1:
			return busy
		case 2:
			return stubReply{status: http.StatusServiceUnavailable}
		default:
			return alphaPaySigned(t, k.platform, alphaPayPath, alphaPayBody(nil))
		}
	})
	cfg := alphaPayConfig(k)
	nonces := []string{"00000000000000000000000000000001", "00000000000000000000000000000002", "00000000000000000000000000000003"}
	var next int
	cfg.Nonce = func() string { next++; return nonces[next-1] } // attempts run one after another
	c := newAlphaPayClient(t, cfg, srv.URL, inquiry.WithClock(stubClock(time.Date(2019, 5, 28, 4, 12, 12, 0, time.UTC))))

	res, err := c.Inquire(t.Context(), refundkit.Query{RefundID: alphaPayRefundID})
	require.NoError(t, err)
	assert.Equal(t, refundkit.StatusSucceeded, res.Status)
	reqs := srv.recorded()
	require.Len(t, reqs, 3)
	var gotNonces, times, sigs []string
	for _, r := range reqs {
		gotNonces = append(gotNonces, r.header.Get("Nonce"))
		times = append(times, r.header.Get("Request-Time"))
		sigs = append(sigs, r.header.Get("Signature"))
		assert.Equal(t, `{"refundId":"`+alphaPayRefundID+`"}`, string(r.body), "the same body every attempt")
	}
	assert.Equal(t, nonces, gotNonces)
	assert.Equal(t, "2019-05-28T04:12:12Z", times[0])
	assert.Len(t, slices.Compact(slices.Clone(sigs)), 3, "a new signature every attempt")
}
