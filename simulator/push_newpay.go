package simulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	gen "github.com/refundkit/refundkit/gen/newpay"
	"github.com/refundkit/refundkit/internal/ptr"
	"github.com/refundkit/refundkit/sign"
)

// newpaySchedule is NewPay's: at once, then every 5 minutes, 3 times [doc].
var newpaySchedule = []time.Duration{0, 5 * time.Minute, 5 * time.Minute, 5 * time.Minute}

func (b *newpayBackend) schedule() []time.Duration { return newpaySchedule }

// newpayTransStatus is a final refund's transStatus in a callback: 1
// success, 0 failure [doc, refund callback page]; refundSuccess-style
// statuses map to the same.
var newpayTransStatus = map[string]int32{"1": 1, "true": 1, "0": 0, "false": 0}

func (b *newpayBackend) final(r Refund) bool {
	_, ok := newpayTransStatus[r.Status]
	return ok && (r.Code == "" || r.Code == newpayOK)
}

func (b *newpayBackend) notification(r Refund, target string, f PushFault, now time.Time) (*http.Request, []byte, error) {
	n := gen.RefundCallback{
		AppID: b.cfg.AppID, RefundOrderNo: r.RefundID, TransStatus: newpayTransStatus[r.Status],
		Timestamp: now.UnixMilli(), RefundOrderAmt: ptr.NonZero(r.Amount), Currency: ptr.NonZero(r.Currency),
		NewpayOrderNo: ptr.NonZero(r.ProviderOrderID), NewpayRefundOrderNo: ptr.NonZero(r.ProviderRefundID),
		OrderNo: ptr.NonZero(r.OrderID), TransInfo: ptr.NonZero(r.Message),
	}
	payMethod := int32(newpayPayMethodNewPay)
	n.PayMethod = &payMethod
	if f == PushWrongMerchant {
		n.AppID = "wrong-" + n.AppID
	}
	unsigned, err := json.Marshal(n)
	if err != nil {
		return nil, nil, err
	}
	canonical, err := sign.NewPayCanonicalJSON(unsigned)
	if err != nil {
		return nil, nil, err
	}
	if n.Sign, err = b.signer.Sign(canonical); err != nil {
		return nil, nil, err
	}
	if f == PushBadSignature {
		n.Sign = corruptBase64(n.Sign)
	}
	body, err := json.Marshal(n)
	if err != nil {
		return nil, nil, err
	}
	req, err := gen.NewRefundCallbackCallbackRequestWithBody(target, "application/json", bytes.NewReader(body))
	return req, body, err
}

// acked: NewPay stops calling on {"transResult":"SUCCESS"} [doc].
func (b *newpayBackend) acked(status int, body []byte) bool {
	var ack gen.RefundCallbackAck
	return status == http.StatusOK && json.Unmarshal(body, &ack) == nil && ack.TransResult == gen.TransResultSuccess
}
