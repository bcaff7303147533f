package contract

import (
	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/wrapper"
)

// NewPay v2's replay client: the recording's pseudonymised appId and mchId,
// as the recorded request sent them, and throwaway keys.
func init() {
	replayClients[refundkit.NewPay2] = func(rec *Recording, k *simulator.Keys, opts []wrapper.Option) (refundkit.Inquirer, error) {
		return wrapper.NewNewPay2(wrapper.NewPay2Config{AppID: rec.requestMember("appId"), MchID: rec.requestMember("mchId"),
			PrivateKey: k.Merchant.Private, PublicKey: k.Platform.Public}, opts...)
	}
}
