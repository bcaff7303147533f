package notify

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

const payermaxBody = `{"code":"APPLY_SUCCESS","msg":"","keyVersion":"1","appId":"a0dddd1f622243cb9aa1b676e808b5f8",` +
	`"merchantNo":"02021382719993","notifyTime":"2026-12-01T08:59:30.123+00:00","notifyType":"REFUND",` +
	`"data":{"outRefundNo":"R1642411016202","refundTradeNo":"20220117091657TI790000055087","outTradeNo":"P1642410680681",` +
	`"refundAmount":12345678901234.5678,"refundCurrency":"USD","status":"REFUND_SUCCESS","refundFinishTime":"2026-12-01T08:59:29.000+00:00"}}`

func payermaxHandler(t testing.TB, s *sink, opts ...Option) *Handler {
	t.Helper()
	h, err := New(inquiry.PayerMaxConfig{AppID: "a0dddd1f622243cb9aa1b676e808b5f8", MerchantNo: "02021382719993",
		PublicKey: platformPublic(t)}, s.deliver, append([]Option{WithClock(clock)}, opts...)...)
	require.NoError(t, err)
	return h
}

// TestPayerMaxKnownAnswer: the sign header is base64 SHA256withRSA over the
// raw body, computed here by hand; the handler delivers it once, in the
// shared vocabulary, and answers PayerMax's exact acknowledgement.
func TestPayerMaxKnownAnswer(t *testing.T) {
	s := &sink{}
	h := payermaxHandler(t, s)
	hdr := http.Header{"Sign": {handSign(t, payermaxBody)}, "Content-Type": {"application/json"}}
	status, body := post(t, h, "/notify/payermax", hdr, payermaxBody)
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, `{"code":"SUCCESS","msg":"Success"}`, body)
	require.Equal(t, 1, s.count())
	n := s.got[0]
	res := n.Result
	assert.Equal(t, refundkit.SourceNotification, res.Source)
	assert.Equal(t, refundkit.StatusSucceeded, res.Status)
	assert.Equal(t, "REFUND_SUCCESS", res.ProviderStatus)
	assert.Equal(t, "12345678901234.5678", res.Amount.Value(), "every digit kept")
	assert.Equal(t, "USD", res.Amount.Currency())
	assert.Equal(t, "R1642411016202", res.MerchantRefundID)
	assert.Equal(t, "20220117091657TI790000055087", res.ProviderRefundID)
	assert.Equal(t, "P1642410680681", res.MerchantOrderID)
	assert.True(t, res.Verified)
	assert.Equal(t, payermaxBody, string(res.Raw))
	assert.True(t, res.RefundedAt.Equal(time.Date(2026, 12, 1, 8, 59, 29, 0, time.UTC)))
	assert.True(t, n.SentAt.Equal(time.Date(2026, 12, 1, 8, 59, 30, 123e6, time.UTC)))

	// The same notification again (PayerMax's retry): acknowledged, not delivered.
	status, body = post(t, h, "/notify/payermax", hdr, payermaxBody)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, `{"code":"SUCCESS","msg":"Success"}`, body)
	assert.Equal(t, 1, s.count(), "a duplicate is delivered once")
}

// TestPayerMaxRefused: every forged, mismatched, stale or malformed
// notification is refused with a 4xx and a reason, and never delivered.
func TestPayerMaxRefused(t *testing.T) {
	signed := func(body string) http.Header { return http.Header{"Sign": {handSign(t, body)}} }
	replace := func(old, new string) string { return strings.Replace(payermaxBody, old, new, 1) }
	for _, tc := range []struct {
		name   string
		header http.Header
		body   string
		want   Reason
	}{
		{"no sign header", http.Header{}, payermaxBody, ReasonSignature},
		{"sign over other bytes", signed(payermaxBody + " "), payermaxBody, ReasonSignature},
		{"body re-encoded after signing", signed(payermaxBody), replace(`,"msg":""`, `, "msg":""`), ReasonSignature},
		{"sign header repeated", http.Header{"Sign": {handSign(t, payermaxBody), handSign(t, payermaxBody)}}, payermaxBody, ReasonSignature},
		{"sign not base64", http.Header{"Sign": {"%%%"}}, payermaxBody, ReasonSignature},
		{"another app", signed(replace("a0dddd1f622243cb9aa1b676e808b5f8", "ffff")), replace("a0dddd1f622243cb9aa1b676e808b5f8", "ffff"), ReasonWrongMerchant},
		{"another merchant", signed(replace("02021382719993", "9")), replace("02021382719993", "9"), ReasonWrongMerchant},
		{"stale", signed(replace("2026-12-01T08:59:30.123", "2026-11-29T08:59:30.123")), replace("2026-12-01T08:59:30.123", "2026-11-29T08:59:30.123"), ReasonStale},
		{"from the future", signed(replace("2026-12-01T08:59:30.123", "2026-12-01T09:30:00.000")), replace("2026-12-01T08:59:30.123", "2026-12-01T09:30:00.000"), ReasonStale},
		{"no notifyTime", signed(replace(`"notifyTime":"2026-12-01T08:59:30.123+00:00",`, "")), replace(`"notifyTime":"2026-12-01T08:59:30.123+00:00",`, ""), ReasonMalformed},
		{"a payment notification", signed(replace(`"REFUND"`, `"PAYMENT"`)), replace(`"REFUND"`, `"PAYMENT"`), ReasonMalformed},
		{"no status", signed(replace(`"status":"REFUND_SUCCESS",`, "")), replace(`"status":"REFUND_SUCCESS",`, ""), ReasonMalformed},
		{"not JSON", signed("not json"), "not json", ReasonMalformed},
		{"amount without currency", signed(replace(`"refundCurrency":"USD",`, "")), replace(`"refundCurrency":"USD",`, ""), ReasonMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &sink{}
			rep, err := payermaxHandler(t, s).Handle(t.Context(), Request{Path: "/n", Header: tc.header, Body: []byte(tc.body)})
			require.Error(t, err)
			assert.Equal(t, tc.want, ReasonOf(err), "%v", err)
			assert.GreaterOrEqual(t, rep.Status, 400)
			assert.Less(t, rep.Status, 500)
			assert.NotContains(t, string(rep.Body), "SUCCESS", "never acknowledged")
			assert.Zero(t, s.count(), "never delivered")
		})
	}
}

// TestPayerMaxStatuses: a notification's status maps as an inquiry's does,
// an unknown one to unknown with the raw value kept, never to failed.
func TestPayerMaxStatuses(t *testing.T) {
	for raw, want := range map[string]refundkit.Status{
		"REFUND_SUCCESS": refundkit.StatusSucceeded, "REFUND_FAILED": refundkit.StatusFailed,
		"REFUND_PENDING": refundkit.StatusPending, "REFUND_SOMETHING": refundkit.StatusUnknown,
	} {
		body := strings.Replace(payermaxBody, "REFUND_SUCCESS", raw, 1)
		s := &sink{}
		_, err := payermaxHandler(t, s).Handle(t.Context(), Request{Header: http.Header{"Sign": {handSign(t, body)}}, Body: []byte(body)})
		require.NoError(t, err, raw)
		assert.Equal(t, want, s.got[0].Result.Status, raw)
		assert.Equal(t, raw, s.got[0].Result.ProviderStatus)
	}
}
