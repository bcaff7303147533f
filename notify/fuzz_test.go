package notify

import (
	"net/http"
	"strings"
	"testing"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// checkClaim holds for every notification a decoder accepts: a valid
// status, failed only for the provider's exact failure value, the
// notification's source, and something to de-duplicate and confirm by.
func checkClaim(t *testing.T, c *claim, failedValue string) {
	t.Helper()
	r := c.result
	if !r.Status.Valid() {
		t.Fatalf("invalid status %q", r.Status)
	}
	if r.Status == refundkit.StatusFailed && strings.TrimSpace(r.ProviderStatus) != failedValue {
		t.Fatalf("failed from provider status %q", r.ProviderStatus)
	}
	if r.Source != refundkit.SourceNotification || !r.Verified || len(c.key) == 0 || c.query.RefundID == "" {
		t.Fatalf("incomplete claim %+v", c)
	}
	if r.Amount != nil && r.Amount.Currency() == "" {
		t.Fatal("amount without currency")
	}
}

func FuzzPayerMaxDecode(f *testing.F) {
	f.Add([]byte(payermaxBody))
	f.Add([]byte(strings.Replace(payermaxBody, "REFUND_SUCCESS", "REFUND_FAILED", 1)))
	f.Add([]byte(`{"notifyType":"REFUND","appId":"a","notifyTime":"2026-12-01T08:59:30Z","data":{"outRefundNo":"r","status":" REFUND_FAILED\t","refundAmount":1e400}}`))
	s := &payermaxSteps{cfg: inquiry.PayerMaxConfig{AppID: "a"}}
	f.Fuzz(func(t *testing.T, body []byte) {
		if c, err := s.decode(Request{Body: body}); err == nil {
			checkClaim(t, c, "REFUND_FAILED")
		}
	})
}

func FuzzNewPayDecode(f *testing.F) {
	f.Add([]byte("{" + newpayMembers + `,"sign":"x"}`))
	f.Add([]byte(`{"appId":"a","refundOrderNo":"r","transStatus":0,"timestamp":1,"refundOrderAmt":"1.5"}`))
	f.Add([]byte(`{"appId":"a","refundOrderNo":"r","transStatus":null,"timestamp":1}`))
	s := &newpaySteps{cfg: inquiry.NewPayConfig{AppID: "a"}, succeeded: NewPayTransStatusSucceeded}
	f.Fuzz(func(t *testing.T, body []byte) {
		if c, err := s.decode(Request{Body: body}); err == nil {
			checkClaim(t, c, "0")
		}
	})
}

func FuzzAlphaPayDecode(f *testing.F) {
	f.Add(alphapayTime, []byte(alphapayBody))
	f.Add("2026-12-01T16:59:30+0800", []byte(`{"refundId":"r","refundStatus":"FAILED","refund":{"refundAmount":{"value":"-1","currency":"JPY"}}}`))
	s := &alphapaySteps{cfg: inquiry.AlphaPayConfig{MerchantCode: "M"}}
	f.Fuzz(func(t *testing.T, at string, body []byte) {
		h := http.Header{"Merchant-Code": {"M"}, "Request-Time": {at}, "Nonce": {alphapayNonce}, "Signature": {"s"}}
		if c, err := s.decode(Request{Header: h, Body: body}); err == nil {
			checkClaim(t, c, "FAILED")
		}
	})
}
