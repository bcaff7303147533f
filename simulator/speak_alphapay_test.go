package simulator_test

import (
	"cmp"
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

// alphapayRequestCases are the requests TestRequests sends to the AlphaPay simulator.
var alphapayRequestCases = []requestCase{
	{name: "well-formed", code: "SUCCESS"},
	{name: "no Signature header", o: reqOpts{header: delHeader("Signature")}, code: "INVALID_SIGNATURE", specInvalid: true},
	{name: "malformed Signature header", o: reqOpts{header: setHeader("Signature", "RS256 abc")}, code: "INVALID_SIGNATURE", specInvalid: true},
	{name: "no Nonce", o: reqOpts{header: delHeader("Nonce")}, code: "PARAM_ILLEGAL", specInvalid: true},
	{name: "short Nonce", o: reqOpts{header: setHeader("Nonce", "abc")}, code: "PARAM_ILLEGAL", specInvalid: true},
	{name: "Request-Time not a time", o: reqOpts{header: setHeader("Request-Time", "yesterday")}, code: "PARAM_ILLEGAL", specInvalid: true},
	{name: "no Merchant-Code", o: reqOpts{header: delHeader("Merchant-Code")}, code: "PARAM_ILLEGAL", specInvalid: true},
	{name: "no refundId", o: reqOpts{body: delBody("refundId")}, code: "PARAM_ILLEGAL", specInvalid: true},
	{name: "empty refundId", o: reqOpts{body: setBody("refundId", "")}, code: "PARAM_ILLEGAL", specInvalid: true},
	{name: "unknown Merchant-Code", o: reqOpts{header: setHeader("Merchant-Code", "OTHER")}, code: "ACCESS_DENIED", unverifiable: true},
	{name: "signed with another key", o: reqOpts{keys: otherKeys()}, code: "INVALID_SIGNATURE"},
	{name: "Nonce changed after signing", o: reqOpts{header: setHeader("Nonce", strings.Repeat("0", 32))}, code: "INVALID_SIGNATURE"},
	{name: "body changed after signing", o: reqOpts{raw: replaceBody(seededID, seededID+"x")}, code: "INVALID_SIGNATURE"},
}

// alphapayStatusCases are the refunds TestStatuses seeds in the AlphaPay simulator.
var alphapayStatusCases = []simulator.Refund{
	{RefundID: "ap-ok", RefundRequestID: "RR-1", Status: "SUCCESS", Amount: "100", Currency: "CAD"},
	{RefundID: "ap-process", Status: "REFUND_IN_PROCESS", Amount: "12345", Currency: "USD"},
	{RefundID: "ap-failed", Status: "FAILED", Amount: "1", Currency: "CAD"},
	{RefundID: "ap-u", SubStatus: "U", Amount: "5", Currency: "JPY"},
	{RefundID: "ap-unknown", Status: "REFUND_REVERSED", Amount: "100", Currency: "CAD"},
}

// alphapayErrorCases are the errors TestSeededErrorCodes seeds in the AlphaPay simulator.
var alphapayErrorCases = []errorCase{
	{simulator.Refund{SubStatus: "F", Code: "REQUEST_TRAFFIC_EXCEED_LIMIT"}, "REQUEST_TRAFFIC_EXCEED_LIMIT"},
	{simulator.Refund{SubStatus: "F"}, "PROCESS_FAIL"},
	{simulator.Refund{SubStatus: "U", Status: "REFUND_IN_PROCESS"}, "UNKNOWN_EXCEPTION"},
}

// AlphaPay, as the simulator tests speak it: JSON signed in the Signature,
// Request-Time and Nonce headers, and so are its answers, which must be
// fresh; its spec requires the answer's Signature header.
func init() {
	speak(refundkit.AlphaPay, speaker{
		body: func(_ *env, id string, _ time.Time, _ reqOpts, _ http.Header) map[string]any {
			return map[string]any{"refundId": id}
		},
		encode: func(t testing.TB, e *env, body map[string]any, header http.Header, keys *simulator.Keys, at time.Time, o reqOpts) []byte {
			return signedJSON(t, body, o, func(raw []byte) ([]byte, error) {
				h, err := sign.AlphaPay{MerchantCode: simulator.DemoAlphaPayMerchant, PrivateKey: keys.Merchant.Private}.
					Sign(http.MethodPost, e.sim.Path(), raw, at, sign.RandomNonce())
				if err == nil {
					h.SetRequest(header)
				}
				return raw, err
			})
		},
		code:      func(a answer) string { return a.get("result", "resultCode") },
		rawStatus: func(a answer) string { return a.get("refundStatus") },
		refundID:  func(a answer) string { return a.get("refundId") },
		amount:    func(a answer) string { return a.get("refund", "refundAmount", "value") },
		verify: func(a answer) error {
			v := sign.AlphaPay{MerchantCode: simulator.DemoAlphaPayMerchant, PublicKey: testKeys().Platform.Public}
			if err := v.VerifyResponse(http.MethodPost, "/api/v2.0/payments/inquiryRefund", a.header, a.body); err != nil {
				return err
			}
			// Fresh, as clients require: the simulators' clock and a
			// 32-hex-character nonce.
			return v.CheckFresh(a.header.Get(sign.AlphaPayHeaderResponseTime), a.header.Get(sign.AlphaPayHeaderNonce), testNow, 0)
		},
		succeeded:       "SUCCESS",
		transition:      [2]string{"REFUND_IN_PROCESS", "FAILED"},
		signatureInSpec: true,
		requestCases:    alphapayRequestCases,
		statusCases:     alphapayStatusCases,
		checkStatus: func(t *testing.T, r simulator.Refund, a answer) {
			assert.Equal(t, cmp.Or(r.SubStatus, "S"), a.get("result", "resultStatus"))
			assert.Equal(t, r.Currency, a.get("refund", "refundAmount", "currency"))
			assert.Equal(t, r.RefundRequestID, a.get("refundRequestId"))
		},
		errorCases: alphapayErrorCases,
		checkError: func(t *testing.T, r simulator.Refund, a answer) {
			assert.Equal(t, r.SubStatus, a.get("result", "resultStatus"))
		},
		// AlphaPay's single push.
		push: &pushSpeaker{attempts: 1, handler: func(pub *sign.PublicKey, deliver notify.DeliverFunc, opts ...notify.Option) (*notify.Handler, error) {
			return notify.New(inquiry.AlphaPayConfig{MerchantCode: simulator.DemoAlphaPayMerchant, PublicKey: pub}, deliver, opts...)
		}},
		notFound: func(t *testing.T, a answer) {
			assert.Equal(t, "REFUND_NOT_EXIST", a.code(refundkit.AlphaPay))
			assert.Equal(t, "F", a.get("result", "resultStatus"))
		},
	})
}
