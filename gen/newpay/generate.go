// This file is the only one in gen/newpay written by hand: it says how the
// rest is made, from specs/newpay.yaml. Run `go generate ./gen/newpay/` (or
// `make generate`) after changing the spec, and commit both. The generator
// is a tool in go.mod (`go tool`), at the version the committed code came
// from.

package newpay

//go:generate go tool oapi-codegen -config ../../specs/newpay.cfg.yaml ../../specs/newpay.yaml
