package inquiry_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// errorVerifiedCase is a reply to a provider's client and the error it
// must become: its category, code and whether it is Verified.
type errorVerifiedCase struct {
	name     string
	h        stubHarness
	reply    stubReply
	opts     []inquiry.Option
	want     refundkit.Category
	code     string
	verified bool
}

// errorVerifiedCases are not-found answers signed and unsigned, with
// verification on and off, forged, and answers whose code the signature
// does not cover.
func errorVerifiedCases(t *testing.T) []errorVerifiedCase {
	k := loadTestKeys(t)
	newpay, payermax := newpayHarness(k, nil), payermaxHarness(k, nil)
	alphapay := stubHarness{
		serve: func(t *testing.T, answer func(int, []byte) stubReply) *providerStub {
			return newProviderStub(t, alphaPayCheck(k, alphaPayPath), answer)
		},
		client: func(t *testing.T, url string, opts ...inquiry.Option) refundkit.Inquirer {
			return newAlphaPayClient(t, alphaPayConfig(k), url, opts...)
		},
		query: refundkit.Query{RefundID: alphaPayRefundID},
	}
	const payermaxNotFound = `{"code":"ORDER_NOT_EXIST","msg":"Refund order does not exist."}`
	alphaPayNotFound := alphaPayBody(map[string]any{"result": alphaPayResult("F", "REFUND_NOT_EXIST", "")})
	return []errorVerifiedCase{
		{"newpay unsigned Z00051", newpay,
			stubReply{body: []byte(`{"success":false,"code":"Z00051","message":"order information does not exist","data":null}`)},
			nil, refundkit.CategoryNotFound, "Z00051", false},
		{"newpay Z00051 with signed data: the code is outside the signature", newpay,
			stubReply{body: fmt.Appendf(nil, `{"success":false,"code":"Z00051","message":"no","data":%s}`, newpaySigned(t, k.platform, newpayRefund("")))},
			nil, refundkit.CategoryNotFound, "Z00051", false},
		{"newpay signed answer about another refund", newpay,
			newpaySignedReply(t, k, `{"appId":"`+newpayAppID+`","refundOrderNo":"other","tranStatus":1}`),
			nil, refundkit.CategoryInvalidResponse, "", true},
		{"payermax unsigned ORDER_NOT_EXIST", payermax, stubReply{body: []byte(payermaxNotFound)},
			nil, refundkit.CategoryNotFound, "ORDER_NOT_EXIST", false},
		{"payermax signed ORDER_NOT_EXIST", payermax, payermaxSigned(t, k.platform, payermaxNotFound),
			nil, refundkit.CategoryNotFound, "ORDER_NOT_EXIST", true},
		{"payermax signed ORDER_NOT_EXIST, verification off", payermax, payermaxSigned(t, k.platform, payermaxNotFound),
			[]inquiry.Option{inquiry.WithInsecureSkipVerify()}, refundkit.CategoryNotFound, "ORDER_NOT_EXIST", false},
		{"payermax forged signature", payermax, payermaxSigned(t, k.merchant, payermaxNotFound),
			nil, refundkit.CategorySignature, "", false},
		{"alphapay signed REFUND_NOT_EXIST", alphapay, alphaPaySigned(t, k.platform, alphaPayPath, alphaPayNotFound),
			nil, refundkit.CategoryNotFound, "REFUND_NOT_EXIST", true},
		{"alphapay REFUND_NOT_EXIST, verification off", alphapay, alphaPaySigned(t, k.platform, alphaPayPath, alphaPayNotFound),
			[]inquiry.Option{inquiry.WithInsecureSkipVerify()}, refundkit.CategoryNotFound, "REFUND_NOT_EXIST", false},
		{"alphapay HTTP 403", alphapay, stubReply{status: http.StatusForbidden}, nil, refundkit.CategoryAuth, "", false},
	}
}

// TestErrorVerified: an error says whether it was read from an answer whose
// signature verified and covers it. Unsigned "not found" answers, which
// could be forged to invite a second refund, must say Verified=false.
func TestErrorVerified(t *testing.T) {
	for _, tt := range errorVerifiedCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			_, res, err := tt.h.ask(t, tt.h.query, stubAlways(tt.reply), tt.opts...)
			assert.Nil(t, res)
			e := requireStubError(t, err, tt.want, tt.code)
			assert.Equal(t, tt.verified, e.Verified)
		})
	}
	t.Run("zalopay signs nothing", func(t *testing.T) {
		srv := zaloPayStub(t, false, zaloPayAlways(zaloPayAnswer(2, -401, "fail", "m_refund_id does not exist")))
		_, err := newZaloPayClient(t, inquiry.ZaloPayConfig{}, inquiry.WithBaseURL(srv.URL)).
			Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
		var e *refundkit.Error
		require.ErrorAs(t, err, &e)
		assert.False(t, e.Verified)
	})
}
