package simulator

import (
	"fmt"
	"time"

	"github.com/refundkit/refundkit"
)

// Config holds the settings of all four providers, for code that starts
// simulators by provider name, such as the refundkit command.
type Config struct {
	NewPay   NewPayConfig
	PayerMax PayerMaxConfig
	ZaloPay  ZaloPayConfig
	AlphaPay AlphaPayConfig
}

// New returns the simulator of provider p, configured from the matching
// part of cfg.
func New(p refundkit.Provider, cfg Config) (*Simulator, error) {
	switch p {
	case refundkit.NewPay:
		return NewNewPay(cfg.NewPay)
	case refundkit.PayerMax:
		return NewPayerMax(cfg.PayerMax)
	case refundkit.ZaloPay:
		return NewZaloPay(cfg.ZaloPay)
	case refundkit.AlphaPay:
		return NewAlphaPay(cfg.AlphaPay)
	}
	return nil, fmt.Errorf("simulator: unknown provider %q", p)
}

// The identities DemoConfig uses, taken from the providers' own
// documentation examples. A client talking to a demo simulator uses the
// same values.
const (
	DemoNewPayAppID        = "3514d69403bc4ce1a8fafb6415a31018"
	DemoNewPayMerchantID   = "876266cdc7154dd08a022fd1f2eace55"
	DemoPayerMaxAppID      = "a0dddd1f622243cb9aa1b676e808b5f8"
	DemoPayerMaxMerchantNo = "02021382719993"
	DemoZaloPayAppID       = 2554
	DemoAlphaPayMerchant   = "CXVJIU"
)

// DemoConfig returns a Config for all four providers with the Demo…
// identities, keys' merchant public key to check requests, keys' platform
// private key to sign responses, keys' key1 for ZaloPay, and clock (nil
// means time.Now).
func DemoConfig(keys *Keys, clock func() time.Time) Config {
	return Config{
		NewPay: NewPayConfig{AppID: DemoNewPayAppID, MerchantID: DemoNewPayMerchantID,
			MerchantKey: keys.Merchant.Public, PlatformKey: keys.Platform.Private, Clock: clock},
		PayerMax: PayerMaxConfig{AppID: DemoPayerMaxAppID, MerchantNo: DemoPayerMaxMerchantNo,
			MerchantKey: keys.Merchant.Public, PlatformKey: keys.Platform.Private, Clock: clock},
		ZaloPay: ZaloPayConfig{AppID: DemoZaloPayAppID, Key1: keys.Key1, Clock: clock},
		AlphaPay: AlphaPayConfig{MerchantCode: DemoAlphaPayMerchant,
			MerchantKey: keys.Merchant.Public, PlatformKey: keys.Platform.Private, Clock: clock},
	}
}
