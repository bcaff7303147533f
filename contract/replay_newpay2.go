package contract

import (
	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// NewPay v2's replays: the recording's appId and mchId. v2 publishes no
// callback.
func init() {
	replayers[refundkit.NewPay2] = replayer{
		config: func(rec *Recording, k *simulator.Keys) (inquiry.Config, error) {
			return inquiry.NewPay2Config{AppID: rec.requestMember("appId"), MchID: rec.requestMember("mchId"),
				PrivateKey: k.Merchant.Private, PublicKey: k.Platform.Public}, nil
		},
		redact: redaction{secrets: []string{sign.NewPaySignField},
			ids: []string{"appId", "mchId", "mchRefundNo", "newpayRefundNo", "newpayOrderNo"}},
	}
}
