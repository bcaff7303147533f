package inquiry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewPayRequest(t *testing.T) {
	k := loadTestKeys(t)
	h := newpayHarness(k, nil)
	at := time.Date(2022, 9, 7, 5, 31, 58, 641e6, time.UTC)
	srv, _, err := h.ask(t, h.query, stubAlways(newpaySignedReply(t, k, newpayRefund(`"tranStatus":1`))), inquiry.WithClock(func() time.Time { return at }))
	require.NoError(t, err)
	reqs := srv.recorded()
	require.Len(t, reqs, 1)
	var got map[string]any
	d := json.NewDecoder(bytes.NewReader(reqs[0].body))
	d.UseNumber()
	require.NoError(t, d.Decode(&got))
	assert.NotEmpty(t, got["sign"])
	delete(got, "sign")
	assert.Equal(t, map[string]any{
		"appId":         newpayAppID,
		"merchantId":    newpayMerchantID,
		"refundOrderNo": newpayRefundID,
		"timestamp":     json.Number("1662528718641"),
	}, got)
}

func TestNewPayPath(t *testing.T) {
	k := loadTestKeys(t)
	ok := newpaySignedReply(t, k, newpayRefund(`"tranStatus":1`))
	tests := []struct {
		name, prefix, path, want string
	}{
		{"default path", "", "", inquiry.NewPayInquiryPath},
		{"default path under a prefix", "/gw", "", "/gw" + newpayPath},
		{"configured path", "", "/api/open/converge/pay/v1/refundQuery", "/api/open/converge/pay/v1/refundQuery"},
		{"configured path under a prefix", "/gw/", "/v1/q", "/gw/v1/q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newpayStub(t, k, tt.want, stubAlways(ok))
			h := newpayHarness(k, func(c *inquiry.NewPayConfig) { c.Path = tt.path })
			res, err := h.client(t, srv.URL+tt.prefix).Inquire(t.Context(), h.query)
			require.NoError(t, err)
			assert.Equal(t, refundkit.StatusSucceeded, res.Status)
		})
	}
}

func TestNewPayInsecureSkipVerify(t *testing.T) {
	k := loadTestKeys(t)
	h := newpayHarness(k, func(c *inquiry.NewPayConfig) { c.PublicKey = nil })
	unsigned := newpayEnvelope([]byte(newpayRefund(`"tranStatus":1,"refundOrderAmt":"50000","currency":"LAK"`)))
	_, res, err := h.ask(t, h.query, stubAlways(stubReply{body: unsigned}), inquiry.WithInsecureSkipVerify())
	require.NoError(t, err)
	assert.Equal(t, refundkit.StatusSucceeded, res.Status)
	assert.False(t, res.Verified)
}

func TestNewPayInvalidQueries(t *testing.T) {
	k := loadTestKeys(t)
	runStubBadQueries(t, newpayHarness(k, nil), map[string]refundkit.Query{
		"empty":              {},
		"control character":  {RefundID: "R1\n"},
		"invalid UTF-8":      {RefundID: "R\xff"},
		"provider refund id": {RefundID: newpayRefundID, ProviderRefundID: "202209078000000702"},
		"refund request id":  {RefundID: newpayRefundID, RefundRequestID: "x"},
		// Signed unescaped, these would make the canonical string ambiguous.
		"& and = in the refund id": {RefundID: "R1&appId=other"},
		"= in the refund id":       {RefundID: "R1="},
	})
}

func TestNewNewPayConfig(t *testing.T) {
	k := loadTestKeys(t)
	tests := []struct {
		name string
		edit func(*inquiry.NewPayConfig)
		opts []inquiry.Option
	}{
		{"no app id", func(c *inquiry.NewPayConfig) { c.AppID = "" }, nil},
		{"no merchant id", func(c *inquiry.NewPayConfig) { c.MerchantID = "" }, nil},
		{"control character in app id", func(c *inquiry.NewPayConfig) { c.AppID = "a\tb" }, nil},
		{"& in merchant id", func(c *inquiry.NewPayConfig) { c.MerchantID = "M1&appId=other" }, nil},
		{"= in app id", func(c *inquiry.NewPayConfig) { c.AppID = "A=1" }, nil},
		{"no private key", func(c *inquiry.NewPayConfig) { c.PrivateKey = nil }, nil},
		{"no public key", func(c *inquiry.NewPayConfig) { c.PublicKey = nil }, nil},
		{"relative path", func(c *inquiry.NewPayConfig) { c.Path = "queryRefund" }, nil},
		{"error code without a category", func(c *inquiry.NewPayConfig) {
			c.ErrorCodes = map[string]refundkit.Category{"Z00001": "bogus"}
		}, nil},
		{"relative base URL", func(*inquiry.NewPayConfig) {}, []inquiry.Option{inquiry.WithBaseURL("prod-openapi.newpay.la")}},
		{"bad base URL", func(*inquiry.NewPayConfig) {}, []inquiry.Option{inquiry.WithBaseURL("https://%zz")}},
		{"ftp base URL", func(*inquiry.NewPayConfig) {}, []inquiry.Option{inquiry.WithBaseURL("ftp://newpay.la")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := newpayConfig(k)
			tt.edit(&cfg)
			c, err := inquiry.New(cfg, tt.opts...)
			assert.Nil(t, c)
			requireStubError(t, err, refundkit.CategoryInvalidRequest, "")
		})
	}
	t.Run("valid", func(t *testing.T) {
		c, err := inquiry.New(newpayConfig(k))
		require.NoError(t, err)
		assert.Equal(t, refundkit.NewPay, c.Provider())
	})
}

func TestNewPayContextCanceled(t *testing.T) {
	k := loadTestKeys(t)
	h := newpayHarness(k, nil)
	srv := h.serve(t, stubAlways(stubReply{body: []byte(`{"success":false,"code":"E9999"}`)}))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := h.client(t, srv.URL).Inquire(ctx, h.query)
	requireStubError(t, err, refundkit.CategoryTemporary, "")
	assert.ErrorIs(t, err, context.Canceled)
}
