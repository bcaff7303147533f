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
	// Encoded on the stack, so that the string is the one allocation.
	var buf [maxEncodedSignature]byte
	if n := enc.EncodedLen(len(sig)); n <= len(buf) {
		enc.Encode(buf[:n], sig)
		return string(buf[:n]), nil
	}
	return enc.EncodeToString(sig), nil
}

// maxEncodedSignature is the longest base64 signature signBase64 and
// decodeSignature handle on the stack: a 4096-bit RSA signature (512 bytes)
// in padded base64 is 684 characters. Longer ones take the heap.
const maxEncodedSignature = 688

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
	var buf [maxEncodedSignature + maxEncodedSignature*3/4]byte
	sig, err := decodeSignature(buf[:], enc, signature)
	if err != nil {
		return fmt.Errorf("%w: %s: signature is not %s", ErrMalformedSignature, provider, encodingName(enc))
	}
	if err := k.verifySHA256(msg, sig); err != nil {
		return fmt.Errorf("%w: %s: signature does not match", err, provider)
	}
	return nil
}

// decodeSignature decodes s strictly: no line breaks, no stray padding bits.
// When s fits, buf holds a copy of s and then the decoded bytes (it must
// have room for both: 7/4 of len(s)), so that verifying allocates nothing
// for it.
func decodeSignature(buf []byte, enc *base64.Encoding, s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, base64.CorruptInputError(strings.IndexAny(s, "\r\n"))
	}
	if enc != base64.StdEncoding {
		enc = enc.Strict()
	} else {
		enc = strictStd
	}
	if len(s) > len(buf)*4/7 {
		return enc.DecodeString(s)
	}
	src, dst := buf[:copy(buf, s)], buf[len(s):]
	n, err := enc.Decode(dst, src)
	return dst[:n], err
}

func encodingName(enc *base64.Encoding) string {
	if enc == base64.StdEncoding {
		return "standard padded base64"
	}
	return "base64 in the configured encoding"
}
