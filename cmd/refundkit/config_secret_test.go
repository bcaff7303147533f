package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestConfigErrorsHideSecrets checks, through the commands, that no error
// about a malformed config quotes the value of a secret-bearing key
// (ZaloPay's key1), whatever YAML got wrong: a tag it cannot take, an
// alias to an unknown anchor, an anchor that contains itself.
func TestConfigErrorsHideSecrets(t *testing.T) {
	const secret = "s3cr3tKey1Value"
	tests := []struct {
		name, yaml, want string
	}{
		{"int tag", "zalopay:\n  app_id: 2554\n  key1: !!int " + secret + "\n", "line 3: zalopay.key1 is not a string (its value is a secret"},
		{"float tag", "zalopay:\n  app_id: 2554\n  key1: !!float " + secret + "\n", "line 3: zalopay.key1 is not a string"},
		{"binary tag", "zalopay:\n  app_id: 2554\n  key1: !!binary " + secret + "\n", "line 3: zalopay.key1 is not a string"},
		{"unknown anchor", "zalopay:\n  app_id: 2554\n  key1: *" + secret + "\n", "not valid YAML: unknown anchor (line 3; its name is not shown) referenced"},
		{"flow style, unknown anchor", "zalopay: {app_id: 2554, key1: *" + secret + "}\n", "unknown anchor (line 1; its name is not shown)"},
		{"anchor on a list", "zalopay:\n  app_id: 2554\n  key1: &" + secret + " [*" + secret + "]\n", "line 3: zalopay.key1 must be a single value"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeFile(t, dir, "refundkit.yaml", tt.yaml)
			in := writeFile(t, dir, "in.csv", "provider,refund_id\nzalopay,x\n")
			for _, args := range [][]string{
				{"inquire", "--config", cfg, "--provider", "zalopay", "--refund-id", "230407_2554_1"},
				{"inquire", "--config", cfg, "--provider", "zalopay", "--refund-id", "230407_2554_1", "--json"},
				{"reconcile", "--config", cfg, "--input", in},
			} {
				r := runCmd(t, args...)
				assert.Equal(t, exitFailure, r.code, "%s: %s", args[0], r.stderr)
				all := r.stdout + r.stderr
				assert.NotContains(t, all, secret, "%s echoes the secret", args[0])
				assert.NotContains(t, all, strings.ToLower(secret)[:6], "%s echoes part of the secret", args[0])
				assert.Contains(t, all, tt.want, args[0])
			}
		})
	}
}
