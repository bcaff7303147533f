package inquiry_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
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

// alphaPayVector is AlphaPay's known-answer exchange in
// sign/testdata/vectors.json.
type alphaPayVector struct {
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
}

func loadAlphaPayVector(t *testing.T) alphaPayVector {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "sign", "testdata", "vectors.json"))
	require.NoError(t, err)
	var v struct {
		AlphaPay alphaPayVector `json:"alphapay"`
	}
	require.NoError(t, json.Unmarshal(raw, &v))
	return v.AlphaPay
}
