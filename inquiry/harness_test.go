package inquiry_test

import (
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// simHarness is one provider's simulator on an httptest server, with the
// matching inquiry client pointed at it. The client's transport is the
// simulator's ValidatingTransport, so every request the SDK sends and every
// response it receives is checked against the provider's spec.
type simHarness struct {
	provider  refundkit.Provider
	sim       *simulator.Simulator
	srv       *httptest.Server
	vt        *simulator.ValidatingTransport
	transport *http.Transport // under vt; closed with the harness
	client    refundkit.Inquirer
	keys      testKeys
	key1      string // ZaloPay's key1, fresh for every harness

	closeOnce sync.Once
}

// harnessConfig changes how newSimHarness builds the client.
type harnessConfig struct {
	// opts are appended to the client's options (base URL, HTTP client,
	// stubRetry), so they win.
	opts []inquiry.Option
	// transport, if set, wraps the HTTP transport under the validating
	// transport, for a test that watches the traffic.
	transport func(http.RoundTripper) http.RoundTripper
	// handler, if set, wraps the simulator.
	handler func(http.Handler) http.Handler
	// zaloPayForm makes the ZaloPay client send form-encoded bodies.
	zaloPayForm bool
}

// newSimHarness starts p's simulator with the test keys and the demo
// identities, and builds the inquiry client for it. The harness is closed
// when the test ends.
func newSimHarness(t testing.TB, p refundkit.Provider, hc harnessConfig) *simHarness {
	t.Helper()
	suiteOf(t, p)
	h := &simHarness{provider: p, keys: loadTestKeys(t), key1: rand.Text()}
	keys := &simulator.Keys{
		Merchant: simulator.KeyPair{Private: h.keys.merchant, Public: h.keys.merchantPublic},
		Platform: simulator.KeyPair{Private: h.keys.platform, Public: h.keys.platformPublic},
		Key1:     h.key1,
	}
	var err error
	h.sim, err = simulator.New(simulator.DemoConfig(keys, nil)[p])
	require.NoError(t, err)
	var handler http.Handler = h.sim
	if hc.handler != nil {
		handler = hc.handler(handler)
	}
	h.srv = httptest.NewServer(handler)
	h.transport = http.DefaultTransport.(*http.Transport).Clone()
	h.transport.MaxIdleConnsPerHost = 64
	t.Cleanup(h.close)

	var base http.RoundTripper = h.transport
	if hc.transport != nil {
		base = hc.transport(base)
	}
	h.vt, err = simulator.NewValidatingTransport(base, p)
	require.NoError(t, err)
	opts := append([]inquiry.Option{inquiry.WithBaseURL(h.srv.URL), inquiry.WithHTTPClient(&http.Client{Transport: h.vt}), stubRetry}, hc.opts...)
	h.client, err = newSimClient(p, h.keys, h.key1, hc.zaloPayForm, opts)
	require.NoError(t, err)
	return h
}

// close stops the server (waiting for its handlers) and drops the client's
// idle connections, so that no goroutine of the harness is left. It may be
// called more than once.
func (h *simHarness) close() {
	h.closeOnce.Do(func() {
		h.srv.Close()
		h.transport.CloseIdleConnections()
	})
}

// newSimClient builds p's client with the credentials DemoConfig expects:
// its descriptor's demo client, or ZaloPay's sending forms.
func newSimClient(p refundkit.Provider, k testKeys, key1 string, zaloPayForm bool, opts []inquiry.Option) (refundkit.Inquirer, error) {
	if zaloPayForm {
		return inquiry.New(inquiry.ZaloPayConfig{AppID: simulator.DemoZaloPayAppID, Key1: sign.NewSecret(key1), FormEncoded: true}, opts...)
	}
	keys := &simulator.Keys{
		Merchant: simulator.KeyPair{Private: k.merchant, Public: k.merchantPublic},
		Platform: simulator.KeyPair{Private: k.platform, Public: k.platformPublic},
		Key1:     key1,
	}
	return providers.DemoClient(p, keys, opts...)
}
