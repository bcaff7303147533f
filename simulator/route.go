package simulator

import (
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
