// Package jsonspan finds where each scalar member value of a JSON document
// lies in its bytes, so that a value can be replaced or a member removed
// while every other byte (member order, white space, number text) stays as
// it was.
package jsonspan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Kind is the JSON type of a scalar value.
type Kind byte

// The scalar kinds.
const (
	String Kind = 's'
	Number Kind = 'n'
	Bool   Kind = 'b'
	Null   Kind = 'z'
)

// Scalar is one scalar value in a document: an object member's value or an
// array element.
type Scalar struct {
	// Path is the value's location: member names and array indexes (as
	// decimal text) from the root.
	Path []string
	// KeyStart is the offset of the member name's opening quote; -1 for an
	// array element.
	KeyStart int
	// Start and End delimit the value's bytes: data[Start:End].
	Start, End int
	// Kind is the value's JSON type.
	Kind Kind
}

// Key returns the member name of the value, or "" for an array element.
func (s Scalar) Key() string {
	if s.KeyStart < 0 || len(s.Path) == 0 {
		return ""
	}
	return s.Path[len(s.Path)-1]
}

// Pointer returns the value's location as an RFC 6901 JSON pointer.
func (s Scalar) Pointer() string { return Pointer(s.Path) }

// Pointer writes path as an RFC 6901 JSON pointer ("" for the root).
func Pointer(path []string) string {
	var b bytes.Buffer
	for _, p := range path {
		b.WriteByte('/')
		for _, r := range p {
			switch r {
			case '~':
				b.WriteString("~0")
			case '/':
				b.WriteString("~1")
			default:
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

type frame struct {
	object  bool
	wantKey bool
	key     string
	keyAt   int
	index   int
}

// Scalars lists every scalar value in data, in document order. data must be
// one valid JSON document.
func Scalars(data []byte) ([]Scalar, error) {
	if !json.Valid(data) {
		return nil, errors.New("jsonspan: not valid JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var (
		stack []frame
		out   []Scalar
	)
	for {
		before := int(dec.InputOffset())
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("jsonspan: %w", err)
		}
		start := skipSeparators(data, before)
		if d, ok := tok.(json.Delim); ok {
			stack = delim(stack, d)
			continue
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if top != nil && top.object && top.wantKey {
			top.key, top.keyAt, top.wantKey = tok.(string), start, false
			continue
		}
		out = append(out, Scalar{Path: path(stack), KeyStart: keyAt(top), Start: start, End: int(dec.InputOffset()), Kind: kindOf(tok)})
		advance(top)
	}
}

// delim opens or closes a container.
func delim(stack []frame, d json.Delim) []frame {
	switch d {
	case '{', '[':
		return append(stack, frame{object: d == '{', wantKey: d == '{'})
	}
	stack = stack[:len(stack)-1]
	if len(stack) > 0 {
		advance(&stack[len(stack)-1])
	}
	return stack
}

// advance moves a container past one value.
func advance(f *frame) {
	if f == nil {
		return
	}
	if f.object {
		f.wantKey = true
	} else {
		f.index++
	}
}

func path(stack []frame) []string {
	p := make([]string, len(stack))
	for i, f := range stack {
		if f.object {
			p[i] = f.key
		} else {
			p[i] = strconv.Itoa(f.index)
		}
	}
	return p
}

func keyAt(f *frame) int {
	if f == nil || !f.object {
		return -1
	}
	return f.keyAt
}

func kindOf(tok json.Token) Kind {
	switch tok.(type) {
	case string:
		return String
	case json.Number:
		return Number
	case bool:
		return Bool
	}
	return Null
}

// skipSeparators returns the offset of the next token at or after i.
func skipSeparators(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r', ':', ',':
			i++
		default:
			return i
		}
	}
	return i
}

// Find returns the scalar at the JSON pointer ptr, if data has one there.
func Find(data []byte, ptr string) (Scalar, bool, error) {
	all, err := Scalars(data)
	if err != nil {
		return Scalar{}, false, err
	}
	for _, s := range all {
		if s.Pointer() == ptr {
			return s, true, nil
		}
	}
	return Scalar{}, false, nil
}

// Replace returns data with the value s replaced by raw, which must be one
// JSON value.
func Replace(data []byte, s Scalar, raw []byte) []byte {
	out := make([]byte, 0, len(data)-(s.End-s.Start)+len(raw))
	out = append(out, data[:s.Start]...)
	out = append(out, raw...)
	return append(out, data[s.End:]...)
}

// Remove returns data without the object member whose value is s, and
// without the comma that separated it from a neighbour.
func Remove(data []byte, s Scalar) ([]byte, error) {
	if s.KeyStart < 0 {
		return nil, errors.New("jsonspan: not an object member")
	}
	from, to := s.KeyStart, s.End
	if j := skipSpace(data, to); j < len(data) && data[j] == ',' {
		to = j + 1
	} else if k := skipSpaceBack(data, from); k > 0 && data[k-1] == ',' {
		from = k - 1
	}
	return append(append([]byte(nil), data[:from]...), data[to:]...), nil
}

// Prepend returns data, a JSON object, with the member name: raw added as
// its first member.
func Prepend(data []byte, name string, raw []byte) ([]byte, error) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, errors.New("jsonspan: not a JSON object")
	}
	key, _ := json.Marshal(name)
	member := append(append(key, ':'), raw...)
	if j := skipSpace(data, i+1); j < len(data) && data[j] != '}' {
		member = append(member, ',')
	}
	out := append([]byte(nil), data[:i+1]...)
	out = append(out, member...)
	return append(out, data[i+1:]...), nil
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

func skipSpaceBack(data []byte, i int) int {
	for i > 0 && (data[i-1] == ' ' || data[i-1] == '\t' || data[i-1] == '\n' || data[i-1] == '\r') {
		i--
	}
	return i
}
