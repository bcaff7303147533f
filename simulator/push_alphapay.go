package simulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	gen "github.com/refundkit/refundkit/gen/alphapay"
	"github.com/refundkit/refundkit/internal/ptr"
	"github.com/refundkit/refundkit/sign"
)

// alphapaySchedule: AlphaPay pushes a refund once, with no retry [doc].
var alphapaySchedule = []time.Duration{0}

// alphapayPushTimeLayout writes Request-Time with milliseconds, as
// AlphaPay's English Notification page asks.
const alphapayPushTimeLayout = "2006-01-02T15:04:05.000Z07:00"

func (b *alphapayBackend) schedule() []time.Duration { return alphapaySchedule }

// final: AlphaPay pushes only a refund that succeeded [doc].
func (b *alphapayBackend) final(r Refund) bool {
	return r.Status == "SUCCESS" && (r.SubStatus == "" || r.SubStatus == alphapayStatusS) && r.Code == ""
}

func (b *alphapayBackend) notification(r Refund, target string, f PushFault, now time.Time) (*http.Request, []byte, error) {
	n := gen.RefundNotification{
		PaymentID: ptr.NonZero(r.ProviderOrderID), RefundRequestID: ptr.NonZero(r.RefundRequestID),
		RefundID: &r.RefundID, RefundTime: ptr.NonZero(r.RefundTime), RefundStatus: &r.Status,
		Refund: &gen.Refund{Description: r.Description, NotifyURL: target},
	}
	if r.Amount != "" || r.Currency != "" {
		n.Refund.RefundAmount = &gen.Amount{Value: ptr.NonZero(r.Amount), Currency: ptr.NonZero(r.Currency)}
	}
	body, err := json.Marshal(n)
	if err != nil {
		return nil, nil, err
	}
	u, err := url.Parse(target)
	if err != nil {
		return nil, nil, err
	}
	signer := sign.AlphaPay{MerchantCode: b.cfg.MerchantCode, PrivateKey: b.cfg.PlatformKey, TimeLayout: alphapayPushTimeLayout}
	if f == PushWrongMerchant {
		signer.MerchantCode = "WRONG-" + signer.MerchantCode
	}
	h, err := signer.Sign(http.MethodPost, u.EscapedPath(), body, now, b.cfg.Nonce())
	if err != nil {
		return nil, nil, err
	}
	if f == PushBadSignature {
		parsed, err := sign.ParseAlphaPaySignatureHeader(h.Signature)
		if err != nil {
			return nil, nil, err
		}
		flipBit(parsed.Signature)
		h.Signature = parsed.String()
	}
	req, err := gen.NewRefundNotificationCallbackRequestWithBody(target, &gen.RefundNotificationParams{
		MerchantCode: h.MerchantCode, RequestTime: h.Time, Nonce: h.Nonce, Signature: h.Signature,
	}, "application/json; charset=UTF-8", bytes.NewReader(body))
	return req, body, err
}

// acked: AlphaPay does not retry, so any HTTP 200 counts as received.
func (b *alphapayBackend) acked(status int, _ []byte) bool { return status == http.StatusOK }
