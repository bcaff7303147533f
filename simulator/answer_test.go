package simulator_test

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/refundkit/refundkit"
)

// answer is a response read in full.
type answer struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any
}

// get walks a decoded JSON object along the given member names and returns
// the value's text ("" when absent).
func (a answer) get(path ...string) string {
	var v any = a.json
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[p]
	}
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// has reports whether a member is present (null counts as present).
func (a answer) has(path ...string) bool {
	var v any = a.json
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		if v, ok = m[p]; !ok {
			return false
		}
	}
	return true
}

// code returns provider p's business code.
func (a answer) code(p refundkit.Provider) string { return speakerOf(p).code(a) }

// rawStatus returns the raw refund status in provider p's terms.
func (a answer) rawStatus(p refundkit.Provider) string { return speakerOf(p).rawStatus(a) }

// refundID returns the refund id the answer echoes ("" where p echoes none).
func (a answer) refundID(p refundkit.Provider) string { return speakerOf(p).refundID(a) }

// amount returns the refund amount's text as provider p writes it.
func (a answer) amount(p refundkit.Provider) string { return speakerOf(p).amount(a) }

// verify checks the answer's signature provider p's way with the platform
// public key (nil where p does not sign).
func (a answer) verify(p refundkit.Provider) error { return speakerOf(p).verify(a) }
