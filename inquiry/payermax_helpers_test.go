package inquiry_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
	"github.com/stretchr/testify/require"
)

// payermaxRequestTime is the spec's pattern for requestTime.
var payermaxRequestTime = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}(Z|[+-][0-9]{2}:[0-9]{2})$`)

// payermaxRequest is the request body as the stub reads it.
type payermaxRequest struct {
	Version     string  `json:"version"`
	KeyVersion  string  `json:"keyVersion"`
	RequestTime string  `json:"requestTime"`
	AppID       string  `json:"appId"`
	MerchantNo  *string `json:"merchantNo"`
	Data        struct {
		OutRefundNo   *string `json:"outRefundNo"`
		RefundTradeNo *string `json:"refundTradeNo"`
	} `json:"data"`
}

// payermaxStub is a PayerMax stand-in that checks each request as PayerMax
// would: method, path, content type, required fields and the sign header
// over the exact body (with the merchant's public key).
func payermaxStub(t *testing.T, k testKeys, answer func(n int, body []byte) stubReply) *providerStub {
	verifier := sign.PayerMax{PublicKey: k.merchantPublic}
	return newProviderStub(t, func(r *http.Request, body []byte) error {
		var req payermaxRequest
		switch {
		case r.Method != http.MethodPost || r.URL.Path != payermaxPath:
			return fmt.Errorf("%s %s", r.Method, r.URL.Path)
		case r.Header.Get("Content-Type") != "application/json":
			return fmt.Errorf("content type %q", r.Header.Get("Content-Type"))
		case json.Unmarshal(body, &req) != nil:
			return fmt.Errorf("body is not JSON: %s", body)
		case req.Version == "" || req.KeyVersion != "1" || req.AppID != payermaxAppID ||
			!payermaxRequestTime.MatchString(req.RequestTime) || (req.Data.OutRefundNo == nil && req.Data.RefundTradeNo == nil):
			return fmt.Errorf("unexpected body %s", body)
		}
		return verifier.Verify(body, r.Header.Get(sign.PayerMaxSignatureHeader))
	}, answer)
}

// payermaxSigned answers with body, signed by key in the sign header.
func payermaxSigned(t testing.TB, key *sign.PrivateKey, body string) stubReply {
	t.Helper()
	sig, err := sign.PayerMax{PrivateKey: key}.Sign([]byte(body))
	require.NoError(t, err)
	return stubReply{header: map[string]string{sign.PayerMaxSignatureHeader: sig}, body: []byte(body)}
}

// payermaxRefund is a successful answer about payermaxRefundID with the
// given data members (without braces) after the ids.
func payermaxRefund(members string) string {
	return `{"code":"APPLY_SUCCESS","msg":"Success.","data":{"outRefundNo":"` + payermaxRefundID +
		`","refundTradeNo":"` + payermaxTradeNo + `","outTradeNo":"P1642410680681"` + strings.TrimSuffix(","+members, ",") + `}}`
}

func payermaxConfig(k testKeys) inquiry.PayerMaxConfig {
	return inquiry.PayerMaxConfig{AppID: payermaxAppID, MerchantNo: payermaxMerchantNo, PrivateKey: k.merchant, PublicKey: k.platformPublic}
}

// payermaxHarness runs PayerMax clients, with payermaxConfig changed by
// edit (if not nil), against payermaxStub.
func payermaxHarness(k testKeys, edit func(*inquiry.PayerMaxConfig)) stubHarness {
	return stubHarness{
		serve: func(t *testing.T, answer func(int, []byte) stubReply) *providerStub {
			return payermaxStub(t, k, answer)
		},
		client: func(t *testing.T, url string, opts ...inquiry.Option) refundkit.Inquirer {
			cfg := payermaxConfig(k)
			if edit != nil {
				edit(&cfg)
			}
			c, err := inquiry.New(cfg, append([]inquiry.Option{inquiry.WithBaseURL(url), stubRetry}, opts...)...)
			require.NoError(t, err)
			return c
		},
		query: refundkit.Query{RefundID: payermaxRefundID},
		fresh: func(t *testing.T, r stubRequest) (string, string) {
			var req payermaxRequest
			require.NoError(t, json.Unmarshal(r.body, &req))
			return req.RequestTime, r.header.Get(sign.PayerMaxSignatureHeader)
		},
	}
}

func payermaxMoney(t *testing.T, value, currency string) *refundkit.Money {
	t.Helper()
	m, err := refundkit.ParseMoney(value, currency)
	require.NoError(t, err)
	return &m
}

// payermaxText returns *p, or "" for nil.
func payermaxText(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
