package notify

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/sign"
)

// The provider's throwaway test key pair (the shared testkeys): the
// private half plays the provider and signs notifications, the public half
// is what a merchant configures.
const (
	platformPrivateFile = "../sign/testdata/platform-private.pem"
	platformPublicFile  = "../sign/testdata/platform-public.pem"
)

// testNow is the handlers' clock in the known-answer tests.
var testNow = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func clock() time.Time { return testNow }

// platformPublic returns the provider's public key as a merchant configures it.
func platformPublic(t testing.TB) *sign.PublicKey {
	t.Helper()
	k, err := sign.ReadPublicKeyFile(platformPublicFile)
	require.NoError(t, err)
	return k
}

var (
	rawKeyOnce sync.Once
	rawKey     *rsa.PrivateKey
)

// handSign signs content with the provider's private key through crypto/rsa
// directly, not through package sign: the known-answer tests build the
// signed content by hand and check that the handler agrees with it.
func handSign(t testing.TB, content string) string {
	t.Helper()
	rawKeyOnce.Do(func() {
		b, err := os.ReadFile(platformPrivateFile)
		require.NoError(t, err)
		block, _ := pem.Decode(b)
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		require.NoError(t, err)
		rawKey = k.(*rsa.PrivateKey)
	})
	h := sha256.Sum256([]byte(content))
	sig, err := rsa.SignPKCS1v15(nil, rawKey, crypto.SHA256, h[:])
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(sig)
}

// sink is a deliver function that records what it was given.
type sink struct {
	mu   sync.Mutex
	got  []Notification
	fail error // returned by every call when set
}

func (s *sink) deliver(_ context.Context, n Notification) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.got = append(s.got, n)
	return nil
}

func (s *sink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.got)
}

// post sends one notification to h through a real loopback server and
// returns the status and body of the answer.
func post(t testing.TB, h http.Handler, path string, header http.Header, body string) (int, string) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}
