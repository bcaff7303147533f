package jsonspan

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const doc = `{"a": "x\"y", "n" : 12.50,"o":{"b":true,"c/d~":null,"arr":[1,"two",{"e":3}]},"z":-1e3}`

func TestScalars(t *testing.T) {
	got, err := Scalars([]byte(doc))
	require.NoError(t, err)
	want := map[string]string{
		"/a": `"x\"y"`, "/n": `12.50`, "/o/b": `true`, "/o/c~1d~0": `null`,
		"/o/arr/0": `1`, "/o/arr/1": `"two"`, "/o/arr/2/e": `3`, "/z": `-1e3`,
	}
	require.Len(t, got, len(want))
	for _, s := range got {
		assert.Equal(t, want[s.Pointer()], doc[s.Start:s.End], s.Pointer())
		if s.KeyStart >= 0 {
			assert.Equal(t, byte('"'), doc[s.KeyStart], s.Pointer())
		}
	}
	assert.Equal(t, "b", got[2].Key())
	assert.Equal(t, "", got[4].Key(), "array element")
	_, err = Scalars([]byte(`{"a":`))
	assert.Error(t, err)
}

func TestEdits(t *testing.T) {
	cases := []struct {
		name, ptr, want string
		edit            func([]byte, Scalar) ([]byte, error)
	}{
		{"replace", "/n", `{"a": "x\"y", "n" : "12.50","o":{"b":true,"c/d~":null,"arr":[1,"two",{"e":3}]},"z":-1e3}`,
			func(d []byte, s Scalar) ([]byte, error) { return Replace(d, s, []byte(`"12.50"`)), nil }},
		{"remove first", "/a", `{ "n" : 12.50,"o":{"b":true,"c/d~":null,"arr":[1,"two",{"e":3}]},"z":-1e3}`, Remove},
		{"remove last", "/z", `{"a": "x\"y", "n" : 12.50,"o":{"b":true,"c/d~":null,"arr":[1,"two",{"e":3}]}}`, Remove},
		{"remove nested", "/o/b", `{"a": "x\"y", "n" : 12.50,"o":{"c/d~":null,"arr":[1,"two",{"e":3}]},"z":-1e3}`, Remove},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ok, err := Find([]byte(doc), c.ptr)
			require.NoError(t, err)
			require.True(t, ok)
			out, err := c.edit([]byte(doc), s)
			require.NoError(t, err)
			assert.Equal(t, c.want, string(out))
			assert.True(t, json.Valid(out))
		})
	}
	s, _, _ := Find([]byte(doc), "/o/arr/0")
	_, err := Remove([]byte(doc), s)
	assert.Error(t, err, "an array element is no member")
}

func TestPrepend(t *testing.T) {
	for in, want := range map[string]string{
		`{"a":1}`: `{"x":"v","a":1}`, ` { } `: ` {"x":"v" } `,
	} {
		out, err := Prepend([]byte(in), "x", []byte(`"v"`))
		require.NoError(t, err)
		assert.Equal(t, want, string(out))
	}
	_, err := Prepend([]byte(`[1]`), "x", []byte(`1`))
	assert.Error(t, err)
}
