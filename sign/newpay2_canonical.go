package sign

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// NewPay2Nested says how a member that holds an object (v2's refundAmt and
// orderAmt) enters NewPay v2's canonical string. NewPay's pages keep v1's
// sort-and-join rule for v2 but say nothing about objects.
type NewPay2Nested int

const (
	// NewPay2NestedJSON writes the member as name=<compact JSON>, the
	// object's members sorted by name, each name and value the exact JSON
	// token received: refundAmt={"currency":"LAK","value":"50000"}.
	//
	// [assumed] This is the default: it is what a sort-and-join over a
	// parsed JSON map, with objects turned back into JSON text, produces.
	NewPay2NestedJSON NewPay2Nested = iota
	// NewPay2NestedFlatten writes each member of the object as its own
	// parameter named parent.child, sorted with the others:
	// refundAmt.currency=LAK&refundAmt.value=50000.
	NewPay2NestedFlatten
)

// String names the rule, for messages and flags.
func (n NewPay2Nested) String() string {
	switch n {
	case NewPay2NestedJSON:
		return "json"
	case NewPay2NestedFlatten:
		return "flatten"
	}
	return fmt.Sprintf("NewPay2Nested(%d)", int(n))
}

// maxNewPay2Members bounds the members of a signed v2 object, nested ones
// included, for the same reason as maxFlatMembers.
const maxNewPay2Members = 256

// NewPay2Canonical builds NewPay v2's canonical string from a JSON object
// exactly as sent or received: the request body, or the response's data
// object. It is v1's rule ([NewPayCanonicalJSON]: members except
// [NewPaySignField], null ones left out, sorted by name in byte order,
// joined as name=value with "&", strings unescaped, numbers and booleans as
// written) plus one for objects, chosen by nested. An object member may hold
// only scalars; deeper objects and arrays are errors, as NewPay documents no
// rule for them.
//
// So that one signature never verifies two meanings, the names and values
// v1 refuses ([ErrAmbiguousCanonical]: a name or value with "&" or "=", an
// empty or non-printable name) are refused here too, and so, with
// [NewPay2NestedFlatten], is a name with ".": the canonical string of such
// an object could be read as another object's. (Which JSON type a value has
// is fixed by the schema the decoder enforces, not by the string.)
func NewPay2Canonical(object []byte, nested NewPay2Nested) (string, error) {
	o, err := parseNewPay2Object(object)
	if err != nil {
		return "", fmt.Errorf("sign: newpay2 canonical: %w", err)
	}
	b, err := o.canonical(nested)
	if err != nil {
		return "", fmt.Errorf("sign: newpay2 canonical: %w", err)
	}
	return string(b), nil
}

// newpay2Object is a parsed v2 object: its members in the order received,
// and where its sign member is, for SignJSON.
type newpay2Object struct {
	members []newpay2Member
	sign    member // found, null, isString and value are set
	closeAt int    // offset of the closing brace
}

// newpay2Member is one member: a scalar, or an object of scalars.
type newpay2Member struct {
	name, rawName []byte // decoded, and the JSON token as received
	text, raw     []byte // a scalar's canonical text and its token as received
	null          bool
	object        []newpay2Member // set for an object member
	isObject      bool
	end           int // offset just past a scalar's token; 0 for an object
}

// parseNewPay2Object reads a JSON object, keeping each token's exact bytes.
// encoding/json checks the syntax first (json.Valid allocates nothing); the
// scan after it can then trust the structure and only slices the input, as
// v1's parseFlatObject does.
func parseNewPay2Object(src []byte) (newpay2Object, error) {
	var o newpay2Object
	if !json.Valid(src) {
		return o, errors.New("not valid JSON")
	}
	i := skipSpace(src, 0)
	if src[i] != '{' {
		return o, errors.New("not a JSON object")
	}
	count := 0
	ms, closeAt, err := readNewPay2Members(src, i+1, 0, &count)
	if err != nil {
		return o, err
	}
	o.closeAt = closeAt
	o.members = ms[:0] // filtered in place
	for _, m := range ms {
		if string(m.name) != NewPaySignField {
			o.members = append(o.members, m)
			continue
		}
		o.sign = member{found: true, null: m.null, isString: len(m.raw) > 0 && m.raw[0] == '"', value: m.text,
			start: m.end - len(m.raw), end: m.end}
		if m.null {
			o.sign.start = m.end - len("null")
		}
	}
	return o, nil
}

// readNewPay2Members reads the members of a valid object from src[i:], just
// past its '{', and returns them and the offset of its closing '}'. depth is
// 0 for the top level.
func readNewPay2Members(src []byte, i, depth int, count *int) ([]newpay2Member, int, error) {
	var ms []newpay2Member
	if i = skipSpace(src, i); src[i] == '}' {
		return ms, i, nil
	}
	ms = make([]newpay2Member, 0, 8)
	for {
		keyEnd := stringEnd(src, i)
		m := newpay2Member{rawName: src[i:keyEnd], name: jsonString(src[i:keyEnd])}
		if *count++; *count > maxNewPay2Members {
			return nil, 0, fmt.Errorf("more than %d members", maxNewPay2Members)
		}
		// encoding/json matches member names case-insensitively: names equal
		// under case folding are duplicates (see parseFlatObject).
		if slices.ContainsFunc(ms, func(x newpay2Member) bool { return bytes.EqualFold(x.name, m.name) }) {
			return nil, 0, fmt.Errorf("duplicate member %q", m.name)
		}
		start := skipSpace(src, skipSpace(src, keyEnd)+1) // past the colon
		switch src[start] {
		case '{':
			if depth > 0 {
				return nil, 0, fmt.Errorf("member %q holds an array or a nested object", m.name)
			}
			var err error
			m.isObject = true
			if m.object, i, err = readNewPay2Members(src, start+1, depth+1, count); err != nil {
				return nil, 0, err
			}
			i++ // past the object's '}'
		case '[':
			return nil, 0, fmt.Errorf("member %q holds an array or a nested object", m.name)
		case 'n':
			m.null, m.end = true, start+len("null")
			i = m.end
		case '"':
			m.end = stringEnd(src, start)
			m.raw = src[start:m.end]
			m.text = jsonString(m.raw)
			i = m.end
		default: // a number, true or false: the token as written
			m.end = scalarEnd(src, start)
			m.raw = src[start:m.end]
			m.text = m.raw
			i = m.end
		}
		ms = append(ms, m)
		if i = skipSpace(src, i); src[i] == '}' {
			return ms, i, nil
		}
		i = skipSpace(src, i+1) // past the comma
	}
}

// canonical joins the members per the rule.
func (o newpay2Object) canonical(nested NewPay2Nested) ([]byte, error) {
	if nested != NewPay2NestedJSON && nested != NewPay2NestedFlatten {
		return nil, fmt.Errorf("unknown nested-object rule %v", nested)
	}
	fields := make([]field, 0, len(o.members)+4)
	for _, m := range o.members {
		if err := checkNewPay2Name(m.name, nested); err != nil {
			return nil, err
		}
		switch {
		case m.null:
		case !m.isObject:
			fields = append(fields, field{name: m.name, value: m.text})
		case nested == NewPay2NestedFlatten:
			for _, c := range m.object {
				if err := checkNewPay2Name(c.name, nested); err != nil {
					return nil, err
				}
				if !c.null {
					fields = append(fields, field{name: append(append(slices.Clip(m.name), '.'), c.name...), value: c.text})
				}
			}
		default:
			fields = append(fields, field{name: m.name, value: nestedJSON(m.object)})
		}
	}
	return joinCanonical(fields)
}

// nestedJSON writes an object's non-null members as compact JSON, sorted by
// name, every token as received.
func nestedJSON(ms []newpay2Member) []byte {
	ms = slices.DeleteFunc(slices.Clone(ms), func(m newpay2Member) bool { return m.null })
	slices.SortFunc(ms, func(a, b newpay2Member) int { return bytes.Compare(a.name, b.name) })
	b := []byte{'{'}
	for i, m := range ms {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, m.rawName...)
		b = append(b, ':')
		b = append(b, m.raw...)
	}
	return append(b, '}')
}

// checkNewPay2Name rejects, when objects are flattened, a name with a dot:
// "a.b":"1" would read as the member b of an object a. Every other rule
// about names and values is joinCanonical's, as for v1.
func checkNewPay2Name(name []byte, nested NewPay2Nested) error {
	if nested == NewPay2NestedFlatten && bytes.IndexByte(name, '.') >= 0 {
		return fmt.Errorf("%w: member name %q contains a dot, which flattening uses", ErrAmbiguousCanonical, name)
	}
	return nil
}
