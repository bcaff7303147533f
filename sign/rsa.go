package sign

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// strictStd decodes standard padded base64 and rejects non-zero padding bits,
// so that one signature has exactly one accepted spelling.
var strictStd = base64.StdEncoding.Strict()

// signSHA256 returns the SHA256withRSA (PKCS#1 v1.5) signature of msg.
func (k *PrivateKey) signSHA256(msg []byte) ([]byte, error) {
	if k == nil || k.key == nil {
		return nil, fmt.Errorf("%w: empty private key", ErrNotKey)
	}
	h := sha256.Sum256(msg)
	// PKCS#1 v1.5 signing is deterministic; the random source is unused.
	sig, err := rsa.SignPKCS1v15(nil, k.key, crypto.SHA256, h[:])
	if err != nil {
		return nil, fmt.Errorf("sign: RSA signing failed: %w", err)
	}
	return sig, nil
}

// verifySHA256 checks a SHA256withRSA (PKCS#1 v1.5) signature over msg.
func (k *PublicKey) verifySHA256(msg, sig []byte) error {
	if k == nil || k.key == nil {
		return fmt.Errorf("%w: empty public key", ErrNotKey)
	}
	h := sha256.Sum256(msg)
	if err := rsa.VerifyPKCS1v15(k.key, crypto.SHA256, h[:], sig); err != nil {
		return ErrInvalidSignature
	}
	return nil
}

// signBase64 signs msg and encodes the signature with enc.
func signBase64(provider string, k *PrivateKey, enc *base64.Encoding, msg []byte) (string, error) {
	if k == nil {
		return "", fmt.Errorf("%w: %s: no private key configured", ErrNotKey, provider)
	}
	sig, err := k.signSHA256(msg)
	if err != nil {
		return "", err
	}
	return enc.EncodeToString(sig), nil
}

// verifyBase64 checks an encoded signature over msg, failing closed: an empty
// signature is ErrMissingSignature, bad base64 ErrMalformedSignature and a
// mismatch ErrInvalidSignature.
func verifyBase64(provider string, k *PublicKey, enc *base64.Encoding, msg []byte, signature string) error {
	if k == nil || k.key == nil {
		return fmt.Errorf("%w: %s: no public key configured, cannot verify", ErrNotKey, provider)
	}
	if signature == "" {
		return fmt.Errorf("%w: %s", ErrMissingSignature, provider)
	}
	sig, err := decodeSignature(enc, signature)
	if err != nil {
		return fmt.Errorf("%w: %s: signature is not %s", ErrMalformedSignature, provider, encodingName(enc))
	}
	if err := k.verifySHA256(msg, sig); err != nil {
		return fmt.Errorf("%w: %s: signature does not match", err, provider)
	}
	return nil
}

// decodeSignature decodes s strictly: no line breaks, no stray padding bits.
func decodeSignature(enc *base64.Encoding, s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, base64.CorruptInputError(strings.IndexAny(s, "\r\n"))
	}
	if enc != base64.StdEncoding {
		enc = enc.Strict()
	} else {
		enc = strictStd
	}
	return enc.DecodeString(s)
}

func encodingName(enc *base64.Encoding) string {
	if enc == base64.StdEncoding {
		return "standard padded base64"
	}
	return "base64 in the configured encoding"
}
