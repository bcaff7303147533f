// Package providers is the table of the providers refundkit supports: one
// [Descriptor] each, registered from the provider's own file, in the order
// of [refundkit.Providers]. The command, the test harnesses and the docs
// loop over it instead of switching on provider names; see
// docs/providers.md.
package providers

import (
	"fmt"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/simulator"
)

// Descriptor is what refundkit's command and tests know about one provider.
// Its simulator is simulator.New(simulator.DemoConfig(...)[Provider]), its
// spec specs/<Provider>.yaml and its generated client gen/<Provider>.
type Descriptor struct {
	// Provider is the provider's name.
	Provider refundkit.Provider
	// Title names the provider for people, as its own documentation does:
	// "PayerMax", "NewPay v2".
	Title string
	// Query is the Query fields the provider takes.
	Query inquiry.QueryFields
	// Signed reports whether the provider signs its answers, so that a
	// verified client's results say Verified=true.
	Signed bool
	// NewSection returns an empty section of the command's config file;
	// the yaml tags of the struct it points at are the section's keys.
	NewSection func() Section
	// DemoSection returns the section of a client of the provider's demo
	// simulator (simulator.DemoConfig) at url: its demo identities and keys,
	// as the files keys.WriteFiles wrote or, for a key the section holds
	// inline, from keys.
	DemoSection func(url string, keys *simulator.Keys, files simulator.KeyFiles) Section
	// DemoClient builds a client of the provider's demo simulator: its demo
	// identities, keys' merchant private key to sign, keys' platform public
	// key to verify (or key1). opts are the client's options (a base URL,
	// at least).
	DemoClient func(keys *simulator.Keys, opts ...inquiry.Option) (refundkit.Inquirer, error)
	// Notify builds the provider's refund-notification handler from the
	// same section, keys and all, as its inquiry client; nil when the
	// provider pushes no refund notifications.
	Notify func(s Section, deliver notify.DeliverFunc, opts ...notify.Option) (*notify.Handler, error)
	// DemoNotify builds the notification handler for the provider's demo
	// simulator's pushes (its demo identities, keys' platform public key);
	// nil when the provider pushes none.
	DemoNotify func(keys *simulator.Keys, deliver notify.DeliverFunc) (*notify.Handler, error)
	// ProviderRefundIDFirst is set when Query.RefundID is the provider's
	// own refund id (AlphaPay's refundId), not the merchant's: a result's
	// ProviderRefundID is then what an inquiry about it takes.
	ProviderRefundIDFirst bool
}

// Section is one provider's section of the command's config file, decoded
// into the struct a Descriptor's NewSection returns.
type Section interface {
	// Client builds the provider's client from the section: required keys
	// checked, key files read. opts come after the section's own base_url
	// and insecure_http, so they win.
	Client(opts ...inquiry.Option) (refundkit.Inquirer, error)
	// KeyFiles points at the section's key file paths, which the command
	// makes relative to the config file's directory.
	KeyFiles() []*string
}

var registry = map[refundkit.Provider]*Descriptor{}

// register adds d; each provider's file calls it once, from init.
func register(d *Descriptor) { registry[d.Provider] = d }

// All returns every registered descriptor, in the order of
// refundkit.Providers. A provider without a descriptor is left out, and
// TestEveryProviderIsComplete fails.
func All() []*Descriptor {
	out := make([]*Descriptor, 0, len(registry))
	for _, p := range refundkit.Providers() {
		if d, ok := registry[p]; ok {
			out = append(out, d)
		}
	}
	return out
}

// Lookup returns the descriptor of provider p.
func Lookup(p refundkit.Provider) (*Descriptor, error) {
	if d, ok := registry[p]; ok {
		return d, nil
	}
	return nil, fmt.Errorf("providers: unknown provider %q", p)
}

// DemoClient builds the client of p's demo simulator; see
// [Descriptor].DemoClient.
func DemoClient(p refundkit.Provider, keys *simulator.Keys, opts ...inquiry.Option) (refundkit.Inquirer, error) {
	d, err := Lookup(p)
	if err != nil {
		return nil, err
	}
	return d.DemoClient(keys, opts...)
}

// inquirer returns c as an Inquirer, or a nil one (not a nil *T in an
// interface) when err is set.
func inquirer[T refundkit.Inquirer](c T, err error) (refundkit.Inquirer, error) {
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Owner names the providers that take a Query field, for a message about
// it: "PayerMax's refundTradeNo", the first registered provider whose
// field field returns is not nil. It is "" when none does.
func Owner(field func(inquiry.QueryFields) *inquiry.QueryField) string {
	for _, d := range All() {
		if f := field(d.Query); f != nil {
			return d.Title + "'s " + f.Name
		}
	}
	return ""
}

// Pushing lists the providers whose descriptors build notification
// handlers, in registry order.
func Pushing() []refundkit.Provider {
	var out []refundkit.Provider
	for _, d := range All() {
		if d.Notify != nil {
			out = append(out, d.Provider)
		}
	}
	return out
}
