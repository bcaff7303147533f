package contract

import (
	"net/http"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// PayerMax's replays: the recording's appId and merchantNo; notifications
// are signed over the body, in the sign header.
func init() {
	replayers[refundkit.PayerMax] = replayer{
		config: func(rec *Recording, k *simulator.Keys) (inquiry.Config, error) {
			return inquiry.PayerMaxConfig{AppID: rec.requestMember("appId"), MerchantNo: rec.requestMember("merchantNo"),
				PrivateKey: k.Merchant.Private, PublicKey: k.Platform.Public}, nil
		},
		resign: func(_ *Recording, k *simulator.Keys, h http.Header, body []byte) ([]byte, error) {
			sig, err := sign.PayerMax{PrivateKey: k.Platform.Private}.Sign(body)
			h.Set(sign.PayerMaxSignatureHeader, sig)
			return body, err
		},
		redact: redaction{secretHeaders: []string{sign.PayerMaxSignatureHeader},
			ids: []string{"appId", "merchantNo", "outRefundNo", "refundTradeNo", "outTradeNo", "refundNotifyUrl"}},
	}
}
