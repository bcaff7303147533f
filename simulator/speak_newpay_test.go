package simulator_test

import (
	"encoding/json"
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

// newpayRequestCases are the requests TestRequests sends to the NewPay v1 simulator.
var newpayRequestCases = []requestCase{
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
}

// newpayStatusCases are the refunds TestStatuses seeds in the NewPay v1 simulator.
var newpayStatusCases = []simulator.Refund{
	{RefundID: "np-1", Status: "1", Amount: "50000", Currency: "LAK", ProviderRefundID: "202209078000000702"},
	{RefundID: "np-0", Status: "0", Amount: "50000", Currency: "LAK", Message: "rejected"},
	{RefundID: "np-true", Status: "true", Amount: "12.50", Currency: "USD"},
	{RefundID: "np-false", Status: "false", Amount: "1", Currency: "USD"},
	{RefundID: "np-unknown", Status: "7", Amount: "1", Currency: "LAK"},
}

// newpayErrorCases are the errors TestSeededErrorCodes seeds in the NewPay v1 simulator.
var newpayErrorCases = []errorCase{
	{simulator.Refund{Code: "E9999", Message: "unknown error"}, "E9999"},
	{simulator.Refund{Code: "Z00046"}, "Z00046"},
}

// NewPay v1, as the simulator tests speak it: signed JSON (the sign member,
// over the body) with a version header; answers sign only data.
func init() {
	speak(refundkit.NewPay, speaker{
		body: func(_ *env, id string, at time.Time, _ reqOpts, header http.Header) map[string]any {
			header.Set("version", "1.0")
			return map[string]any{"appId": simulator.DemoNewPayAppID, "merchantId": simulator.DemoNewPayMerchantID,
				"timestamp": at.UnixMilli(), "refundOrderNo": id}
		},
		encode: func(t testing.TB, _ *env, body map[string]any, _ http.Header, keys *simulator.Keys, _ time.Time, o reqOpts) []byte {
			return signedJSON(t, body, o, sign.NewPay{PrivateKey: keys.Merchant.Private}.SignJSON)
		},
		code: func(a answer) string { return a.get("code") },
		// tranStatus, or refundSuccess in the example style.
		rawStatus: func(a answer) string {
			if a.has("data", "refundSuccess") {
				return a.get("data", "refundSuccess")
			}
			return a.get("data", "tranStatus")
		},
		refundID: func(a answer) string { return a.get("data", "refundOrderNo") },
		amount:   func(a answer) string { return a.get("data", "refundOrderAmt") },
		// NewPay signs only data: an answer without data is unsigned.
		verify: func(a answer) error {
			return verifyNewPayData(a, sign.NewPay{PublicKey: testKeys().Platform.Public}.VerifyJSON)
		},
		succeeded: "1",
		// NewPay v1 documents no pending status: an undocumented one, then success.
		transition:   [2]string{"5", "1"},
		requestCases: newpayRequestCases,
		statusCases:  newpayStatusCases,
		checkStatus: func(t *testing.T, r simulator.Refund, a answer) {
			assert.Equal(t, "0", a.code(refundkit.NewPay))
			assert.Equal(t, "true", a.get("success"))
			assert.Equal(t, r.Currency, a.get("data", "currency"))
			assert.Equal(t, r.ProviderRefundID, a.get("data", "newpayRefundOrderNo"))
			assert.True(t, a.has("data", "tranAbbr"), "tranAbbr is null, as in NewPay's example")
			// The example style carries a string timestamp, the table style a number.
			isExample := r.Status == "true" || r.Status == "false"
			assert.Equal(t, isExample, strings.Contains(string(a.body), `"timestamp":"`))
			assert.Equal(t, !isExample, a.has("data", "tranInfo"))
		},
		errorCases: newpayErrorCases,
		checkError: func(t *testing.T, _ simulator.Refund, a answer) {
			assert.Equal(t, "false", a.get("success"))
		},
		// NewPay's 1 + 3 attempts.
		push: &pushSpeaker{attempts: 4, handler: func(pub *sign.PublicKey, deliver notify.DeliverFunc, opts ...notify.Option) (*notify.Handler, error) {
			return notify.New(inquiry.NewPayConfig{AppID: simulator.DemoNewPayAppID, PublicKey: pub}, deliver, opts...)
		}},
		notFound: func(t *testing.T, a answer) {
			assert.Equal(t, "Z00051", a.code(refundkit.NewPay))
			assert.Equal(t, "false", a.get("success"))
			assert.False(t, a.has("data"))
		},
	})
}

// verifyNewPayData checks the answer's data with verifyJSON, NewPay's way
// in v1 and v2 alike: NewPay signs only data, so an answer without data is
// unsigned.
func verifyNewPayData(a answer, verifyJSON func([]byte) error) error {
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(a.body, &env); err != nil {
		return err
	}
	if env.Data == nil {
		return nil
	}
	return verifyJSON(env.Data)
}
