package wrapper

import (
	"errors"

	"github.com/refundkit/refundkit"
)

// errNilClient is the cause when Inquire is called on a nil client: the
// constructor failed and its error went unchecked. The client then has no
// keys and no configuration, so no request is possible.
var errNilClient = errors.New("nil client: its constructor returned an error that was not checked")

// nilClient is the invalid-request error a nil client's Inquire returns,
// instead of a nil pointer dereference.
func nilClient(p refundkit.Provider) error {
	return &refundkit.Error{Provider: p, Op: opInquire, Category: refundkit.CategoryInvalidRequest, Err: errNilClient}
}

// The provider clients name their provider themselves rather than through
// the embedded core, so Provider answers on a nil client as Inquire does
// (a method promoted from core would dereference the nil pointer).

// Provider reports [refundkit.NewPay], on a nil client too.
func (c *NewPay) Provider() refundkit.Provider { return refundkit.NewPay }

// Provider reports [refundkit.PayerMax], on a nil client too.
func (c *PayerMax) Provider() refundkit.Provider { return refundkit.PayerMax }

// Provider reports [refundkit.ZaloPay], on a nil client too.
func (c *ZaloPay) Provider() refundkit.Provider { return refundkit.ZaloPay }

// Provider reports [refundkit.AlphaPay], on a nil client too.
func (c *AlphaPay) Provider() refundkit.Provider { return refundkit.AlphaPay }
