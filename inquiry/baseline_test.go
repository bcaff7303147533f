package inquiry_test

// This file holds the floor that BenchmarkInquire is measured against (see
// bench_test.go and BENCHMARKS.md): each provider's refund inquiry written
// by hand with the standard library alone. A baseline does what the SDK does
// on the success path, and no more: the same signing (crypto/rsa and
// crypto/hmac called directly), one net/http exchange through the same
// *http.Client to the same loopback server, the same response verification
// over the exact bytes received, a decode into a small struct, the echo
// check and the status. No generated code, options, retries, typed errors
// or exact money.
//
// The code common to all baselines is here; each provider's baseline and
// pre-signed answer is in baseline_<provider>_test.go, and the pre-signed
// servers and the SDK clients they are compared with are in bench_env_test.go.

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// baselineResult is what a baseline reads from an answer: what the SDK's
// refundkit.Result carries, in plain fields (the amount as the provider
// wrote it, not as exact money).
type baselineResult struct {
	status                             refundkit.Status
	providerStatus, code, message      string
	merchantRefundID, providerRefundID string
	merchantOrderID, providerOrderID   string
	amount, currency                   string
	refundedAt                         time.Time
}

// baselineInquirer is one provider's inquiry by hand.
type baselineInquirer interface {
	inquire(ctx context.Context, refundID string) (baselineResult, error)
}

// baseline returns the hand-written inquiry for p, against the same server
// through the same *http.Client as the SDK's, with keys parsed by
// crypto/x509 straight from the PEM files.
func (e *benchEnv) baseline(tb testing.TB, p refundkit.Provider) baselineInquirer {
	tb.Helper()
	h := baselineHTTP{client: e.http, url: e.urls[p] + benchPaths[p]}
	if p != refundkit.ZaloPay {
		h.key, h.pub = baselineKeys(tb)
	}
	switch p {
	case refundkit.NewPay:
		return &baselineNewPay{baselineHTTP: h}
	case refundkit.PayerMax:
		return &baselinePayerMax{baselineHTTP: h}
	case refundkit.ZaloPay:
		return &baselineZaloPay{baselineHTTP: h, key1: []byte(benchZaloPayKey1)}
	case refundkit.AlphaPay:
		return &baselineAlphaPay{baselineHTTP: h}
	case refundkit.NewPay2:
		return &baselineNewPay2{baselineHTTP: h}
	}
	tb.Fatalf("no baseline for provider %q", p)
	return nil
}

// baselineKeys reads the merchant's private key (to sign requests) and the
// platform's public key (to verify answers) with crypto/x509 alone.
func baselineKeys(tb testing.TB) (*rsa.PrivateKey, *rsa.PublicKey) {
	tb.Helper()
	der := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("..", "sign", "testdata", name))
		require.NoError(tb, err)
		block, _ := pem.Decode(data)
		require.NotNil(tb, block, name)
		return block.Bytes
	}
	priv, err := x509.ParsePKCS8PrivateKey(der("merchant-private.pem"))
	require.NoError(tb, err)
	pub, err := x509.ParsePKIXPublicKey(der("platform-public.pem"))
	require.NoError(tb, err)
	return priv.(*rsa.PrivateKey), pub.(*rsa.PublicKey)
}

// baselineHTTP is what every baseline shares: one POST through net/http,
// and the RSA keys of the three RSA providers.
type baselineHTTP struct {
	client *http.Client
	url    string
	key    *rsa.PrivateKey
	pub    *rsa.PublicKey
}

// post sends body with the given header name/value pairs and returns the
// answer's header and body, read in full up to 1 MiB. Any status but 200 is
// an error.
func (h *baselineHTTP) post(ctx context.Context, body []byte, header ...string) (http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("baseline: HTTP %d", resp.StatusCode)
	}
	return resp.Header, raw, nil
}

// sign returns the SHA256withRSA (PKCS#1 v1.5) signature of msg, in
// standard base64.
func (h *baselineHTTP) sign(msg []byte) (string, error) {
	sum := sha256.Sum256(msg)
	sig, err := rsa.SignPKCS1v15(nil, h.key, crypto.SHA256, sum[:])
	return base64.StdEncoding.EncodeToString(sig), err
}

// verify checks a standard-base64 SHA256withRSA signature over msg.
func (h *baselineHTTP) verify(msg []byte, signature string) error {
	if signature == "" {
		return errors.New("baseline: no signature")
	}
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(msg)
	return rsa.VerifyPKCS1v15(h.pub, crypto.SHA256, sum[:], sig)
}

// baselineEcho fails when an answer is about another refund.
func baselineEcho(got, want string) error {
	if got != want {
		return fmt.Errorf("baseline: answer is about %q, not %q", got, want)
	}
	return nil
}

// baselineEnvelope is the envelope NewPay v1 and v2 answer in: the data
// member is signed on its own.
type baselineEnvelope struct {
	Success bool            `json:"success"`
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// verifiedData decodes the envelope of a NewPay v1 or v2 answer raw, checks
// its code, and verifies data.sign over canonical's string of the data
// member (provider names it in errors).
func (h *baselineHTTP) verifiedData(raw []byte, provider string,
	canonical func(data []byte) ([]byte, string, error)) (baselineEnvelope, error) {
	var env baselineEnvelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return baselineEnvelope{}, err
	}
	if !env.Success || env.Code != "0" {
		return baselineEnvelope{}, fmt.Errorf("baseline: %s code %q", provider, env.Code)
	}
	msg, sig, err := canonical(env.Data)
	if err != nil {
		return baselineEnvelope{}, err
	}
	if err := h.verify(msg, sig); err != nil {
		return baselineEnvelope{}, err
	}
	return env, nil
}

// TestBaseline checks that the floor is honest: against the pre-signed
// servers each baseline reads the answer the SDK reads, and it rejects an
// answer whose signed bytes were changed, as the SDK does. So it really
// signs, sends, verifies and decodes, and the benchmarks compare like with
// like.
func TestBaseline(t *testing.T) {
	e := newBenchEnv(t)
	for _, p := range baselined {
		t.Run(string(p), func(t *testing.T) {
			got, err := e.baseline(t, p).inquire(t.Context(), benchRefundID)
			require.NoError(t, err)
			assert.Equal(t, refundkit.StatusSucceeded, got.status)

			res, err := e.sdk(t, p).Inquire(t.Context(), refundkit.Query{RefundID: benchRefundID})
			require.NoError(t, err)
			assert.Equal(t, p != refundkit.ZaloPay, res.Verified)
			sdk := baselineResult{status: res.Status, providerStatus: res.ProviderStatus, code: res.ProviderCode,
				message: res.ProviderMessage, merchantRefundID: res.MerchantRefundID, providerRefundID: res.ProviderRefundID,
				merchantOrderID: res.MerchantOrderID, providerOrderID: res.ProviderOrderID, refundedAt: res.RefundedAt}
			if res.Amount != nil {
				exp := 0
				if p == refundkit.AlphaPay {
					exp = 2 // AlphaPay writes minor units: 10000 is 100.00 CAD
				}
				sdk.amount, err = res.Amount.MinorUnits(exp)
				require.NoError(t, err)
				sdk.currency = res.Amount.Currency()
			}
			assert.Equal(t, sdk, got, "the baseline reads what the SDK reads")
			if p == refundkit.ZaloPay {
				return // unsigned: nothing to tamper with
			}

			// One digit of the amount changed after signing.
			a := presignedAnswer(t, e.keys, p)
			a.body = bytes.Replace(a.body, []byte("10000"), []byte("10001"), 1)
			forged := &benchEnv{keys: e.keys, http: e.http, urls: map[refundkit.Provider]string{p: servePresigned(t, a).URL}}
			_, err = forged.baseline(t, p).inquire(t.Context(), benchRefundID)
			require.ErrorIs(t, err, rsa.ErrVerification, "the baseline must verify the answer")
			_, err = forged.sdk(t, p).Inquire(t.Context(), refundkit.Query{RefundID: benchRefundID})
			require.ErrorIs(t, err, refundkit.ErrSignature)
		})
	}
}
