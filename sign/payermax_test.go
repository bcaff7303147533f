package sign

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPayerMaxVectors(t *testing.T) {
	v, k := loadVectors(t), loadKeys(t)
	client := PayerMax{PrivateKey: k.merchant, PublicKey: k.platformPub}
	server := PayerMax{PrivateKey: k.platform, PublicKey: k.merchantPub}
	reqBody, respBody := []byte(v.PayerMax.RequestBody), []byte(v.PayerMax.ResponseBody)

	t.Run("request signature byte for byte", func(t *testing.T) {
		got, err := client.Sign(reqBody)
		require.NoError(t, err)
		assert.Equal(t, v.PayerMax.RequestSign, got)
		assert.NoError(t, server.Verify(reqBody, got))
	})
	t.Run("response signature byte for byte and verified", func(t *testing.T) {
		got, err := server.Sign(respBody)
		require.NoError(t, err)
		assert.Equal(t, v.PayerMax.ResponseSign, got)
		assert.NoError(t, client.Verify(respBody, v.PayerMax.ResponseSign))
	})
	t.Run("response rejected after any body byte change", func(t *testing.T) {
		eachByteFlipped(respBody, func(i int, changed []byte) {
			assert.ErrorIs(t, client.Verify(changed, v.PayerMax.ResponseSign), ErrInvalidSignature, "byte %d", i)
		})
	})
	t.Run("response rejected after any signature byte change", func(t *testing.T) {
		eachByteFlipped([]byte(v.PayerMax.ResponseSign), func(i int, changed []byte) {
			assert.ErrorIs(t, client.Verify(respBody, string(changed)), ErrInvalidSignature, "byte %d", i)
		})
	})
	t.Run("requestTime layout matches the seed", func(t *testing.T) {
		at := time.Date(2022, 1, 17, 7, 1, 23, 737_000_000, time.UTC)
		assert.Contains(t, v.PayerMax.RequestBody, `"requestTime":"`+at.Format(PayerMaxTimeLayout)+`"`)
	})
}

func TestPayerMaxVerifyErrors(t *testing.T) {
	v, k := loadVectors(t), loadKeys(t)
	body, sig := []byte(v.PayerMax.ResponseBody), v.PayerMax.ResponseSign
	client := PayerMax{PublicKey: k.platformPub}
	// The last data character before "==" carries four padding bits; a
	// lenient decoder would accept "Zx==" as "Zw==".
	require.True(t, strings.HasSuffix(sig, "Zw=="))
	tests := []struct {
		name    string
		client  PayerMax
		sig     string
		wantErr []error
	}{
		{name: "missing", client: client, sig: "", wantErr: []error{ErrMissingSignature}},
		{name: "wrong key", client: PayerMax{PublicKey: k.merchantPub}, sig: sig, wantErr: []error{ErrInvalidSignature}},
		{name: "other message's signature", client: client, sig: v.PayerMax.RequestSign, wantErr: []error{ErrInvalidSignature}},
		{name: "stray padding bits", client: client, sig: strings.TrimSuffix(sig, "Zw==") + "Zx==",
			wantErr: []error{ErrMalformedSignature, ErrInvalidSignature}},
		{name: "no padding", client: client, sig: strings.TrimRight(sig, "="), wantErr: []error{ErrMalformedSignature}},
		{name: "URL alphabet", client: client, sig: strings.NewReplacer("+", "-", "/", "_").Replace(sig), wantErr: []error{ErrMalformedSignature}},
		{name: "line break", client: client, sig: sig[:76] + "\r\n" + sig[76:], wantErr: []error{ErrMalformedSignature}},
		{name: "truncated", client: client, sig: sig[:len(sig)-8], wantErr: []error{ErrInvalidSignature}},
		{name: "no public key", client: PayerMax{}, sig: sig, wantErr: []error{ErrNotKey}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.client.Verify(body, tt.sig)
			require.Error(t, err)
			for _, want := range tt.wantErr {
				assert.ErrorIs(t, err, want)
			}
		})
	}
	t.Run("no private key", func(t *testing.T) {
		_, err := PayerMax{}.Sign(body)
		assert.ErrorIs(t, err, ErrNotKey)
	})
}
