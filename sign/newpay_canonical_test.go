package sign

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewPayCanonical(t *testing.T) {
	type appID string
	tests := []struct {
		name    string
		params  map[string]any
		want    string
		wantErr string
	}{
		{name: "empty", params: map[string]any{}, want: ""},
		{name: "byte order, upper case first", params: map[string]any{"b": "2", "B": "1", "a": "3"}, want: "B=1&a=3&b=2"},
		{name: "sign and nil left out, empty string kept",
			params: map[string]any{"sign": "x", "tranAbbr": nil, "tranInfo": "", "z": "1"}, want: "tranInfo=&z=1"},
		{name: "no URL-encoding", params: map[string]any{"q": "a b+c%20d/é?"}, want: "q=a b+c%20d/é?"},
		// A value or name that would split into other pairs: one signature
		// must never cover two readings.
		{name: "& in a value", params: map[string]any{"merchantId": "M1&appId=X"}, wantErr: "ambiguous"},
		{name: "= in a value", params: map[string]any{"q": "a=b"}, wantErr: "ambiguous"},
		{name: "& in a name", params: map[string]any{"a&b": "1"}, wantErr: "ambiguous"},
		{name: "= in a name", params: map[string]any{"a=b": "1"}, wantErr: "ambiguous"},
		{name: "empty name", params: map[string]any{"": "1"}, wantErr: "ambiguous"},
		{name: "non-printable name", params: map[string]any{"a\u200bb": "1"}, wantErr: "ambiguous"},
		{name: "name with a newline", params: map[string]any{"a\nb": "1"}, wantErr: "ambiguous"},
		{name: "sign and nil members are not checked", params: map[string]any{"sign": "AB==", "x&y": nil, "a": "1"}, want: "a=1"},
		{name: "JSON text of scalars",
			params: map[string]any{"b": true, "f": false, "i": -12, "u": uint64(math.MaxUint64), "n": json.Number("1.50"),
				"x": 0.5, "e": 1e21, "s": float32(0.1), "named": appID("A1")},
			want: "b=true&e=1e+21&f=false&i=-12&n=1.50&named=A1&s=0.1&u=18446744073709551615&x=0.5"},
		{name: "nested object", params: map[string]any{"o": map[string]any{}}, wantErr: `parameter "o": unsupported type`},
		{name: "array", params: map[string]any{"a": []any{1}}, wantErr: `parameter "a": unsupported type`},
		{name: "NaN", params: map[string]any{"f": math.NaN()}, wantErr: "not a finite number"},
		{name: "bad json.Number", params: map[string]any{"n": json.Number("1e")}, wantErr: "not a JSON number"},
		{name: "json.Number with space", params: map[string]any{"n": json.Number(" 1")}, wantErr: "not a JSON number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewPayCanonical(tt.params)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				assert.True(t, strings.HasPrefix(err.Error(), "sign: "), err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestNewPayCanonicalJSON(t *testing.T) {
	tests := []struct {
		name    string
		object  string
		want    string
		wantErr string
	}{
		{name: "empty object", object: ` { } `, want: ""},
		{name: "exact number text", object: `{"b":1.50,"a":-0,"c":1E+3}`, want: "a=-0&b=1.50&c=1E+3"},
		{name: "strings unescaped", object: `{"s":"a\"b\\c\u00e9\n"}`, want: "s=a\"b\\cé\n"},
		{name: "null and sign left out", object: `{"x":null,"sign":"abc","y":""}`, want: "y="},
		{name: "white space everywhere", object: "{\n \"b\" :\ttrue ,\r\n\"a\": false }\n", want: "a=false&b=true"},
		{name: "nested object", object: `{"a":{"b":1}}`, wantErr: `member "a" holds an object or array`},
		{name: "nested array", object: `{"a":[1]}`, wantErr: `member "a" holds an object or array`},
		{name: "duplicate name", object: `{"a":1,"a":2}`, wantErr: `duplicate member "a"`},
		{name: "duplicate sign", object: `{"sign":"x","sign":"y"}`, wantErr: `duplicate member "sign"`},
		{name: "array", object: `[1]`, wantErr: "not a JSON object"},
		{name: "string", object: ` "{}" `, wantErr: "not a JSON object"},
		{name: "empty", object: ``, wantErr: "not valid JSON"},
		{name: "trailing data", object: `{"a":1} {}`, wantErr: "not valid JSON"},
		{name: "trailing garbage", object: `{"a":1}x`, wantErr: "not valid JSON"},
		{name: "truncated", object: `{"a":1`, wantErr: "not valid JSON"},
		{name: "bad literal", object: `{"a":nul}`, wantErr: "not valid JSON"},
		{name: "control character in string", object: "{\"a\":\"\x01\"}", wantErr: "not valid JSON"},
		{name: "invalid UTF-8 decoded as encoding/json does", object: "{\"a\xff\":\"b\xffc\"}", want: "a\uFFFD=b\uFFFDc"},
		{name: "escaped quote before the end", object: `{"a\"":"\\","b":"\""}`, want: "a\"=\\&b=\""},
		// The example: this must not share a string with
		// {"tranInfo":"rejected","tranStatus":1}.
		{name: "escaped & and = in a value", object: `{"tranInfo":"rejected\u0026tranStatus\u003d1"}`, wantErr: "ambiguous"},
		{name: "plain & in a value", object: `{"tranInfo":"a&b"}`, wantErr: "ambiguous"},
		{name: "= in a name", object: `{"a=b":1}`, wantErr: "ambiguous"},
		{name: "empty name", object: `{"":1}`, wantErr: "ambiguous"},
		{name: "escaped control character in a name", object: `{"a\u0001":1}`, wantErr: "ambiguous"},
		{name: "= in the sign value is fine", object: `{"sign":"AAAA==","a":"1"}`, want: "a=1"},
		{name: "a null member is not checked", object: `{"a&b":null,"c":"1"}`, want: "c=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewPayCanonicalJSON([]byte(tt.object))
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				assert.True(t, strings.HasPrefix(err.Error(), "sign: newpay canonical: "), err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestNewPayVerifyJSONBoundsMembers(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"sign":"x"`)
	for i := range 300 {
		fmt.Fprintf(&b, `,"m%d":%d`, i, i)
	}
	b.WriteString("}")
	_, err := NewPayCanonicalJSON([]byte(b.String()))
	require.Error(t, err)
}

func TestNewPayCanonicalJSONRejectsCaseFoldedDuplicates(t *testing.T) {
	// encoding/json would decode TRANSTATUS into tranStatus: the verifier
	// must not see two different members where the decoder sees one.
	_, err := NewPayCanonicalJSON([]byte(`{"tranStatus":0,"TRANSTATUS":1,"sign":"x"}`))
	require.Error(t, err)
}
