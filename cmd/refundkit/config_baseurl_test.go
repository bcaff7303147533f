package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
)

// TestConfigBaseURL checks, through reconcile (which builds every client
// before reading any row), what a section's base_url may be: a URL without
// a scheme gets a message saying so, plain http to another machine needs
// insecure_http: true, and plain http to this machine never does. The
// input has no rows, so nothing is sent anywhere.
func TestConfigBaseURL(t *testing.T) {
	keys, err := testKeys()
	require.NoError(t, err)
	dir := t.TempDir()
	files, err := keys.WriteFiles(dir)
	require.NoError(t, err)
	in := writeFile(t, dir, "in.csv", "provider,refund_id\n")
	tests := []struct {
		name     string
		baseURL  string
		insecure bool
		want     string // "" when the config is usable
	}{
		{"no scheme, host and port", "127.0.0.1:8080", false, `base_url "127.0.0.1:8080" has no scheme: write it whole, such as https://127.0.0.1:8080`},
		{"no scheme, name and port", "sim.test:8080", false, `base_url "sim.test:8080" has no scheme`},
		{"no scheme, name", "sandbox.example.com", false, `base_url "sandbox.example.com" has no scheme`},
		{"plain http, test network", "http://192.0.2.10:8080", false, `base_url "http://192.0.2.10:8080" is plain http to another machine: use https, or for a test network set insecure_http: true in the PROVIDER section`},
		{"plain http, test network, allowed", "http://192.0.2.10:8080", true, ""},
		{"plain http, loopback", "http://127.0.0.1:8080", false, ""},
		{"plain http, localhost", "http://localhost:8080", false, ""},
		{"https", "https://192.0.2.10", false, ""},
	}
	for _, p := range refundkit.Providers() {
		for _, tt := range tests {
			t.Run(string(p)+"/"+tt.name, func(t *testing.T) {
				cfg := newConfig(nil)
				simulatorSection(cfg, p, tt.baseURL, keys, files)
				body, err := cfg.marshal()
				require.NoError(t, err)
				if tt.insecure {
					body = append(body, fmt.Sprintf("  %s: true\n", insecureHTTPKey)...)
				}
				path := writeFile(t, dir, "refundkit.yaml", string(body))
				r := runCmd(t, "reconcile", "--config", path, "--input", in)
				if tt.want == "" {
					assert.Equal(t, exitOK, r.code, r.stderr)
					return
				}
				assert.Equal(t, exitFailure, r.code)
				assert.Contains(t, r.stderr, strings.ReplaceAll(tt.want, "PROVIDER", string(p)))
			})
		}
	}
}
