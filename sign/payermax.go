package sign

import (
	"context"
	"encoding/base64"
	"net/http"
)

// PayerMaxSignatureHeader is the HTTP header carrying PayerMax's signature,
// on requests and on responses [doc]. (net/http writes it as "Sign"; header
// names are case-insensitive.)
const PayerMaxSignatureHeader = "sign"

// PayerMaxTimeLayout formats the request body's requestTime: PayerMax's
// yyyy-MM-dd'T'HH:mm:ss.SSSXXX with milliseconds [doc].
//
// [assumed] For UTC Java's XXX writes "Z"; PayerMax's own examples write
// "+00:00", and so does this layout (both are valid RFC 3339). Pass another
// layout to time.Format to change it.
const PayerMaxTimeLayout = "2006-01-02T15:04:05.000-07:00"

// PayerMax signs PayerMax requests and verifies PayerMax responses: standard
// padded base64 of SHA256withRSA (PKCS#1 v1.5) over the exact body bytes, in
// the [PayerMaxSignatureHeader] header [doc][sdk]. A PayerMax value is safe
// for concurrent use.
type PayerMax struct {
	// PrivateKey signs outgoing bodies: the merchant's key in a client, the
	// platform's key in a simulator.
	PrivateKey *PrivateKey

	// PublicKey verifies incoming bodies: PayerMax's key in a client, the
	// merchant's public key in a simulator.
	PublicKey *PublicKey
}

// Sign returns the sign header value for body, the exact bytes to be sent.
func (p PayerMax) Sign(body []byte) (string, error) {
	return signBase64("payermax", p.PrivateKey, base64.StdEncoding, body)
}

// Verify checks the sign header value of a message against its exact body
// bytes, as received and before decoding. It fails closed: an empty signature
// is [ErrMissingSignature], a malformed or mismatching one
// [ErrInvalidSignature].
//
// PayerMax's own SDKs verify only responses whose code is APPLY_SUCCESS. The
// policy for error responses without a header belongs to the caller; this
// function never treats a missing signature as valid.
func (p PayerMax) Verify(body []byte, signature string) error {
	return verifyBase64("payermax", p.PublicKey, base64.StdEncoding, body, signature)
}

// RequestEditor returns an oapi-codegen request editor that signs the
// request's body and sets the [PayerMaxSignatureHeader] header. It reads the
// body through req.GetBody and leaves req.Body unread; see [RequestEditor].
func (p PayerMax) RequestEditor() RequestEditor {
	return func(_ context.Context, req *http.Request) error {
		body, err := requestBody(req)
		if err != nil {
			return err
		}
		sig, err := p.Sign(body)
		if err != nil {
			return err
		}
		req.Header.Set(PayerMaxSignatureHeader, sig)
		return nil
	}
}
