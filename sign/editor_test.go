package sign

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// genRequestEditorFn is what oapi-codegen generates in every client package.
type genRequestEditorFn func(ctx context.Context, req *http.Request) error

// The editors must be assignable to a generated RequestEditorFn as they are.
var (
	_ genRequestEditorFn = PayerMax{}.RequestEditor()
	_ genRequestEditorFn = AlphaPay{}.RequestEditor()
)

func TestPayerMaxRequestEditor(t *testing.T) {
	v, k := loadVectors(t), loadKeys(t)
	body := v.PayerMax.RequestBody
	edit := PayerMax{PrivateKey: k.merchant}.RequestEditor()

	for name, newBody := range bodyShapes(body) {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, "https://pay-gate.payermax.com/aggregate-pay/api/gateway/refundQuery", newBody())
			require.NoError(t, err)
			require.NoError(t, edit(context.Background(), req))
			assert.Equal(t, v.PayerMax.RequestSign, req.Header.Get(PayerMaxSignatureHeader))
			assertBodyIntact(t, req, body)
		})
	}
	t.Run("empty body", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPost, "https://example.test/", nil)
		require.NoError(t, err)
		require.NoError(t, edit(context.Background(), req))
		assert.NoError(t, PayerMax{PublicKey: k.merchantPub}.Verify(nil, req.Header.Get(PayerMaxSignatureHeader)))
	})
	t.Run("unreadable body", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPost, "https://example.test/", strings.NewReader(body))
		require.NoError(t, err)
		req.GetBody = func() (io.ReadCloser, error) { return nil, errors.New("gone") }
		assert.ErrorContains(t, edit(context.Background(), req), "sign: read request body: gone")
		assert.Empty(t, req.Header.Get(PayerMaxSignatureHeader))
	})
	t.Run("no key", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPost, "https://example.test/", strings.NewReader(body))
		require.NoError(t, err)
		assert.ErrorIs(t, PayerMax{}.RequestEditor()(context.Background(), req), ErrNotKey)
	})
}

func TestAlphaPayRequestEditor(t *testing.T) {
	v, k := loadVectors(t), loadKeys(t)
	ap := v.AlphaPay
	first := mustRFC3339(t, ap.Request.RequestTime)
	clock, nonces := first, []string{ap.Request.Nonce, strings.Repeat("0", 32)}
	client := AlphaPay{
		MerchantCode: ap.MerchantCode, PrivateKey: k.merchant,
		Now:   func() time.Time { defer func() { clock = clock.Add(time.Second) }(); return clock },
		Nonce: func() string { n := nonces[0]; nonces = nonces[1:]; return n },
	}
	edit := client.RequestEditor()
	req, err := http.NewRequest(http.MethodPost, "https://openapi.alphapay.ca"+ap.Path, strings.NewReader(ap.Request.Body))
	require.NoError(t, err)
	req.Header.Set(AlphaPayHeaderSignature, "stale")

	require.NoError(t, edit(context.Background(), req))
	assert.Equal(t, requestHeader(AlphaPayHeaders{MerchantCode: ap.MerchantCode, Time: ap.Request.RequestTime,
		Nonce: ap.Request.Nonce, Signature: ap.Request.SignatureHeader}), req.Header)
	assertBodyIntact(t, req, ap.Request.Body)

	// A retry edits the same request again: new time, new nonce, new signature.
	require.NoError(t, edit(context.Background(), req))
	assert.Equal(t, "2019-05-28T12:12:13+08:00", req.Header.Get(AlphaPayHeaderRequestTime))
	assert.Equal(t, strings.Repeat("0", 32), req.Header.Get(AlphaPayHeaderNonce))
	assert.NotEqual(t, ap.Request.SignatureHeader, req.Header.Get(AlphaPayHeaderSignature))
	server := AlphaPay{MerchantCode: ap.MerchantCode, PublicKey: k.merchantPub}
	assert.NoError(t, server.VerifyRequest(http.MethodPost, ap.Path, req.Header, []byte(ap.Request.Body)))
}

// TestRequestEditorsOverHTTP sends signed requests through a real client to a
// loopback server that verifies them the way the simulators will, each
// attempt signed afresh.
func TestRequestEditorsOverHTTP(t *testing.T) {
	k := loadKeys(t)
	const path = "/api/v2.0/payments/inquiryRefund"
	payerMax := PayerMax{PublicKey: k.merchantPub, PrivateKey: k.platform}
	alphaPay := AlphaPay{MerchantCode: "CXVJIU", PublicKey: k.merchantPub, PrivateKey: k.platform}
	seen := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := payerMax.Verify(body, r.Header.Get(PayerMaxSignatureHeader)); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if err := alphaPay.VerifyRequest(r.Method, r.URL.EscapedPath(), r.Header, body); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if seen[r.Header.Get(AlphaPayHeaderNonce)] {
			http.Error(w, "nonce reused", http.StatusConflict)
			return
		}
		seen[r.Header.Get(AlphaPayHeaderNonce)] = true
		resp := []byte(`{"refundId":"R1"}`)
		h, err := alphaPay.Sign(r.Method, r.URL.EscapedPath(), resp, time.Now(), RandomNonce())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		h.SetResponse(w.Header())
		_, _ = w.Write(resp)
	}))
	defer srv.Close()

	client := AlphaPay{MerchantCode: "CXVJIU", PrivateKey: k.merchant, PublicKey: k.platformPub}
	editors := []genRequestEditorFn{PayerMax{PrivateKey: k.merchant}.RequestEditor(), client.RequestEditor()}
	body := []byte(`{"refundId":"7b46758a-464c-42e8-b8ff-cbe779c2299f"}`)
	for attempt := range 3 {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+path, bytes.NewReader(body))
		require.NoError(t, err)
		for _, edit := range editors {
			require.NoError(t, edit(req.Context(), req))
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		got, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, http.StatusOK, resp.StatusCode, "attempt %d: %s", attempt, got)
		assert.NoError(t, client.VerifyResponse(http.MethodPost, path, resp.Header, got))
	}
	assert.Len(t, seen, 3)
}

// bodyShapes returns ways of making a request body: the readers
// http.NewRequest knows (GetBody set) and one it does not.
func bodyShapes(body string) map[string]func() io.Reader {
	return map[string]func() io.Reader{
		"bytes.Reader":              func() io.Reader { return bytes.NewReader([]byte(body)) },
		"bytes.Buffer":              func() io.Reader { return bytes.NewBufferString(body) },
		"strings.Reader":            func() io.Reader { return strings.NewReader(body) },
		"opaque reader, no GetBody": func() io.Reader { return io.MultiReader(strings.NewReader(body)) },
	}
}

// assertBodyIntact checks that the body is still unread and replayable.
func assertBodyIntact(t *testing.T, req *http.Request, want string) {
	t.Helper()
	got, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	assert.Equal(t, want, string(got))
	require.NotNil(t, req.GetBody)
	rc, err := req.GetBody()
	require.NoError(t, err)
	again, err := io.ReadAll(rc)
	require.NoError(t, err)
	assert.Equal(t, want, string(again))
	assert.Equal(t, int64(len(want)), req.ContentLength, fmt.Sprintf("ContentLength of %T", req.Body))
}
