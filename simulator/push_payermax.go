package simulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	gen "github.com/refundkit/refundkit/gen/payermax"
	"github.com/refundkit/refundkit/internal/ptr"
	"github.com/refundkit/refundkit/sign"
)

// payermaxSchedule is PayerMax's retry ladder [doc]: about 0 s, 30 s,
// 5 min, 10 min, 1 h and 12 h, read as the wait before each attempt.
var payermaxSchedule = []time.Duration{0, 30 * time.Second, 5 * time.Minute, 10 * time.Minute, time.Hour, 12 * time.Hour}

func (b *payermaxBackend) schedule() []time.Duration { return payermaxSchedule }

// final: PayerMax notifies a refund that succeeded or failed [doc].
func (b *payermaxBackend) final(r Refund) bool {
	return (r.Code == "" || r.Code == payermaxOK) && (r.Status == "REFUND_SUCCESS" || r.Status == "REFUND_FAILED")
}

func (b *payermaxBackend) notification(r Refund, target string, f PushFault, now time.Time) (*http.Request, []byte, error) {
	n := gen.RefundNotification{
		Code: payermaxOK, Msg: new(string), KeyVersion: ptr.NonZero("1"), AppID: b.cfg.AppID,
		NotifyTime: now.UTC().Format(sign.PayerMaxTimeLayout), NotifyType: "REFUND",
		Data: gen.RefundNotificationData{OutRefundNo: r.RefundID, RefundTradeNo: ptr.NonZero(r.ProviderRefundID),
			OutTradeNo: ptr.NonZero(r.OrderID), RefundCurrency: ptr.NonZero(r.Currency), Status: r.Status,
			RefundFinishTime: ptr.NonZero(r.RefundTime)},
	}
	if b.cfg.MerchantNo != "" {
		n.MerchantNo = ptr.NonZero(b.cfg.MerchantNo)
	}
	if r.Amount != "" {
		amount := json.Number(r.Amount) // written as its exact digits
		n.Data.RefundAmount = &amount
	}
	if f == PushWrongMerchant {
		n.AppID = "wrong-" + n.AppID
	}
	body, err := json.Marshal(n)
	if err != nil {
		return nil, nil, err
	}
	sig, err := b.signer.Sign(body)
	if err != nil {
		return nil, nil, err
	}
	if f == PushBadSignature {
		sig = corruptBase64(sig)
	}
	req, err := gen.NewRefundNotificationCallbackRequestWithBody(target, &gen.RefundNotificationParams{Sign: sig}, "application/json", bytes.NewReader(body))
	return req, body, err
}

// acked: PayerMax stops retrying on {"code":"SUCCESS","msg":"Success"} [doc].
func (b *payermaxBackend) acked(status int, body []byte) bool {
	var ack gen.RefundNotificationAck
	return status == http.StatusOK && json.Unmarshal(body, &ack) == nil && ack.Code == gen.AckCodeSuccess && ack.Msg == "Success"
}
