package inquiry

import (
	"errors"

	"github.com/refundkit/refundkit"
)

// errNilClient is the cause when Inquire is called on a nil client: the
// constructor failed and its error went unchecked. The client then has no
// keys and no configuration, so no request is possible.
var errNilClient = errors.New("nil client: its constructor returned an error that was not checked")

// errNoConfig is the cause when New is given no configuration at all.
var errNoConfig = errors.New("no provider configuration (want a NewPayConfig, PayerMaxConfig, ...)")

// nilClient is the invalid-request error a nil client's Inquire returns,
// instead of a nil pointer dereference.
func nilClient() error {
	return &refundkit.Error{Op: opInquire, Category: refundkit.CategoryInvalidRequest, Err: errNilClient}
}
