// Package contract checks a provider's real traffic against refundkit's
// OpenAPI spec of it: every request sent and every response received is
// validated with kin-openapi, exactly as the simulators and the test suite
// validate it (see simulator.ContractRoute), and each deviation is reported
// with where it is (a JSON pointer such as /data/refundAmount, or a header)
// and what is wrong ("want number, got string"). Members and headers the
// spec does not declare are reported apart, as the hint that the provider's
// documentation changed.
//
// A Checker is an http.RoundTripper: give it to an SDK client with
// inquiry.WithHTTPClient, make inquiries, and read its Exchanges. Recordings
// of exchanges, with secrets and identifiers redacted, replay as regression
// tests (see Recording).
package contract

import (
	"fmt"
	"sort"
	"strings"
)

// Side says which half of an exchange a finding is about.
type Side string

// The sides of an exchange.
const (
	Request  Side = "request"
	Response Side = "response"
)

// Kind classifies a finding.
type Kind string

// The kinds of finding.
const (
	// Violation: the traffic breaks the spec (a wrong type, a missing
	// required member, a status or content type the spec does not list).
	Violation Kind = "violation"
	// Undeclared: the traffic carries a member or header the spec does not
	// declare. The spec allows it, but the provider sends what the spec
	// does not know: its documentation may have changed.
	Undeclared Kind = "undeclared"
)

// Finding is one deviation of an exchange from the spec.
type Finding struct {
	Side Side `json:"side"`
	Kind Kind `json:"kind"`
	// Where locates it: a JSON pointer into the body ("/data/refundAmount"),
	// "header Name", "status", or "" for the message as a whole.
	Where string `json:"where"`
	// Message says what is wrong, without any value from the traffic.
	Message string `json:"message"`
}

// String formats the finding as "where: message".
func (f Finding) String() string {
	if f.Where == "" {
		return f.Message
	}
	return f.Where + ": " + f.Message
}

// Where values that are not JSON pointers.
const (
	whereStatus = "status"
	headerWhere = "header "
)

func header(name string) string { return headerWhere + name }

// sortFindings orders findings by side (request first), kind (violations
// first), then location, dropping exact repeats.
func sortFindings(fs []Finding) []Finding {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Side != b.Side {
			return a.Side == Request
		}
		if a.Kind != b.Kind {
			return a.Kind == Violation
		}
		return a.Where < b.Where
	})
	out := fs[:0]
	for i, f := range fs {
		if i == 0 || f != fs[i-1] {
			out = append(out, f)
		}
	}
	return out
}

// jsonType names the JSON type of a value decoded by kin-openapi or
// encoding/json.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case float64, float32, int, int64, fmt.Stringer:
		return "number"
	}
	return fmt.Sprintf("%T", v)
}

// orList joins names as "a, b or c".
func orList(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
