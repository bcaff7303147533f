package sign

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// AlphaPayAlgorithm is the only algorithm AlphaPay's Signature header names,
// and the only one accepted: SHA256withRSA, PKCS#1 v1.5 [doc].
const AlphaPayAlgorithm = "RS256"

// AlphaPayDefaultKeyVersion is the keyVersion sent when [AlphaPay].KeyVersion
// is empty [doc: "keyVersion default 1"].
const AlphaPayDefaultKeyVersion = "1"

// AlphaPaySignatureHeader is a parsed AlphaPay Signature header,
// algorithm=RS256,keyVersion=<n>,signature=<url-encoded base64>.
type AlphaPaySignatureHeader struct {
	// KeyVersion is the keyVersion part: decimal digits, or "" when absent.
	KeyVersion string

	// Signature is the raw signature, URL-decoded and base64-decoded.
	Signature []byte
}

// String formats the header as AlphaPay's SDK sends it, without spaces:
// algorithm=RS256,keyVersion=<n>,signature=<v>, where v is standard padded
// base64 URL-encoded (+ → %2B, / → %2F, = → %3D). An empty KeyVersion is left
// out.
func (h AlphaPaySignatureHeader) String() string {
	var buf [maxEncodedSignature]byte
	var sig []byte
	if n := strictStd.EncodedLen(len(h.Signature)); n <= len(buf) {
		sig = buf[:n]
		strictStd.Encode(sig, h.Signature)
	} else {
		sig = []byte(strictStd.EncodeToString(h.Signature))
	}
	escaped := len(sig) + 2*(bytes.Count(sig, []byte("+"))+bytes.Count(sig, []byte("/"))+bytes.Count(sig, []byte("=")))
	var b strings.Builder
	b.Grow(len("algorithm=,keyVersion=,signature=") + len(AlphaPayAlgorithm) + len(h.KeyVersion) + escaped)
	b.WriteString("algorithm=" + AlphaPayAlgorithm)
	if h.KeyVersion != "" {
		b.WriteString(",keyVersion=")
		b.WriteString(h.KeyVersion)
	}
	b.WriteString(",signature=")
	for _, c := range sig { // url.QueryEscape of the base64 alphabet
		switch c {
		case '+':
			b.WriteString("%2B")
		case '/':
			b.WriteString("%2F")
		case '=':
			b.WriteString("%3D")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// ParseAlphaPaySignatureHeader parses a Signature header value. It is
// tolerant where AlphaPay's pages and SDK differ (white space around commas
// and equals signs, names in any case, unknown parts ignored, signature
// percent-encoded or plain base64) and strict where it matters: the algorithm
// must be RS256, the signature standard padded base64 with no stray bits,
// percent escapes upper case, no part repeated. An empty value is
// [ErrMissingSignature]; anything malformed is [ErrMalformedSignature], which
// matches [ErrInvalidSignature] too.
func ParseAlphaPaySignatureHeader(v string) (AlphaPaySignatureHeader, error) {
	var h AlphaPaySignatureHeader
	v = strings.TrimSpace(v)
	if v == "" {
		return h, fmt.Errorf("%w: alphapay: empty Signature header", ErrMissingSignature)
	}
	var algorithm, keyVersion, signature headerPart
	for part := range strings.SplitSeq(v, ",") {
		name, value, ok := strings.Cut(part, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" {
			return h, malformedHeader("a part is not name=value")
		}
		var dst *headerPart
		switch {
		case strings.EqualFold(name, "algorithm"):
			dst = &algorithm
		case strings.EqualFold(name, "keyVersion"):
			dst = &keyVersion
		case strings.EqualFold(name, "signature"):
			dst = &signature
		default:
			continue
		}
		if dst.found {
			return h, malformedHeader("a part is repeated")
		}
		*dst = headerPart{value: value, found: true}
	}
	switch {
	case !algorithm.found:
		return h, malformedHeader("no algorithm")
	case algorithm.value != AlphaPayAlgorithm:
		return h, malformedHeader("algorithm is not " + AlphaPayAlgorithm)
	case keyVersion.found && !isDigits(keyVersion.value):
		return h, malformedHeader("keyVersion is not a decimal number")
	case signature.value == "":
		return h, malformedHeader("no signature")
	}
	sig, err := decodeHeaderSignature(signature.value)
	if err != nil {
		return h, malformedHeader("signature is not URL-encoded standard base64")
	}
	if keyVersion.found {
		h.KeyVersion = keyVersion.value
	}
	h.Signature = sig
	return h, nil
}

// headerPart is one name=value part of a Signature header, once found.
type headerPart struct {
	value string
	found bool
}

func malformedHeader(why string) error {
	return fmt.Errorf("%w: alphapay: Signature header: %s", ErrMalformedSignature, why)
}

func isDigits(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// decodeHeaderSignature undoes the URL-encoding (%XX escapes, hex digits in
// either case as RFC 3986 allows, since a gateway may re-encode them; unescaped
// base64 characters pass through) and then the base64, strictly.
func decodeHeaderSignature(s string) ([]byte, error) {
	var buf [maxEncodedSignature]byte // the unescaped base64, on the stack when it fits
	b := buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return nil, errBadEscape
			}
			c = unhex(s[i+1])<<4 | unhex(s[i+2])
			i += 2
		}
		if !isBase64Char(c) {
			return nil, errBadEscape
		}
		b = append(b, c)
	}
	out := make([]byte, strictStd.DecodedLen(len(b)))
	n, err := strictStd.Decode(out, b)
	if err != nil {
		return nil, err
	}
	return out[:n], nil
}

var errBadEscape = errors.New("bad character or escape")

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f')
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

func isBase64Char(c byte) bool {
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		c == '+' || c == '/' || c == '='
}
