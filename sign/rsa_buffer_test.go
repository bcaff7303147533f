package sign

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSignatureBuffers covers both ways a base64 signature is handled: on
// the stack when it fits maxEncodedSignature, on the heap when longer. The
// answers must not depend on which.
func TestSignatureBuffers(t *testing.T) {
	k := loadKeys(t)
	body := []byte(`{"code":"APPLY_SUCCESS"}`)
	sig, err := PayerMax{PrivateKey: k.platform}.Sign(body)
	require.NoError(t, err)
	require.Len(t, sig, 344) // RSA-2048
	p := PayerMax{PublicKey: k.platformPub}
	require.NoError(t, p.Verify(body, sig))

	long := base64.StdEncoding.EncodeToString(make([]byte, 3*maxEncodedSignature/4+3)) // decodes, too long to fit
	require.Greater(t, len(long), maxEncodedSignature)
	tests := []struct {
		name, sig string
		want      error
	}{
		{"longest that fits, valid base64", base64.StdEncoding.EncodeToString(make([]byte, 3*maxEncodedSignature/4)), ErrInvalidSignature},
		{"too long to fit, valid base64", long, ErrInvalidSignature},
		{"too long to fit, not base64", strings.Repeat("*", maxEncodedSignature+4), ErrMalformedSignature},
		{"fits, not base64", strings.Repeat("*", 344), ErrMalformedSignature},
		{"fits, stray padding bits", sig[:len(sig)-2] + "B=", ErrMalformedSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorIs(t, p.Verify(body, tt.sig), tt.want)
		})
	}
	raw, err := base64.StdEncoding.DecodeString(sig)
	require.NoError(t, err)
	rsaOnly := testing.AllocsPerRun(20, func() { _ = k.platformPub.verifySHA256(body, raw) })
	allocs := testing.AllocsPerRun(20, func() { _ = p.Verify(body, sig) })
	assert.Equal(t, rsaOnly, allocs, "decoding the signature allocates nothing")
}

// TestAlphaPaySignatureHeaderEscaping holds String's own escaping to
// url.QueryEscape of the base64, for signatures that hold every character
// that needs escaping, and for one too long to encode on the stack.
func TestAlphaPaySignatureHeaderEscaping(t *testing.T) {
	for _, n := range []int{0, 1, 2, 256, 512, maxEncodedSignature} {
		sig := make([]byte, n)
		for i := range sig {
			sig[i] = byte(i*251 + 0xfb) // runs of 0xfb, 0xff, ... give '+' and '/'
		}
		b64 := base64.StdEncoding.EncodeToString(sig)
		h := AlphaPaySignatureHeader{KeyVersion: "1", Signature: sig}
		assert.Equal(t, "algorithm=RS256,keyVersion=1,signature="+url.QueryEscape(b64), h.String(), "%d bytes", n)
		back, err := ParseAlphaPaySignatureHeader(h.String())
		if n == 0 {
			assert.ErrorIs(t, err, ErrMalformedSignature)
			continue
		}
		require.NoError(t, err, "%d bytes", n)
		assert.Equal(t, sig, back.Signature)
	}
	assert.Contains(t, AlphaPaySignatureHeader{KeyVersion: "1", Signature: []byte{0xfb, 0xff, 0xbf}}.String(), "%2B%2F")
}
