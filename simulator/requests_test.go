package simulator_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// requestCase is one request a provider should answer with code.
type requestCase struct {
	name string
	o    reqOpts
	code string
	// specInvalid: the request does not match the spec, so the validating
	// transport must flag it too.
	specInvalid bool
}

func setBody(k string, v any) func(map[string]any) {
	return func(m map[string]any) { m[k] = v }
}

func delBody(k string) func(map[string]any) {
	return func(m map[string]any) { delete(m, k) }
}

func setHeader(k, v string) func(http.Header) {
	return func(h http.Header) { h.Set(k, v) }
}

func delHeader(k string) func(http.Header) {
	return func(h http.Header) { h.Del(k) }
}

func replaceBody(old, repl string) func([]byte) []byte {
	return func(b []byte) []byte { return []byte(strings.Replace(string(b), old, repl, 1)) }
}

const seededID = "230407_2554_seeded"

var requestCases = map[refundkit.Provider][]requestCase{
	refundkit.NewPay: {
		{name: "well-formed", code: "0"},
		{name: "no version header", o: reqOpts{header: delHeader("version")}, code: "B11095", specInvalid: true},
		{name: "wrong version", o: reqOpts{header: setHeader("version", "2.0")}, code: "B11095", specInvalid: true},
		{name: "no appId", o: reqOpts{body: delBody("appId")}, code: "Z00001", specInvalid: true},
		{name: "merchantId a number", o: reqOpts{body: setBody("merchantId", 7)}, code: "Z00021", specInvalid: true},
		{name: "timestamp text", o: reqOpts{body: setBody("timestamp", "now")}, code: "Z00004", specInvalid: true},
		{name: "no refundOrderNo", o: reqOpts{body: delBody("refundOrderNo")}, code: "Z00049", specInvalid: true},
		{name: "no sign", o: reqOpts{unsigned: true}, code: "Z00005", specInvalid: true},
		{name: "not JSON", o: reqOpts{raw: func([]byte) []byte { return []byte("{") }}, code: "B11095", specInvalid: true},
		{name: "empty refundOrderNo", o: reqOpts{body: setBody("refundOrderNo", "")}, code: "Z00049"},
		{name: "unknown appId", o: reqOpts{body: setBody("appId", "other")}, code: "Z00003"},
		{name: "unknown merchantId", o: reqOpts{body: setBody("merchantId", "other")}, code: "Z00044"},
		{name: "sign not base64", o: reqOpts{raw: replaceBody(`"sign":"`, `"sign":"!`)}, code: "Z00005"},
		{name: "signed with another key", o: reqOpts{keys: otherKeys()}, code: "Z00007"},
		{name: "body changed after signing", o: reqOpts{raw: replaceBody(seededID, seededID+"x")}, code: "Z00007"},
	},
	refundkit.PayerMax: {
		{name: "well-formed", code: "APPLY_SUCCESS"},
		{name: "no sign header", o: reqOpts{unsigned: true}, code: "SIGN_VERIFY_FAILED", specInvalid: true},
		{name: "no data", o: reqOpts{body: delBody("data")}, code: "PARAMS_INVALID", specInvalid: true},
		{name: "empty data", o: reqOpts{body: setBody("data", map[string]any{})}, code: "PARAMS_INVALID", specInvalid: true},
		{name: "outRefundNo too long", o: reqOpts{body: setBody("data", map[string]any{"outRefundNo": strings.Repeat("r", 65)})}, code: "PARAMS_INVALID", specInvalid: true},
		// Any RFC 3339 time: PayerMax's Go SDK formats with Go's .999
		// layout, trimming trailing zeros (about one request in ten).
		{name: "requestTime as PayerMax's Go SDK trims it", o: reqOpts{body: setBody("requestTime", "2024-03-01T10:30:00.12Z")}, code: "APPLY_SUCCESS"},
		{name: "requestTime without a fraction", o: reqOpts{body: setBody("requestTime", "2024-03-01T10:30:00Z")}, code: "APPLY_SUCCESS"},
		{name: "requestTime with nanoseconds and an offset", o: reqOpts{body: setBody("requestTime", "2024-03-01T17:30:00.123456789+07:00")}, code: "APPLY_SUCCESS"},
		{name: "requestTime in lower case", o: reqOpts{body: setBody("requestTime", "2024-03-01t10:30:00.1z")}, code: "PARAMS_INVALID", specInvalid: true},
		{name: "requestTime with ten fraction digits", o: reqOpts{body: setBody("requestTime", "2024-03-01T10:30:00.1234567890Z")}, code: "PARAMS_INVALID", specInvalid: true},
		{name: "requestTime without an offset", o: reqOpts{body: setBody("requestTime", "2024-03-01T10:30:00.123")}, code: "PARAMS_INVALID", specInvalid: true},
		{name: "requestTime with an empty fraction", o: reqOpts{body: setBody("requestTime", "2024-03-01T10:30:00.Z")}, code: "PARAMS_INVALID", specInvalid: true},
		{name: "not JSON", o: reqOpts{raw: func([]byte) []byte { return []byte("[]") }}, code: "PARAMS_INVALID", specInvalid: true},
		{name: "unknown appId", o: reqOpts{body: setBody("appId", "other")}, code: "MERCHANT_INVALID"},
		{name: "other merchantNo", o: reqOpts{body: setBody("merchantNo", "010229810189301")}, code: "MERCHANT_INVALID"},
		{name: "no merchantNo", o: reqOpts{body: delBody("merchantNo")}, code: "APPLY_SUCCESS"},
		{name: "empty merchantNo, as PayerMax's Go SDK sends it", o: reqOpts{body: setBody("merchantNo", "")}, code: "APPLY_SUCCESS"},
		{name: "signed with another key", o: reqOpts{keys: otherKeys()}, code: "SIGN_VERIFY_FAILED"},
		{name: "sign not base64", o: reqOpts{header: setHeader("sign", "!!")}, code: "SIGN_VERIFY_FAILED"},
		{name: "body changed after signing", o: reqOpts{raw: replaceBody(`"1.1"`, `"1.4"`)}, code: "SIGN_VERIFY_FAILED"},
		{name: "requestTime 3 minutes behind", o: reqOpts{at: testNow.Add(-3 * time.Minute)}, code: "REQ_TIME_OVER_TIME"},
		{name: "requestTime 3 minutes ahead", o: reqOpts{at: testNow.Add(3 * time.Minute)}, code: "REQ_TIME_OVER_TIME"},
		{name: "requestTime 90 seconds behind", o: reqOpts{at: testNow.Add(-90 * time.Second)}, code: "APPLY_SUCCESS"},
		{name: "requestTime in another zone", o: reqOpts{at: testNow.In(time.FixedZone("WIB", 7*3600))}, code: "APPLY_SUCCESS"},
	},
	refundkit.ZaloPay: {
		{name: "well-formed", code: "1"},
		{name: "form-encoded", o: reqOpts{form: true}, code: "1"},
		{name: "no mac", o: reqOpts{unsigned: true}, code: "-401", specInvalid: true},
		{name: "mac upper case", o: reqOpts{raw: func(b []byte) []byte { return []byte(strings.ToUpper(string(b))) }}, code: "-401", specInvalid: true},
		{name: "app_id text", o: reqOpts{raw: replaceBody(`"app_id":2554`, `"app_id":"2554"`)}, code: "-401", specInvalid: true},
		{name: "no m_refund_id", o: reqOpts{body: delBody("m_refund_id")}, code: "-401", specInvalid: true},
		{name: "negative timestamp", o: reqOpts{body: setBody("timestamp", int64(-1))}, code: "-401", specInvalid: true},
		{name: "unknown app_id", o: reqOpts{body: setBody("app_id", int64(9999))}, code: "-402"},
		{name: "mac with another key1", o: reqOpts{keys: otherKeys()}, code: "-403"},
		{name: "body changed after mac", o: reqOpts{raw: replaceBody(seededID, seededID+"x")}, code: "-403"},
		{name: "form mac with another key1", o: reqOpts{form: true, keys: otherKeys()}, code: "-403"},
	},
	refundkit.AlphaPay: {
		{name: "well-formed", code: "SUCCESS"},
		{name: "no Signature header", o: reqOpts{header: delHeader("Signature")}, code: "INVALID_SIGNATURE", specInvalid: true},
		{name: "malformed Signature header", o: reqOpts{header: setHeader("Signature", "RS256 abc")}, code: "INVALID_SIGNATURE", specInvalid: true},
		{name: "no Nonce", o: reqOpts{header: delHeader("Nonce")}, code: "PARAM_ILLEGAL", specInvalid: true},
		{name: "short Nonce", o: reqOpts{header: setHeader("Nonce", "abc")}, code: "PARAM_ILLEGAL", specInvalid: true},
		{name: "Request-Time not a time", o: reqOpts{header: setHeader("Request-Time", "yesterday")}, code: "PARAM_ILLEGAL", specInvalid: true},
		{name: "no Merchant-Code", o: reqOpts{header: delHeader("Merchant-Code")}, code: "PARAM_ILLEGAL", specInvalid: true},
		{name: "no refundId", o: reqOpts{body: delBody("refundId")}, code: "PARAM_ILLEGAL", specInvalid: true},
		{name: "empty refundId", o: reqOpts{body: setBody("refundId", "")}, code: "PARAM_ILLEGAL", specInvalid: true},
		{name: "unknown Merchant-Code", o: reqOpts{header: setHeader("Merchant-Code", "OTHER")}, code: "ACCESS_DENIED"},
		{name: "signed with another key", o: reqOpts{keys: otherKeys()}, code: "INVALID_SIGNATURE"},
		{name: "Nonce changed after signing", o: reqOpts{header: setHeader("Nonce", strings.Repeat("0", 32))}, code: "INVALID_SIGNATURE"},
		{name: "body changed after signing", o: reqOpts{raw: replaceBody(seededID, seededID+"x")}, code: "INVALID_SIGNATURE"},
	},
}

func TestRequests(t *testing.T) {
	for _, p := range spokenProviders {
		t.Run(string(p), func(t *testing.T) {
			for _, tc := range requestCases[p] {
				t.Run(tc.name, func(t *testing.T) {
					e := newEnv(t, p)
					require.NoError(t, e.sim.Seed(simulator.Refund{RefundID: seededID, Status: seededStatus(p)}))
					a := e.do(t, e.request(t, seededID, tc.o))
					require.Equal(t, http.StatusOK, a.status, "providers answer errors with HTTP 200")
					assert.Equal(t, tc.code, a.code(p), "body: %s", a.body)
					if !(p == refundkit.AlphaPay && tc.name == "unknown Merchant-Code") {
						require.NoError(t, a.verify(p), "every answer is signed where the provider signs")
					}
					accepted := e.sim.Faults().Count(simulator.FaultNone) == 1
					assert.Equal(t, accepted, e.sim.Stats().Rejected == 0)
					_, n, _ := e.sim.Refund(seededID)
					assert.Equal(t, accepted, n == 1, "only accepted inquiries count")

					assert.Empty(t, e.responseViolations(), "every answer matches the spec")
					assert.Equal(t, tc.specInvalid, len(e.vt.Violations()) > 0,
						"the validating transport agrees on what is malformed: %v", e.vt.Violations())
				})
			}
		})
	}
}

// seededStatus is a success status in provider p's terms.
func seededStatus(p refundkit.Provider) string {
	switch p {
	case refundkit.NewPay, refundkit.ZaloPay:
		return "1"
	case refundkit.PayerMax:
		return "REFUND_SUCCESS"
	default:
		return "SUCCESS"
	}
}

func TestAlphaPayRejectionSignedForTheCallersMerchantCode(t *testing.T) {
	e := newEnv(t, refundkit.AlphaPay)
	a := e.do(t, e.request(t, "x", reqOpts{header: setHeader("Merchant-Code", "OTHER")}))
	assert.Equal(t, "ACCESS_DENIED", a.code(refundkit.AlphaPay))
	err := sign.AlphaPay{MerchantCode: "OTHER", PublicKey: testKeys().Platform.Public}.
		VerifyResponse(http.MethodPost, e.sim.Path(), a.header, a.body)
	require.NoError(t, err)
}

func TestOversizedRequestBody(t *testing.T) {
	for _, p := range spokenProviders {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel() // net/http lingers 500ms before closing a connection with unread body
			e := newEnv(t, p)
			req := e.request(t, "x", reqOpts{raw: func([]byte) []byte { return []byte(strings.Repeat(" ", 100<<10)) }})
			resp, err := e.srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.EqualValues(t, 1, e.sim.Stats().Rejected)
		})
	}
}
