package inquiry_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
)

// lockedBuffer is a bytes.Buffer safe for the concurrent writes of a
// logger.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// sentRequests records every request that leaves the SDK: its headers and
// its exact body.
type sentRequests struct {
	mu   sync.Mutex
	reqs []sentRequest
}

type sentRequest struct {
	header http.Header
	body   []byte
}

// transport records each request, then sends it through base.
func (s *sentRequests) transport(base http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		var body []byte
		if req.GetBody != nil {
			rc, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			body, err = io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return nil, err
			}
		}
		s.mu.Lock()
		s.reqs = append(s.reqs, sentRequest{header: req.Header.Clone(), body: body})
		s.mu.Unlock()
		return base.RoundTrip(req)
	})
}

// secrets returns, with a name for each, every request signature or mac and
// every request body the SDK sent.
func (s *sentRequests) secrets(t *testing.T) map[string]string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for i, r := range s.reqs {
		out[fmt.Sprintf("request body %d", i)] = string(r.body)
		if v := r.header.Get(sign.PayerMaxSignatureHeader); v != "" {
			out[fmt.Sprintf("request %d sign header", i)] = v
		}
		if v := r.header.Get(sign.AlphaPayHeaderSignature); v != "" {
			out[fmt.Sprintf("request %d Signature header", i)] = v
			h, err := sign.ParseAlphaPaySignatureHeader(v)
			require.NoError(t, err)
			out[fmt.Sprintf("request %d Signature", i)] = base64.StdEncoding.EncodeToString(h.Signature)
		}
		for _, field := range []string{"sign", "mac"} {
			if v := bodyField(r.body, field); v != "" {
				out[fmt.Sprintf("request %d %s", i, field)] = v
			}
		}
	}
	return out
}

// bodyField reads a top-level string field of a JSON or form body.
func bodyField(body []byte, name string) string {
	var m map[string]any
	if json.Unmarshal(body, &m) == nil {
		s, _ := m[name].(string)
		return s
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return ""
	}
	return form.Get(name)
}

// keySecrets returns the private key in the PEM file name in every shape it
// might leak in: each base64 line of the PEM and each half line, the DER in
// base64 (PKCS#8 and PKCS#1), and the private exponent and primes in decimal
// and hex.
func keySecrets(t *testing.T, name string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "sign", "testdata", name))
	require.NoError(t, err)
	out := map[string]string{}
	block, _ := pem.Decode(data)
	require.NotNil(t, block)
	for i, line := range strings.Split(string(data), "\n") {
		if len(line) < 32 || strings.HasPrefix(line, "-----") {
			continue
		}
		out[fmt.Sprintf("%s line %d", name, i)] = line
		out[fmt.Sprintf("%s line %d, first half", name, i)] = line[:len(line)/2]
		out[fmt.Sprintf("%s line %d, second half", name, i)] = line[len(line)/2:]
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	}
	require.NoError(t, err)
	rk, ok := key.(*rsa.PrivateKey)
	require.True(t, ok, "%s is not an RSA key", name)
	out[name+" PKCS#8 DER"] = base64.StdEncoding.EncodeToString(block.Bytes)
	out[name+" PKCS#1 DER"] = base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PrivateKey(rk))
	for what, n := range map[string]interface{ Text(int) string }{"D": rk.D, "P": rk.Primes[0], "Q": rk.Primes[1]} {
		out[name+" "+what+" decimal"] = n.Text(10)[:48]
		out[name+" "+what+" hex"] = n.Text(16)[:48]
	}
	return out
}

// leakForms returns the ways a secret can appear in a log or an error
// string: as it is, escaped for JSON and for Go (%q and %#v), URL-escaped,
// and as the bytes of a []byte printed with %#v. Long secrets also count
// when only their first or last 40 characters appear (a truncated leak).
func leakForms(secret string) []string {
	seen := map[string]bool{}
	var forms []string
	add := func(s string) {
		j, _ := json.Marshal(s)
		q := strconv.Quote(s)
		hex := fmt.Sprintf("%#v", []byte(s))
		for _, f := range []string{s, string(j[1 : len(j)-1]), q[1 : len(q)-1], url.QueryEscape(s), hex[len("[]byte{") : len(hex)-1]} {
			if !seen[f] {
				seen[f] = true
				forms = append(forms, f)
			}
		}
	}
	add(secret)
	if len(secret) > 60 {
		add(secret[:40])
		add(secret[len(secret)-40:])
	}
	return forms
}

// leaks reports every secret found, in any of its leak forms, in any of the
// haystacks. Secrets shorter than 16 bytes are not looked for: they cannot
// be told apart from ordinary text.
func leaks(secrets map[string]string, haystacks map[string]string) []string {
	hays := make([]string, 0, len(haystacks))
	for _, h := range haystacks {
		hays = append(hays, h)
	}
	all := strings.Join(hays, "\x00") // one search per form; the haystack only on a hit
	var found []string
	for name, secret := range secrets {
		if len(secret) < 16 {
			continue
		}
		for _, form := range leakForms(secret) {
			if !strings.Contains(all, form) {
				continue
			}
			for where, hay := range haystacks {
				if strings.Contains(hay, form) {
					found = append(found, fmt.Sprintf("%s found in %s", name, where))
				}
			}
		}
	}
	return found
}

func TestLeaksFindsEveryForm(t *testing.T) {
	secret := `{"m_refund_id":"x","mac":"3c48fefef8a0a63347f632e1efa09a9b8842eab07c409eb9a3539fb4fea85c65"}`
	secrets := map[string]string{"body": secret}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("oops", slog.String("body", secret))
	for name, hay := range map[string]string{
		"slog JSON":         logs.String(),
		"%q":                fmt.Sprintf("%q", secret),
		"%#v of []byte":     fmt.Sprintf("%#v", []byte(secret)),
		"URL-escaped":       url.QueryEscape(secret),
		"clipped to 48":     secret[:48] + "…",
		"last 40":           "…" + secret[len(secret)-40:],
		"inside an error":   fmt.Errorf("wrapper: %s: %w", secret, io.EOF).Error(),
		"in a %+v of a map": fmt.Sprintf("%+v", map[string]string{"b": secret}),
	} {
		t.Run(name, func(t *testing.T) {
			assert.NotEmpty(t, leaks(secrets, map[string]string{name: hay}))
		})
	}
	assert.Empty(t, leaks(secrets, map[string]string{"clean": "refundkit: zalopay inquire: auth: http 200: code -403"}))
}

// TestRedaction runs every provider through every case and fault, and
// through wrong keys, bad queries and cancelled contexts, with a debug
// logger, and fails if any secret appears in what the SDK logged, in any
// error it returned (formatted with %v, %+v and %#v), or in the clients
// themselves printed the same ways: the private keys (PEM lines, DER,
// numbers), ZaloPay's key1, the signatures and macs of the requests it sent
// (recorded on their way out), and the request bodies.
func TestRedaction(t *testing.T) {
	var logs lockedBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var sent sentRequests
	haystacks := map[string]string{}
	addError := func(where string, err error) {
		if err == nil {
			return
		}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			haystacks[where+" "+verb] = fmt.Sprintf(verb, err)
		}
	}
	secrets := map[string]string{}
	key1s := map[string]bool{}

	for _, v := range harnessVariants() {
		p := v.provider
		cfg := v.config
		cfg.opts = append(cfg.opts, inquiry.WithLogger(logger))
		cfg.transport = sent.transport
		h := newSimHarness(t, p, cfg)
		key1s[h.key1] = true
		t.Run(v.name, func(t *testing.T) {
			runMatrix(t, h, func(t *testing.T, r matrixRun) {
				addError(fmt.Sprintf("%s %s %s error", v.name, r.c.name, r.fault), r.err)
			})

			// Credentials the simulator does not accept, and a provider key
			// that verifies nothing: the platform and merchant keys swapped.
			swapped := testKeys{merchant: h.keys.platform, platform: h.keys.merchant,
				merchantPublic: h.keys.platformPublic, platformPublic: h.keys.merchantPublic}
			wrongKey1 := h.key1 + "x"
			key1s[wrongKey1] = true
			opts := []inquiry.Option{inquiry.WithBaseURL(h.srv.URL), inquiry.WithLogger(logger), stubRetry,
				inquiry.WithHTTPClient(&http.Client{Transport: sent.transport(h.transport)})}
			clients := map[string]refundkit.Inquirer{"client": h.client}
			for name, keys := range map[string]testKeys{"wrong keys": swapped, "right keys": h.keys} {
				c, err := newSimClient(p, keys, wrongKey1, cfg.zaloPayForm, opts)
				require.NoError(t, err)
				clients[name] = c
			}
			insecure, err := newSimClient(p, swapped, h.key1, cfg.zaloPayForm, append(opts, inquiry.WithInsecureSkipVerify()))
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
					addError(fmt.Sprintf("%s %s %s error", v.name, cname, qname), err)
				}
				_, err := c.Inquire(cancelled, in.query)
				require.Error(t, err)
				addError(fmt.Sprintf("%s %s cancelled error", v.name, cname), err)
				for _, verb := range []string{"%v", "%+v", "%#v"} {
					haystacks[fmt.Sprintf("%s %s %s", v.name, cname, verb)] = fmt.Sprintf(verb, c)
				}
			}
		})
	}
	haystacks["debug log"] = logs.String()

	for name, s := range keySecrets(t, "merchant-private.pem") {
		secrets[name] = s
	}
	for name, s := range keySecrets(t, "platform-private.pem") {
		secrets[name] = s
	}
	for k := range key1s {
		secrets["key1 "+k[:4]] = k
	}
	sentSecrets := sent.secrets(t)
	for name, s := range sentSecrets {
		secrets[name] = s
	}

	// The haystacks are real: every provider logged its attempts, failures
	// and retries, and many requests and errors were recorded.
	log := haystacks["debug log"]
	for _, p := range refundkit.Providers() {
		for _, msg := range []string{"inquiry answered", "inquiry attempt failed", "retrying"} {
			assert.Contains(t, log, fmt.Sprintf(`"msg":"refundkit: %s","provider":"%s"`, msg, p))
		}
	}
	assert.Greater(t, len(sentSecrets), 500, "requests recorded")
	assert.Greater(t, len(haystacks), 500, "errors and clients printed")
	t.Logf("%d secrets looked for in %d bytes of debug log and %d error and client strings",
		len(secrets), len(log), len(haystacks)-1)

	found := leaks(secrets, haystacks)
	if len(found) > 10 {
		found = append(found[:10], fmt.Sprintf("… and %d more", len(found)-10))
	}
	assert.Empty(t, found, "secrets leaked")
}
