package simulator_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// payermaxRequestCases are the requests TestRequests sends to the PayerMax simulator.
var payermaxRequestCases = []requestCase{
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
}

// payermaxStatusCases are the refunds TestStatuses seeds in the PayerMax simulator.
var payermaxStatusCases = []simulator.Refund{
	{RefundID: "pm-ok", ProviderRefundID: "T1", Status: "REFUND_SUCCESS", Amount: "10000", Currency: "IDR"},
	{RefundID: "pm-pending", Status: "REFUND_PENDING", Amount: "12345678901234.5678", Currency: "USD"},
	{RefundID: "pm-tab", Status: "REFUND_PENDING\t", Amount: "0.10", Currency: "USD"},
	{RefundID: "pm-failed", Status: "REFUND_FAILED", Amount: "10000", Currency: "IDR", Message: "bank said no", RefundTime: "2022-01-17T09:20:11.123+00:00"},
	{RefundID: "pm-unknown", Status: "REFUND_REVIEWING", Amount: "1e2", Currency: "IDR"},
}

// payermaxErrorCases are the errors TestSeededErrorCodes seeds in the PayerMax simulator.
var payermaxErrorCases = []errorCase{
	{simulator.Refund{Code: "SYSTEM_ERROR"}, "SYSTEM_ERROR"},
	{simulator.Refund{Code: "TOO_MANY_REQUEST"}, "TOO_MANY_REQUEST"},
}

// PayerMax, as the simulator tests speak it: JSON with the refund in data,
// signed in the sign header, and so are its answers.
func init() {
	speak(refundkit.PayerMax, speaker{
		body: func(_ *env, id string, at time.Time, o reqOpts, _ http.Header) map[string]any {
			data := map[string]any{"outRefundNo": id}
			if o.byTrade != "" {
				data["refundTradeNo"] = o.byTrade
			}
			if id == "" {
				delete(data, "outRefundNo")
			}
			return map[string]any{"version": "1.1", "keyVersion": "1", "requestTime": at.Format(sign.PayerMaxTimeLayout),
				"appId": simulator.DemoPayerMaxAppID, "merchantNo": simulator.DemoPayerMaxMerchantNo, "data": data}
		},
		encode: func(t testing.TB, _ *env, body map[string]any, header http.Header, keys *simulator.Keys, _ time.Time, o reqOpts) []byte {
			return signedJSON(t, body, o, func(raw []byte) ([]byte, error) {
				sig, err := sign.PayerMax{PrivateKey: keys.Merchant.Private}.Sign(raw)
				header.Set(sign.PayerMaxSignatureHeader, sig)
				return raw, err
			})
		},
		code:      func(a answer) string { return a.get("code") },
		rawStatus: func(a answer) string { return a.get("data", "status") },
		refundID:  func(a answer) string { return a.get("data", "outRefundNo") },
		amount:    func(a answer) string { return a.get("data", "refundAmount") },
		verify: func(a answer) error {
			return sign.PayerMax{PublicKey: testKeys().Platform.Public}.Verify(a.body, a.header.Get(sign.PayerMaxSignatureHeader))
		},
		succeeded:    "REFUND_SUCCESS",
		transition:   [2]string{"REFUND_PENDING", "REFUND_SUCCESS"},
		requestCases: payermaxRequestCases,
		statusCases:  payermaxStatusCases,
		checkStatus: func(t *testing.T, r simulator.Refund, a answer) {
			assert.Equal(t, "APPLY_SUCCESS", a.code(refundkit.PayerMax))
			assert.Contains(t, string(a.body), `"refundAmount":`+r.Amount+`,`, "a JSON number with the exact digits")
			assert.Equal(t, r.Message, a.get("data", "resultMsg"))
			assert.Equal(t, r.RefundTime, a.get("data", "refundFinishTime"))
		},
		errorCases: payermaxErrorCases,
		checkError: func(t *testing.T, _ simulator.Refund, a answer) {
			assert.False(t, a.has("data"))
		},
		// PayerMax's ladder: 0 s, 30 s, 5 min, 10 min, 1 h and 12 h.
		push: &pushSpeaker{attempts: 6, handler: func(pub *sign.PublicKey, deliver notify.DeliverFunc, opts ...notify.Option) (*notify.Handler, error) {
			return notify.New(inquiry.PayerMaxConfig{AppID: simulator.DemoPayerMaxAppID,
				MerchantNo: simulator.DemoPayerMaxMerchantNo, PublicKey: pub}, deliver, opts...)
		}},
		notFound: func(t *testing.T, a answer) {
			assert.Equal(t, "ORDER_NOT_EXIST", a.code(refundkit.PayerMax))
		},
	})
}
