package inquiry_test

import (
	"path/filepath"
	"testing"

	"github.com/refundkit/refundkit/sign"
	"github.com/stretchr/testify/require"
)

// testKeys are the throwaway keys from ../sign/testdata: the merchant's pair
// signs requests, the platform's pair plays the provider and signs responses.
type testKeys struct {
	merchant, platform             *sign.PrivateKey
	merchantPublic, platformPublic *sign.PublicKey
}

func loadTestKeys(t testing.TB) testKeys {
	t.Helper()
	read := func(name string) *sign.PrivateKey {
		k, err := sign.ReadPrivateKeyFile(filepath.Join("..", "sign", "testdata", name))
		require.NoError(t, err)
		return k
	}
	k := testKeys{merchant: read("merchant-private.pem"), platform: read("platform-private.pem")}
	k.merchantPublic, k.platformPublic = k.merchant.Public(), k.platform.Public()
	return k
}
