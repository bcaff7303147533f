package simulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/internal/jsonspan"
)

// UndeclaredMember is the member FaultUndeclaredMember adds to the top of
// an answer: no spec declares it.
const UndeclaredMember = "simulatorUndeclared"

// DeviatedContentType is the Content-Type FaultWrongContentType sends.
const DeviatedContentType = "text/plain; charset=utf-8"

// headerPrefix marks a DeviatedMember that is a header, not a body member.
const headerPrefix = "header "

// DeviatedMember names what contract fault f changes in provider p's
// answers, as a contract check reports it: a JSON pointer into the body
// ("/code"), or "header Name" for a header. It is "" when f changes nothing
// that has a name (FaultWrongContentType), when f is not a contract fault,
// or when p's spec leaves nothing for f to break (FaultMissingRequired on
// ZaloPay, whose spec requires no member of its answer).
func DeviatedMember(p refundkit.Provider, f Fault) string {
	if f == FaultUndeclaredMember {
		return "/" + UndeclaredMember
	}
	return registry[p].deviations[f]
}

// deviateBody applies a contract fault that lives in the body. It runs
// before the answer is signed, so the signature covers what is sent, as a
// provider's would.
func deviateBody(p refundkit.Provider, body []byte, f Fault) ([]byte, error) {
	ptr := DeviatedMember(p, f)
	if ptr == "" || strings.HasPrefix(ptr, headerPrefix) {
		return body, nil
	}
	out, err := deviateAt(body, ptr, f)
	if err != nil {
		return nil, fmt.Errorf("%s answer: %w", p, err)
	}
	return out, nil
}

// deviateAt applies a body-level contract fault at the JSON pointer ptr.
func deviateAt(body []byte, ptr string, f Fault) ([]byte, error) {
	if f == FaultUndeclaredMember {
		return jsonspan.Prepend(body, UndeclaredMember, []byte(`"added by the simulator"`))
	}
	s, ok, err := jsonspan.Find(body, ptr)
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return nil, fmt.Errorf("no %s to deviate", ptr)
	case f == FaultMissingRequired:
		return jsonspan.Remove(body, s)
	}
	return jsonspan.Replace(body, s, wrongType(body[s.Start:s.End], s.Kind)), nil
}

// wrongType returns a value of another JSON type than raw: a string's
// content as a number when it is one (else 0), anything else as a string.
func wrongType(raw []byte, k jsonspan.Kind) []byte {
	if k != jsonspan.String {
		return strconv.AppendQuote(nil, string(raw))
	}
	text, err := strconv.Unquote(string(raw))
	if err != nil || text == "" || !json.Valid([]byte(text)) || strings.Trim(text, "-0123456789.eE+") != "" {
		return []byte("0")
	}
	return []byte(text)
}

// deviateHeader applies a contract fault that lives in the headers, after
// the answer is signed and its Content-Type set.
func deviateHeader(p refundkit.Provider, h http.Header, f Fault) {
	if f == FaultWrongContentType {
		h.Set("Content-Type", DeviatedContentType)
		return
	}
	if name, ok := strings.CutPrefix(DeviatedMember(p, f), headerPrefix); ok {
		h.Del(name)
	}
}
