package sign

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"unicode"
)

// NewPaySignField is the member that carries NewPay's signature, at the top of
// the request body and inside the response's data object. The canonical
// string leaves it out.
const NewPaySignField = "sign"

// NewPayCanonical builds the string NewPay signs from parameters given as Go
// values: every parameter except [NewPaySignField] whose value is not nil,
// sorted by name in byte order, joined as name=value with "&". Empty strings
// are kept [doc, literal reading]. Values are written as their JSON text
// without quotes and without URL-encoding: strings as they are, numbers in
// JSON form (json.Number verbatim), booleans as true or false. Objects and
// arrays are rejected: NewPay v1 has none and documents no rule for them.
//
// Accepted values: nil, json.Number, and anything whose kind is string, bool,
// an integer or a finite float, as encoding/json would write them. A name or
// value that would make the string ambiguous (see [ErrAmbiguousCanonical])
// is an error.
func NewPayCanonical(params map[string]any) (string, error) {
	fields := make([]field, 0, len(params))
	for name, v := range params {
		if name == NewPaySignField || v == nil {
			continue
		}
		text, err := paramText(v)
		if err != nil {
			return "", fmt.Errorf("sign: newpay canonical: parameter %q: %w", name, err)
		}
		fields = append(fields, field{name: []byte(name), value: []byte(text)})
	}
	b, err := joinCanonical(fields)
	if err != nil {
		return "", fmt.Errorf("sign: newpay canonical: %w", err)
	}
	return string(b), nil
}

// NewPayCanonicalJSON builds the canonical string (see [NewPayCanonical]) from
// a flat JSON object exactly as sent or received: a request body, or the
// response's data object. Members that are null or named
// [NewPaySignField] are left out; strings are unescaped; numbers keep their
// exact text. Nested objects or arrays, duplicate names and anything but one
// object are errors.
func NewPayCanonicalJSON(object []byte) (string, error) {
	o, err := parseFlatObject(object)
	if err != nil {
		return "", fmt.Errorf("sign: newpay canonical: %w", err)
	}
	b, err := joinCanonical(o.fields)
	if err != nil {
		return "", fmt.Errorf("sign: newpay canonical: %w", err)
	}
	return string(b), nil
}

// field is one name=value pair of the canonical string. The bytes usually
// alias the JSON input, so building the string costs one allocation.
type field struct{ name, value []byte }

// ErrAmbiguousCanonical: a name or value would let NewPay's canonical
// string split into other pairs than the ones it was built from, so one
// signature could cover two different messages. A name must be non-empty
// printable text without "&" or "="; a value must not contain "&" or "=".
// NewPay's own values (ids, codes, amounts, timestamps) never do.
var ErrAmbiguousCanonical = errors.New("sign: newpay: ambiguous canonical string")

// checkCanonicalField rejects a name or value that would make the canonical
// string ambiguous: with neither holding "&" or "=", and names unique, the
// string splits back into exactly the pairs it was made of.
func checkCanonicalField(name, value []byte) error {
	switch {
	case len(name) == 0:
		return fmt.Errorf("%w: an empty name", ErrAmbiguousCanonical)
	case bytes.ContainsAny(name, "&="):
		return fmt.Errorf("%w: name %q contains & or =", ErrAmbiguousCanonical, clip(name))
	case bytes.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }):
		return fmt.Errorf("%w: name %q contains a non-printable character", ErrAmbiguousCanonical, clip(name))
	case bytes.ContainsAny(value, "&="):
		return fmt.Errorf("%w: the value of %q contains & or =", ErrAmbiguousCanonical, clip(name))
	}
	return nil
}

// clip bounds a name quoted in an error message.
func clip(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}

// joinCanonical checks every field (see checkCanonicalField), sorts fields
// by name in byte order and joins them as name=value&… into one exactly
// sized buffer. Signing and verifying both build their strings here, so
// neither can produce or accept an ambiguous one.
func joinCanonical(fields []field) ([]byte, error) {
	n := 0
	for _, f := range fields {
		if err := checkCanonicalField(f.name, f.value); err != nil {
			return nil, err
		}
		n += len(f.name) + len(f.value) + 2
	}
	slices.SortFunc(fields, func(a, b field) int { return bytes.Compare(a.name, b.name) })
	b := make([]byte, 0, n)
	for i, f := range fields {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, f.name...)
		b = append(b, '=')
		b = append(b, f.value...)
	}
	return b, nil
}

func paramText(v any) (string, error) {
	if n, ok := v.(json.Number); ok {
		if !validNumber(string(n)) {
			return "", errors.New("json.Number is not a JSON number")
		}
		return string(n), nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return rv.String(), nil
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		return floatText(rv.Float(), v)
	default:
		return "", fmt.Errorf("unsupported type %T", v)
	}
}

// floatText writes a float exactly as encoding/json would marshal it.
func floatText(f float64, v any) (string, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", errors.New("not a finite number")
	}
	b, err := json.Marshal(v)
	return string(b), err
}

func validNumber(s string) bool {
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return false
	}
	last := s[len(s)-1]
	return last >= '0' && last <= '9' && json.Valid([]byte(s))
}
