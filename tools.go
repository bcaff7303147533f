//go:build tools

// This file pins the code generator in go.mod, so that `go generate ./...`
// runs the exact oapi-codegen version the committed gen/ code came from.
package refundkit

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
