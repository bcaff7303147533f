package sign

import "errors"

// Key errors. Every error that [ParsePrivateKey], [ParsePublicKey] and their
// relatives return wraps exactly one of these; test with [errors.Is]. No error
// message ever quotes the key material it was given.
var (
	// ErrNotKey: the input is not a key this package can read (not PEM, not
	// base64, not DER, or a nil key).
	ErrNotKey = errors.New("sign: not a key")

	// ErrWrongKeyType: the input is a key, but not the kind asked for: not
	// RSA (EC, Ed25519), or a public key where a private key is wanted, or
	// the other way round.
	ErrWrongKeyType = errors.New("sign: wrong key type")

	// ErrKeyTooSmall: the RSA modulus is shorter than [MinRSABits].
	ErrKeyTooSmall = errors.New("sign: RSA key too small")

	// ErrEncryptedKey: the PEM block is encrypted (a "Proc-Type: 4,ENCRYPTED"
	// header or an "ENCRYPTED PRIVATE KEY" block). Decrypt it first, for
	// example with openssl; this package takes no passphrases.
	ErrEncryptedKey = errors.New("sign: encrypted key")
)

// Signature errors. Verification fails closed: every verifier returns nil only
// when a signature was present, well-formed and matched.
var (
	// ErrMissingSignature: the message carries no signature (or lacks a
	// header that is part of the signed content). It is an error, never a
	// reason to skip verification.
	ErrMissingSignature = errors.New("sign: missing signature")

	// ErrInvalidSignature: the signature is malformed or does not match the
	// content. Errors wrapping [ErrMalformedSignature] match it too.
	ErrInvalidSignature = errors.New("sign: invalid signature")

	// ErrMalformedSignature: the signature or its header cannot be parsed
	// (bad base64, bad percent-encoding, an algorithm other than RS256, a
	// non-string sign field). errors.Is(err, ErrInvalidSignature) is true for
	// it as well.
	ErrMalformedSignature error = &subError{msg: "sign: malformed signature", parent: ErrInvalidSignature}
)

// subError is a sentinel that also matches a broader sentinel.
type subError struct {
	msg    string
	parent error
}

func (e *subError) Error() string { return e.msg }
func (e *subError) Unwrap() error { return e.parent }
