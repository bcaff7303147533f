package simulator

import (
	"cmp"
	"errors"
	"reflect"
	"time"

	"github.com/refundkit/refundkit"
)

// registration is what each provider's file tells the package about the
// provider, from an init function, so that New, DemoConfig, DemoRefunds and
// UnknownStatus need no switch on provider names.
type registration struct {
	// demo returns the provider's settings for a demo: its Demo…
	// identities, keys' merchant public key to check requests, keys'
	// platform private key to sign answers (or key1), and clock.
	demo func(keys *Keys, clock func() time.Time) ProviderConfig
	// refunds are the provider's demo refunds; see DemoRefunds.
	refunds func() []Refund
	// unknown is a status value the provider never documented.
	unknown string
	// deviations names the member each contract fault changes (see
	// DeviatedMember): a JSON pointer into the body, or "header Name". Each
	// is present in every answer the provider gives to an accepted
	// inquiry, errors included.
	deviations map[Fault]string
	// pushDeviations is deviations for the refund notifications the
	// provider pushes (see DeviatedNotificationMember).
	pushDeviations map[Fault]string
}

var registry = map[refundkit.Provider]registration{}

// register records a provider's registration; each provider's file calls it
// once, from init.
func register(p refundkit.Provider, r registration) { registry[p] = r }

// ProviderConfig is one provider's simulator settings, its own type:
// [NewPayConfig], [PayerMaxConfig], and so on.
type ProviderConfig interface {
	// simulate builds the provider's simulator from the settings.
	simulate() (*Simulator, error)
}

// Config holds simulator settings by provider, for code that starts
// simulators by provider name, such as the refundkit command. Each value is
// that provider's own settings type.
type Config map[refundkit.Provider]ProviderConfig

// New returns the simulator that cfg configures: the provider's own
// settings type ([NewPayConfig], [NewPay2Config], [PayerMaxConfig],
// [ZaloPayConfig], [AlphaPayConfig]), which says which provider it is. A
// [Config] holds one per provider: New(cfg[p]). A nil cfg (a provider the
// Config has no settings for), or a nil pointer to settings, is an error.
func New(cfg ProviderConfig) (*Simulator, error) {
	if v := reflect.ValueOf(cfg); cfg == nil || v.Kind() == reflect.Pointer && v.IsNil() {
		return nil, errors.New("simulator: no settings: an unknown provider, or none in the Config")
	}
	return cfg.simulate()
}

// DemoConfig returns a Config for every provider with its Demo…
// identities, keys' merchant public key to check requests, keys' platform
// private key to sign responses, keys' key1 for ZaloPay, and clock (nil
// means time.Now). A client talking to a demo simulator uses the same
// identities.
func DemoConfig(keys *Keys, clock func() time.Time) Config {
	cfg := make(Config, len(registry))
	for p, r := range registry {
		cfg[p] = r.demo(keys, clock)
	}
	return cfg
}

// DemoRefunds returns refunds for provider p in every status the provider
// can express, with the provider's raw values, for demos and smoke tests:
// succeeded, pending (where the provider has a pending value), failed, and
// one status value the provider never documented. Refund ids start with
// "demo-<provider>-" (ZaloPay's with its own "yymmdd_appid_" prefix) and end
// with the status they are meant to show. Each provider's file says what
// else its demo holds.
func DemoRefunds(p refundkit.Provider) []Refund {
	if r, ok := registry[p]; ok {
		return r.refunds()
	}
	return nil
}

// UnknownStatus returns the status value a FaultUnknownStatus answer
// carries for provider p, as the provider would write it: a value it never
// documents, in the form its status field takes (an integer for NewPay's
// tranStatus and ZaloPay's return_code).
func UnknownStatus(p refundkit.Provider) string {
	return cmp.Or(registry[p].unknown, "SIMULATED_UNKNOWN_STATUS")
}

// demoRefund returns a copy of base for one demo refund.
func demoRefund(base Refund, refundID, status, message string) Refund {
	base.RefundID, base.Status, base.Message = refundID, status, message
	return base
}
