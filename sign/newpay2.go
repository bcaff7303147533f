package sign

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
)

// NewPay2 signs NewPay v2 requests and verifies v2 responses: SHA256withRSA
// (PKCS#1 v1.5) over the canonical string of [NewPay2Canonical], carried in
// the JSON member [NewPaySignField], as in v1. The zero value of every
// optional field means the default. A NewPay2 value is safe for concurrent
// use.
//
// v2's request has no timestamp or nonce [doc]: the same query always has
// the same signature, so a retry re-signs to the same bytes.
type NewPay2 struct {
	// PrivateKey signs outgoing messages: the merchant's key in a client,
	// the platform's key in a simulator.
	PrivateKey *PrivateKey

	// PublicKey verifies incoming messages: NewPay's platform key in a
	// client, the merchant's public key in a simulator.
	PublicKey *PublicKey

	// Encoding encodes and decodes signatures; nil means
	// [NewPaySignatureEncoding] [assumed, as for v1].
	Encoding *base64.Encoding

	// Nested says how object members enter the canonical string; zero
	// means [NewPay2NestedJSON] [assumed].
	Nested NewPay2Nested
}

// SignJSON signs a JSON object, typically the marshalled request body, and
// returns it with its sign member set: replaced in place if present (with
// any scalar value, null or "" included), appended after the last member
// otherwise. Every other byte is kept. A member named sign in another case
// is an error: it would be a duplicate of the one set.
func (n NewPay2) SignJSON(object []byte) ([]byte, error) {
	o, err := parseNewPay2Object(object)
	if err != nil {
		return nil, fmt.Errorf("sign: newpay2: %w", err)
	}
	if !o.sign.found && slices.ContainsFunc(o.members, func(m newpay2Member) bool { return strings.EqualFold(string(m.name), NewPaySignField) }) {
		return nil, fmt.Errorf("sign: newpay2: the object has a member named %s in another case", NewPaySignField)
	}
	if o.sign.found && o.sign.end == 0 {
		return nil, fmt.Errorf("sign: newpay2: the %s member holds an object", NewPaySignField)
	}
	canonical, err := o.canonical(n.Nested)
	if err != nil {
		return nil, fmt.Errorf("sign: newpay2: %w", err)
	}
	sig, err := signBase64("newpay2", n.PrivateKey, n.encoding(), canonical)
	if err != nil {
		return nil, err
	}
	return setSignMember(object, o.sign, o.closeAt, len(o.members) > 0, sig), nil
}

// VerifyJSON verifies a JSON object that carries its own signature: the
// response's data object exactly as received (or, in a simulator, a request
// body). Call it on the raw bytes before trusting any member.
//
// A missing, null or empty sign is [ErrMissingSignature]; a sign that is
// not a string, or bad base64, is [ErrMalformedSignature]; an object that
// cannot be canonicalised (see [NewPay2Canonical]) or a signature that does
// not match is [ErrInvalidSignature].
func (n NewPay2) VerifyJSON(object []byte) error {
	if n.PublicKey == nil {
		return fmt.Errorf("%w: newpay2: no public key configured, cannot verify", ErrNotKey)
	}
	o, err := parseNewPay2Object(object)
	if err != nil {
		return fmt.Errorf("%w: newpay2: %w", ErrInvalidSignature, err)
	}
	if err := checkSignMember("newpay2", o.sign); err != nil {
		return err
	}
	canonical, err := o.canonical(n.Nested)
	if err != nil {
		return fmt.Errorf("%w: newpay2: %w", ErrInvalidSignature, err)
	}
	return verifyBase64("newpay2", n.PublicKey, n.encoding(), canonical, string(o.sign.value))
}

func (n NewPay2) encoding() *base64.Encoding {
	if n.Encoding != nil {
		return n.Encoding
	}
	return NewPaySignatureEncoding
}
