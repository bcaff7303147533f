// This file is the only one in gen/zalopay written by hand: it says how the
// rest is made, from specs/zalopay.yaml. Run `go generate ./gen/zalopay/` (or
// `make generate`) after changing the spec, and commit both. The generator
// is a tool in go.mod (`go tool`), at the version the committed code came
// from.

package zalopay

//go:generate go tool oapi-codegen -config ../../specs/zalopay.cfg.yaml ../../specs/zalopay.yaml
