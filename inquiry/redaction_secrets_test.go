package inquiry_test

import (
	"bytes"
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
