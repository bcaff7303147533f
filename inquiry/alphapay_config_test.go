package inquiry_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
