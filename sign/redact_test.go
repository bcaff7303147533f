package sign

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRedaction(t *testing.T) {
	v, k := loadVectors(t), loadKeys(t)
	key1 := NewSecret(v.ZaloPay.Key1)
	config := struct {
		Merchant *PrivateKey
		Platform *PublicKey
		Key1     Secret
		key1     Secret // unexported: fmt cannot call its methods
		priv     *PrivateKey
		pub      *PublicKey
	}{k.merchant, k.platformPub, key1, key1, k.merchant, k.platformPub}
	secrets := secretForms(t, k, v.ZaloPay.Key1)

	values := map[string]any{
		"private key": k.merchant, "public key": k.platformPub, "secret": key1,
		"config": config, "config pointer": &config,
		"private key value": *k.merchant, "secret pointer": &key1,
	}
	var out bytes.Buffer
	for name, val := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %[1]v"} {
			fmt.Fprintf(&out, "%s %s: "+verb+"\n", name, verb, val)
		}
		out.WriteString(fmt.Sprint(val) + fmt.Sprintln(val))
		out.WriteString(fmt.Errorf("sign: failed with %v: %w", val, errors.New("x")).Error() + "\n")
		logger := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
		logger.Debug("configured", slog.Any(name, val), "value", val, slog.Group("g", "v", val))
		text := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
		text.Info("configured", name, val)
	}
	got := out.String()
	for form, s := range secrets {
		assert.NotContains(t, got, s, "output contains the %s", form)
	}
	assert.Contains(t, got, `"private key":"sign.PrivateKey(RSA-2048, redacted)"`)
	assert.Contains(t, got, `"public key":"sign.PublicKey(RSA-2048, redacted)"`)
	assert.Contains(t, got, `"secret":"sign.Secret(redacted)"`)
	assert.Contains(t, got, "secret %q: \"sign.Secret(redacted)\"\n")
	assert.Contains(t, got, "config %+v: {Merchant:sign.PrivateKey(RSA-2048, redacted) Platform:sign.PublicKey(RSA-2048, redacted) Key1:sign.Secret(redacted) key1:{reveal:0x")
}

func TestRedactionZeroValues(t *testing.T) {
	var priv *PrivateKey
	var pub *PublicKey
	assert.Equal(t, "sign.PrivateKey(nil) sign.PublicKey(nil) sign.Secret(empty)", fmt.Sprintf("%v %v %v", priv, pub, Secret{}))
	assert.Equal(t, "sign.Secret(empty)", NewSecret("").GoString())
	assert.True(t, Secret{}.IsZero())
	assert.False(t, NewSecret("k").IsZero())
}

// secretForms lists the ways the test keys and key1 could leak into text.
func secretForms(t *testing.T, k testKeys, key1 string) map[string]string {
	t.Helper()
	forms := map[string]string{
		"key1":            key1,
		"key1 hex":        hex.EncodeToString([]byte(key1)),
		"key1 bytes":      strings.Trim(fmt.Sprint([]byte(key1)[:6]), "[]"),
		"key1 base64":     base64.StdEncoding.EncodeToString([]byte(key1))[:16],
		"private D":       k.merchant.key.D.String()[:24],
		"private D hex":   k.merchant.key.D.Text(16)[:24],
		"private P":       k.merchant.key.Primes[0].String()[:24],
		"public N":        k.platformPub.key.N.String()[:24],
		"public N hex":    k.platformPub.key.N.Text(16)[:24],
		"public N upper":  strings.ToUpper(k.platformPub.key.N.Text(16)[:24]),
		"private N":       k.merchant.key.N.String()[:24],
		"private N bytes": strings.Trim(fmt.Sprint(k.merchant.key.N.Bytes()[:6]), "[]"),
	}
	der, err := x509.MarshalPKCS8PrivateKey(k.merchant.key)
	require.NoError(t, err)
	forms["private DER base64"] = base64.StdEncoding.EncodeToString(der)[40:80]
	return forms
}
