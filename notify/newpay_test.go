package notify

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// newpayMembers is a refund callback without its sign, members as NewPay
// documents them; timestamp is testNow less 30 s, in milliseconds.
const newpayMembers = `"appId":"3514d69403bc4ce1a8fafb6415a31018","payMethod":1,"refundOrderAmt":"50000","currency":"LAK",` +
	`"newpayOrderNo":"202209076000000321","newpayRefundOrderNo":"202209078000000702","orderNo":"ORDERNO000000000A104",` +
	`"refundOrderNo":"ORDERNORFD000000000A104","transStatus":1,"transInfo":"success","timestamp":1796115570000`

// newpayCanonical is its canonical string, written out by hand: every
// member but sign, sorted by name in byte order, joined name=value with &.
const newpayCanonical = "appId=3514d69403bc4ce1a8fafb6415a31018&currency=LAK&newpayOrderNo=202209076000000321" +
	"&newpayRefundOrderNo=202209078000000702&orderNo=ORDERNO000000000A104&payMethod=1&refundOrderAmt=50000" +
	"&refundOrderNo=ORDERNORFD000000000A104&timestamp=1796115570000&transInfo=success&transStatus=1"

func newpayHandler(t testing.TB, s *sink, opts ...Option) *Handler {
	t.Helper()
	h, err := New(inquiry.NewPayConfig{AppID: "3514d69403bc4ce1a8fafb6415a31018", MerchantID: "m",
		PublicKey: platformPublic(t)}, s.deliver, append([]Option{WithClock(clock)}, opts...)...)
	require.NoError(t, err)
	return h
}

func newpayBody(members, canonical string, t testing.TB) string {
	return "{" + members + `,"sign":"` + handSign(t, canonical) + `"}`
}

// TestNewPayKnownAnswer: sign is SHA256withRSA over the hand-written
// canonical string; the handler delivers the callback once and answers
// NewPay's exact acknowledgement.
func TestNewPayKnownAnswer(t *testing.T) {
	s := &sink{}
	h := newpayHandler(t, s)
	body := newpayBody(newpayMembers, newpayCanonical, t)
	for range 2 { // NewPay's retry of the same callback is acknowledged, not delivered again
		status, ack := post(t, h, "/notify/newpay", http.Header{"Content-Type": {"application/json"}}, body)
		require.Equal(t, http.StatusOK, status, ack)
		assert.Equal(t, `{"transResult":"SUCCESS"}`, ack)
	}
	require.Equal(t, 1, s.count())
	res := s.got[0].Result
	assert.Equal(t, refundkit.SourceNotification, res.Source)
	assert.Equal(t, refundkit.StatusSucceeded, res.Status)
	assert.Equal(t, "1", res.ProviderStatus)
	assert.Equal(t, "50000 LAK", res.Amount.String())
	assert.Equal(t, "ORDERNORFD000000000A104", res.MerchantRefundID)
	assert.Equal(t, "202209078000000702", res.ProviderRefundID)
	assert.Equal(t, "ORDERNO000000000A104", res.MerchantOrderID)
	assert.Equal(t, "202209076000000321", res.ProviderOrderID)
	assert.Equal(t, "success", res.ProviderMessage)
	assert.Equal(t, int64(1796115570000), s.got[0].SentAt.UnixMilli())
}

func TestNewPayRefused(t *testing.T) {
	with := func(old, new string) (string, string) {
		return strings.Replace(newpayMembers, old, new, 1), strings.Replace(newpayCanonical, strings.ReplaceAll(strings.ReplaceAll(old, `"`, ""), ":", "="), strings.ReplaceAll(strings.ReplaceAll(new, `"`, ""), ":", "="), 1)
	}
	otherApp, otherAppCanon := with(`"appId":"3514d69403bc4ce1a8fafb6415a31018"`, `"appId":"ffff"`)
	stale, staleCanon := with(`"timestamp":1796115570000`, `"timestamp":1796100000000`)
	for _, tc := range []struct {
		name, body string
		want       Reason
	}{
		{"no sign", "{" + newpayMembers + "}", ReasonSignature},
		{"sign over another string", newpayBody(newpayMembers, newpayCanonical+"&x=1", t), ReasonSignature},
		{"a member changed after signing", strings.Replace(newpayBody(newpayMembers, newpayCanonical, t), `"50000"`, `"90000"`, 1), ReasonSignature},
		{"another app", newpayBody(otherApp, otherAppCanon, t), ReasonWrongMerchant},
		{"stale", newpayBody(stale, staleCanon, t), ReasonStale},
		{"no transStatus", newpayBody(strings.Replace(newpayMembers, `"transStatus":1,`, "", 1), strings.Replace(newpayCanonical, "&transStatus=1", "", 1), t), ReasonMalformed},
		{"truncated", newpayBody(newpayMembers, newpayCanonical, t)[:100], ReasonSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &sink{}
			rep, err := newpayHandler(t, s).Handle(t.Context(), Request{Body: []byte(tc.body)})
			require.Error(t, err)
			assert.Equal(t, tc.want, ReasonOf(err), "%v", err)
			assert.GreaterOrEqual(t, rep.Status, 400)
			assert.NotContains(t, string(rep.Body), "SUCCESS")
			assert.Zero(t, s.count())
		})
	}
}

// TestNewPayTransStatusMeaning: 0 is failed by default; with the
// payment-callback page's meaning it is succeeded; 7 is unknown either way.
func TestNewPayTransStatusMeaning(t *testing.T) {
	for _, tc := range []struct {
		status string
		opts   []Option
		want   refundkit.Status
	}{
		{"0", nil, refundkit.StatusFailed},
		{"7", nil, refundkit.StatusUnknown},
		{"0", []Option{WithNewPaySucceeded(0)}, refundkit.StatusSucceeded},
		{"1", []Option{WithNewPaySucceeded(0)}, refundkit.StatusFailed},
		{"7", []Option{WithNewPaySucceeded(0)}, refundkit.StatusUnknown},
	} {
		members := strings.Replace(newpayMembers, `"transStatus":1`, `"transStatus":`+tc.status, 1)
		canonical := strings.Replace(newpayCanonical, "transStatus=1", "transStatus="+tc.status, 1)
		s := &sink{}
		_, err := newpayHandler(t, s, tc.opts...).Handle(t.Context(), Request{Body: []byte(newpayBody(members, canonical, t))})
		require.NoError(t, err)
		assert.Equal(t, tc.want, s.got[0].Result.Status, "transStatus %s %d options", tc.status, len(tc.opts))
	}
	_, err := New(inquiry.NewPayConfig{AppID: "a", PublicKey: platformPublic(t)}, (&sink{}).deliver, WithNewPaySucceeded(2))
	assert.Error(t, err)
}
