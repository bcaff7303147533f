package sign

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parseHeaderSig is the signature of parseHeaderCases, and parseHeaderEnc
// its base64, percent-escaped: base64 "+/8+" three times, every escape.
var parseHeaderSig = bytes.Repeat([]byte{0xfb, 0xff, 0x3e}, 3)

const parseHeaderEnc = "%2B%2F8%2B%2B%2F8%2B%2B%2F8%2B"

// parseHeaderCases are the Signature headers TestParseAlphaPaySignatureHeader
// parses: what each parses to, or the errors it must be.
var parseHeaderCases = []struct {
	name    string
	header  string
	want    AlphaPaySignatureHeader
	wantErr []error
}{
	{name: "as the SDK sends it", header: "algorithm=RS256,keyVersion=1,signature=" + parseHeaderEnc,
		want: AlphaPaySignatureHeader{KeyVersion: "1", Signature: parseHeaderSig}},
	{name: "as the docs show it", header: "algorithm=RS256, keyVersion=1, signature=" + parseHeaderEnc,
		want: AlphaPaySignatureHeader{KeyVersion: "1", Signature: parseHeaderSig}},
	{name: "spaces and tabs everywhere", header: " algorithm = RS256 ,\tkeyVersion= 12 , signature =" + parseHeaderEnc + " ",
		want: AlphaPaySignatureHeader{KeyVersion: "12", Signature: parseHeaderSig}},
	{name: "any order, names in any case", header: "Signature=" + parseHeaderEnc + ",ALGORITHM=RS256",
		want: AlphaPaySignatureHeader{Signature: parseHeaderSig}},
	{name: "unknown part ignored", header: "algorithm=RS256,keyVersion=2,future=x=y,signature=" + parseHeaderEnc,
		want: AlphaPaySignatureHeader{KeyVersion: "2", Signature: parseHeaderSig}},
	{name: "plain base64", header: "algorithm=RS256,keyVersion=1,signature=+/8++/8++/8+",
		want: AlphaPaySignatureHeader{KeyVersion: "1", Signature: parseHeaderSig}},
	{name: "lower-case escapes (RFC 3986: the same escape)", header: "algorithm=RS256,signature=" + strings.ToLower(parseHeaderEnc),
		want: AlphaPaySignatureHeader{Signature: parseHeaderSig}},
	{name: "padding escaped", header: "algorithm=RS256,signature=AA%3D%3D", want: AlphaPaySignatureHeader{Signature: []byte{0}}},

	{name: "empty", header: "", wantErr: []error{ErrMissingSignature}},
	{name: "blank", header: "  ", wantErr: []error{ErrMissingSignature}},
	{name: "other algorithm", header: "algorithm=RS512,signature=" + parseHeaderEnc, wantErr: malformed},
	{name: "algorithm in lower case", header: "algorithm=rs256,signature=" + parseHeaderEnc, wantErr: malformed},
	{name: "HMAC algorithm", header: "algorithm=HS256,signature=" + parseHeaderEnc, wantErr: malformed},
	{name: "no algorithm", header: "keyVersion=1,signature=" + parseHeaderEnc, wantErr: malformed},
	{name: "no signature", header: "algorithm=RS256,keyVersion=1", wantErr: malformed},
	{name: "empty signature", header: "algorithm=RS256,signature=", wantErr: malformed},
	{name: "signature twice", header: "algorithm=RS256,signature=" + parseHeaderEnc + ",signature=" + parseHeaderEnc, wantErr: malformed},
	{name: "algorithm twice", header: "algorithm=RS256,algorithm=RS256,signature=" + parseHeaderEnc, wantErr: malformed},
	{name: "keyVersion not a number", header: "algorithm=RS256,keyVersion=v1,signature=" + parseHeaderEnc, wantErr: malformed},
	{name: "keyVersion empty", header: "algorithm=RS256,keyVersion=,signature=" + parseHeaderEnc, wantErr: malformed},
	{name: "part without =", header: "algorithm=RS256,RS256,signature=" + parseHeaderEnc, wantErr: malformed},
	{name: "empty part", header: "algorithm=RS256,,signature=" + parseHeaderEnc, wantErr: malformed},
	{name: "trailing comma", header: "algorithm=RS256,signature=" + parseHeaderEnc + ",", wantErr: malformed},
	{name: "semicolons", header: "algorithm=RS256;signature=" + parseHeaderEnc, wantErr: malformed},
	{name: "short escape", header: "algorithm=RS256,signature=AA%3", wantErr: malformed},
	{name: "bad escape", header: "algorithm=RS256,signature=%ZZAA", wantErr: malformed},
	{name: "escaped non-base64 byte", header: "algorithm=RS256,signature=%00AA", wantErr: malformed},
	{name: "URL-safe alphabet", header: "algorithm=RS256,signature=-_8-", wantErr: malformed},
	{name: "missing padding", header: "algorithm=RS256,signature=AA", wantErr: malformed},
	{name: "stray padding bits", header: "algorithm=RS256,signature=AB%3D%3D", wantErr: malformed},
	{name: "space inside signature", header: "algorithm=RS256,signature=AA A", wantErr: malformed},
}

func TestParseAlphaPaySignatureHeader(t *testing.T) {
	for _, tt := range parseHeaderCases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAlphaPaySignatureHeader(tt.header)
			if tt.wantErr != nil {
				require.Error(t, err)
				for _, want := range tt.wantErr {
					assert.ErrorIs(t, err, want)
				}
				assert.True(t, strings.HasPrefix(err.Error(), "sign: "), err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

var malformed = []error{ErrMalformedSignature, ErrInvalidSignature}

func TestAlphaPaySignatureHeaderString(t *testing.T) {
	sig := bytes.Repeat([]byte{0xfb, 0xff, 0x3e, 0}, 2)
	tests := []struct {
		name string
		in   AlphaPaySignatureHeader
		want string
	}{
		{name: "with key version", in: AlphaPaySignatureHeader{KeyVersion: "1", Signature: sig},
			want: "algorithm=RS256,keyVersion=1,signature=%2B%2F8%2BAPv%2FPgA%3D"},
		{name: "without key version", in: AlphaPaySignatureHeader{Signature: sig},
			want: "algorithm=RS256,signature=%2B%2F8%2BAPv%2FPgA%3D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.in.String())
			back, err := ParseAlphaPaySignatureHeader(tt.want)
			require.NoError(t, err)
			assert.Equal(t, tt.in, back)
		})
	}
}
