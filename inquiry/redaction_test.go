package inquiry_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// TestRedaction runs every provider through every case and fault, and
// through wrong keys, bad queries and cancelled contexts, with a debug
// logger, and fails if any secret appears in what the SDK logged, in any
// error it returned (formatted with %v, %+v and %#v), or in the clients
// themselves printed the same ways: the private keys (PEM lines, DER,
// numbers), ZaloPay's key1, the signatures and macs of the requests it sent
// (recorded on their way out), and the request bodies.
func TestRedaction(t *testing.T) {
	r := newRedactionRun()
	for _, v := range harnessVariants() {
		cfg := v.config
		cfg.opts = append(cfg.opts, inquiry.WithLogger(r.logger))
		cfg.transport = r.sent.transport
		h := newSimHarness(t, v.provider, cfg)
		r.key1s[h.key1] = true
		t.Run(v.name, func(t *testing.T) {
			runMatrix(t, h, func(t *testing.T, m matrixRun) {
				r.addError(fmt.Sprintf("%s %s %s error", v.name, m.c.name, m.fault), m.err)
			})
			r.probe(t, v.name, h, cfg.zaloPayForm)
		})
	}
	r.haystacks["debug log"] = r.logs.String()
	secrets, sentSecrets := r.secrets(t)

	// The haystacks are real: every provider logged its attempts, failures
	// and retries, and many requests and errors were recorded.
	log := r.haystacks["debug log"]
	for _, p := range refundkit.Providers() {
		for _, msg := range []string{"inquiry answered", "inquiry attempt failed", "retrying"} {
			assert.Contains(t, log, fmt.Sprintf(`"msg":"refundkit: %s","provider":"%s"`, msg, p))
		}
	}
	assert.Greater(t, len(sentSecrets), 500, "requests recorded")
	assert.Greater(t, len(r.haystacks), 500, "errors and clients printed")
	t.Logf("%d secrets looked for in %d bytes of debug log and %d error and client strings",
		len(secrets), len(log), len(r.haystacks)-1)

	found := leaks(secrets, r.haystacks)
	if len(found) > 10 {
		found = append(found[:10], fmt.Sprintf("… and %d more", len(found)-10))
	}
	assert.Empty(t, found, "secrets leaked")
}

// redactionRun is what TestRedaction records: the debug log, the requests
// sent, the strings secrets must not appear in (haystacks, by where they
// come from), and every key1 used.
type redactionRun struct {
	logs      lockedBuffer
	logger    *slog.Logger
	sent      sentRequests
	haystacks map[string]string
	key1s     map[string]bool
}

func newRedactionRun() *redactionRun {
	r := &redactionRun{haystacks: map[string]string{}, key1s: map[string]bool{}}
	r.logger = slog.New(slog.NewJSONHandler(&r.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return r
}

// addError records err, formatted every way, as a haystack.
func (r *redactionRun) addError(where string, err error) {
	if err == nil {
		return
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		r.haystacks[where+" "+verb] = fmt.Sprintf(verb, err)
	}
}

// probe asks h's simulator, through h's client and through clients with
// credentials the simulator does not accept (and a provider key that
// verifies nothing: the platform and merchant keys swapped), about a valid
// refund, invalid queries and with a cancelled context, recording every
// error and every client printed.
func (r *redactionRun) probe(t *testing.T, name string, h *simHarness, zaloPayForm bool) {
	p := h.provider
	swapped := testKeys{merchant: h.keys.platform, platform: h.keys.merchant,
		merchantPublic: h.keys.platformPublic, platformPublic: h.keys.merchantPublic}
	wrongKey1 := h.key1 + "x"
	r.key1s[wrongKey1] = true
	opts := []inquiry.Option{inquiry.WithBaseURL(h.srv.URL), inquiry.WithLogger(r.logger), stubRetry,
		inquiry.WithHTTPClient(&http.Client{Transport: r.sent.transport(h.transport)})}
	clients := map[string]refundkit.Inquirer{"client": h.client}
	for cname, keys := range map[string]testKeys{"wrong keys": swapped, "right keys": h.keys} {
		c, err := newSimClient(p, keys, wrongKey1, zaloPayForm, opts)
		require.NoError(t, err)
		clients[cname] = c
	}
	insecure, err := newSimClient(p, swapped, h.key1, zaloPayForm, append(opts, inquiry.WithInsecureSkipVerify()))
	require.NoError(t, err)
	clients["insecure"] = insecure

	in := simCases(p)[0].instance("redact-1")
	require.NoError(t, h.sim.Seed(*in.refund))
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	queries := map[string]refundkit.Query{
		"valid":            in.query,
		"control char":     {RefundID: "R\x00" + in.query.RefundID},
		"too long":         {RefundID: strings.Repeat("9", 300)},
		"empty":            {},
		"unused field set": {RefundID: in.query.RefundID, ProviderRefundID: "P", RefundRequestID: "RR"},
	}
	for cname, c := range clients {
		for qname, q := range queries {
			_, err := c.Inquire(t.Context(), q)
			r.addError(fmt.Sprintf("%s %s %s error", name, cname, qname), err)
		}
		_, err := c.Inquire(cancelled, in.query)
		require.Error(t, err)
		r.addError(fmt.Sprintf("%s %s cancelled error", name, cname), err)
		for _, verb := range []string{"%v", "%+v", "%#v"} {
			r.haystacks[fmt.Sprintf("%s %s %s", name, cname, verb)] = fmt.Sprintf(verb, c)
		}
	}
}

// secrets returns every secret to look for: the test private keys in every
// form, every key1 used, and the signatures and macs of the requests sent
// (also returned alone).
func (r *redactionRun) secrets(t *testing.T) (all, sent map[string]string) {
	all = map[string]string{}
	for name, s := range keySecrets(t, "merchant-private.pem") {
		all[name] = s
	}
	for name, s := range keySecrets(t, "platform-private.pem") {
		all[name] = s
	}
	for k := range r.key1s {
		all["key1 "+k[:4]] = k
	}
	sent = r.sent.secrets(t)
	for name, s := range sent {
		all[name] = s
	}
	return all, sent
}
