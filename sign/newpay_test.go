package sign

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewPayVectors(t *testing.T) {
	v, k := loadVectors(t), loadKeys(t)
	client := NewPay{PrivateKey: k.merchant, PublicKey: k.platformPub}

	t.Run("request canonical from Go values and from JSON", func(t *testing.T) {
		params := decodeUseNumber(t, v.NewPay.RequestParams)
		got, err := NewPayCanonical(params)
		require.NoError(t, err)
		assert.Equal(t, v.NewPay.RequestCanonical, got)

		got, err = NewPayCanonicalJSON(v.NewPay.RequestParams)
		require.NoError(t, err)
		assert.Equal(t, v.NewPay.RequestCanonical, got)
	})
	t.Run("request signature byte for byte", func(t *testing.T) {
		got, err := client.Sign(v.NewPay.RequestCanonical)
		require.NoError(t, err)
		assert.Equal(t, v.NewPay.RequestSign, got)
	})
	t.Run("response canonical", func(t *testing.T) {
		got, err := NewPayCanonicalJSON(v.NewPay.ResponseData)
		require.NoError(t, err)
		assert.Equal(t, v.NewPay.ResponseCanonical, got)
	})
	t.Run("response verifies", func(t *testing.T) {
		require.NoError(t, client.VerifyJSON(v.NewPay.ResponseData))
		sig := decodeUseNumber(t, v.NewPay.ResponseData)["sign"].(string)
		require.NoError(t, client.Verify(v.NewPay.ResponseCanonical, sig))
	})
	t.Run("response rejected after any byte change", func(t *testing.T) {
		data := v.NewPay.ResponseData
		nullName := bytes.Index(data, []byte(`"tranAbbr"`))
		require.Positive(t, nullName)
		eachByteFlipped(data, func(i int, changed []byte) {
			err := client.VerifyJSON(changed)
			if err == nil {
				// Only the name of a null member is outside the signed
				// content: nulls are left out of the canonical string.
				assert.True(t, i > nullName && i < nullName+len(`"tranAbbr"`)-1, "byte %d accepted", i)
				return
			}
			assert.True(t, isSignatureError(err), "byte %d: %v", i, err)
		})
	})
	t.Run("signature rejected after any byte change", func(t *testing.T) {
		eachByteFlipped([]byte(v.NewPay.RequestSign), func(i int, changed []byte) {
			pub := NewPay{PublicKey: k.merchantPub}
			assert.ErrorIs(t, pub.Verify(v.NewPay.RequestCanonical, string(changed)), ErrInvalidSignature, "byte %d", i)
		})
	})
	t.Run("canonical rejected after any byte change", func(t *testing.T) {
		eachByteFlipped([]byte(v.NewPay.ResponseCanonical), func(i int, changed []byte) {
			sig := decodeUseNumber(t, v.NewPay.ResponseData)["sign"].(string)
			assert.ErrorIs(t, client.Verify(string(changed), sig), ErrInvalidSignature, "byte %d", i)
		})
	})
}

func TestNewPaySignJSON(t *testing.T) {
	v, k := loadVectors(t), loadKeys(t)
	client := NewPay{PrivateKey: k.merchant}
	server := NewPay{PublicKey: k.merchantPub}
	const body = `{"appId":"3514d69403bc4ce1a8fafb6415a31018","merchantId":"876266cdc7154dd08a022fd1f2eace55",` +
		`"refundOrderNo":"ORDERNORFD000000000A104","timestamp":1662528718000`
	tests := []struct {
		name, in, wantPrefix, wantSuffix string
	}{
		{name: "empty sign replaced", in: body + `,"sign":""}`, wantPrefix: body + `,"sign":"`, wantSuffix: `"}`},
		{name: "null sign replaced", in: body + `,"sign" : null }`, wantPrefix: body + `,"sign" : "`, wantSuffix: `" }`},
		{name: "old sign replaced in the middle", in: `{"sign":"old",` + body[1:] + `}`, wantPrefix: `{"sign":"`, wantSuffix: `",` + body[1:] + `}`},
		{name: "sign appended", in: body + "\n}\n", wantPrefix: body + `,"sign":"`, wantSuffix: "\"\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := client.SignJSON([]byte(tt.in))
			require.NoError(t, err)
			s := string(out)
			require.True(t, strings.HasPrefix(s, tt.wantPrefix), s)
			require.True(t, strings.HasSuffix(s, tt.wantSuffix), s)
			assert.Equal(t, v.NewPay.RequestSign, s[len(tt.wantPrefix):len(s)-len(tt.wantSuffix)])
			assert.NoError(t, server.VerifyJSON(out))
		})
	}
	t.Run("empty object", func(t *testing.T) {
		out, err := client.SignJSON([]byte(`{}`))
		require.NoError(t, err)
		assert.Regexp(t, `^\{"sign":"[A-Za-z0-9+/]+=*"\}$`, string(out))
		assert.NoError(t, server.VerifyJSON(out))
	})
	t.Run("not a flat object", func(t *testing.T) {
		_, err := client.SignJSON([]byte(`{"a":{}}`))
		assert.ErrorContains(t, err, "sign: newpay: ")
	})
	t.Run("no private key", func(t *testing.T) {
		_, err := NewPay{}.SignJSON([]byte(`{}`))
		assert.ErrorIs(t, err, ErrNotKey)
	})
}

func TestNewPayVerifyJSONErrors(t *testing.T) {
	v, k := loadVectors(t), loadKeys(t)
	client := NewPay{PublicKey: k.platformPub}
	data := string(v.NewPay.ResponseData)
	sig := decodeUseNumber(t, v.NewPay.ResponseData)["sign"].(string)
	withSign := func(value string) []byte {
		return []byte(strings.Replace(data, `"`+sig+`"`, value, 1))
	}
	tests := []struct {
		name    string
		client  NewPay
		data    []byte
		wantErr []error
	}{
		{name: "no sign member", client: client, data: []byte(`{"appId":"x"}`), wantErr: []error{ErrMissingSignature}},
		{name: "null sign", client: client, data: withSign("null"), wantErr: []error{ErrMissingSignature}},
		{name: "empty sign", client: client, data: withSign(`""`), wantErr: []error{ErrMissingSignature}},
		{name: "numeric sign", client: client, data: withSign("12"), wantErr: []error{ErrMalformedSignature, ErrInvalidSignature}},
		{name: "sign with line breaks", client: client, data: withSign(`"` + sig[:64] + `\n` + sig[64:] + `"`),
			wantErr: []error{ErrMalformedSignature, ErrInvalidSignature}},
		{name: "sign not base64", client: client, data: withSign(`"***"`), wantErr: []error{ErrMalformedSignature, ErrInvalidSignature}},
		{name: "wrong key", client: NewPay{PublicKey: k.merchantPub}, data: v.NewPay.ResponseData, wantErr: []error{ErrInvalidSignature}},
		{name: "not JSON", client: client, data: []byte("<html>"), wantErr: []error{ErrInvalidSignature}},
		{name: "nested member", client: client, data: []byte(`{"a":[],"sign":"` + sig + `"}`), wantErr: []error{ErrInvalidSignature}},
		{name: "no public key", client: NewPay{}, data: v.NewPay.ResponseData, wantErr: []error{ErrNotKey}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.client.VerifyJSON(tt.data)
			require.Error(t, err)
			for _, want := range tt.wantErr {
				assert.ErrorIs(t, err, want)
			}
			assert.NotContains(t, err.Error(), sig)
		})
	}
}

func TestNewPayOptions(t *testing.T) {
	v, k := loadVectors(t), loadKeys(t)
	at := time.Date(2022, 9, 7, 5, 31, 58, 0, time.UTC)

	t.Run("timestamp in milliseconds by default", func(t *testing.T) {
		assert.Equal(t, int64(1662528718000), NewPay{}.Timestamp(at))
	})
	t.Run("timestamp unit overridable", func(t *testing.T) {
		assert.Equal(t, int64(1662528718), NewPay{TimestampUnit: time.Second}.Timestamp(at))
	})
	t.Run("encoding overridable", func(t *testing.T) {
		raw := NewPay{PrivateKey: k.merchant, PublicKey: k.merchantPub, Encoding: base64.RawURLEncoding}
		sig, err := raw.Sign(v.NewPay.RequestCanonical)
		require.NoError(t, err)
		assert.Equal(t, strings.NewReplacer("+", "-", "/", "_", "=", "").Replace(v.NewPay.RequestSign), sig)
		assert.NoError(t, raw.Verify(v.NewPay.RequestCanonical, sig))
		assert.ErrorIs(t, raw.Verify(v.NewPay.RequestCanonical, v.NewPay.RequestSign), ErrMalformedSignature)
	})
}

func decodeUseNumber(t testing.TB, raw []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	require.NoError(t, dec.Decode(&m))
	return m
}

func isSignatureError(err error) bool {
	return errors.Is(err, ErrInvalidSignature) || errors.Is(err, ErrMissingSignature)
}

func TestZeroKeysFailWithoutPanic(t *testing.T) {
	n := NewPay{PrivateKey: &PrivateKey{}, PublicKey: &PublicKey{}}
	_, err := n.Sign("a=b")
	require.ErrorIs(t, err, ErrNotKey)
	require.ErrorIs(t, n.Verify("a=b", "c2lnbg=="), ErrNotKey)
}
