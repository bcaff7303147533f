// Package service holds the OpenAPI description of refundkit's own service
// API, the one `refundkit serve` answers (package service at the module
// root implements it and is tested against it).
package service

import _ "embed"

// Spec is the YAML text of refundkit-api.yaml.
//
//go:embed refundkit-api.yaml
var Spec []byte
