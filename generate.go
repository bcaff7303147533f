package refundkit

// One line per provider: the hand-written spec in specs/ is the source, the
// package in gen/ is the output. Run `go generate ./...` (or `make generate`)
// after changing a spec, and commit both.
//
// The generator is a `tool` in go.mod, at the version the committed gen/
// came from, and runs with `go tool`. A tool directive is this module's
// alone: a module that imports refundkit does not get oapi-codegen in its
// go.mod or go.sum (scripts/new-user.sh checks that).

//go:generate go tool oapi-codegen -config specs/newpay.cfg.yaml specs/newpay.yaml
//go:generate go tool oapi-codegen -config specs/payermax.cfg.yaml specs/payermax.yaml
//go:generate go tool oapi-codegen -config specs/zalopay.cfg.yaml specs/zalopay.yaml
//go:generate go tool oapi-codegen -config specs/alphapay.cfg.yaml specs/alphapay.yaml
