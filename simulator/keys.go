package simulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"

	"github.com/refundkit/refundkit/sign"
)

// KeyPair is one RSA 2048 key pair, parsed and as PEM.
type KeyPair struct {
	// Private and Public are the parsed keys, ready for sign/ and for the
	// simulator configs.
	Private *sign.PrivateKey
	Public  *sign.PublicKey
	// PrivatePEM is the private key as a PKCS#8 "PRIVATE KEY" block;
	// PublicPEM the public key as an SPKI "PUBLIC KEY" block.
	PrivatePEM []byte
	PublicPEM  []byte
}

// Keys are the throwaway secrets simulated providers need: the merchant's
// key pair, which signs requests (the client holds Merchant.Private, the
// simulator Merchant.Public); the platform's, which signs responses (the
// simulator holds Platform.Private, the client Platform.Public); and a
// ZaloPay key1, which both sides share.
type Keys struct {
	Merchant KeyPair
	Platform KeyPair
	Key1     string
}

// GenerateKeys makes two fresh RSA 2048 key pairs and a random 32-character
// key1. They are for simulators, demos and tests only: never register them
// with a real provider.
func GenerateKeys() (*Keys, error) {
	m, err := generateKeyPair()
	if err != nil {
		return nil, err
	}
	p, err := generateKeyPair()
	if err != nil {
		return nil, err
	}
	return &Keys{Merchant: m, Platform: p, Key1: (rand.Text() + rand.Text())[:32]}, nil
}

func generateKeyPair() (KeyPair, error) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return KeyPair{}, fmt.Errorf("simulator: generate RSA key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return KeyPair{}, fmt.Errorf("simulator: encode private key: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		return KeyPair{}, fmt.Errorf("simulator: encode public key: %w", err)
	}
	priv, err := sign.NewPrivateKey(k)
	if err != nil {
		return KeyPair{}, fmt.Errorf("simulator: %w", err)
	}
	return KeyPair{
		Private:    priv,
		Public:     priv.Public(),
		PrivatePEM: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}),
		PublicPEM:  pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}),
	}, nil
}

// KeyFiles names the PEM files WriteFiles wrote.
type KeyFiles struct {
	MerchantPrivate string // the client's private_key_file
	MerchantPublic  string
	PlatformPrivate string
	PlatformPublic  string // the client's provider_public_key_file
	Key1            string // ZaloPay's key1, one line of text
}

// WriteFiles writes the keys into dir (created if needed): the four PEM
// files merchant-private.pem and platform-private.pem (mode 0600),
// merchant-public.pem and platform-public.pem (mode 0644), and
// zalopay-key1.txt (mode 0600). Existing files of those names are replaced.
func (k *Keys) WriteFiles(dir string) (KeyFiles, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return KeyFiles{}, fmt.Errorf("simulator: write keys: %w", err)
	}
	f := KeyFiles{
		MerchantPrivate: filepath.Join(dir, "merchant-private.pem"),
		MerchantPublic:  filepath.Join(dir, "merchant-public.pem"),
		PlatformPrivate: filepath.Join(dir, "platform-private.pem"),
		PlatformPublic:  filepath.Join(dir, "platform-public.pem"),
		Key1:            filepath.Join(dir, "zalopay-key1.txt"),
	}
	for _, w := range []struct {
		name string
		data []byte
		mode os.FileMode
	}{
		{f.MerchantPrivate, k.Merchant.PrivatePEM, 0o600},
		{f.MerchantPublic, k.Merchant.PublicPEM, 0o644},
		{f.PlatformPrivate, k.Platform.PrivatePEM, 0o600},
		{f.PlatformPublic, k.Platform.PublicPEM, 0o644},
		{f.Key1, []byte(k.Key1 + "\n"), 0o600},
	} {
		if err := writeFile(w.name, w.data, w.mode); err != nil {
			return KeyFiles{}, fmt.Errorf("simulator: write keys: %w", err)
		}
	}
	return f, nil
}

// writeFile writes data to name with exactly the given mode, also when the
// file existed before with another.
func writeFile(name string, data []byte, mode os.FileMode) error {
	if err := os.WriteFile(name, data, mode); err != nil {
		return err
	}
	return os.Chmod(name, mode)
}

// Key1Secret returns Key1 as the sign.Secret that a ZaloPay client
// (inquiry.ZaloPayConfig.Key1, sign.ZaloPay) takes.
func (k *Keys) Key1Secret() sign.Secret { return sign.NewSecret(k.Key1) }
