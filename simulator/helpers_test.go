package simulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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
	sim, err := simulator.New(p, simulator.DemoConfig(testKeys(), fixedClock))
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

// speaker is how the helpers here speak one provider: how a client builds
// and signs its inquiry, and where its answers keep the code, status, refund
// id and amount. Each provider's test file registers its own from init
// (speak_<provider>_test.go; NewPay v2: newpay2_test.go), so that the tests
// loop over the registry and switch on no provider names.
type speaker struct {
	// body returns a well-formed inquiry body about id sent at at, and sets
	// any headers the provider wants on header.
	body func(e *env, id string, at time.Time, o reqOpts, header http.Header) map[string]any
	// encode encodes body and, unless o.unsigned, signs it with keys the
	// provider's way, setting any signature headers on header.
	encode func(t testing.TB, e *env, body map[string]any, header http.Header, keys *simulator.Keys, at time.Time, o reqOpts) []byte
	// code, rawStatus, refundID and amount read the business code, the raw
	// refund status, the echoed refund id ("" if none) and the amount text.
	code, rawStatus, refundID, amount func(a answer) string
	// verify checks the answer's signature with the platform public key
	// (nil where the provider does not sign).
	verify func(a answer) error
	// succeeded is a success status in the provider's terms, and
	// transition a status before and after a transition.
	succeeded  string
	transition [2]string
	// unsigned: the provider's answers carry no signature. noEcho: they do
	// not echo the refund id. noAmount: its refunds carry no amount.
	unsigned, noEcho, noAmount bool
	// signatureInSpec: the spec requires the answer's signature, so an
	// answer without one violates it.
	signatureInSpec bool
	// requestCases are the requests TestRequests sends.
	requestCases []requestCase
	// statusCases are the refunds TestStatuses seeds and asks about, and
	// checkStatus checks what the provider's answer about r carries beyond
	// the status, amount and refund id.
	statusCases []simulator.Refund
	checkStatus func(t *testing.T, r simulator.Refund, a answer)
	// notFound checks the provider's answer about a refund it does not
	// hold.
	notFound func(t *testing.T, a answer)
}

// speakers holds each provider's speaker; see speak.
var speakers = map[refundkit.Provider]speaker{}

// speak registers provider p's speaker; each provider's test file calls it
// once, from init.
func speak(p refundkit.Provider, s speaker) { speakers[p] = s }

// spokenProviders are the providers the simulator tests that loop over
// providers loop over: every registered one. TestEveryProviderSpoken checks
// that each has a speaker.
var spokenProviders = refundkit.Providers()

// speakerOf returns provider p's speaker; it panics for a provider without
// one, which TestEveryProviderSpoken reports by name.
func speakerOf(p refundkit.Provider) speaker {
	s, ok := speakers[p]
	if !ok {
		panic("simulator tests: no speaker for provider " + string(p))
	}
	return s
}

// TestEveryProviderSpoken: every provider of the registry has a speaker
// here, demo settings and demo refunds, so the loops over spokenProviders
// cover it.
func TestEveryProviderSpoken(t *testing.T) {
	cfg := simulator.DemoConfig(testKeys(), fixedClock)
	for _, p := range refundkit.Providers() {
		_, ok := speakers[p]
		assert.True(t, ok, "no speaker for %s: add one in its own test file", p)
		assert.Contains(t, cfg, p)
		assert.NotEmpty(t, simulator.DemoRefunds(p), p)
	}
	assert.Len(t, speakers, len(refundkit.Providers()))
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

// answer is a response read in full.
type answer struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any
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

// get walks a decoded JSON object along the given member names and returns
// the value's text ("" when absent).
func (a answer) get(path ...string) string {
	var v any = a.json
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[p]
	}
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// has reports whether a member is present (null counts as present).
func (a answer) has(path ...string) bool {
	var v any = a.json
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		if v, ok = m[p]; !ok {
			return false
		}
	}
	return true
}

// code returns provider p's business code.
func (a answer) code(p refundkit.Provider) string { return speakerOf(p).code(a) }

// rawStatus returns the raw refund status in provider p's terms.
func (a answer) rawStatus(p refundkit.Provider) string { return speakerOf(p).rawStatus(a) }

// refundID returns the refund id the answer echoes ("" where p echoes none).
func (a answer) refundID(p refundkit.Provider) string { return speakerOf(p).refundID(a) }

// amount returns the refund amount's text as provider p writes it.
func (a answer) amount(p refundkit.Provider) string { return speakerOf(p).amount(a) }

// verify checks the answer's signature provider p's way with the platform
// public key (nil where p does not sign).
func (a answer) verify(p refundkit.Provider) error { return speakerOf(p).verify(a) }

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
