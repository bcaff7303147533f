package inquiry_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAlphaPayVector sends the known-answer request (the Signature header
// byte for byte as computed outside this project) and accepts the
// known-answer response, signed outside this project too.
func TestAlphaPayVector(t *testing.T) {
	k := loadTestKeys(t)
	vec := loadAlphaPayVector(t)
	require.Equal(t, alphaPayMerchant, vec.MerchantCode)
	require.Equal(t, alphaPayPath, vec.Path)

	srv := newProviderStub(t, func(r *http.Request, body []byte) error {
		if err := alphaPayCheck(k, vec.Path)(r, body); err != nil {
			return err
		}
		want := map[string]string{"Merchant-Code": vec.MerchantCode, "Request-Time": vec.Request.Time,
			"Nonce": vec.Request.Nonce, "Signature": vec.Request.Signature}
		for name, value := range want {
			if got := r.Header.Get(name); got != value {
				return fmt.Errorf("%s header %q, want %q", name, got, value)
			}
		}
		if string(body) != vec.Request.Body {
			return fmt.Errorf("body %s, want %s", body, vec.Request.Body)
		}
		return nil
	}, func(int, []byte) stubReply {
		return stubReply{body: []byte(vec.Response.Body), header: map[string]string{
			"Response-Time": vec.Response.Time, "Nonce": vec.Response.Nonce, "Signature": vec.Response.Signature}}
	})
	at, err := time.Parse(time.RFC3339, vec.Request.Time)
	require.NoError(t, err)
	cfg := alphaPayConfig(k)
	cfg.Nonce = func() string { return vec.Request.Nonce }
	c := newAlphaPayClient(t, cfg, srv.URL, inquiry.WithClock(func() time.Time { return at }))

	res, err := c.Inquire(t.Context(), refundkit.Query{RefundID: alphaPayRefundID})
	require.NoError(t, err)
	assert.True(t, res.RefundedAt.Equal(time.Date(2019, 5, 28, 4, 15, 2, 0, time.UTC)), "RefundedAt %v", res.RefundedAt)
	res.RefundedAt = time.Time{}
	assert.Equal(t, &refundkit.Result{Source: refundkit.SourceInquiry,
		Provider: refundkit.AlphaPay, Status: refundkit.StatusSucceeded, ProviderStatus: "SUCCESS",
		ProviderCode: "SUCCESS", ProviderMessage: "success",
		ProviderRefundID: alphaPayRefundID, MerchantRefundID: "RR-1001", ProviderOrderID: "P2019052800001",
		Amount: alphaPayMoney(t, "1.00", "CAD"), Verified: true, Raw: []byte(vec.Response.Body),
	}, res)
	assert.EqualValues(t, 1, srv.hits.Load())
}

// TestAlphaPayStatuses covers every row of the status mapping, white space
// around statuses, unknown values, and the amounts and times that go with
// them.
// alphaPayWant is the result an AlphaPay answer must become, beyond the
// ids and codes every case shares.
type alphaPayWant struct {
	status         refundkit.Status
	providerStatus string
	amount         *refundkit.Money // nil: no amount
	refundedAt     time.Time
}

// alphaPayStatusCase is the vector's answer with members changed, and what
// it must become.
type alphaPayStatusCase struct {
	name    string
	members map[string]any
	want    alphaPayWant
}

// alphaPayStatusCases are every row of the status mapping, white space
// around statuses, unknown values, and the amounts and times that go with
// them, each a change to the vector's succeeded answer.
func alphaPayStatusCases(t *testing.T) []alphaPayStatusCase {
	vectorTime := time.Date(2019, 5, 28, 4, 15, 2, 0, time.UTC)
	succeeded := alphaPayWant{refundkit.StatusSucceeded, "SUCCESS", alphaPayMoney(t, "1.00", "CAD"), vectorTime}
	with := func(w alphaPayWant, edit func(*alphaPayWant)) alphaPayWant { edit(&w); return w }
	return []alphaPayStatusCase{
		{"SUCCESS", nil, succeeded},
		{"REFUND_IN_PROCESS", map[string]any{"refundStatus": "REFUND_IN_PROCESS"},
			with(succeeded, func(w *alphaPayWant) { w.status, w.providerStatus = refundkit.StatusPending, "REFUND_IN_PROCESS" })},
		{"FAILED", map[string]any{"refundStatus": "FAILED"},
			with(succeeded, func(w *alphaPayWant) { w.status, w.providerStatus = refundkit.StatusFailed, "FAILED" })},
		{"SUCCESS with white space", map[string]any{"refundStatus": " SUCCESS\t"},
			with(succeeded, func(w *alphaPayWant) { w.providerStatus = " SUCCESS\t" })},
		{"REFUND_IN_PROCESS with a newline", map[string]any{"refundStatus": "REFUND_IN_PROCESS\n"},
			with(succeeded, func(w *alphaPayWant) { w.status, w.providerStatus = refundkit.StatusPending, "REFUND_IN_PROCESS\n" })},
		{"FAILED with white space", map[string]any{"refundStatus": "\tFAILED "},
			with(succeeded, func(w *alphaPayWant) { w.status, w.providerStatus = refundkit.StatusFailed, "\tFAILED " })},
		{"unknown refundStatus", map[string]any{"refundStatus": "REFUND_CLOSED"},
			with(succeeded, func(w *alphaPayWant) { w.status, w.providerStatus = refundkit.StatusUnknown, "REFUND_CLOSED" })},
		{"refundStatus in lower case", map[string]any{"refundStatus": "failed"},
			with(succeeded, func(w *alphaPayWant) { w.status, w.providerStatus = refundkit.StatusUnknown, "failed" })},
		{"empty refundStatus", map[string]any{"refundStatus": ""},
			with(succeeded, func(w *alphaPayWant) { w.status, w.providerStatus = refundkit.StatusUnknown, "" })},
		{"resultStatus with white space", map[string]any{"result": alphaPayResult(" S\n", "SUCCESS", "success")}, succeeded},
		{"unknown resultStatus", map[string]any{"result": alphaPayResult("X", "SUCCESS", "success")},
			with(succeeded, func(w *alphaPayWant) { w.status, w.providerStatus = refundkit.StatusUnknown, "X" })},

		{"USD", map[string]any{"refund": alphaPayRefund("12345", "USD")},
			with(succeeded, func(w *alphaPayWant) { w.amount = alphaPayMoney(t, "123.45", "USD") })},
		{"JPY has no minor unit", map[string]any{"refund": alphaPayRefund("500", "JPY")},
			with(succeeded, func(w *alphaPayWant) { w.amount = alphaPayMoney(t, "500", "JPY") })},
		{"KWD has three", map[string]any{"refund": alphaPayRefund("1234", "KWD")},
			with(succeeded, func(w *alphaPayWant) { w.amount = alphaPayMoney(t, "1.234", "KWD") })},
		{"five cents", map[string]any{"refund": alphaPayRefund("5", "CAD")},
			with(succeeded, func(w *alphaPayWant) { w.amount = alphaPayMoney(t, "0.05", "CAD") })},
		{"zero", map[string]any{"refund": alphaPayRefund("0", "CAD")},
			with(succeeded, func(w *alphaPayWant) { w.amount = alphaPayMoney(t, "0.00", "CAD") })},
		{"leading zeros", map[string]any{"refund": alphaPayRefund("007", "CAD")},
			with(succeeded, func(w *alphaPayWant) { w.amount = alphaPayMoney(t, "0.07", "CAD") })},
		{"more digits than any float holds", map[string]any{"refund": alphaPayRefund("123456789012345678901234567891", "CAD")},
			with(succeeded, func(w *alphaPayWant) { w.amount = alphaPayMoney(t, "1234567890123456789012345678.91", "CAD") })},
		{"no refund details", map[string]any{"refund": nil}, with(succeeded, func(w *alphaPayWant) { w.amount = nil })},
		{"no refund amount", map[string]any{"refund": map[string]any{"description": "x"}}, with(succeeded, func(w *alphaPayWant) { w.amount = nil })},
		{"empty refund amount", map[string]any{"refund": map[string]any{"refundAmount": map[string]any{}}}, with(succeeded, func(w *alphaPayWant) { w.amount = nil })},

		{"refundTime in UTC", map[string]any{"refundTime": "2019-05-28T04:15:02Z"}, succeeded},
		{"refundTime with a fraction", map[string]any{"refundTime": "2019-05-28T12:15:02.250+08:00"},
			with(succeeded, func(w *alphaPayWant) { w.refundedAt = vectorTime.Add(250 * time.Millisecond) })},
		{"refundTime with a colon-less offset", map[string]any{"refundTime": "2019-05-28T12:15:02+0800"}, succeeded},
		{"refundTime without an offset", map[string]any{"refundTime": "2019-05-28T12:15:02"},
			with(succeeded, func(w *alphaPayWant) { w.refundedAt = time.Time{} })},
		{"refundTime in another shape", map[string]any{"refundTime": "28/05/2019 12:15"},
			with(succeeded, func(w *alphaPayWant) { w.refundedAt = time.Time{} })},
		{"no refundTime", map[string]any{"refundTime": nil}, with(succeeded, func(w *alphaPayWant) { w.refundedAt = time.Time{} })},

		{"resultStatus U", map[string]any{"result": alphaPayResult("U", "PAYMENT_IN_PROCESS", "in process"), "refundStatus": "REFUND_IN_PROCESS"},
			with(succeeded, func(w *alphaPayWant) { w.status, w.providerStatus = refundkit.StatusPending, "REFUND_IN_PROCESS" })},
		{"resultStatus U wins over refundStatus", map[string]any{"result": alphaPayResult("U", "PAYMENT_IN_PROCESS", "in process")},
			with(succeeded, func(w *alphaPayWant) { w.status = refundkit.StatusPending })},
	}
}

func TestAlphaPayStatuses(t *testing.T) {
	k := loadTestKeys(t)
	for _, tt := range alphaPayStatusCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			body := alphaPayBody(tt.members)
			srv := alphaPayStub(t, k, alphaPayAlways(alphaPaySigned(t, k.platform, alphaPayPath, body)))
			res, err := newAlphaPayClient(t, alphaPayConfig(k), srv.URL).Inquire(t.Context(), refundkit.Query{RefundID: alphaPayRefundID})
			require.NoError(t, err)

			assert.True(t, tt.want.refundedAt.Equal(res.RefundedAt), "RefundedAt %v, want %v", res.RefundedAt, tt.want.refundedAt)
			res.RefundedAt = time.Time{}
			code, msg := "SUCCESS", "success"
			if r, ok := tt.members["result"].(map[string]any); ok {
				code, msg = r["resultCode"].(string), r["resultMessage"].(string)
			}
			assert.Equal(t, &refundkit.Result{Source: refundkit.SourceInquiry,
				Provider: refundkit.AlphaPay, Status: tt.want.status, ProviderStatus: tt.want.providerStatus,
				ProviderCode: code, ProviderMessage: msg,
				ProviderRefundID: alphaPayRefundID, MerchantRefundID: "RR-1001", ProviderOrderID: "P2019052800001",
				Amount: tt.want.amount, Verified: true, Raw: []byte(body),
			}, res)
		})
	}
}

// TestAlphaPayBareU: a U answer may leave out everything but result.
func TestAlphaPayBareU(t *testing.T) {
	k := loadTestKeys(t)
	body := `{"result":{"resultStatus":"U","resultCode":"UNKNOWN","resultMessage":"ask again"}}`
	srv := alphaPayStub(t, k, alphaPayAlways(alphaPaySigned(t, k.platform, alphaPayPath, body)))
	res, err := newAlphaPayClient(t, alphaPayConfig(k), srv.URL).Inquire(t.Context(),
		refundkit.Query{RefundID: alphaPayRefundID, RefundRequestID: "RR-1001"})
	require.NoError(t, err)
	assert.Equal(t, &refundkit.Result{Source: refundkit.SourceInquiry, Provider: refundkit.AlphaPay, Status: refundkit.StatusPending,
		ProviderStatus: "U", ProviderCode: "UNKNOWN", ProviderMessage: "ask again", Verified: true, Raw: []byte(body)}, res)
}
