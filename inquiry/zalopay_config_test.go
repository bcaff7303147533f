package inquiry_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestZaloPayInsecureSkipVerifyChangesNothing: there is no signature to
// skip, and the result says it was not verified either way.
func TestZaloPayInsecureSkipVerifyChangesNothing(t *testing.T) {
	stub := zaloPayStub(t, false, zaloPayAlways(zaloPayAnswer(1, 1, "", "")))
	var got []*refundkit.Result
	for _, opts := range [][]inquiry.Option{{}, {inquiry.WithInsecureSkipVerify()}} {
		c := newZaloPayClient(t, inquiry.ZaloPayConfig{}, append(opts, inquiry.WithBaseURL(stub.URL))...)
		res, err := c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
		require.NoError(t, err)
		assert.False(t, res.Verified)
		got = append(got, res)
	}
	assert.Equal(t, got[0], got[1])
}

// TestZaloPayInvalidQuery: a bad query never reaches the network.
func TestZaloPayInvalidQuery(t *testing.T) {
	stub := zaloPayStub(t, false, zaloPayAlways(zaloPayAnswer(1, 1, "", "")))
	c := newZaloPayClient(t, inquiry.ZaloPayConfig{}, inquiry.WithBaseURL(stub.URL))
	for name, q := range map[string]refundkit.Query{
		"empty":                 {},
		"control character":     {RefundID: "230407_2554_1\n"},
		"NUL":                   {RefundID: "230407\x00"},
		"invalid UTF-8":         {RefundID: "230407_\xff"},
		"ProviderRefundID used": {RefundID: zaloPayRefundID, ProviderRefundID: "x"},
		"RefundRequestID used":  {RefundID: zaloPayRefundID, RefundRequestID: "x"},
		"the mac separator":     {RefundID: "230407_2554|1680848533635"},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := c.Inquire(t.Context(), q)
			assert.Nil(t, res)
			e := requireStubError(t, err, refundkit.CategoryInvalidRequest, "")
			assert.Equal(t, refundkit.ZaloPay, e.Provider)
			assert.Zero(t, e.HTTPStatus)
		})
	}
	assert.Zero(t, stub.hits.Load())
}

func TestNewZaloPay(t *testing.T) {
	t.Run("hosts", func(t *testing.T) {
		for name, tc := range map[string]struct {
			opts []inquiry.Option
			want string
		}{
			"production by default": {nil, "https://openapi.zalopay.vn/v2/query_refund"},
			"sandbox":               {[]inquiry.Option{inquiry.WithBaseURL(inquiry.ZaloPaySandboxURL)}, "https://sb-openapi.zalopay.vn/v2/query_refund"},
			"with a path prefix":    {[]inquiry.Option{inquiry.WithBaseURL("http://127.0.0.1:1/zalo")}, "http://127.0.0.1:1/zalo/v2/query_refund"},
		} {
			t.Run(name, func(t *testing.T) {
				rt := &offlineTransport{body: `{"return_code":1}`}
				c := newZaloPayClient(t, inquiry.ZaloPayConfig{},
					append(tc.opts, inquiry.WithHTTPClient(&http.Client{Transport: rt}))...)
				assert.Equal(t, refundkit.ZaloPay, c.Provider())
				_, err := c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
				require.NoError(t, err)
				assert.Equal(t, []string{tc.want}, rt.urls)
			})
		}
	})
	t.Run("invalid config", func(t *testing.T) {
		ok := inquiry.ZaloPayConfig{AppID: zaloPayAppID, Key1: zaloPayKey1}
		for name, tc := range map[string]struct {
			cfg  inquiry.ZaloPayConfig
			opts []inquiry.Option
		}{
			"no app id":          {inquiry.ZaloPayConfig{Key1: zaloPayKey1}, nil},
			"negative app id":    {inquiry.ZaloPayConfig{AppID: -1, Key1: zaloPayKey1}, nil},
			"no key1":            {inquiry.ZaloPayConfig{AppID: zaloPayAppID}, nil},
			"empty key1":         {inquiry.ZaloPayConfig{AppID: zaloPayAppID, Key1: sign.NewSecret("")}, nil},
			"bad error category": {inquiry.ZaloPayConfig{AppID: zaloPayAppID, Key1: zaloPayKey1, ErrorCodes: map[int]refundkit.Category{-1: "nope"}}, nil},
			"relative base URL":  {ok, []inquiry.Option{inquiry.WithBaseURL("openapi.zalopay.vn")}},
			"ftp base URL":       {ok, []inquiry.Option{inquiry.WithBaseURL("ftp://openapi.zalopay.vn")}},
		} {
			t.Run(name, func(t *testing.T) {
				c, err := inquiry.New(tc.cfg, tc.opts...)
				assert.Nil(t, c)
				e := requireStubError(t, err, refundkit.CategoryInvalidRequest, "")
				assert.Equal(t, refundkit.ZaloPay, e.Provider)
				assert.NotContains(t, fmt.Sprintf("%v %+v", err, tc.cfg), "sdngKKJ", "key1 never shows")
			})
		}
	})
}

// TestZaloPayErrorCodes: the config's table adds request-level codes (a
// sub-code that would otherwise mean "failed") and replaces built-in rows.
func TestZaloPayErrorCodes(t *testing.T) {
	for name, tc := range map[string]struct {
		body string
		cat  refundkit.Category
		code string
	}{
		"added sub-code":    {zaloPayAnswer(2, -77, "", "bank maintenance"), refundkit.CategoryTemporary, "-77"},
		"added return_code": {zaloPayAnswer(-77, -77, "bank maintenance", ""), refundkit.CategoryTemporary, "-77"},
		"replaced row":      {zaloPayAnswer(2, -401, "", "m_refund_id does not exist"), refundkit.CategoryNotFound, "-401"},
	} {
		t.Run(name, func(t *testing.T) {
			stub := zaloPayStub(t, false, zaloPayAlways(tc.body))
			c := newZaloPayClient(t, inquiry.ZaloPayConfig{ErrorCodes: map[int]refundkit.Category{
				-77: refundkit.CategoryTemporary, -401: refundkit.CategoryNotFound}},
				inquiry.WithBaseURL(stub.URL), inquiry.WithRetry(inquiry.NoRetry()))
			_, err := c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
			requireStubError(t, err, tc.cat, tc.code)
		})
	}
}
