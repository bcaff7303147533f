package inquiry_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
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

const (
	alphaPayMerchant = "CXVJIU"
	alphaPayRefundID = "7b46758a-464c-42e8-b8ff-cbe779c2299f"
	alphaPayPath     = "/api/v2.0/payments/inquiryRefund"
	alphaPayNonce    = "5f0e8c1d2b3a49c7a6e5d4c3b2a19080" // the stub's response nonce
)

var alphaPayResponseTime = time.Date(2019, 5, 28, 12, 12, 13, 0, time.FixedZone("", 8*3600))

// alphaPayCheck is the stub's request check: method, path, headers and the
// Signature over the exact body, with the merchant's public key.
func alphaPayCheck(k testKeys, path string) func(r *http.Request, body []byte) error {
	verifier := sign.AlphaPay{MerchantCode: alphaPayMerchant, PublicKey: k.merchantPublic}
	return func(r *http.Request, body []byte) error {
		switch {
		case r.Method != http.MethodPost || r.URL.EscapedPath() != path:
			return fmt.Errorf("%s %s", r.Method, r.URL.EscapedPath())
		case r.Header.Get("Content-Type") != "application/json; charset=UTF-8":
			return fmt.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
		case r.Header.Get("Accept") != "application/json":
			return fmt.Errorf("Accept %q", r.Header.Get("Accept"))
		}
		return verifier.VerifyRequest(r.Method, r.URL.EscapedPath(), r.Header, body)
	}
}

// alphaPayStub plays AlphaPay at the documented path.
func alphaPayStub(t *testing.T, k testKeys, answer func(n int) stubReply) *providerStub {
	return newProviderStub(t, alphaPayCheck(k, alphaPayPath), func(n int, _ []byte) stubReply { return answer(n) })
}

func alphaPayAlways(r stubReply) func(int) stubReply { return func(int) stubReply { return r } }

// alphaPaySigned is body as AlphaPay sends it: with Response-Time, Nonce
// and Signature headers from key (the platform's, to play AlphaPay) over
// the request's method and path.
func alphaPaySigned(t testing.TB, key *sign.PrivateKey, path, body string) stubReply {
	t.Helper()
	h, err := sign.AlphaPay{MerchantCode: alphaPayMerchant, PrivateKey: key}.Sign(http.MethodPost, path, []byte(body), alphaPayResponseTime, alphaPayNonce)
	require.NoError(t, err)
	return stubReply{body: []byte(body), header: map[string]string{
		sign.AlphaPayHeaderResponseTime: h.Time, sign.AlphaPayHeaderNonce: h.Nonce, sign.AlphaPayHeaderSignature: h.Signature}}
}

// alphaPayBody is a resultStatus S answer about alphaPayRefundID, the
// vector's answer, with members replaced (a nil value removes one).
func alphaPayBody(members map[string]any) string {
	m := map[string]any{
		"paymentId":       "P2019052800001",
		"refundRequestId": "RR-1001",
		"refundId":        alphaPayRefundID,
		"refundTime":      "2019-05-28T12:15:02+08:00",
		"refundStatus":    "SUCCESS",
		"refund":          alphaPayRefund("100", "CAD"),
		"result":          alphaPayResult("S", "SUCCESS", "success"),
	}
	for k, v := range members {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func alphaPayRefund(value, currency string) map[string]any {
	return map[string]any{"refundAmount": map[string]any{"value": value, "currency": currency}, "description": "damaged item"}
}

func alphaPayResult(status, code, msg string) map[string]any {
	return map[string]any{"resultStatus": status, "resultCode": code, "resultMessage": msg}
}

func alphaPayConfig(k testKeys) inquiry.AlphaPayConfig {
	return inquiry.AlphaPayConfig{MerchantCode: alphaPayMerchant, PrivateKey: k.merchant, PublicKey: k.platformPublic}
}

func newAlphaPayClient(t *testing.T, cfg inquiry.AlphaPayConfig, url string, opts ...inquiry.Option) *inquiry.Client {
	t.Helper()
	// The stub's answers carry alphaPayResponseTime; the client's clock
	// agrees unless opts say otherwise.
	c, err := inquiry.New(cfg, append([]inquiry.Option{inquiry.WithBaseURL(url), stubRetry,
		inquiry.WithClock(func() time.Time { return alphaPayResponseTime })}, opts...)...)
	require.NoError(t, err)
	return c
}

func alphaPayMoney(t testing.TB, value, currency string) *refundkit.Money {
	t.Helper()
	m, err := refundkit.ParseMoney(value, currency)
	require.NoError(t, err)
	return &m
}

// TestAlphaPayVector sends the known-answer request (the Signature header
// byte for byte as computed outside this project) and accepts the
// known-answer response, signed outside this project too.
func TestAlphaPayVector(t *testing.T) {
	k := loadTestKeys(t)
	raw, err := os.ReadFile(filepath.Join("..", "sign", "testdata", "vectors.json"))
	require.NoError(t, err)
	var v struct {
		AlphaPay struct {
			MerchantCode string `json:"merchant_code"`
			Path         string `json:"path"`
			Request      struct {
				Time      string `json:"Request-Time"`
				Nonce     string `json:"Nonce"`
				Body      string `json:"body"`
				Signature string `json:"Signature_header"`
			} `json:"request"`
			Response struct {
				Time      string `json:"Response-Time"`
				Nonce     string `json:"Nonce"`
				Body      string `json:"body"`
				Signature string `json:"Signature_header"`
			} `json:"response"`
		} `json:"alphapay"`
	}
	require.NoError(t, json.Unmarshal(raw, &v))
	vec := v.AlphaPay
	require.Equal(t, alphaPayMerchant, vec.MerchantCode)
	require.Equal(t, alphaPayPath, vec.Path)

	srv := newProviderStub(t, func(r *http.Request, body []byte) error {
		if err := alphaPayCheck(k, vec.Path)(r, body); err != nil {
			return err
		}
		want := map[string]string{"Merchant-Code": vec.MerchantCode, "Request-Time": vec.Request.Time,
			"Nonce": vec.Request.Nonce, "Signature": vec.Request.Signature}
		for name, value := range want {
			if got := r.Header.Get(name); got != value {
				return fmt.Errorf("%s header %q, want %q", name, got, value)
			}
		}
		if string(body) != vec.Request.Body {
			return fmt.Errorf("body %s, want %s", body, vec.Request.Body)
		}
		return nil
	}, func(int, []byte) stubReply {
		return stubReply{body: []byte(vec.Response.Body), header: map[string]string{
			"Response-Time": vec.Response.Time, "Nonce": vec.Response.Nonce, "Signature": vec.Response.Signature}}
	})
	at, err := time.Parse(time.RFC3339, vec.Request.Time)
	require.NoError(t, err)
	cfg := alphaPayConfig(k)
	cfg.Nonce = func() string { return vec.Request.Nonce }
	c := newAlphaPayClient(t, cfg, srv.URL, inquiry.WithClock(func() time.Time { return at }))

	res, err := c.Inquire(t.Context(), refundkit.Query{RefundID: alphaPayRefundID})
	require.NoError(t, err)
	assert.True(t, res.RefundedAt.Equal(time.Date(2019, 5, 28, 4, 15, 2, 0, time.UTC)), "RefundedAt %v", res.RefundedAt)
	res.RefundedAt = time.Time{}
	assert.Equal(t, &refundkit.Result{Source: refundkit.SourceInquiry,
		Provider: refundkit.AlphaPay, Status: refundkit.StatusSucceeded, ProviderStatus: "SUCCESS",
		ProviderCode: "SUCCESS", ProviderMessage: "success",
		ProviderRefundID: alphaPayRefundID, MerchantRefundID: "RR-1001", ProviderOrderID: "P2019052800001",
		Amount: alphaPayMoney(t, "1.00", "CAD"), Verified: true, Raw: []byte(vec.Response.Body),
	}, res)
	assert.EqualValues(t, 1, srv.hits.Load())
}

// TestAlphaPayStatuses covers every row of the status mapping, white space
// around statuses, unknown values, and the amounts and times that go with
// them.
func TestAlphaPayStatuses(t *testing.T) {
	k := loadTestKeys(t)
	vectorTime := time.Date(2019, 5, 28, 4, 15, 2, 0, time.UTC)
	type want struct {
		status         refundkit.Status
		providerStatus string
		amount         *refundkit.Money // nil: no amount
		refundedAt     time.Time
	}
	succeeded := want{refundkit.StatusSucceeded, "SUCCESS", alphaPayMoney(t, "1.00", "CAD"), vectorTime}
	with := func(w want, edit func(*want)) want { edit(&w); return w }
	tests := []struct {
		name    string
		members map[string]any
		want    want
	}{
		{"SUCCESS", nil, succeeded},
		{"REFUND_IN_PROCESS", map[string]any{"refundStatus": "REFUND_IN_PROCESS"},
			with(succeeded, func(w *want) { w.status, w.providerStatus = refundkit.StatusPending, "REFUND_IN_PROCESS" })},
		{"FAILED", map[string]any{"refundStatus": "FAILED"},
			with(succeeded, func(w *want) { w.status, w.providerStatus = refundkit.StatusFailed, "FAILED" })},
		{"SUCCESS with white space", map[string]any{"refundStatus": " SUCCESS\t"},
			with(succeeded, func(w *want) { w.providerStatus = " SUCCESS\t" })},
		{"REFUND_IN_PROCESS with a newline", map[string]any{"refundStatus": "REFUND_IN_PROCESS\n"},
			with(succeeded, func(w *want) { w.status, w.providerStatus = refundkit.StatusPending, "REFUND_IN_PROCESS\n" })},
		{"FAILED with white space", map[string]any{"refundStatus": "\tFAILED "},
			with(succeeded, func(w *want) { w.status, w.providerStatus = refundkit.StatusFailed, "\tFAILED " })},
		{"unknown refundStatus", map[string]any{"refundStatus": "REFUND_CLOSED"},
			with(succeeded, func(w *want) { w.status, w.providerStatus = refundkit.StatusUnknown, "REFUND_CLOSED" })},
		{"refundStatus in lower case", map[string]any{"refundStatus": "failed"},
			with(succeeded, func(w *want) { w.status, w.providerStatus = refundkit.StatusUnknown, "failed" })},
		{"empty refundStatus", map[string]any{"refundStatus": ""},
			with(succeeded, func(w *want) { w.status, w.providerStatus = refundkit.StatusUnknown, "" })},
		{"resultStatus with white space", map[string]any{"result": alphaPayResult(" S\n", "SUCCESS", "success")}, succeeded},
		{"unknown resultStatus", map[string]any{"result": alphaPayResult("X", "SUCCESS", "success")},
			with(succeeded, func(w *want) { w.status, w.providerStatus = refundkit.StatusUnknown, "X" })},

		{"USD", map[string]any{"refund": alphaPayRefund("12345", "USD")},
			with(succeeded, func(w *want) { w.amount = alphaPayMoney(t, "123.45", "USD") })},
		{"JPY has no minor unit", map[string]any{"refund": alphaPayRefund("500", "JPY")},
			with(succeeded, func(w *want) { w.amount = alphaPayMoney(t, "500", "JPY") })},
		{"KWD has three", map[string]any{"refund": alphaPayRefund("1234", "KWD")},
			with(succeeded, func(w *want) { w.amount = alphaPayMoney(t, "1.234", "KWD") })},
		{"five cents", map[string]any{"refund": alphaPayRefund("5", "CAD")},
			with(succeeded, func(w *want) { w.amount = alphaPayMoney(t, "0.05", "CAD") })},
		{"zero", map[string]any{"refund": alphaPayRefund("0", "CAD")},
			with(succeeded, func(w *want) { w.amount = alphaPayMoney(t, "0.00", "CAD") })},
		{"leading zeros", map[string]any{"refund": alphaPayRefund("007", "CAD")},
			with(succeeded, func(w *want) { w.amount = alphaPayMoney(t, "0.07", "CAD") })},
		{"more digits than any float holds", map[string]any{"refund": alphaPayRefund("123456789012345678901234567891", "CAD")},
			with(succeeded, func(w *want) { w.amount = alphaPayMoney(t, "1234567890123456789012345678.91", "CAD") })},
		{"no refund details", map[string]any{"refund": nil}, with(succeeded, func(w *want) { w.amount = nil })},
		{"no refund amount", map[string]any{"refund": map[string]any{"description": "x"}}, with(succeeded, func(w *want) { w.amount = nil })},
		{"empty refund amount", map[string]any{"refund": map[string]any{"refundAmount": map[string]any{}}}, with(succeeded, func(w *want) { w.amount = nil })},

		{"refundTime in UTC", map[string]any{"refundTime": "2019-05-28T04:15:02Z"}, succeeded},
		{"refundTime with a fraction", map[string]any{"refundTime": "2019-05-28T12:15:02.250+08:00"},
			with(succeeded, func(w *want) { w.refundedAt = vectorTime.Add(250 * time.Millisecond) })},
		{"refundTime with a colon-less offset", map[string]any{"refundTime": "2019-05-28T12:15:02+0800"}, succeeded},
		{"refundTime without an offset", map[string]any{"refundTime": "2019-05-28T12:15:02"},
			with(succeeded, func(w *want) { w.refundedAt = time.Time{} })},
		{"refundTime in another shape", map[string]any{"refundTime": "28/05/2019 12:15"},
			with(succeeded, func(w *want) { w.refundedAt = time.Time{} })},
		{"no refundTime", map[string]any{"refundTime": nil}, with(succeeded, func(w *want) { w.refundedAt = time.Time{} })},

		{"resultStatus U", map[string]any{"result": alphaPayResult("U", "PAYMENT_IN_PROCESS", "in process"), "refundStatus": "REFUND_IN_PROCESS"},
			with(succeeded, func(w *want) { w.status, w.providerStatus = refundkit.StatusPending, "REFUND_IN_PROCESS" })},
		{"resultStatus U wins over refundStatus", map[string]any{"result": alphaPayResult("U", "PAYMENT_IN_PROCESS", "in process")},
			with(succeeded, func(w *want) { w.status = refundkit.StatusPending })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := alphaPayBody(tt.members)
			srv := alphaPayStub(t, k, alphaPayAlways(alphaPaySigned(t, k.platform, alphaPayPath, body)))
			res, err := newAlphaPayClient(t, alphaPayConfig(k), srv.URL).Inquire(t.Context(), refundkit.Query{RefundID: alphaPayRefundID})
			require.NoError(t, err)

			assert.True(t, tt.want.refundedAt.Equal(res.RefundedAt), "RefundedAt %v, want %v", res.RefundedAt, tt.want.refundedAt)
			res.RefundedAt = time.Time{}
			code, msg := "SUCCESS", "success"
			if r, ok := tt.members["result"].(map[string]any); ok {
				code, msg = r["resultCode"].(string), r["resultMessage"].(string)
			}
			assert.Equal(t, &refundkit.Result{Source: refundkit.SourceInquiry,
				Provider: refundkit.AlphaPay, Status: tt.want.status, ProviderStatus: tt.want.providerStatus,
				ProviderCode: code, ProviderMessage: msg,
				ProviderRefundID: alphaPayRefundID, MerchantRefundID: "RR-1001", ProviderOrderID: "P2019052800001",
				Amount: tt.want.amount, Verified: true, Raw: []byte(body),
			}, res)
		})
	}
}

// TestAlphaPayBareU: a U answer may leave out everything but result.
func TestAlphaPayBareU(t *testing.T) {
	k := loadTestKeys(t)
	body := `{"result":{"resultStatus":"U","resultCode":"UNKNOWN","resultMessage":"ask again"}}`
	srv := alphaPayStub(t, k, alphaPayAlways(alphaPaySigned(t, k.platform, alphaPayPath, body)))
	res, err := newAlphaPayClient(t, alphaPayConfig(k), srv.URL).Inquire(t.Context(),
		refundkit.Query{RefundID: alphaPayRefundID, RefundRequestID: "RR-1001"})
	require.NoError(t, err)
	assert.Equal(t, &refundkit.Result{Source: refundkit.SourceInquiry, Provider: refundkit.AlphaPay, Status: refundkit.StatusPending,
		ProviderStatus: "U", ProviderCode: "UNKNOWN", ProviderMessage: "ask again", Verified: true, Raw: []byte(body)}, res)
}

// TestAlphaPayErrors covers every resultCode family of an F answer, and
// every answer that is signed but cannot be trusted or understood.
func TestAlphaPayErrors(t *testing.T) {
	k := loadTestKeys(t)
	type tc struct {
		name    string
		members map[string]any // for a signed alphaPayBody
		body    string         // a signed body as is, when members is nil
		query   refundkit.Query
		cat     refundkit.Category
		code    string
		hits    int32
	}
	fail := func(code string) map[string]any {
		return map[string]any{"result": alphaPayResult("F", code, "message for "+code), "refundStatus": nil, "refund": nil}
	}
	tests := []tc{
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
		tests = append(tests, tc{name: "F " + code, members: fail(code), cat: cat, code: code})
	}
	for _, tt := range tests {
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

// TestAlphaPayRequest checks the headers and body of a request with the
// default nonce, a key version and a refundRequestId.
func TestAlphaPayRequest(t *testing.T) {
	k := loadTestKeys(t)
	srv := alphaPayStub(t, k, alphaPayAlways(alphaPaySigned(t, k.platform, alphaPayPath, alphaPayBody(nil))))
	cfg := alphaPayConfig(k)
	cfg.KeyVersion = "2"
	c := newAlphaPayClient(t, cfg, srv.URL)
	for range 2 {
		_, err := c.Inquire(t.Context(), refundkit.Query{RefundID: alphaPayRefundID, RefundRequestID: "RR-1001"})
		require.NoError(t, err)
	}
	reqs := srv.recorded()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		assert.Equal(t, `{"refundId":"`+alphaPayRefundID+`","refundRequestId":"RR-1001"}`, string(r.body))
		assert.Equal(t, alphaPayMerchant, r.header.Get("Merchant-Code"))
		assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{32}$`), r.header.Get("Nonce"))
		assert.Regexp(t, regexp.MustCompile(`^algorithm=RS256,keyVersion=2,signature=[A-Za-z0-9%]+$`), r.header.Get("Signature"))
		_, err := time.Parse(time.RFC3339, r.header.Get("Request-Time"))
		assert.NoError(t, err)
	}
	assert.NotEqual(t, reqs[0].header.Get("Nonce"), reqs[1].header.Get("Nonce"), "random nonces")
}

// TestAlphaPayInsecureSkipVerify: with the option, unsigned and forged
// answers are accepted, marked unverified, and no public key is needed.
func TestAlphaPayInsecureSkipVerify(t *testing.T) {
	k := loadTestKeys(t)
	body := alphaPayBody(nil)
	for name, reply := range map[string]stubReply{
		"unsigned": {body: []byte(body)},
		"forged":   alphaPaySigned(t, k.merchant, alphaPayPath, body),
	} {
		t.Run(name, func(t *testing.T) {
			srv := alphaPayStub(t, k, alphaPayAlways(reply))
			cfg := alphaPayConfig(k)
			cfg.PublicKey = nil
			res, err := newAlphaPayClient(t, cfg, srv.URL, inquiry.WithInsecureSkipVerify()).
				Inquire(t.Context(), refundkit.Query{RefundID: alphaPayRefundID})
			require.NoError(t, err)
			assert.Equal(t, refundkit.StatusSucceeded, res.Status)
			assert.False(t, res.Verified)
		})
	}
}

// TestAlphaPayInvalidQuery: a bad query never reaches the network.
func TestAlphaPayInvalidQuery(t *testing.T) {
	k := loadTestKeys(t)
	srv := alphaPayStub(t, k, alphaPayAlways(alphaPaySigned(t, k.platform, alphaPayPath, alphaPayBody(nil))))
	c := newAlphaPayClient(t, alphaPayConfig(k), srv.URL)
	for name, q := range map[string]refundkit.Query{
		"empty":                            {},
		"only a refundRequestId":           {RefundRequestID: "RR-1001"},
		"control character":                {RefundID: alphaPayRefundID + "\r"},
		"invalid UTF-8":                    {RefundID: "\xc3\x28"},
		"control character in the request": {RefundID: alphaPayRefundID, RefundRequestID: "RR\t1001"},
		"ProviderRefundID used":            {RefundID: alphaPayRefundID, ProviderRefundID: "x"},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := c.Inquire(t.Context(), q)
			assert.Nil(t, res)
			e := requireStubError(t, err, refundkit.CategoryInvalidRequest, "")
			assert.Equal(t, refundkit.AlphaPay, e.Provider)
		})
	}
	assert.Zero(t, srv.hits.Load())
}

func TestNewAlphaPay(t *testing.T) {
	k := loadTestKeys(t)
	t.Run("hosts", func(t *testing.T) {
		for name, tt := range map[string]struct {
			base, want string
		}{
			"CAD by default": {"", "https://openapi.alphapay.ca/api/v2.0/payments/inquiryRefund"},
			"USD":            {inquiry.AlphaPayUSDURL, "https://openapi.alphapay.com/api/v2.0/payments/inquiryRefund"},
		} {
			t.Run(name, func(t *testing.T) {
				rt := &offlineTransport{body: alphaPayBody(nil)}
				c, err := inquiry.New(alphaPayConfig(k), inquiry.WithBaseURL(tt.base),
					inquiry.WithHTTPClient(&http.Client{Transport: rt}), inquiry.WithInsecureSkipVerify())
				require.NoError(t, err)
				assert.Equal(t, refundkit.AlphaPay, c.Provider())
				_, err = c.Inquire(t.Context(), refundkit.Query{RefundID: alphaPayRefundID})
				require.NoError(t, err)
				assert.Equal(t, []string{tt.want}, rt.urls)
			})
		}
		assert.Equal(t, inquiry.AlphaPayCADURL, inquiry.AlphaPayProductionURL)
	})
	t.Run("a path prefix is signed as sent", func(t *testing.T) {
		const path = "/alpha%20pay/api/v2.0/payments/inquiryRefund"
		srv := newProviderStub(t, alphaPayCheck(k, path), func(int, []byte) stubReply {
			return alphaPaySigned(t, k.platform, path, alphaPayBody(nil))
		})
		res, err := newAlphaPayClient(t, alphaPayConfig(k), srv.URL+"/alpha%20pay").Inquire(t.Context(), refundkit.Query{RefundID: alphaPayRefundID})
		require.NoError(t, err)
		assert.True(t, res.Verified)
	})
	t.Run("invalid config", func(t *testing.T) {
		for name, tt := range map[string]struct {
			edit func(*inquiry.AlphaPayConfig)
			base string
		}{
			"no merchant code":           {edit: func(c *inquiry.AlphaPayConfig) { c.MerchantCode = "" }},
			"merchant code with newline": {edit: func(c *inquiry.AlphaPayConfig) { c.MerchantCode = "CXV\nJIU" }},
			"no private key":             {edit: func(c *inquiry.AlphaPayConfig) { c.PrivateKey = nil }},
			"no public key":              {edit: func(c *inquiry.AlphaPayConfig) { c.PublicKey = nil }},
			"key version not a number":   {edit: func(c *inquiry.AlphaPayConfig) { c.KeyVersion = "v1" }},
			"exponent for a lower-case code": {edit: func(c *inquiry.AlphaPayConfig) {
				c.CurrencyExponents = map[string]int{"cad": 2}
			}},
			"negative exponent":  {edit: func(c *inquiry.AlphaPayConfig) { c.CurrencyExponents = map[string]int{"CAD": -1} }},
			"huge exponent":      {edit: func(c *inquiry.AlphaPayConfig) { c.CurrencyExponents = map[string]int{"CAD": 19} }},
			"bad error category": {edit: func(c *inquiry.AlphaPayConfig) { c.ErrorCodes = map[string]refundkit.Category{"X": "oops"} }},
			"relative base URL":  {base: "openapi.alphapay.ca"},
		} {
			t.Run(name, func(t *testing.T) {
				cfg := alphaPayConfig(k)
				if tt.edit != nil {
					tt.edit(&cfg)
				}
				c, err := inquiry.New(cfg, inquiry.WithBaseURL(tt.base))
				assert.Nil(t, c)
				e := requireStubError(t, err, refundkit.CategoryInvalidRequest, "")
				assert.Equal(t, refundkit.AlphaPay, e.Provider)
			})
		}
	})
}

// TestAlphaPayConfigTables: the exponent and error-code overrides win over
// the built-in tables, and the caller's maps are copied.
func TestAlphaPayConfigTables(t *testing.T) {
	k := loadTestKeys(t)
	exponents := map[string]int{"XTS": 2, "CAD": 0}
	codes := map[string]refundkit.Category{"REFUND_CLOSED": refundkit.CategoryNotFound, "PROCESS_FAIL": refundkit.CategoryInvalidRequest}
	cfg := alphaPayConfig(k)
	cfg.CurrencyExponents, cfg.ErrorCodes = exponents, codes
	for name, tt := range map[string]struct {
		members map[string]any
		amount  *refundkit.Money
		cat     refundkit.Category
		code    string
	}{
		"currency only the override knows": {members: map[string]any{"refund": alphaPayRefund("150", "XTS")}, amount: alphaPayMoney(t, "1.50", "XTS")},
		"exponent overridden":              {members: map[string]any{"refund": alphaPayRefund("150", "CAD")}, amount: alphaPayMoney(t, "150", "CAD")},
		"built-in exponent":                {members: map[string]any{"refund": alphaPayRefund("150", "USD")}, amount: alphaPayMoney(t, "1.50", "USD")},
		"code added": {members: map[string]any{"result": alphaPayResult("F", "REFUND_CLOSED", "")},
			cat: refundkit.CategoryNotFound, code: "REFUND_CLOSED"},
		"code replaced": {members: map[string]any{"result": alphaPayResult("F", "PROCESS_FAIL", "")},
			cat: refundkit.CategoryInvalidRequest, code: "PROCESS_FAIL"},
		"built-in code": {members: map[string]any{"result": alphaPayResult("F", "ACCESS_DENIED", "")},
			cat: refundkit.CategoryAuth, code: "ACCESS_DENIED"},
	} {
		t.Run(name, func(t *testing.T) {
			srv := alphaPayStub(t, k, alphaPayAlways(alphaPaySigned(t, k.platform, alphaPayPath, alphaPayBody(tt.members))))
			c := newAlphaPayClient(t, cfg, srv.URL)
			exponents["XTS"], codes["PROCESS_FAIL"] = 9, refundkit.CategoryTemporary // later changes have no effect
			res, err := c.Inquire(t.Context(), refundkit.Query{RefundID: alphaPayRefundID})
			exponents["XTS"], codes["PROCESS_FAIL"] = 2, refundkit.CategoryInvalidRequest
			if tt.cat != "" {
				requireStubError(t, err, tt.cat, tt.code)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.amount, res.Amount)
		})
	}
}

// TestAlphaPayLogsNoSecrets: a refundTime that does not parse is logged at
// debug level, without the body, the time itself or any signature.
func TestAlphaPayLogsNoSecrets(t *testing.T) {
	k := loadTestKeys(t)
	reply := alphaPaySigned(t, k.platform, alphaPayPath, alphaPayBody(map[string]any{"refundTime": "yesterday at noon"}))
	srv := alphaPayStub(t, k, alphaPayAlways(reply))
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	res, err := newAlphaPayClient(t, alphaPayConfig(k), srv.URL, inquiry.WithLogger(logger)).
		Inquire(t.Context(), refundkit.Query{RefundID: alphaPayRefundID})
	require.NoError(t, err)
	assert.True(t, res.RefundedAt.IsZero())
	assert.Contains(t, logs.String(), "refundTime")
	for _, secret := range []string{"yesterday", reply.header["Signature"], "signature=", "damaged item", alphaPayMerchant} {
		assert.NotContains(t, logs.String(), secret)
	}
}
