// This file is the only one in gen/payermax written by hand: it says how the
// rest is made, from specs/payermax.yaml. Run `go generate ./gen/payermax/` (or
// `make generate`) after changing the spec, and commit both. The generator
// is a tool in go.mod (`go tool`), at the version the committed code came
// from.

package payermax

//go:generate go tool oapi-codegen -config ../../specs/payermax.cfg.yaml ../../specs/payermax.yaml
