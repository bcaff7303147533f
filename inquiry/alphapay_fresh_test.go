package inquiry_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
)

// alphaPaySignedAt is body signed with the platform key as AlphaPay signs
// it at at, with that nonce, its Response-Time written as timeText when
// that is not empty.
func alphaPaySignedAt(t *testing.T, k testKeys, body string, at time.Time, timeText, nonce string) stubReply {
	t.Helper()
	signer := sign.AlphaPay{MerchantCode: alphaPayMerchant, PrivateKey: k.platform}
	if timeText != "" {
		signer.TimeLayout = timeText // a layout without verbs prints itself
	}
	h, err := signer.Sign(http.MethodPost, alphaPayPath, []byte(body), at, nonce)
	require.NoError(t, err)
	return stubReply{body: []byte(body), header: map[string]string{
		sign.AlphaPayHeaderResponseTime: h.Time, sign.AlphaPayHeaderNonce: h.Nonce, sign.AlphaPayHeaderSignature: h.Signature}}
}

// TestAlphaPayFreshness: a validly signed answer is accepted only when its
// Response-Time is within the window of the client's clock and its Nonce is
// 32 hex characters, so an old answer (above all an F "not exist", which
// names no refund) cannot be replayed.
func TestAlphaPayFreshness(t *testing.T) {
	k := loadTestKeys(t)
	now := alphaPayResponseTime
	notFound := alphaPayBody(map[string]any{"result": alphaPayResult("F", "REFUND_NOT_EXIST", ""),
		"refundId": nil, "refundRequestId": nil, "paymentId": nil, "refundStatus": nil, "refund": nil})
	signed := func(body string, at time.Time, timeText, nonce string) stubReply {
		return alphaPaySignedAt(t, k, body, at, timeText, nonce)
	}
	tests := []struct {
		name   string
		reply  stubReply
		window time.Duration
		want   refundkit.Category // "": a result
	}{
		{"fresh", signed(alphaPayBody(nil), now, "", alphaPayNonce), 0, ""},
		{"fresh in UTC with a fraction", signed(alphaPayBody(nil), now.UTC().Add(-time.Second/2), "", alphaPayNonce), 0, ""},
		{"upper-case nonce", signed(alphaPayBody(nil), now, "", strings.ToUpper(alphaPayNonce)), 0, ""},
		{"4m59s old", signed(alphaPayBody(nil), now.Add(-299*time.Second), "", alphaPayNonce), 0, ""},
		{"5m01s old", signed(alphaPayBody(nil), now.Add(-301*time.Second), "", alphaPayNonce), 0, refundkit.CategorySignature},
		{"not-exist replayed a year later", signed(notFound, now.AddDate(-1, 0, 0), "", alphaPayNonce), 0, refundkit.CategorySignature},
		{"6 minutes ahead", signed(alphaPayBody(nil), now.Add(6*time.Minute), "", alphaPayNonce), 0, refundkit.CategorySignature},
		{"30 minutes old, window 1h", signed(alphaPayBody(nil), now.Add(-30*time.Minute), "", alphaPayNonce), time.Hour, ""},
		{"20 seconds old, window 10s", signed(notFound, now.Add(-20*time.Second), "", alphaPayNonce), 10 * time.Second, refundkit.CategorySignature},
		{"time not RFC 3339", signed(alphaPayBody(nil), now, "Tue May 28 2019", alphaPayNonce), 0, refundkit.CategorySignature},
		{"short nonce", signed(alphaPayBody(nil), now, "", "abc"), 0, refundkit.CategorySignature},
		{"nonce not hex", signed(notFound, now, "", strings.Repeat("z", 32)), 0, refundkit.CategorySignature},
		{"nonce too long", signed(alphaPayBody(nil), now, "", alphaPayNonce+"0"), 0, refundkit.CategorySignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := alphaPayStub(t, k, alphaPayAlways(tt.reply))
			cfg := alphaPayConfig(k)
			cfg.ResponseWindow = tt.window
			res, err := newAlphaPayClient(t, cfg, srv.URL).Inquire(t.Context(), refundkit.Query{RefundID: alphaPayRefundID})
			if tt.want == "" {
				require.NoError(t, err)
				assert.Equal(t, refundkit.StatusSucceeded, res.Status)
				return
			}
			assert.Nil(t, res)
			requireStubError(t, err, tt.want, "")
			assert.ErrorIs(t, err, sign.ErrStaleSignature)
			assert.EqualValues(t, 1, srv.hits.Load(), "a stale answer is not retried")
		})
	}
	t.Run("the window follows the Clock option", func(t *testing.T) {
		srv := alphaPayStub(t, k, alphaPayAlways(signed(alphaPayBody(nil), now, "", alphaPayNonce)))
		_, err := newAlphaPayClient(t, alphaPayConfig(k), srv.URL,
			inquiry.WithClock(func() time.Time { return now.Add(10 * time.Minute) })).
			Inquire(t.Context(), refundkit.Query{RefundID: alphaPayRefundID})
		assert.ErrorIs(t, err, sign.ErrStaleSignature)
	})
	t.Run("negative window", func(t *testing.T) {
		cfg := alphaPayConfig(k)
		cfg.ResponseWindow = -time.Second
		_, err := inquiry.New(cfg)
		assert.ErrorIs(t, err, refundkit.ErrInvalidRequest)
	})
}
