package sign

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"
)

// flatObject is a parsed flat JSON object, with the byte offsets needed to
// set its sign member without re-encoding anything else.
type flatObject struct {
	fields   []field // members that count: not null, not sign
	names    int     // number of members, all kinds
	sign     member  // the sign member, if any
	insertAt int     // offset right after the last member (or of '}' when empty)
}

type member struct {
	found      bool // the member exists, whatever its value
	null       bool
	isString   bool
	value      []byte // the decoded string, or the literal text
	start, end int    // offsets of the value in the input
}

// parseFlatObject scans a flat JSON object. encoding/json checks the syntax
// first (json.Valid allocates nothing); the scan after it can then trust the
// structure and only slices the input, which keeps verification close to the
// cost of the RSA operation.
// maxFlatMembers bounds the members of a signed object. NewPay's data has
// about fifteen; the bound keeps the duplicate check (quadratic, and cheap
// for small objects) from becoming a CPU sink on a hostile answer.
const maxFlatMembers = 256

func parseFlatObject(object []byte) (flatObject, error) {
	var o flatObject
	if !json.Valid(object) {
		return o, errors.New("not valid JSON")
	}
	i := skipSpace(object, 0)
	if object[i] != '{' {
		return o, errors.New("not a JSON object")
	}
	i = skipSpace(object, i+1)
	if object[i] == '}' {
		o.insertAt = i
		return o, nil
	}
	o.fields = make([]field, 0, 16)
	names := make([][]byte, 0, 16)
	for {
		keyEnd := stringEnd(object, i)
		name := jsonString(object[i:keyEnd])
		if len(names) == maxFlatMembers {
			return o, fmt.Errorf("more than %d members", maxFlatMembers)
		}
		// encoding/json matches member names case-insensitively, so names
		// equal under case folding count as duplicates: the bytes verified
		// and the values decoded must be the same members.
		if slices.ContainsFunc(names, func(n []byte) bool { return bytes.EqualFold(n, name) }) {
			return o, fmt.Errorf("duplicate member %q", name)
		}
		names = append(names, name)
		start := skipSpace(object, skipSpace(object, keyEnd)+1) // past the colon
		m := member{found: true, start: start}
		switch object[start] {
		case '"':
			m.end = stringEnd(object, start)
			m.isString, m.value = true, jsonString(object[start:m.end])
		case '{', '[':
			return o, fmt.Errorf("member %q holds an object or array", name)
		case 'n':
			m.end, m.null = start+len("null"), true
		default: // a number, true or false, kept as written
			m.end = scalarEnd(object, start)
			m.value = object[start:m.end]
		}
		o.names++
		o.insertAt = m.end
		switch {
		case string(name) == NewPaySignField:
			o.sign = m
		case !m.null:
			o.fields = append(o.fields, field{name: name, value: m.value})
		}
		i = skipSpace(object, m.end)
		if object[i] == '}' {
			return o, nil
		}
		i = skipSpace(object, i+1) // past the comma
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// stringEnd returns the offset just past the JSON string starting at b[i].
func stringEnd(b []byte, i int) int {
	for i++; b[i] != '"'; i++ {
		if b[i] == '\\' {
			i++
		}
	}
	return i + 1
}

// scalarEnd returns the offset just past the number or literal at b[i].
func scalarEnd(b []byte, i int) int {
	for ; i < len(b); i++ {
		switch b[i] {
		case ',', '}', ' ', '\t', '\r', '\n':
			return i
		}
	}
	return i
}

// jsonString returns the value of a valid JSON string token: its own bytes
// when nothing needs unescaping, else what encoding/json decodes (invalid
// UTF-8 becomes U+FFFD, as it does for every decoder of the body).
func jsonString(raw []byte) []byte {
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return inner
	}
	var s string
	_ = json.Unmarshal(raw, &s) // cannot fail: json.Valid accepted the token
	return []byte(s)
}

// setSignMember returns object with its sign member set to sig: the value
// of sign replaced in place when the object has that member, else
// "sign":sig added at insertAt (after the last member; hasMembers says a
// comma goes first). Every other byte is kept, so what was signed is what
// is sent. NewPay v1 and v2 alike.
func setSignMember(object []byte, sign member, insertAt int, hasMembers bool, sig string) []byte {
	quoted, _ := json.Marshal(sig) // a string always marshals
	out := make([]byte, 0, len(object)+len(quoted)+len(NewPaySignField)+4)
	if sign.found {
		out = append(out, object[:sign.start]...)
		out = append(out, quoted...)
		return append(out, object[sign.end:]...)
	}
	out = append(out, object[:insertAt]...)
	if hasMembers {
		out = append(out, ',')
	}
	out = append(out, `"`+NewPaySignField+`":`...)
	out = append(out, quoted...)
	return append(out, object[insertAt:]...)
}

// checkSignMember is VerifyJSON's check of the sign member, NewPay v1 and
// v2 alike: missing, null or empty is ErrMissingSignature, not a string
// ErrMalformedSignature.
func checkSignMember(provider string, sign member) error {
	switch {
	case !sign.found || sign.null || (sign.isString && len(sign.value) == 0):
		return fmt.Errorf("%w: %s: no sign member", ErrMissingSignature, provider)
	case !sign.isString:
		return fmt.Errorf("%w: %s: sign member is not a string", ErrMalformedSignature, provider)
	}
	return nil
}
