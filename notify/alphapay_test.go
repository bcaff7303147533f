package notify

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

const (
	alphapayBody = `{"paymentId":"P2019052800001","refundRequestId":"RR-1001","refundId":"7b46758a-464c-42e8-b8ff-cbe779c2299f",` +
		`"refundTime":"2026-12-01T16:59:00+08:00","refundStatus":"SUCCESS","refund":{"refundAmount":{"value":"100","currency":"CAD"},` +
		`"description":"damaged item","notifyUrl":"https://merchant.example/notify/alphapay"}}`
	alphapayTime  = "2026-12-01T16:59:30.120+08:00" // milliseconds, as the English page asks
	alphapayNonce = "3c5f0e8c1d2b3a49c7a6e5d4c3b2a190"
)

func alphapayHandler(t testing.TB, s *sink, opts ...Option) *Handler {
	t.Helper()
	h, err := New(inquiry.AlphaPayConfig{MerchantCode: "CXVJIU", PublicKey: platformPublic(t)},
		s.deliver, append([]Option{WithClock(clock)}, opts...)...)
	require.NoError(t, err)
	return h
}

// signedAlphaPay signs the hand-written content
// "POST <path>\n<merchant>.<time>.<nonce>.<body>".
func signedAlphaPay(t testing.TB, path, merchant, at, body string) http.Header {
	sig := handSign(t, "POST "+path+"\n"+merchant+"."+at+"."+alphapayNonce+"."+body)
	return http.Header{"Merchant-Code": {merchant}, "Request-Time": {at}, "Nonce": {alphapayNonce},
		"Signature": {"algorithm=RS256,keyVersion=1,signature=" + url.QueryEscape(sig)}}
}

func TestAlphaPayKnownAnswer(t *testing.T) {
	s := &sink{}
	h := alphapayHandler(t, s)
	hdr := signedAlphaPay(t, "/notify/alphapay", "CXVJIU", alphapayTime, alphapayBody)
	for range 2 {
		status, ack := post(t, h, "/notify/alphapay", hdr, alphapayBody)
		require.Equal(t, http.StatusOK, status, ack)
		assert.Equal(t, string(AlphaPayAck), ack)
	}
	require.Equal(t, 1, s.count(), "a duplicate push is delivered once")
	res := s.got[0].Result
	assert.Equal(t, refundkit.SourceNotification, res.Source)
	assert.Equal(t, refundkit.StatusSucceeded, res.Status)
	assert.Equal(t, "1.00 CAD", res.Amount.String(), "minor units converted")
	assert.Equal(t, "7b46758a-464c-42e8-b8ff-cbe779c2299f", res.ProviderRefundID)
	assert.Equal(t, "RR-1001", res.MerchantRefundID)
	assert.Equal(t, "P2019052800001", res.ProviderOrderID)

	// Seconds, as the Chinese page says, are accepted too.
	s2 := &sink{}
	at := "2026-12-01T16:59:30+08:00"
	_, err := alphapayHandler(t, s2).Handle(t.Context(), Request{Path: "/n", Header: signedAlphaPay(t, "/n", "CXVJIU", at, alphapayBody), Body: []byte(alphapayBody)})
	require.NoError(t, err)
	assert.Equal(t, 1, s2.count())
}

// TestAlphaPaySignedPath: behind a proxy the path AlphaPay signed is not
// the one the request arrives at; WithSignedPath names it.
func TestAlphaPaySignedPath(t *testing.T) {
	hdr := signedAlphaPay(t, "/public/refund-notify", "CXVJIU", alphapayTime, alphapayBody)
	req := Request{Path: "/internal/notify", Header: hdr, Body: []byte(alphapayBody)}
	_, err := alphapayHandler(t, &sink{}).Handle(t.Context(), req)
	assert.Equal(t, ReasonSignature, ReasonOf(err))
	_, err = alphapayHandler(t, &sink{}, WithSignedPath("/public/refund-notify")).Handle(t.Context(), req)
	assert.NoError(t, err)
}

func TestAlphaPayRefused(t *testing.T) {
	good := signedAlphaPay(t, "/n", "CXVJIU", alphapayTime, alphapayBody)
	without := func(name string) http.Header { h := good.Clone(); h.Del(name); return h }
	for _, tc := range []struct {
		name   string
		header http.Header
		body   string
		want   Reason
	}{
		{"no Signature", without("Signature"), alphapayBody, ReasonSignature},
		{"no Nonce", without("Nonce"), alphapayBody, ReasonSignature},
		{"no Merchant-Code", without("Merchant-Code"), alphapayBody, ReasonSignature},
		{"body changed", good, strings.Replace(alphapayBody, `"100"`, `"900"`, 1), ReasonSignature},
		{"signed for another path", signedAlphaPay(t, "/other", "CXVJIU", alphapayTime, alphapayBody), alphapayBody, ReasonSignature},
		{"another merchant's push", signedAlphaPay(t, "/n", "OTHER1", alphapayTime, alphapayBody), alphapayBody, ReasonWrongMerchant},
		{"stale", signedAlphaPay(t, "/n", "CXVJIU", "2026-12-01T16:40:00+08:00", alphapayBody), alphapayBody, ReasonStale},
		{"time not ISO 8601", signedAlphaPay(t, "/n", "CXVJIU", "yesterday", alphapayBody), alphapayBody, ReasonMalformed},
		{"no refundStatus", signedAlphaPay(t, "/n", "CXVJIU", alphapayTime, `{"refundId":"r"}`), `{"refundId":"r"}`, ReasonMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &sink{}
			rep, err := alphapayHandler(t, s).Handle(t.Context(), Request{Path: "/n", Header: tc.header, Body: []byte(tc.body)})
			require.Error(t, err)
			assert.Equal(t, tc.want, ReasonOf(err), "%v", err)
			assert.GreaterOrEqual(t, rep.Status, 400)
			assert.NotContains(t, string(rep.Body), "SUCCESS")
			assert.Zero(t, s.count())
		})
	}
}
