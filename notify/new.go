package notify

import (
	"fmt"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// New returns the handler of the notifications pushed by the provider cfg is
// for, verified with the provider's public key in cfg (the configuration an
// inquiry client is built from: see [inquiry.New]). deliver receives every
// notification that verified and was not delivered before.
//
// NewPay v1, PayerMax and AlphaPay push; ZaloPay's refunds and NewPay v2
// publish no push, and their configurations are an error here.
func New(cfg inquiry.Config, deliver DeliverFunc, opts ...Option) (*Handler, error) {
	if cfg == nil {
		return nil, fmt.Errorf("notify: no provider configuration")
	}
	build, ok := builders[cfg.Provider()]
	if !ok {
		return nil, fmt.Errorf("notify: %s publishes no refund notifications", cfg.Provider())
	}
	return build(cfg, deliver, opts)
}

// builder builds one provider's handler from its configuration.
type builder func(cfg inquiry.Config, deliver DeliverFunc, opts []Option) (*Handler, error)

// builders holds a builder for every provider that pushes, each registered
// by the provider's own file.
var builders = map[refundkit.Provider]builder{}

// register adds the builder of provider p's handler; build takes p's own
// configuration type C.
func register[C inquiry.Config](p refundkit.Provider, build func(C, DeliverFunc, ...Option) (*Handler, error)) {
	builders[p] = func(cfg inquiry.Config, deliver DeliverFunc, opts []Option) (*Handler, error) {
		c, ok := cfg.(C)
		if !ok { // a pointer to the configuration, for one
			return nil, fmt.Errorf("notify: %s: want an %T value, have %T", p, c, cfg)
		}
		return build(c, deliver, opts...)
	}
}
