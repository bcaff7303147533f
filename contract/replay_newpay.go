package contract

import (
	"net/http"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// NewPay v1's replays: the recording's appId and merchantId; callbacks are
// signed over their data object.
func init() {
	replayers[refundkit.NewPay] = replayer{
		config: func(rec *Recording, k *simulator.Keys) (inquiry.Config, error) {
			return inquiry.NewPayConfig{AppID: rec.requestMember("appId"), MerchantID: rec.requestMember("merchantId"),
				PrivateKey: k.Merchant.Private, PublicKey: k.Platform.Public}, nil
		},
		resign: func(_ *Recording, k *simulator.Keys, _ http.Header, body []byte) ([]byte, error) {
			return sign.NewPay{PrivateKey: k.Platform.Private}.SignJSON(body)
		},
		redact: redaction{secrets: []string{sign.NewPaySignField},
			ids: []string{"appId", "merchantId", "refundOrderNo", "newpayRefundOrderNo", "tranNo", "orderNo", "newpayOrderNo", "callBackUrl"}},
	}
}
