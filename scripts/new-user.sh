#!/usr/bin/env bash
# Checks what importing refundkit costs a user's module: a throwaway module
# that imports the library's packages (the simulator from a test, as a
# user's tests would), with a replace to this checkout, must `go mod tidy`
# and build without the code generator (oapi-codegen/v2) entering its
# go.mod or go.sum. The generator is a `tool` of refundkit's own go.mod,
# which a dependent module does not inherit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

cat >go.mod <<MOD
module example.com/usermodule

go 1.26.0

require github.com/refundkit/refundkit v0.0.0

replace github.com/refundkit/refundkit => $root
MOD
cat >main.go <<'GO'
package main

import (
	"fmt"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/wrapper"
)

func main() {
	_, err := wrapper.NewPayerMax(wrapper.PayerMaxConfig{}, wrapper.WithTimeout(0))
	fmt.Println(refundkit.CategoryOf(err), sign.PayerMaxSignatureHeader)
}
GO
cat >main_test.go <<'GO'
package main

import (
	"testing"

	"github.com/refundkit/refundkit/simulator"
)

func TestKeys(t *testing.T) {
	if _, err := simulator.New("payermax", simulator.Config{}); err == nil {
		t.Fatal("want an error for a simulator without keys")
	}
}
GO
go mod tidy
go vet ./...
go test -count=1 ./... >/dev/null
if grep -n 'oapi-codegen/oapi-codegen' go.mod go.sum; then
	echo "FAIL: importing refundkit pulls the code generator into a user's module (above)" >&2
	exit 1
fi
echo "user module: tidy without oapi-codegen ($(grep -c . go.sum) go.sum lines)"
