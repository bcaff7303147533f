package refundkit

// One line per provider: the hand-written spec in specs/ is the source, the
// package in gen/ is the output. Run `go generate ./...` (or `make generate`)
// after changing a spec, and commit both.

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config specs/newpay.cfg.yaml specs/newpay.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config specs/payermax.cfg.yaml specs/payermax.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config specs/zalopay.cfg.yaml specs/zalopay.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config specs/alphapay.cfg.yaml specs/alphapay.yaml
