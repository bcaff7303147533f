package contract

import (
	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/simulator"
)

// NewPay v2's replay client: the recording's pseudonymised appId and mchId,
// as the recorded request sent them, and throwaway keys.
func init() {
	replayClients[refundkit.NewPay2] = func(rec *Recording, k *simulator.Keys, opts []inquiry.Option) (refundkit.Inquirer, error) {
		return inquiry.New(inquiry.NewPay2Config{AppID: rec.requestMember("appId"), MchID: rec.requestMember("mchId"),
			PrivateKey: k.Merchant.Private, PublicKey: k.Platform.Public}, opts...)
	}
}
