package inquiry_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
	"github.com/stretchr/testify/require"
)

// newpayDocResponse is the response example of NewPay's "Inquiry Refund"
// page as published (field order, tranAbbr null, the undocumented
// refundSuccess, code and a string timestamp after data), with data.sign
// left empty for the test to fill with the platform test key.
const newpayDocResponse = `{
    "success": true,
    "message": "success",
    "data": %s,
    "code": "0",
    "timestamp": "1662528718641"
}`

const newpayDocData = `{
        "appId": "3514d69403bc4ce1a8fafb6415a31018",
        "sign": "",
        "tranAbbr": null,
        "tranNo": "00012022090700000037",
        "refundSuccess": true,
        "refundOrderAmt": "50000",
        "payMethod": 1,
        "currency": "LAK",
        "orderNo": "ORDERNO000000000A104",
        "newpayOrderNo": "202209076000000321",
        "refundOrderNo": "ORDERNORFD000000000A104",
        "newpayRefundOrderNo": "202209078000000702"
    }`

// newpaySigned returns the flat JSON object data with its sign member set
// by key (the platform's, to play NewPay).
func newpaySigned(t testing.TB, key *sign.PrivateKey, data string) []byte {
	t.Helper()
	signed, err := sign.NewPay{PrivateKey: key}.SignJSON([]byte(data))
	require.NoError(t, err)
	return signed
}

// newpayEnvelope wraps data in a successful answer with a numeric timestamp.
func newpayEnvelope(data []byte) []byte {
	return fmt.Appendf(nil, `{"success":true,"code":"0","message":"success","timestamp":1662528718641,"data":%s}`, data)
}

// newpayRefund is a data object about newpayRefundID with the given extra
// members (without braces), unsigned.
func newpayRefund(members string) string {
	return `{"appId":"` + newpayAppID + `","refundOrderNo":"` + newpayRefundID + `","orderNo":"ORDERNO000000000A104",` +
		`"newpayOrderNo":"202209076000000321","newpayRefundOrderNo":"202209078000000702","tranNo":"00012022090700000037"` +
		strings.TrimSuffix(","+members, ",") + `}`
}

// newpayStub is a NewPay stand-in that checks each request as NewPay would:
// method, path, headers, the exact field set, the credentials and the
// request signature (with the merchant's public key).
func newpayStub(t *testing.T, k testKeys, path string, answer func(n int, body []byte) stubReply) *providerStub {
	verifier := sign.NewPay{PublicKey: k.merchantPublic}
	return newProviderStub(t, func(r *http.Request, body []byte) error {
		var req map[string]any
		switch {
		case r.Method != http.MethodPost:
			return fmt.Errorf("method %s", r.Method)
		case r.URL.Path != path:
			return fmt.Errorf("path %s", r.URL.Path)
		case r.Header.Get("version") != "1.0":
			return fmt.Errorf("version header %q", r.Header.Get("version"))
		case r.Header.Get("Content-Type") != "application/json":
			return fmt.Errorf("content type %q", r.Header.Get("Content-Type"))
		case json.Unmarshal(body, &req) != nil:
			return fmt.Errorf("body is not a JSON object: %s", body)
		case len(req) != 5 || req["appId"] != newpayAppID || req["merchantId"] != newpayMerchantID ||
			req["refundOrderNo"] == nil || req["timestamp"] == nil:
			return fmt.Errorf("unexpected body %s", body)
		}
		return verifier.VerifyJSON(body)
	}, answer)
}

func newpayConfig(k testKeys) inquiry.NewPayConfig {
	return inquiry.NewPayConfig{AppID: newpayAppID, MerchantID: newpayMerchantID, PrivateKey: k.merchant, PublicKey: k.platformPublic}
}

// newpayHarness runs NewPay clients, with newpayConfig changed by edit (if
// not nil), against newpayStub.
func newpayHarness(k testKeys, edit func(*inquiry.NewPayConfig)) stubHarness {
	return stubHarness{
		serve: func(t *testing.T, answer func(int, []byte) stubReply) *providerStub {
			return newpayStub(t, k, newpayPath, answer)
		},
		client: func(t *testing.T, url string, opts ...inquiry.Option) refundkit.Inquirer {
			cfg := newpayConfig(k)
			if edit != nil {
				edit(&cfg)
			}
			c, err := inquiry.New(cfg, append([]inquiry.Option{inquiry.WithBaseURL(url), stubRetry}, opts...)...)
			require.NoError(t, err)
			return c
		},
		query: refundkit.Query{RefundID: newpayRefundID},
		fresh: func(t *testing.T, r stubRequest) (string, string) {
			var req struct {
				Timestamp json.Number `json:"timestamp"`
				Sign      string      `json:"sign"`
			}
			require.NoError(t, json.Unmarshal(r.body, &req))
			return req.Timestamp.String(), req.Sign
		},
	}
}

// newpaySignedReply answers with data signed by the platform key.
func newpaySignedReply(t testing.TB, k testKeys, data string) stubReply {
	return stubReply{body: newpayEnvelope(newpaySigned(t, k.platform, data))}
}
