// This file is the only one in gen/alphapay written by hand: it says how the
// rest is made, from specs/alphapay.yaml. Run `go generate ./gen/alphapay/` (or
// `make generate`) after changing the spec, and commit both. The generator
// is a tool in go.mod (`go tool`), at the version the committed code came
// from.

package alphapay

//go:generate go tool oapi-codegen -config ../../specs/alphapay.cfg.yaml ../../specs/alphapay.yaml
