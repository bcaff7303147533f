package simulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
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

// spokenProviders are the providers the helpers here speak (env.request,
// signedBody, answer): the simulator tests that loop over providers loop
// over these. A provider added later is tested through its own test file
// (NewPay v2: newpay2_test.go) and through the SDK's contract and fault
// suites, which run against its simulator.
var spokenProviders = []refundkit.Provider{refundkit.NewPay, refundkit.PayerMax, refundkit.ZaloPay, refundkit.AlphaPay}

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
	var body map[string]any
	header := http.Header{"Content-Type": {"application/json"}}
	switch e.p {
	case refundkit.NewPay:
		body = map[string]any{"appId": simulator.DemoNewPayAppID, "merchantId": simulator.DemoNewPayMerchantID,
			"timestamp": at.UnixMilli(), "refundOrderNo": id}
		header.Set("version", "1.0")
	case refundkit.PayerMax:
		data := map[string]any{"outRefundNo": id}
		if o.byTrade != "" {
			data["refundTradeNo"] = o.byTrade
		}
		if id == "" {
			delete(data, "outRefundNo")
		}
		body = map[string]any{"version": "1.1", "keyVersion": "1", "requestTime": at.Format(sign.PayerMaxTimeLayout),
			"appId": simulator.DemoPayerMaxAppID, "merchantNo": simulator.DemoPayerMaxMerchantNo, "data": data}
	case refundkit.ZaloPay:
		body = map[string]any{"app_id": int64(simulator.DemoZaloPayAppID), "m_refund_id": id, "timestamp": at.UnixMilli()}
	case refundkit.AlphaPay:
		body = map[string]any{"refundId": id}
	}
	if o.body != nil {
		o.body(body)
	}
	raw := e.signedBody(t, body, header, keys, at, o)
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

// signedBody encodes body and signs it the provider's way, setting any
// signature headers on header.
func (e *env) signedBody(t testing.TB, body map[string]any, header http.Header, keys *simulator.Keys, at time.Time, o reqOpts) []byte {
	t.Helper()
	if e.p == refundkit.ZaloPay {
		return zalopayBody(t, body, header, keys.Key1, o)
	}
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	if o.unsigned {
		return raw
	}
	switch e.p {
	case refundkit.NewPay:
		raw, err = sign.NewPay{PrivateKey: keys.Merchant.Private}.SignJSON(raw)
		require.NoError(t, err)
	case refundkit.PayerMax:
		sig, err := sign.PayerMax{PrivateKey: keys.Merchant.Private}.Sign(raw)
		require.NoError(t, err)
		header.Set(sign.PayerMaxSignatureHeader, sig)
	case refundkit.AlphaPay:
		h, err := sign.AlphaPay{MerchantCode: simulator.DemoAlphaPayMerchant, PrivateKey: keys.Merchant.Private}.
			Sign(http.MethodPost, e.sim.Path(), raw, at, sign.RandomNonce())
		require.NoError(t, err)
		h.SetRequest(header)
	}
	return raw
}

// zalopayBody adds the mac (unless unsigned) and encodes the body as JSON or
// as a form.
func zalopayBody(t testing.TB, body map[string]any, header http.Header, key1 string, o reqOpts) []byte {
	t.Helper()
	appID, _ := body["app_id"].(int64)
	id, _ := body["m_refund_id"].(string)
	ts, _ := body["timestamp"].(int64)
	if !o.unsigned {
		mac, err := sign.ZaloPay{Key1: sign.NewSecret(key1)}.MAC(appID, id, ts)
		require.NoError(t, err)
		body["mac"] = mac
	}
	if !o.form {
		raw, err := json.Marshal(body)
		require.NoError(t, err)
		return raw
	}
	form := url.Values{}
	for k, v := range body {
		switch v := v.(type) {
		case int64:
			form.Set(k, strconv.FormatInt(v, 10))
		default:
			form.Set(k, v.(string))
		}
	}
	header.Set("Content-Type", "application/x-www-form-urlencoded")
	return []byte(form.Encode())
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

// code returns the provider's business code: NewPay and PayerMax code,
// ZaloPay return_code, AlphaPay result.resultCode.
func (a answer) code(p refundkit.Provider) string {
	switch p {
	case refundkit.ZaloPay:
		return a.get("return_code")
	case refundkit.AlphaPay:
		return a.get("result", "resultCode")
	default:
		return a.get("code")
	}
}

// status returns the raw refund status: NewPay tranStatus (or
// refundSuccess), PayerMax data.status, ZaloPay return_code, AlphaPay
// refundStatus.
func (a answer) rawStatus(p refundkit.Provider) string {
	switch p {
	case refundkit.NewPay:
		if a.has("data", "refundSuccess") {
			return a.get("data", "refundSuccess")
		}
		return a.get("data", "tranStatus")
	case refundkit.PayerMax:
		return a.get("data", "status")
	case refundkit.ZaloPay:
		return a.get("return_code")
	default:
		return a.get("refundStatus")
	}
}

// refundID returns the refund id the answer echoes ("" for ZaloPay).
func (a answer) refundID(p refundkit.Provider) string {
	switch p {
	case refundkit.NewPay:
		return a.get("data", "refundOrderNo")
	case refundkit.PayerMax:
		return a.get("data", "outRefundNo")
	case refundkit.AlphaPay:
		return a.get("refundId")
	}
	return ""
}

// verify checks the answer's signature the provider's way with the
// platform public key (and, for AlphaPay, that the answer is fresh).
// ZaloPay answers are unsigned, and so are NewPay
// answers without data (NewPay signs only data): nil.
func (a answer) verify(p refundkit.Provider) error {
	pub := testKeys().Platform.Public
	switch p {
	case refundkit.NewPay:
		var env struct {
			Data json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(a.body, &env); err != nil {
			return err
		}
		if env.Data == nil {
			return nil
		}
		return sign.NewPay{PublicKey: pub}.VerifyJSON(env.Data)
	case refundkit.PayerMax:
		return sign.PayerMax{PublicKey: pub}.Verify(a.body, a.header.Get(sign.PayerMaxSignatureHeader))
	case refundkit.AlphaPay:
		v := sign.AlphaPay{MerchantCode: simulator.DemoAlphaPayMerchant, PublicKey: pub}
		if err := v.VerifyResponse(http.MethodPost, "/api/v2.0/payments/inquiryRefund", a.header, a.body); err != nil {
			return err
		}
		// Fresh, as clients require: the simulators' clock and a
		// 32-hex-character nonce.
		return v.CheckFresh(a.header.Get(sign.AlphaPayHeaderResponseTime), a.header.Get(sign.AlphaPayHeaderNonce), testNow, 0)
	}
	return nil
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
