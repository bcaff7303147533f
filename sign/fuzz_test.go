package sign

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fuzz targets run their seeds as ordinary tests; explore with, e.g.,
// go test -fuzz FuzzNewPayCanonical ./sign/

func FuzzNewPayCanonical(f *testing.F) {
	v := loadVectors(f)
	for _, seed := range []string{
		string(v.NewPay.RequestParams), string(v.NewPay.ResponseData),
		`{}`, `{"a":"\u00e9\"","b":-1.5e+3,"c":true,"d":null,"sign":"x"}`,
		`{"a":1,"a":2}`, `{"a":{"b":1}}`, `[1]`, `{"a":1} x`, "{\"\xff\":\"\xfe\"}",
		`{"a":"b\u0026c=d"}`, `{"a=b":1}`, `{"":null,"x&y":null}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, object []byte) {
		got, err := NewPayCanonicalJSON(object)
		want, ok := referenceCanonical(object)
		require.Equal(t, ok, err == nil, "scanner and encoding/json disagree: %v", err)
		if err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "sign: newpay canonical: "), err.Error())
			return
		}
		assert.Equal(t, want, got)

		params := decodeUseNumber(t, object)
		fromValues, err := NewPayCanonical(params)
		require.NoError(t, err)
		assert.Equal(t, got, fromValues)
	})
}

func FuzzNewPayVerifyData(f *testing.F) {
	v, k := loadVectors(f), loadKeys(f)
	data := []byte(v.NewPay.ResponseData)
	f.Add(data)
	f.Add(bytes.Replace(data, []byte(`"tranStatus": 1`), []byte(`"tranStatus": 0`), 1))
	f.Add(bytes.Replace(data, []byte(`"sign"`), []byte(`"sig"`), 1))
	f.Add([]byte(`{"sign":null}`))
	f.Add([]byte(`{"sign":1}`))
	f.Add([]byte(`{"sign":"` + strings.Repeat("A", 342) + `=="}`))
	f.Add([]byte(`{"a":[],"sign":"x"}`))
	f.Add([]byte(`nul`))
	client := NewPay{PublicKey: k.platformPub}
	f.Fuzz(func(t *testing.T, object []byte) {
		err := client.VerifyJSON(object)
		if err != nil {
			assert.True(t, errors.Is(err, ErrInvalidSignature) || errors.Is(err, ErrMissingSignature), err.Error())
			return
		}
		// Accepted: only the content NewPay signed can verify.
		canonical, err := NewPayCanonicalJSON(object)
		require.NoError(t, err)
		assert.Equal(t, v.NewPay.ResponseCanonical, canonical)
	})
}

func FuzzParseAlphaPaySignatureHeader(f *testing.F) {
	v := loadVectors(f)
	for _, seed := range []string{
		v.AlphaPay.Request.SignatureHeader, v.AlphaPay.Response.SignatureHeader,
		strings.ReplaceAll(v.AlphaPay.Response.SignatureHeader, ",", ", "),
		"algorithm=RS256,keyVersion=1,signature=" + v.AlphaPay.Request.SignatureB64,
		"algorithm=RS512,keyVersion=1,signature=AA%3D%3D", "algorithm=RS256,signature=%2",
		"", ",", "=", "signature=AA==,algorithm=RS256,x=",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		h, err := ParseAlphaPaySignatureHeader(header)
		if err != nil {
			assert.True(t, errors.Is(err, ErrInvalidSignature) || errors.Is(err, ErrMissingSignature), err.Error())
			return
		}
		require.NotEmpty(t, h.Signature)
		again, err := ParseAlphaPaySignatureHeader(h.String())
		require.NoError(t, err)
		assert.Equal(t, h, again)
	})
}

// referenceCanonical is an independent, slow canonical builder on
// encoding/json's tokenizer: the oracle for the hand-written scanner.
func referenceCanonical(object []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(object))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", false
	}
	var names []string
	var pairs [][2]string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return "", false
		}
		name := t.(string)
		// Names equal under case folding are duplicates, as encoding/json
		// would merge them into one field.
		if slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, name) }) {
			return "", false
		}
		names = append(names, name)
		if t, err = dec.Token(); err != nil {
			return "", false
		}
		var text string
		switch t := t.(type) {
		case nil:
			continue
		case string:
			text = t
		case json.Number:
			text = string(t)
		case bool:
			text = strconv.FormatBool(t)
		default:
			return "", false
		}
		if name != NewPaySignField {
			// A pair that could split differently is refused.
			if name == "" || strings.ContainsAny(name, "&=") || strings.ContainsAny(text, "&=") ||
				strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) {
				return "", false
			}
			pairs = append(pairs, [2]string{name, text})
		}
	}
	if _, err := dec.Token(); err != nil {
		return "", false
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", false
	}
	slices.SortFunc(pairs, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	joined := make([]string, len(pairs))
	for i, p := range pairs {
		joined[i] = p[0] + "=" + p[1]
	}
	return strings.Join(joined, "&"), true
}
