package sign

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"os"
	"strings"
)

// MinRSABits is the smallest RSA modulus accepted, in bits. Every provider here
// issues and expects RSA 2048.
const MinRSABits = 2048

// PrivateKey is an RSA private key ready to sign: parsed once, checked and
// precomputed. Its value never shows in fmt, errors or log/slog output.
// Create one with [ParsePrivateKey], [ReadPrivateKeyFile] or [NewPrivateKey];
// it is safe for concurrent use.
type PrivateKey struct{ key *rsa.PrivateKey }

// PublicKey is an RSA public key ready to verify. Like [PrivateKey] it prints
// as a redacted placeholder. It is safe for concurrent use.
type PublicKey struct{ key *rsa.PublicKey }

// NewPrivateKey wraps an RSA private key, for example a throwaway key from
// [rsa.GenerateKey]. It checks the size and consistency of the key and
// precomputes its CRT values; k must not be modified afterwards.
func NewPrivateKey(k *rsa.PrivateKey) (*PrivateKey, error) {
	if k == nil || k.N == nil {
		return nil, fmt.Errorf("%w: nil RSA private key", ErrNotKey)
	}
	if err := checkBits(k.N.BitLen()); err != nil {
		return nil, err
	}
	if err := k.Validate(); err != nil {
		return nil, fmt.Errorf("%w: inconsistent RSA private key", ErrNotKey)
	}
	k.Precompute()
	return &PrivateKey{key: k}, nil
}

// NewPublicKey wraps an RSA public key after checking its size.
func NewPublicKey(k *rsa.PublicKey) (*PublicKey, error) {
	if k == nil || k.N == nil {
		return nil, fmt.Errorf("%w: nil RSA public key", ErrNotKey)
	}
	if err := checkBits(k.N.BitLen()); err != nil {
		return nil, err
	}
	return &PublicKey{key: k}, nil
}

// Public returns the public half of k.
func (k *PrivateKey) Public() *PublicKey {
	return &PublicKey{key: &k.key.PublicKey}
}

// ParsePrivateKey reads an RSA private key from PEM ("PRIVATE KEY", PKCS#8, or
// "RSA PRIVATE KEY", PKCS#1) or from bare base64 DER in either encoding, with
// or without white space and line breaks, as provider portals hand keys out.
// In PEM input the first private-key block counts; other blocks (certificates,
// EC parameters) are skipped.
func ParsePrivateKey(data []byte) (*PrivateKey, error) {
	return parseKey(data, "private key", parsePrivateDER, func(b *pem.Block) (*PrivateKey, bool, error) {
		switch {
		case b.Type == "PRIVATE KEY" || b.Type == "RSA PRIVATE KEY":
			k, err := parsePrivateDER(b.Bytes)
			return k, true, err
		case strings.HasSuffix(b.Type, "PRIVATE KEY"):
			return nil, true, fmt.Errorf("%w: PEM block %q, want an RSA private key", ErrWrongKeyType, b.Type)
		case strings.HasSuffix(b.Type, "PUBLIC KEY"):
			return nil, true, fmt.Errorf("%w: PEM block %q is a public key, want a private key", ErrWrongKeyType, b.Type)
		}
		return nil, false, nil
	})
}

// ParsePublicKey reads an RSA public key from PEM ("PUBLIC KEY", SPKI; "RSA
// PUBLIC KEY", PKCS#1; or a "CERTIFICATE", whose key is taken without any
// chain validation) or from bare base64 DER of SPKI or PKCS#1.
func ParsePublicKey(data []byte) (*PublicKey, error) {
	return parseKey(data, "public key", parsePublicDER, func(b *pem.Block) (*PublicKey, bool, error) {
		switch {
		case b.Type == "PUBLIC KEY" || b.Type == "RSA PUBLIC KEY":
			k, err := parsePublicDER(b.Bytes)
			return k, true, err
		case b.Type == "CERTIFICATE":
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, true, fmt.Errorf("%w: unreadable certificate", ErrNotKey)
			}
			k, err := publicFrom(c.PublicKey)
			return k, true, err
		case strings.HasSuffix(b.Type, "PUBLIC KEY"):
			return nil, true, fmt.Errorf("%w: PEM block %q, want an RSA public key", ErrWrongKeyType, b.Type)
		case strings.HasSuffix(b.Type, "PRIVATE KEY"):
			return nil, true, fmt.Errorf("%w: PEM block %q is a private key, want a public key", ErrWrongKeyType, b.Type)
		}
		return nil, false, nil
	})
}

// ReadPrivateKeyFile reads and parses a private key file (see [ParsePrivateKey]).
func ReadPrivateKeyFile(name string) (*PrivateKey, error) {
	return readKeyFile(name, "private key", ParsePrivateKey)
}

// ReadPublicKeyFile reads and parses a public key file (see [ParsePublicKey]).
func ReadPublicKeyFile(name string) (*PublicKey, error) {
	return readKeyFile(name, "public key", ParsePublicKey)
}

// parseKey decodes bare base64 DER with fromDER, or walks PEM blocks until
// fromBlock handles one.
func parseKey[K any](data []byte, what string, fromDER func([]byte) (*K, error),
	fromBlock func(*pem.Block) (k *K, handled bool, err error)) (*K, error) {
	if !isPEM(data) {
		der, err := decodeBareBase64(data)
		if err != nil {
			return nil, err
		}
		return fromDER(der)
	}
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return nil, fmt.Errorf("%w: no %s PEM block", ErrNotKey, what)
		}
		if err := checkEncrypted(b); err != nil {
			return nil, err
		}
		if k, handled, err := fromBlock(b); handled {
			return k, err
		}
	}
}

func readKeyFile[K any](name, what string, parse func([]byte) (*K, error)) (*K, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("sign: read %s: %w", what, err)
	}
	k, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, name)
	}
	return k, nil
}

func parsePrivateDER(der []byte) (*PrivateKey, error) {
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("%w: %s private key, want RSA", ErrWrongKeyType, algorithmName(k))
		}
		return NewPrivateKey(rk)
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return NewPrivateKey(k)
	}
	if _, err := x509.ParseECPrivateKey(der); err == nil {
		return nil, fmt.Errorf("%w: EC private key, want RSA", ErrWrongKeyType)
	}
	if _, err := x509.ParsePKIXPublicKey(der); err == nil {
		return nil, fmt.Errorf("%w: DER holds a public key, want a private key", ErrWrongKeyType)
	}
	return nil, fmt.Errorf("%w: DER is neither PKCS#8 nor PKCS#1", ErrNotKey)
}

func parsePublicDER(der []byte) (*PublicKey, error) {
	if k, err := x509.ParsePKIXPublicKey(der); err == nil {
		return publicFrom(k)
	}
	if k, err := x509.ParsePKCS1PublicKey(der); err == nil {
		return NewPublicKey(k)
	}
	_, err8 := x509.ParsePKCS8PrivateKey(der)
	_, err1 := x509.ParsePKCS1PrivateKey(der)
	if err8 == nil || err1 == nil {
		return nil, fmt.Errorf("%w: DER holds a private key, want a public key", ErrWrongKeyType)
	}
	return nil, fmt.Errorf("%w: DER is neither SPKI nor PKCS#1", ErrNotKey)
}

func publicFrom(k any) (*PublicKey, error) {
	rk, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: %s public key, want RSA", ErrWrongKeyType, algorithmName(k))
	}
	return NewPublicKey(rk)
}

func algorithmName(k any) string {
	switch k.(type) {
	case *ecdsa.PrivateKey, *ecdsa.PublicKey:
		return "ECDSA"
	case ed25519.PrivateKey, ed25519.PublicKey:
		return "Ed25519"
	case *ecdh.PrivateKey, *ecdh.PublicKey:
		return "ECDH"
	default:
		return fmt.Sprintf("%T", k)
	}
}

func checkBits(bits int) error {
	if bits < MinRSABits {
		return fmt.Errorf("%w: %d bits, want at least %d", ErrKeyTooSmall, bits, MinRSABits)
	}
	return nil
}

func checkEncrypted(b *pem.Block) error {
	if b.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED") {
		return fmt.Errorf("%w: PEM block %q is encrypted", ErrEncryptedKey, b.Type)
	}
	return nil
}

func isPEM(data []byte) bool {
	return bytes.Contains(data, []byte("-----BEGIN "))
}

// decodeBareBase64 decodes base64 DER after dropping all ASCII white space,
// padded or not.
func decodeBareBase64(data []byte) ([]byte, error) {
	clean := make([]byte, 0, len(data))
	for _, c := range data {
		switch c {
		case ' ', '\t', '\r', '\n', '\v', '\f':
		default:
			clean = append(clean, c)
		}
	}
	if len(clean) == 0 {
		return nil, fmt.Errorf("%w: empty input", ErrNotKey)
	}
	enc := base64.StdEncoding
	if len(clean)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	der := make([]byte, enc.DecodedLen(len(clean)))
	n, err := enc.Decode(der, clean)
	if err != nil {
		return nil, fmt.Errorf("%w: neither PEM nor base64 DER", ErrNotKey)
	}
	return der[:n], nil
}
