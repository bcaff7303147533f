package sign

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAlphaPayVectors(t *testing.T) {
	v, k := loadVectors(t), loadKeys(t)
	ap := v.AlphaPay
	client := AlphaPay{MerchantCode: ap.MerchantCode, PrivateKey: k.merchant, PublicKey: k.platformPub}
	server := AlphaPay{MerchantCode: ap.MerchantCode, PrivateKey: k.platform, PublicKey: k.merchantPub}

	t.Run("request content", func(t *testing.T) {
		got := AlphaPayContent("POST", ap.Path, ap.MerchantCode, ap.Request.RequestTime, ap.Request.Nonce, []byte(ap.Request.Body))
		assert.Equal(t, ap.Request.SignedContent, string(got))
	})
	t.Run("response content", func(t *testing.T) {
		got := AlphaPayContent("POST", ap.Path, ap.MerchantCode, ap.Response.ResponseTime, ap.Response.Nonce, []byte(ap.Response.Body))
		assert.Equal(t, ap.Response.SignedContent, string(got))
	})
	t.Run("request headers byte for byte", func(t *testing.T) {
		h, err := client.Sign("POST", ap.Path, []byte(ap.Request.Body), mustRFC3339(t, ap.Request.RequestTime), ap.Request.Nonce)
		require.NoError(t, err)
		assert.Equal(t, AlphaPayHeaders{MerchantCode: ap.MerchantCode, Time: ap.Request.RequestTime,
			Nonce: ap.Request.Nonce, Signature: ap.Request.SignatureHeader}, h)
		parsed, err := ParseAlphaPaySignatureHeader(h.Signature)
		require.NoError(t, err)
		assert.Equal(t, ap.Request.SignatureB64, base64.StdEncoding.EncodeToString(parsed.Signature))
		assert.NoError(t, server.VerifyRequest("POST", ap.Path, requestHeader(h), []byte(ap.Request.Body)))
	})
	t.Run("response headers byte for byte and verified", func(t *testing.T) {
		h, err := server.Sign("POST", ap.Path, []byte(ap.Response.Body), mustRFC3339(t, ap.Response.ResponseTime), ap.Response.Nonce)
		require.NoError(t, err)
		assert.Equal(t, ap.Response.SignatureHeader, h.Signature)
		assert.NoError(t, client.VerifyResponse("POST", ap.Path, responseHeader(ap.Response), []byte(ap.Response.Body)))
	})
}

func TestAlphaPayTamper(t *testing.T) {
	v, k := loadVectors(t), loadKeys(t)
	ap := v.AlphaPay
	client := AlphaPay{MerchantCode: ap.MerchantCode, PublicKey: k.platformPub}
	r := ap.Response
	verify := func(c AlphaPay, method, path, tm, nonce, sig, body string) error {
		return c.Verify(method, path, tm, nonce, sig, []byte(body))
	}
	require.NoError(t, verify(client, "POST", ap.Path, r.ResponseTime, r.Nonce, r.SignatureHeader, r.Body))

	t.Run("body", func(t *testing.T) {
		eachByteFlipped([]byte(r.Body), func(i int, c []byte) {
			assert.ErrorIs(t, verify(client, "POST", ap.Path, r.ResponseTime, r.Nonce, r.SignatureHeader, string(c)), ErrInvalidSignature, "byte %d", i)
		})
	})
	t.Run("Response-Time", func(t *testing.T) {
		eachByteFlipped([]byte(r.ResponseTime), func(i int, c []byte) {
			assert.ErrorIs(t, verify(client, "POST", ap.Path, string(c), r.Nonce, r.SignatureHeader, r.Body), ErrInvalidSignature, "byte %d", i)
		})
	})
	t.Run("Nonce", func(t *testing.T) {
		eachByteFlipped([]byte(r.Nonce), func(i int, c []byte) {
			assert.ErrorIs(t, verify(client, "POST", ap.Path, r.ResponseTime, string(c), r.SignatureHeader, r.Body), ErrInvalidSignature, "byte %d", i)
		})
	})
	t.Run("method, path and merchant code", func(t *testing.T) {
		eachByteFlipped([]byte("POST"), func(i int, c []byte) {
			assert.ErrorIs(t, verify(client, string(c), ap.Path, r.ResponseTime, r.Nonce, r.SignatureHeader, r.Body), ErrInvalidSignature)
		})
		eachByteFlipped([]byte(ap.Path), func(i int, c []byte) {
			assert.ErrorIs(t, verify(client, "POST", string(c), r.ResponseTime, r.Nonce, r.SignatureHeader, r.Body), ErrInvalidSignature)
		})
		eachByteFlipped([]byte(ap.MerchantCode), func(i int, c []byte) {
			other := AlphaPay{MerchantCode: string(c), PublicKey: k.platformPub}
			assert.ErrorIs(t, verify(other, "POST", ap.Path, r.ResponseTime, r.Nonce, r.SignatureHeader, r.Body), ErrInvalidSignature)
		})
	})
	t.Run("Signature header", func(t *testing.T) {
		// keyVersion names which key signed; the signature does not cover
		// it, so a change there alone may pass.
		kv := strings.Index(r.SignatureHeader, "keyVersion=1,")
		require.Positive(t, kv)
		eachByteFlipped([]byte(r.SignatureHeader), func(i int, c []byte) {
			err := verify(client, "POST", ap.Path, r.ResponseTime, r.Nonce, string(c), r.Body)
			if i >= kv && i < kv+len("keyVersion=1") {
				return
			}
			assert.ErrorIs(t, err, ErrInvalidSignature, "byte %d", i)
		})
	})
	t.Run("no other spelling of the signature parses to the same bytes", func(t *testing.T) {
		requireOneSpelling(t, r.SignatureHeader)
	})
}

// requireOneSpelling changes each byte of header's signature, in turn, to
// every other byte value, and requires that none of the headers that still
// parse carries the same signature bytes: one signature, one spelling. A
// percent-escape's hex digits may change case (RFC 3986: one escape).
func requireOneSpelling(t *testing.T, header string) {
	t.Helper()
	sigAt := strings.Index(header, "signature=") + len("signature=")
	want, err := ParseAlphaPaySignatureHeader(header)
	require.NoError(t, err)
	for i := sigAt; i < len(header); i++ {
		for b := 0; b < 256; b++ {
			c := []byte(header)
			if c[i] == byte(b) {
				continue
			}
			c[i] = byte(b)
			if isEscapeDigit(header, i) && strings.EqualFold(string(c[i]), header[i:i+1]) {
				continue // %2b and %2B are one escape (RFC 3986)
			}
			if got, err := ParseAlphaPaySignatureHeader(string(c)); err == nil {
				require.NotEqual(t, want.Signature, got.Signature, "byte %d = %q", i, b)
			}
		}
	}
}

func TestAlphaPayVerifyErrors(t *testing.T) {
	v, k := loadVectors(t), loadKeys(t)
	ap := v.AlphaPay
	client := AlphaPay{MerchantCode: ap.MerchantCode, PublicKey: k.platformPub}
	body := []byte(ap.Response.Body)
	without := func(name string) http.Header {
		h := responseHeader(ap.Response)
		h.Del(name)
		return h
	}
	with := func(name, value string) http.Header {
		h := responseHeader(ap.Response)
		h.Set(name, value)
		return h
	}
	repeated := responseHeader(ap.Response)
	repeated.Add(AlphaPayHeaderSignature, ap.Request.SignatureHeader)
	spaced := strings.ReplaceAll(ap.Response.SignatureHeader, ",", ", ")
	plain := strings.NewReplacer("%2B", "+", "%2F", "/", "%3D", "=").Replace(ap.Response.SignatureHeader)

	tests := []struct {
		name    string
		client  AlphaPay
		header  http.Header
		wantErr []error
	}{
		{name: "spaces after commas accepted", client: client, header: with(AlphaPayHeaderSignature, spaced)},
		{name: "plain base64 accepted", client: client, header: with(AlphaPayHeaderSignature, plain)},
		{name: "no Signature", client: client, header: without(AlphaPayHeaderSignature), wantErr: []error{ErrMissingSignature}},
		{name: "no Response-Time", client: client, header: without(AlphaPayHeaderResponseTime), wantErr: []error{ErrMissingSignature}},
		{name: "no Nonce", client: client, header: without(AlphaPayHeaderNonce), wantErr: []error{ErrMissingSignature}},
		{name: "no headers at all", client: client, header: http.Header{}, wantErr: []error{ErrMissingSignature}},
		{name: "Signature twice", client: client, header: repeated, wantErr: []error{ErrMalformedSignature, ErrInvalidSignature}},
		{name: "other algorithm", client: client, header: with(AlphaPayHeaderSignature, strings.Replace(ap.Response.SignatureHeader, "RS256", "RS512", 1)),
			wantErr: []error{ErrMalformedSignature, ErrInvalidSignature}},
		{name: "request's signature", client: client, header: with(AlphaPayHeaderSignature, ap.Request.SignatureHeader), wantErr: []error{ErrInvalidSignature}},
		{name: "wrong key", client: AlphaPay{MerchantCode: ap.MerchantCode, PublicKey: k.merchantPub}, header: responseHeader(ap.Response),
			wantErr: []error{ErrInvalidSignature}},
		{name: "no public key", client: AlphaPay{MerchantCode: ap.MerchantCode}, header: responseHeader(ap.Response), wantErr: []error{ErrNotKey}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.client.VerifyResponse("POST", ap.Path, tt.header, body)
			if tt.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, want := range tt.wantErr {
				assert.ErrorIs(t, err, want)
			}
		})
	}
	t.Run("no merchant code", func(t *testing.T) {
		err := AlphaPay{PublicKey: k.platformPub}.VerifyResponse("POST", ap.Path, responseHeader(ap.Response), body)
		assert.ErrorContains(t, err, "no merchant code")
	})
}

func TestAlphaPayVerifyRequest(t *testing.T) {
	v, k := loadVectors(t), loadKeys(t)
	ap := v.AlphaPay
	server := AlphaPay{MerchantCode: ap.MerchantCode, PublicKey: k.merchantPub}
	h := requestHeader(AlphaPayHeaders{MerchantCode: ap.MerchantCode, Time: ap.Request.RequestTime,
		Nonce: ap.Request.Nonce, Signature: ap.Request.SignatureHeader})
	body := []byte(ap.Request.Body)
	require.NoError(t, server.VerifyRequest("POST", ap.Path, h, body))

	tests := []struct {
		name    string
		edit    func(http.Header)
		wantErr error
	}{
		{name: "no Merchant-Code", edit: func(h http.Header) { h.Del(AlphaPayHeaderMerchantCode) }, wantErr: ErrMissingSignature},
		{name: "other Merchant-Code", edit: func(h http.Header) { h.Set(AlphaPayHeaderMerchantCode, "OTHER") }, wantErr: ErrInvalidSignature},
		{name: "Merchant-Code twice", edit: func(h http.Header) { h.Add(AlphaPayHeaderMerchantCode, ap.MerchantCode) }, wantErr: ErrMalformedSignature},
		{name: "no Request-Time", edit: func(h http.Header) { h.Del(AlphaPayHeaderRequestTime) }, wantErr: ErrMissingSignature},
		{name: "Response-Time instead", edit: func(h http.Header) {
			h.Set(AlphaPayHeaderResponseTime, h.Get(AlphaPayHeaderRequestTime))
			h.Del(AlphaPayHeaderRequestTime)
		}, wantErr: ErrMissingSignature},
		{name: "other Nonce", edit: func(h http.Header) { h.Set(AlphaPayHeaderNonce, ap.Response.Nonce) }, wantErr: ErrInvalidSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := h.Clone()
			tt.edit(c)
			assert.ErrorIs(t, server.VerifyRequest("POST", ap.Path, c, body), tt.wantErr)
		})
	}
}

func TestAlphaPaySignOptions(t *testing.T) {
	k := loadKeys(t)
	at := time.Date(2024, 2, 29, 23, 59, 58, 123_000_000, time.FixedZone("", -5*3600))
	base := AlphaPay{MerchantCode: "M1", PrivateKey: k.merchant}

	t.Run("defaults", func(t *testing.T) {
		h, err := base.Sign("POST", "/p", nil, at, "n")
		require.NoError(t, err)
		assert.Equal(t, "2024-02-29T23:59:58-05:00", h.Time)
		assert.True(t, strings.HasPrefix(h.Signature, "algorithm=RS256,keyVersion=1,signature="), h.Signature)
	})
	t.Run("key version and layout overridden", func(t *testing.T) {
		c := base
		c.KeyVersion, c.TimeLayout = "3", "2006-01-02T15:04:05.000Z07:00"
		h, err := c.Sign("POST", "/p", nil, at.UTC(), "n")
		require.NoError(t, err)
		assert.Equal(t, "2024-03-01T04:59:58.123Z", h.Time)
		assert.Contains(t, h.Signature, ",keyVersion=3,")
	})
	t.Run("no merchant code", func(t *testing.T) {
		_, err := AlphaPay{PrivateKey: k.merchant}.Sign("POST", "/p", nil, at, "n")
		assert.ErrorContains(t, err, "no merchant code")
	})
	t.Run("no private key", func(t *testing.T) {
		_, err := AlphaPay{MerchantCode: "M1"}.Sign("POST", "/p", nil, at, "n")
		assert.ErrorIs(t, err, ErrNotKey)
	})
	t.Run("headers set on requests and responses", func(t *testing.T) {
		h := AlphaPayHeaders{MerchantCode: "M", Time: "T", Nonce: "N", Signature: "S"}
		req, resp := http.Header{}, http.Header{}
		h.SetRequest(req)
		h.SetResponse(resp)
		assert.Equal(t, http.Header{"Merchant-Code": {"M"}, "Request-Time": {"T"}, "Nonce": {"N"}, "Signature": {"S"}}, req)
		assert.Equal(t, http.Header{"Response-Time": {"T"}, "Nonce": {"N"}, "Signature": {"S"}}, resp)
	})
}

func mustRFC3339(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return at
}

func requestHeader(h AlphaPayHeaders) http.Header {
	out := http.Header{}
	h.SetRequest(out)
	return out
}

func responseHeader(m alphaPayMessage) http.Header {
	out := http.Header{}
	AlphaPayHeaders{Time: m.ResponseTime, Nonce: m.Nonce, Signature: m.SignatureHeader}.SetResponse(out)
	return out
}

// isEscapeDigit reports whether s[i] is one of the two hex digits of a %XX
// escape.
func isEscapeDigit(s string, i int) bool {
	return (i >= 1 && s[i-1] == '%') || (i >= 2 && s[i-2] == '%')
}
