package simulator

import (
	"fmt"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/refundkit/refundkit"
)

// ContractRoute returns what the simulators and ValidatingTransport check
// provider p's traffic with: the OpenAPI route of its refund inquiry (the
// spec's one operation, matched under any base URL) and the openapi3filter
// options, whose AuthenticationFunc requires each signature header the
// spec's security schemes name. Package contract builds its detailed
// reports on them, so that every check of a provider's traffic applies the
// same spec in the same way.
//
// Both are shared: the caller must not modify them, and copies the options
// to change a setting.
func ContractRoute(p refundkit.Provider) (*routers.Route, *openapi3filter.Options, error) {
	v, err := validatorFor(p)
	if err != nil {
		return nil, nil, err
	}
	return v.route, v.opts, nil
}

// NotificationRoute returns what checks provider p's refund notifications
// (the requests p pushes to the merchant, and the merchant's answers): the
// route of the callback the spec hangs on its inquiry operation, matched
// under any URL (the notify URL is the merchant's), and the same options
// as ContractRoute. A provider whose spec has no callback (ZaloPay, which
// pushes no refund notification) gets an error wrapping ErrNoPush.
//
// Both are shared: the caller must not modify them.
func NotificationRoute(p refundkit.Provider) (*routers.Route, *openapi3filter.Options, error) {
	v, err := validatorFor(p)
	if err != nil {
		return nil, nil, err
	}
	var found []*routers.Route
	for name, cb := range v.route.Operation.Callbacks {
		if cb == nil || cb.Value == nil {
			continue
		}
		for _, expr := range cb.Value.Map() {
			if expr != nil && expr.Post != nil {
				found = append(found, &routers.Route{Spec: v.route.Spec, Path: name, PathItem: expr, Method: http.MethodPost, Operation: expr.Post})
			}
		}
	}
	switch len(found) {
	case 0:
		return nil, nil, fmt.Errorf("%w: %s's spec has no notification callback", ErrNoPush, p)
	case 1:
		return found[0], v.opts, nil
	}
	return nil, nil, fmt.Errorf("simulator: %s's spec has %d notification callbacks, want one", p, len(found))
}
