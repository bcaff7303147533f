package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/simulator"
)

// inquireJSONError runs inquire --json about p's first demo refund and
// returns the error object it prints.
func inquireJSONError(t *testing.T, e *env, p refundkit.Provider) errorDetail {
	t.Helper()
	r := runCmd(t, "inquire", "--config", e.config, "--json", "--provider", string(p), "--refund-id", simulator.DemoRefunds(p)[0].RefundID)
	require.Equal(t, exitFailure, r.code, r.stdout+r.stderr)
	var v errorJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &v), r.stdout)
	return v.Error
}

// TestErrorObjectsAlike checks that the --json error object reads the same
// way for every provider: the provider's own code and message in their
// fields, refundkit's explanation in its own without the SDK's prefixes,
// message the explanation unless the provider's answer is the error, and
// the number of attempts for a connection failure.
func TestErrorObjectsAlike(t *testing.T) {
	t.Run("bad signature", func(t *testing.T) {
		e := newEnv(t, nil)
		for _, p := range signedProviders(t) {
			e.sims[p].Faults().Next(1, simulator.FaultBadSignature)
			d := inquireJSONError(t, e, p)
			assert.Equal(t, refundkit.CategorySignature, d.Category, p)
			assert.True(t, strings.HasPrefix(d.Explanation, "bad or missing response signature: "), "%s: %q", p, d.Explanation)
			assert.Equal(t, d.Explanation, d.Message, "%s: the message is refundkit's, not the envelope's", p)
			assert.NotContains(t, d.Message, "refundkit:", p)
			assert.Equal(t, 200, d.HTTPStatus, p)
			assert.Equal(t, 1, d.Attempts, p)
			assert.False(t, d.Verified, p)
		}
	})
	t.Run("connection reset", func(t *testing.T) {
		e := newEnv(t, nil)
		for _, p := range refundkit.Providers() {
			e.sims[p].Faults().Always(simulator.FaultConnReset)
			d := inquireJSONError(t, e, p)
			assert.Equal(t, refundkit.CategoryTemporary, d.Category, p)
			assert.Equal(t, 3, d.Attempts, p)
			assert.True(t, strings.HasPrefix(d.Explanation, "temporary failure: send request: "), "%s: %q", p, d.Explanation)
			assert.True(t, strings.HasSuffix(d.Explanation, " (3 attempts)"), "%s: %q", p, d.Explanation)
			assert.Equal(t, d.Explanation, d.Message, p)
			assert.Empty(t, d.ProviderCode, p)
			assert.Empty(t, d.ProviderMessage, p)
			assert.Zero(t, d.HTTPStatus, p)

			r := runCmd(t, "inquire", "--config", e.config, "--provider", string(p), "--refund-id", "R1")
			assert.True(t, strings.HasSuffix(r.stderr, " (3 attempts)\n"), "text mode says so too: %s", r.stderr)
		}
	})
	t.Run("HTTP 500", func(t *testing.T) {
		e := newEnv(t, nil)
		for _, p := range refundkit.Providers() {
			e.sims[p].Faults().Always(simulator.FaultHTTP500)
			d := inquireJSONError(t, e, p)
			assert.Equal(t, refundkit.CategoryTemporary, d.Category, p)
			assert.Empty(t, d.ProviderMessage, "%s: the HTTP status text is not the provider's message", p)
			assert.Contains(t, d.Explanation, fmt.Sprintf("HTTP %d ", d.HTTPStatus), p)
			assert.True(t, strings.HasSuffix(d.Explanation, " (3 attempts)"), "%s: %q", p, d.Explanation)
		}
	})
}

// TestConfigErrorOnePrefix checks that an SDK error met while building a
// client from the config reads as one sentence, not as a chain that says
// "refundkit:" and the provider twice.
func TestConfigErrorOnePrefix(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "refundkit.yaml", "zalopay: {base_url: 'ftp://x', app_id: 1, key1: k}\n")
	r := runCmd(t, "inquire", "--config", cfg, "--provider", "zalopay", "--refund-id", "230407_2554_1")
	assert.Equal(t, exitFailure, r.code)
	assert.Equal(t, fmt.Sprintf("refundkit: config %s: zalopay: base URL \"ftp://x\" is not an absolute http(s) URL\n", cfg), r.stderr)

	r = runCmd(t, "inquire", "--config", cfg, "--provider", "zalopay", "--refund-id", "230407_2554_1", "--json")
	var v errorJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &v), r.stdout)
	assert.Equal(t, refundkit.CategoryInvalidRequest, v.Error.Category)
	assert.Equal(t, fmt.Sprintf("config %s: zalopay: base URL \"ftp://x\" is not an absolute http(s) URL", cfg), v.Error.Message)
}

// signedProviders are the registered providers whose answers are signed
// (their descriptor's Signed): all but ZaloPay.
func signedProviders(t *testing.T) []refundkit.Provider {
	t.Helper()
	var out []refundkit.Provider
	for _, p := range refundkit.Providers() {
		d, err := providers.Lookup(p)
		require.NoError(t, err)
		if d.Signed {
			out = append(out, p)
		}
	}
	require.NotEmpty(t, out)
	return out
}
