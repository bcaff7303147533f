package simulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// testKeys are the repository's one set of throwaway test keys, in
// ../sign/testdata, parsed once: generating RSA keys is slow, above all under
// the race detector. TestGenerateKeys covers GenerateKeys.
var testKeys = sync.OnceValue(func() *simulator.Keys {
	pair := func(name string) simulator.KeyPair {
		privPEM, err := os.ReadFile(filepath.Join("..", "sign", "testdata", name+"-private.pem"))
		if err != nil {
			panic(err)
		}
		pubPEM, err := os.ReadFile(filepath.Join("..", "sign", "testdata", name+"-public.pem"))
		if err != nil {
			panic(err)
		}
		priv, err := sign.ParsePrivateKey(privPEM)
		if err != nil {
			panic(err)
		}
		pub, err := sign.ParsePublicKey(pubPEM)
		if err != nil {
			panic(err)
		}
		return simulator.KeyPair{Private: priv, Public: pub, PrivatePEM: privPEM, PublicPEM: pubPEM}
	}
	return &simulator.Keys{Merchant: pair("merchant"), Platform: pair("platform"), Key1: "sdngKKJmqEMzvh5QQcdD2A9XBSKUNaYn"}
})

// otherKeys sign with keys the simulators do not check with: the platform
// pair in the merchant's place, and another key1.
var otherKeys = sync.OnceValue(func() *simulator.Keys {
	k := testKeys()
	return &simulator.Keys{Merchant: k.Platform, Platform: k.Merchant, Key1: "another-key1-another-key1-abcdef"}
})

// testNow is the simulators' and the test clients' clock.
var testNow = time.Date(2024, 3, 1, 10, 30, 0, 123e6, time.UTC)

func fixedClock() time.Time { return testNow }

// env is one provider's simulator behind an httptest server, and a client
// whose transport validates all traffic against the provider's spec.
type env struct {
	p    refundkit.Provider
	sim  *simulator.Simulator
	srv  *httptest.Server
	vt   *simulator.ValidatingTransport
	http *http.Client
}

func newEnv(t testing.TB, p refundkit.Provider) *env {
	t.Helper()
	sim, err := simulator.New(simulator.DemoConfig(testKeys(), fixedClock)[p])
	require.NoError(t, err)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	vt, err := simulator.NewValidatingTransport(srv.Client().Transport, p)
	require.NoError(t, err)
	return &env{p: p, sim: sim, srv: srv, vt: vt, http: &http.Client{Transport: vt}}
}

// reqOpts changes how a test request is built.
type reqOpts struct {
	body     func(m map[string]any) // edits the body before signing
	header   func(h http.Header)    // edits the headers after signing
	raw      func(b []byte) []byte  // replaces the body after signing
	unsigned bool                   // sends no signature at all
	keys     *simulator.Keys        // signs with these keys instead
	form     bool                   // ZaloPay: form-encoded body
	at       time.Time              // request time; zero means testNow
	byTrade  string                 // PayerMax: ask by refundTradeNo too
}

// request builds a refund inquiry for id as a real client of provider p
// would, signed with the merchant key (or key1), then applies o.
func (e *env) request(t testing.TB, id string, o reqOpts) *http.Request {
	t.Helper()
	keys := testKeys()
	if o.keys != nil {
		keys = o.keys
	}
	at := o.at
	if at.IsZero() {
		at = testNow
	}
	sp := speakerOf(e.p)
	header := http.Header{"Content-Type": {"application/json"}}
	body := sp.body(e, id, at, o, header)
	if o.body != nil {
		o.body(body)
	}
	raw := sp.encode(t, e, body, header, keys, at, o)
	if o.raw != nil {
		raw = o.raw(raw)
	}
	if o.header != nil {
		o.header(header)
	}
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+e.sim.Path(), bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header = header
	return req
}

// signedJSON encodes body as JSON and, unless o.unsigned, passes it through
// sign: the encode of the providers that sign JSON.
func signedJSON(t testing.TB, body map[string]any, o reqOpts, sign func(raw []byte) ([]byte, error)) []byte {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	if o.unsigned {
		return raw
	}
	raw, err = sign(raw)
	require.NoError(t, err)
	return raw
}

// do sends req through the validating client and reads the answer.
func (e *env) do(t *testing.T, req *http.Request) answer {
	t.Helper()
	resp, err := e.http.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := answer{status: resp.StatusCode, header: resp.Header, body: body}
	if resp.StatusCode == http.StatusOK {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		require.NoError(t, dec.Decode(&a.json), "body: %s", body)
	}
	return a
}

// inquire asks about id with a well-formed, correctly signed request.
func (e *env) inquire(t *testing.T, id string) answer {
	t.Helper()
	return e.do(t, e.request(t, id, reqOpts{}))
}

// requireNoViolations fails if the validating transport saw traffic that
// does not match the spec, or saw no traffic at all.
func (e *env) requireNoViolations(t *testing.T) {
	t.Helper()
	req, resp := e.vt.Checked()
	require.Positive(t, req, "no request went through the validating transport")
	require.Positive(t, resp, "no response went through the validating transport")
	require.Empty(t, e.vt.Violations())
}

// responseViolations returns only the violations of responses.
func (e *env) responseViolations() []simulator.Violation {
	var out []simulator.Violation
	for _, v := range e.vt.Violations() {
		if v.Response {
			out = append(out, v)
		}
	}
	return out
}
