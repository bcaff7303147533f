package simulator_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

func TestGenerateKeys(t *testing.T) {
	k, err := simulator.GenerateKeys()
	require.NoError(t, err)
	assert.Len(t, k.Key1, 32)

	for name, pair := range map[string]simulator.KeyPair{"merchant": k.Merchant, "platform": k.Platform} {
		t.Run(name, func(t *testing.T) {
			// The PEM forms parse to the same keys: a signature made with
			// the parsed private key verifies with the parsed PEM public
			// key, and the other way round.
			priv, err := sign.ParsePrivateKey(pair.PrivatePEM)
			require.NoError(t, err)
			pub, err := sign.ParsePublicKey(pair.PublicPEM)
			require.NoError(t, err)
			body := []byte(`{"refundId":"x"}`)
			sig, err := sign.PayerMax{PrivateKey: pair.Private}.Sign(body)
			require.NoError(t, err)
			require.NoError(t, sign.PayerMax{PublicKey: pub}.Verify(body, sig))
			sig, err = sign.PayerMax{PrivateKey: priv}.Sign(body)
			require.NoError(t, err)
			require.NoError(t, sign.PayerMax{PublicKey: pair.Public}.Verify(body, sig))
			assert.Contains(t, string(pair.PrivatePEM), "-----BEGIN PRIVATE KEY-----")
			assert.Contains(t, string(pair.PublicPEM), "-----BEGIN PUBLIC KEY-----")
		})
	}
	assert.NotEqual(t, k.Merchant.PublicPEM, k.Platform.PublicPEM)
	assert.NotContains(t, fmt.Sprintf("%v %+v", k.Merchant.Private, k.Platform.Private), "BEGIN", "keys print redacted")

	t.Run("WriteFiles", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "keys")
		// A file that exists with a loose mode gets the strict one.
		require.NoError(t, os.MkdirAll(dir, 0o700))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "merchant-private.pem"), []byte("old"), 0o644))

		files, err := k.WriteFiles(dir)
		require.NoError(t, err)
		modes := map[string]os.FileMode{
			files.MerchantPrivate: 0o600, files.PlatformPrivate: 0o600, files.Key1: 0o600,
			files.MerchantPublic: 0o644, files.PlatformPublic: 0o644,
		}
		for name, mode := range modes {
			st, err := os.Stat(name)
			require.NoError(t, err)
			assert.Equal(t, mode, st.Mode().Perm(), name)
		}
		priv, err := sign.ReadPrivateKeyFile(files.MerchantPrivate)
		require.NoError(t, err)
		pub, err := sign.ReadPublicKeyFile(files.PlatformPublic)
		require.NoError(t, err)
		require.NotNil(t, priv)
		require.NotNil(t, pub)
		key1, err := os.ReadFile(files.Key1)
		require.NoError(t, err)
		assert.Equal(t, k.Key1+"\n", string(key1))
	})
}

// Key1Secret is Key1 in the form a ZaloPay client takes: a mac made with it
// is the mac made with Key1 itself, and neither %v nor %s shows it.
func TestKeysKey1Secret(t *testing.T) {
	k := &simulator.Keys{Key1: "example-key1-0123456789abcdefghij"}
	got, err := sign.ZaloPay{Key1: k.Key1Secret()}.MAC(2554, "230407_2554_1", 1680839390123)
	require.NoError(t, err)
	want, err := sign.ZaloPay{Key1: sign.NewSecret(k.Key1)}.MAC(2554, "230407_2554_1", 1680839390123)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	other, err := sign.ZaloPay{Key1: sign.NewSecret("another-key1")}.MAC(2554, "230407_2554_1", 1680839390123)
	require.NoError(t, err)
	assert.NotEqual(t, other, got)
	assert.NotContains(t, fmt.Sprintf("%v %s", k.Key1Secret(), k.Key1Secret()), k.Key1)
}
