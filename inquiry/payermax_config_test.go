package inquiry_test

import (
	"strings"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPayerMaxRequest(t *testing.T) {
	k := loadTestKeys(t)
	ok := payermaxSigned(t, k.platform, payermaxRefund(`"status":"REFUND_SUCCESS"`))
	// The client's clock may be in any zone; requestTime is written in UTC.
	at := time.Date(2022, 1, 17, 15, 1, 23, 737e6, time.FixedZone("WITA", 8*3600))
	tests := []struct {
		name string
		edit func(*inquiry.PayerMaxConfig)
		want string
	}{
		{"defaults", nil,
			`{"appId":"` + payermaxAppID + `","data":{"outRefundNo":"R1642411016202"},"keyVersion":"1",` +
				`"merchantNo":"02021382719993","requestTime":"2022-01-17T07:01:23.737+00:00","version":"1.1"}`},
		{"another version, no merchantNo", func(c *inquiry.PayerMaxConfig) { c.Version, c.MerchantNo = "1.5", "" },
			`{"appId":"` + payermaxAppID + `","data":{"outRefundNo":"R1642411016202"},"keyVersion":"1",` +
				`"requestTime":"2022-01-17T07:01:23.737+00:00","version":"1.5"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := payermaxHarness(k, tt.edit)
			srv, _, err := h.ask(t, h.query, stubAlways(ok), inquiry.WithClock(func() time.Time { return at }))
			require.NoError(t, err)
			reqs := srv.recorded()
			require.Len(t, reqs, 1)
			assert.JSONEq(t, tt.want, string(reqs[0].body))
		})
	}
}

func TestPayerMaxInsecureSkipVerify(t *testing.T) {
	k := loadTestKeys(t)
	h := payermaxHarness(k, func(c *inquiry.PayerMaxConfig) { c.PublicKey = nil })
	unsigned := stubReply{body: []byte(payermaxRefund(`"status":"REFUND_FAILED"`))}
	_, res, err := h.ask(t, h.query, stubAlways(unsigned), inquiry.WithInsecureSkipVerify())
	require.NoError(t, err)
	assert.Equal(t, refundkit.StatusFailed, res.Status)
	assert.False(t, res.Verified)
}

func TestPayerMaxInvalidQueries(t *testing.T) {
	k := loadTestKeys(t)
	h := payermaxHarness(k, nil)
	long := strings.Repeat("R", 65)
	runStubBadQueries(t, h, map[string]refundkit.Query{
		"empty":                              {},
		"outRefundNo too long":               {RefundID: long},
		"refundTradeNo too long":             {ProviderRefundID: long},
		"control character":                  {RefundID: "R\x00"},
		"control character in refundTradeNo": {RefundID: payermaxRefundID, ProviderRefundID: "T\u0085"},
		"invalid UTF-8":                      {ProviderRefundID: "\xc3"},
		"refund request id":                  {RefundID: payermaxRefundID, RefundRequestID: "x"},
	})
	t.Run("64 characters is fine", func(t *testing.T) {
		id := strings.Repeat("R", 64)
		body := strings.Replace(payermaxRefund(`"status":"REFUND_SUCCESS"`), payermaxRefundID, id, 1)
		_, res, err := h.ask(t, refundkit.Query{RefundID: id}, stubAlways(payermaxSigned(t, k.platform, body)))
		require.NoError(t, err)
		assert.Equal(t, id, res.MerchantRefundID)
	})
}

func TestNewPayerMaxConfig(t *testing.T) {
	k := loadTestKeys(t)
	tests := []struct {
		name string
		edit func(*inquiry.PayerMaxConfig)
		opts []inquiry.Option
	}{
		{"no app id", func(c *inquiry.PayerMaxConfig) { c.AppID = "" }, nil},
		{"app id too long", func(c *inquiry.PayerMaxConfig) { c.AppID = strings.Repeat("a", 65) }, nil},
		{"merchant no too long", func(c *inquiry.PayerMaxConfig) { c.MerchantNo = strings.Repeat("1", 33) }, nil},
		{"version too long", func(c *inquiry.PayerMaxConfig) { c.Version = "1.1.1.1.1" }, nil},
		{"no private key", func(c *inquiry.PayerMaxConfig) { c.PrivateKey = nil }, nil},
		{"no public key", func(c *inquiry.PayerMaxConfig) { c.PublicKey = nil }, nil},
		{"error code without a category", func(c *inquiry.PayerMaxConfig) {
			c.ErrorCodes = map[string]refundkit.Category{"X": ""}
		}, nil},
		{"relative base URL", func(*inquiry.PayerMaxConfig) {}, []inquiry.Option{inquiry.WithBaseURL("/gateway")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := payermaxConfig(k)
			tt.edit(&cfg)
			c, err := inquiry.New(cfg, tt.opts...)
			assert.Nil(t, c)
			requireStubError(t, err, refundkit.CategoryInvalidRequest, "")
		})
	}
	t.Run("valid, UAT", func(t *testing.T) {
		c, err := inquiry.New(payermaxConfig(k), inquiry.WithBaseURL(inquiry.PayerMaxUATURL))
		require.NoError(t, err)
		assert.Equal(t, refundkit.PayerMax, c.Provider())
	})
}
