package sign

import (
	"encoding/base64"
	"fmt"
	"time"
)

// NewPaySignatureEncoding is the default encoding of NewPay signatures:
// standard padded base64.
//
// [assumed] NewPay's pages do not name the encoding; their sample signatures
// are 344 base64 characters, which is a 2048-bit signature in standard padded
// base64. To change it for one client set [NewPay].Encoding; do not modify
// this variable.
var NewPaySignatureEncoding = base64.StdEncoding

// NewPayTimestampUnit is the default unit of the request's timestamp field.
//
// [assumed] NewPay's v1 request table types timestamp only as a number; its
// callbacks use epoch milliseconds, so requests do too. Override with
// [NewPay].TimestampUnit.
const NewPayTimestampUnit = time.Millisecond

// NewPay signs NewPay v1 requests and verifies NewPay responses: SHA256withRSA
// (PKCS#1 v1.5) over the canonical string of [NewPayCanonical], carried in the
// JSON member [NewPaySignField]. The zero value of every optional field means
// the documented default. A NewPay value is safe for concurrent use.
type NewPay struct {
	// PrivateKey signs outgoing messages: the merchant's key in a client,
	// the platform's key in a simulator.
	PrivateKey *PrivateKey

	// PublicKey verifies incoming messages: NewPay's platform key in a
	// client, the merchant's public key in a simulator.
	PublicKey *PublicKey

	// Encoding encodes and decodes signatures; nil means
	// [NewPaySignatureEncoding] [assumed].
	Encoding *base64.Encoding

	// TimestampUnit is the unit of the timestamp field; zero means
	// [NewPayTimestampUnit] [assumed].
	TimestampUnit time.Duration
}

// Timestamp returns the value of the request's timestamp field for t: epoch
// time in [NewPay].TimestampUnit (milliseconds by default).
func (n NewPay) Timestamp(t time.Time) int64 {
	unit := n.TimestampUnit
	if unit <= 0 {
		unit = NewPayTimestampUnit
	}
	if unit == time.Millisecond {
		return t.UnixMilli()
	}
	return t.UnixNano() / int64(unit)
}

// Sign returns the encoded signature of a canonical string built by
// [NewPayCanonical] or [NewPayCanonicalJSON].
func (n NewPay) Sign(canonical string) (string, error) {
	return signBase64("newpay", n.PrivateKey, n.encoding(), []byte(canonical))
}

// Verify checks an encoded signature over a canonical string with
// [NewPay].PublicKey. It fails closed: see [ErrMissingSignature] and
// [ErrInvalidSignature].
func (n NewPay) Verify(canonical, signature string) error {
	return verifyBase64("newpay", n.PublicKey, n.encoding(), []byte(canonical), signature)
}

// SignJSON signs a flat JSON object, typically the marshalled request body,
// and returns it with its sign member set: replaced in place if present
// (whatever its value, null or "" included), appended after the last member
// otherwise. Every other byte is kept, so the canonical string signed is,
// by construction, the one the receiver rebuilds from the bytes sent.
func (n NewPay) SignJSON(object []byte) ([]byte, error) {
	o, err := parseFlatObject(object)
	if err != nil {
		return nil, fmt.Errorf("sign: newpay: %w", err)
	}
	canonical, err := joinCanonical(o.fields)
	if err != nil {
		return nil, err
	}
	sig, err := signBase64("newpay", n.PrivateKey, n.encoding(), canonical)
	if err != nil {
		return nil, err
	}
	return setSignMember(object, o.sign, o.insertAt, o.names > 0, sig), nil
}

// VerifyJSON verifies a flat JSON object that carries its own signature: the
// response's data object exactly as received (or, in a simulator, a request
// body). Call it on the raw bytes before trusting any field.
//
// The canonical string is built from the members of the object except sign
// [assumed: NewPay's pages say "the parameters", and sign lives inside data],
// with null members left out and numbers in their exact received text. A
// missing, null or empty sign is [ErrMissingSignature]; a sign that is not a
// string, or bad base64, is [ErrMalformedSignature]; an object that cannot be
// canonicalised or a signature that does not match is [ErrInvalidSignature].
func (n NewPay) VerifyJSON(object []byte) error {
	if n.PublicKey == nil {
		return fmt.Errorf("%w: newpay: no public key configured, cannot verify", ErrNotKey)
	}
	o, err := parseFlatObject(object)
	if err != nil {
		return fmt.Errorf("%w: newpay: %w", ErrInvalidSignature, err)
	}
	if err := checkSignMember("newpay", o.sign); err != nil {
		return err
	}
	canonical, err := joinCanonical(o.fields)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidSignature, err)
	}
	return verifyBase64("newpay", n.PublicKey, n.encoding(), canonical, string(o.sign.value))
}

func (n NewPay) encoding() *base64.Encoding {
	if n.Encoding != nil {
		return n.Encoding
	}
	return NewPaySignatureEncoding
}
