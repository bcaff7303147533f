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

// parseNewPay2Object reads a JSON object with encoding/json's tokenizer,
// keeping each token's exact bytes.
func parseNewPay2Object(src []byte) (newpay2Object, error) {
	var o newpay2Object
	if !json.Valid(src) {
		return o, errors.New("not valid JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	if t, _ := dec.Token(); t != json.Delim('{') {
		return o, errors.New("not a JSON object")
	}
	count := 0
	ms, err := readNewPay2Members(dec, src, 0, &count)
	if err != nil {
		return o, err
	}
	o.closeAt = int(dec.InputOffset()) - 1
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

// readNewPay2Members reads the members of an object whose '{' has been read,
// and its closing '}'. depth is 0 for the top level.
func readNewPay2Members(dec *json.Decoder, src []byte, depth int, count *int) ([]newpay2Member, error) {
	var ms []newpay2Member
	for dec.More() {
		before := dec.InputOffset()
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := t.(string)
		m := newpay2Member{name: []byte(name), rawName: token(src, before, dec.InputOffset())}
		if *count++; *count > maxNewPay2Members {
			return nil, fmt.Errorf("more than %d members", maxNewPay2Members)
		}
		// encoding/json matches member names case-insensitively: names equal
		// under case folding are duplicates (see parseFlatObject).
		if slices.ContainsFunc(ms, func(x newpay2Member) bool { return bytes.EqualFold(x.name, m.name) }) {
			return nil, fmt.Errorf("duplicate member %q", name)
		}
		before = dec.InputOffset()
		if t, err = dec.Token(); err != nil {
			return nil, err
		}
		switch v := t.(type) {
		case json.Delim:
			if v != '{' || depth > 0 {
				return nil, fmt.Errorf("member %q holds an array or a nested object", name)
			}
			m.isObject = true
			if m.object, err = readNewPay2Members(dec, src, depth+1, count); err != nil {
				return nil, err
			}
		case nil:
			m.null = true
		case string:
			m.text, m.raw = []byte(v), token(src, before, dec.InputOffset())
		default: // json.Number or bool: the token as written
			m.raw = token(src, before, dec.InputOffset())
			m.text = m.raw
		}
		if !m.isObject {
			m.end = int(dec.InputOffset())
		}
		ms = append(ms, m)
	}
	_, err := dec.Token() // the closing '}'
	return ms, err
}

// token returns the bytes of the token that ends at end, after the white
// space, colon or comma that precede it from start.
func token(src []byte, start, end int64) []byte {
	return bytes.TrimLeft(src[start:end], " \t\r\n:,")
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
