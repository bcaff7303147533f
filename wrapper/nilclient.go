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
