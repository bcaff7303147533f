package sign

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// AlphaPay header names [doc]. AlphaPay's pages spell them with this case;
// they are already in Go's canonical header form.
const (
	AlphaPayHeaderMerchantCode = "Merchant-Code"
	AlphaPayHeaderRequestTime  = "Request-Time"
	AlphaPayHeaderResponseTime = "Response-Time"
	AlphaPayHeaderNonce        = "Nonce"
	AlphaPayHeaderSignature    = "Signature"
)

// AlphaPayTimeLayout is the default layout of Request-Time (and of
// Response-Time in a simulator).
//
// [assumed] AlphaPay asks for "ISO 8601", which allows many spellings; its
// examples show seconds and a numeric offset (2019-05-28T12:12:12+08:00),
// which is RFC 3339. The time is written in its own location (UTC gives "Z").
// Override with [AlphaPay].TimeLayout.
const AlphaPayTimeLayout = time.RFC3339

// AlphaPay signs AlphaPay requests and verifies AlphaPay responses:
// SHA256withRSA (PKCS#1 v1.5) over [AlphaPayContent], standard padded base64,
// URL-encoded into the Signature header [doc][sdk]. A response is signed the
// same way with its Response-Time and Nonce headers and the merchant code.
// A value is safe for concurrent use if Now and Nonce are.
type AlphaPay struct {
	// MerchantCode is the merchant code AlphaPay issued; it is part of the
	// signed content of requests and responses.
	MerchantCode string

	// PrivateKey signs outgoing messages: the merchant's key in a client,
	// the platform's key in a simulator.
	PrivateKey *PrivateKey

	// PublicKey verifies incoming messages: AlphaPay's key in a client, the
	// merchant's public key in a simulator.
	PublicKey *PublicKey

	// KeyVersion is the keyVersion written into Signature headers; empty
	// means [AlphaPayDefaultKeyVersion].
	KeyVersion string

	// TimeLayout formats Request-Time; empty means [AlphaPayTimeLayout]
	// [assumed].
	TimeLayout string

	// Now is the clock [AlphaPay.RequestEditor] uses; nil means time.Now.
	// Sign itself takes the time as an argument.
	Now func() time.Time

	// Nonce makes nonces for [AlphaPay.RequestEditor]; nil means
	// [RandomNonce]. Sign itself takes the nonce as an argument.
	Nonce NonceFunc
}

// AlphaPayContent returns the bytes AlphaPay signs, one newline after the
// path and dots between the rest:
//
//	<method> <path>
//	<merchantCode>.<timestamp>.<nonce>.<body>
//
// For a response, method and path are the request's, timestamp and nonce the
// response's Response-Time and Nonce headers, and body the exact response
// body.
func AlphaPayContent(method, path, merchantCode, timestamp, nonce string, body []byte) []byte {
	b := make([]byte, 0, len(method)+len(path)+len(merchantCode)+len(timestamp)+len(nonce)+len(body)+5)
	b = append(b, method...)
	b = append(b, ' ')
	b = append(b, path...)
	b = append(b, '\n')
	b = append(b, merchantCode...)
	b = append(b, '.')
	b = append(b, timestamp...)
	b = append(b, '.')
	b = append(b, nonce...)
	b = append(b, '.')
	return append(b, body...)
}

// AlphaPayHeaders are the authentication headers of one signed AlphaPay
// message, ready to send. They fill the generated client's header parameters
// one for one.
type AlphaPayHeaders struct {
	MerchantCode string // Merchant-Code (sent on requests only)
	Time         string // Request-Time on a request, Response-Time on a response
	Nonce        string // Nonce
	Signature    string // Signature: algorithm=RS256,keyVersion=<n>,signature=<v>
}

// SetRequest sets Merchant-Code, Request-Time, Nonce and Signature on dst.
// The four values share one slice (each capped at its length, so that an
// Add copies rather than overwrites the next); the names are canonical.
func (h AlphaPayHeaders) SetRequest(dst http.Header) {
	v := []string{h.MerchantCode, h.Time, h.Nonce, h.Signature}
	dst[AlphaPayHeaderMerchantCode] = v[0:1:1]
	dst[AlphaPayHeaderRequestTime] = v[1:2:2]
	dst[AlphaPayHeaderNonce] = v[2:3:3]
	dst[AlphaPayHeaderSignature] = v[3:4:4]
}

// SetResponse sets Response-Time, Nonce and Signature on dst.
func (h AlphaPayHeaders) SetResponse(dst http.Header) {
	dst.Set(AlphaPayHeaderResponseTime, h.Time)
	dst.Set(AlphaPayHeaderNonce, h.Nonce)
	dst.Set(AlphaPayHeaderSignature, h.Signature)
}

// Sign signs one message, the exact body to be sent, at the given time with
// the given nonce (see [RandomNonce]); nothing else is read, so the result is
// reproducible. method and path are the request's (for example "POST" and
// "/api/v2.0/payments/inquiryRefund"), also when a simulator signs the
// response.
func (a AlphaPay) Sign(method, path string, body []byte, at time.Time, nonce string) (AlphaPayHeaders, error) {
	if a.PrivateKey == nil {
		return AlphaPayHeaders{}, fmt.Errorf("%w: alphapay: no private key configured", ErrNotKey)
	}
	if a.MerchantCode == "" {
		return AlphaPayHeaders{}, errNoMerchantCode
	}
	layout := a.TimeLayout
	if layout == "" {
		layout = AlphaPayTimeLayout
	}
	h := AlphaPayHeaders{MerchantCode: a.MerchantCode, Time: at.Format(layout), Nonce: nonce}
	sig, err := a.PrivateKey.signSHA256(AlphaPayContent(method, path, a.MerchantCode, h.Time, nonce, body))
	if err != nil {
		return AlphaPayHeaders{}, err
	}
	kv := a.KeyVersion
	if kv == "" {
		kv = AlphaPayDefaultKeyVersion
	}
	h.Signature = AlphaPaySignatureHeader{KeyVersion: kv, Signature: sig}.String()
	return h, nil
}

// Verify checks a signature over one message given its parts: the request's
// method and path, the message's time and nonce header values, its Signature
// header value and its exact body. It fails closed: an empty time, nonce or
// signature is [ErrMissingSignature]; a malformed header is
// [ErrMalformedSignature]; a mismatch is [ErrInvalidSignature].
func (a AlphaPay) Verify(method, path, timestamp, nonce, signature string, body []byte) error {
	if a.PublicKey == nil {
		return fmt.Errorf("%w: alphapay: no public key configured, cannot verify", ErrNotKey)
	}
	if a.MerchantCode == "" {
		return errNoMerchantCode
	}
	switch {
	case timestamp == "":
		return fmt.Errorf("%w: alphapay: no time header", ErrMissingSignature)
	case nonce == "":
		return fmt.Errorf("%w: alphapay: no Nonce header", ErrMissingSignature)
	}
	sh, err := ParseAlphaPaySignatureHeader(signature)
	if err != nil {
		return err
	}
	if a.PublicKey.verifySHA256(AlphaPayContent(method, path, a.MerchantCode, timestamp, nonce, body), sh.Signature) != nil {
		return fmt.Errorf("%w: alphapay: signature does not match", ErrInvalidSignature)
	}
	return nil
}

// VerifyResponse checks a response's Response-Time, Nonce and Signature
// headers against its exact body, before anything is decoded. method and path
// are the request's. A header that is absent (AlphaPay's Java SDK then skips
// verification; this does not) is [ErrMissingSignature]; one that appears
// twice is [ErrMalformedSignature].
func (a AlphaPay) VerifyResponse(method, path string, header http.Header, body []byte) error {
	return a.verifyHeaders(method, path, header, AlphaPayHeaderResponseTime, body)
}

// VerifyRequest checks a request's Merchant-Code, Request-Time, Nonce and
// Signature headers against its exact body, as a simulator must. The
// Merchant-Code header must equal a.MerchantCode.
func (a AlphaPay) VerifyRequest(method, path string, header http.Header, body []byte) error {
	mc, err := singleHeader(header, AlphaPayHeaderMerchantCode)
	switch {
	case err != nil:
		return err
	case mc == "":
		return fmt.Errorf("%w: alphapay: no Merchant-Code header", ErrMissingSignature)
	case mc != a.MerchantCode:
		return fmt.Errorf("%w: alphapay: Merchant-Code is not the configured merchant", ErrInvalidSignature)
	}
	return a.verifyHeaders(method, path, header, AlphaPayHeaderRequestTime, body)
}

func (a AlphaPay) verifyHeaders(method, path string, header http.Header, timeHeader string, body []byte) error {
	var v [3]string
	for i, name := range [3]string{timeHeader, AlphaPayHeaderNonce, AlphaPayHeaderSignature} {
		var err error
		if v[i], err = singleHeader(header, name); err != nil {
			return err
		}
	}
	return a.Verify(method, path, v[0], v[1], v[2], body)
}

// RequestEditor returns an oapi-codegen request editor that signs each
// request afresh: a new time from a.Now and a new nonce from a.Nonce, over
// req.Method, the escaped URL path as sent and the exact body bytes (read
// through req.GetBody, leaving req.Body unread; see [RequestEditor]). It sets
// the four authentication headers, replacing any already there.
func (a AlphaPay) RequestEditor() RequestEditor {
	now, nonce := a.Now, a.Nonce
	if now == nil {
		now = time.Now
	}
	if nonce == nil {
		nonce = RandomNonce
	}
	return func(_ context.Context, req *http.Request) error {
		body, err := requestBody(req)
		if err != nil {
			return err
		}
		h, err := a.Sign(req.Method, req.URL.EscapedPath(), body, now(), nonce())
		if err != nil {
			return err
		}
		h.SetRequest(req.Header)
		return nil
	}
}

var errNoMerchantCode = errors.New("sign: alphapay: no merchant code configured")

// singleHeader returns a header's value, refusing a repeated header: with
// two values a verifier and a decoder could each pick a different one.
func singleHeader(h http.Header, name string) (string, error) {
	switch vs := h.Values(name); len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	default:
		return "", fmt.Errorf("%w: alphapay: %s header repeated", ErrMalformedSignature, name)
	}
}
