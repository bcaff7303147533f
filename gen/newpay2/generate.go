// This file is the only one in gen/newpay2 written by hand: it says how the
// rest is made, from specs/newpay2.yaml (NewPay's v2 refund inquiry,
// uniQueryRefund). Run `go generate ./gen/newpay2/` (or `make generate`)
// after changing the spec, and commit both.

package newpay2

//go:generate go tool oapi-codegen -config ../../specs/newpay2.cfg.yaml ../../specs/newpay2.yaml
