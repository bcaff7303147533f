package contract

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/internal/jsonspan"
	"github.com/refundkit/refundkit/specs"
)

// Redacted replaces every secret and signature in a recording.
const Redacted = "REDACTED"

// redaction is what one provider's messages carry that a recording must not
// keep, declared in the provider's own file (replay_<provider>.go).
type redaction struct {
	// secrets are the body members that carry signatures or macs.
	secrets []string
	// secretHeaders are the headers that carry signatures, beyond those
	// its spec's security schemes name (see secretHeadersOf).
	secretHeaders []string
	// ids are the body members that identify the merchant, its refunds and
	// orders, or its customers' transactions, and the merchant's notify
	// URLs its notifications echo.
	ids []string
	// idHeaders are the headers that identify the merchant.
	idHeaders []string
}

// redactSets are every registered provider's members and headers together,
// so that a member one provider uses for an identity is pseudonymised
// wherever it appears. Their values are replaced by pseudonyms, the same
// original always by the same pseudonym within a recording, so that a
// replay still sees the refund id echoed and the app id it was configured
// with.
type redactSets struct {
	secretMembers, idMembers map[string]bool
	secretHeaders, idHeaders []string
}

// redacted gathers the registered providers' redactions once.
var redacted = sync.OnceValue(func() redactSets {
	s := redactSets{secretMembers: map[string]bool{}, idMembers: map[string]bool{},
		secretHeaders: []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}}
	for _, p := range refundkit.Providers() {
		r := replayers[p].redact
		for _, m := range r.secrets {
			s.secretMembers[m] = true
		}
		for _, m := range r.ids {
			s.idMembers[m] = true
		}
		s.secretHeaders = append(s.secretHeaders, r.secretHeaders...)
		s.idHeaders = append(s.idHeaders, r.idHeaders...)
	}
	return s
})

// minSubstring is the shortest original value also searched for inside
// other values (a refund id quoted in a message, say). Shorter ones (a
// four-digit app id) would match unrelated text.
const minSubstring = 6

// redactor pseudonymises one recording consistently.
type redactor struct {
	secretHeaders map[string]bool
	pseudonyms    map[string]string // original -> pseudonym
	secrets       map[string]bool   // original secret values
	where         map[string]bool   // what was redacted, for the recording
}

func newRedactor(p refundkit.Provider) *redactor {
	r := &redactor{secretHeaders: map[string]bool{}, pseudonyms: map[string]string{}, secrets: map[string]bool{}, where: map[string]bool{}}
	for _, h := range append(slices.Clone(redacted().secretHeaders), secretHeadersOf(p)...) {
		r.secretHeaders[http.CanonicalHeaderKey(h)] = true
	}
	return r
}

// secretHeadersOf names the headers p's spec's security schemes put
// credentials in.
func secretHeadersOf(p refundkit.Provider) []string {
	doc, err := specs.Load(string(p))
	if err != nil || doc.Components == nil {
		return nil
	}
	var out []string
	for _, s := range doc.Components.SecuritySchemes {
		if s.Value != nil && s.Value.In == "header" {
			out = append(out, s.Value.Name)
		}
	}
	return out
}

// pseudonym returns the stand-in for an identifier: digits for digits (an
// app id stays a number), else "redacted-N".
func (r *redactor) pseudonym(orig string) string {
	if p, ok := r.pseudonyms[orig]; ok {
		return p
	}
	n := len(r.pseudonyms) + 1
	p := "redacted-" + strconv.Itoa(n)
	if orig != "" && strings.Trim(orig, "0123456789") == "" {
		p = strconv.Itoa(90000 + n)
	}
	r.pseudonyms[orig] = p
	return p
}

// header redacts a copy of h.
func (r *redactor) header(side Side, h http.Header) http.Header {
	out := h.Clone()
	for name, vs := range out {
		switch {
		case r.secretHeaders[name]:
			redacted := make([]string, len(vs))
			for i, v := range vs {
				r.secrets[v] = true
				redacted[i] = redactSecret(v)
			}
			out[name] = redacted
			r.where[string(side)+" "+header(name)] = true
		case isIDHeader(name):
			for i, v := range vs {
				vs[i] = r.pseudonym(v)
			}
			r.where[string(side)+" "+header(name)] = true
		}
	}
	return out
}

// redactSecret replaces a secret header's value. A structured signature
// header (AlphaPay's "algorithm=RS256,keyVersion=1,signature=...") keeps
// its structure, so that it still matches the spec's pattern, and loses
// only the signature.
func redactSecret(v string) string {
	fields := strings.Split(v, ",")
	kept := false
	for i, f := range fields {
		k, _, ok := strings.Cut(f, "=")
		if !ok {
			return Redacted
		}
		if strings.EqualFold(strings.TrimSpace(k), "signature") {
			fields[i], kept = k+"="+Redacted, true
		}
	}
	if !kept {
		return Redacted
	}
	return strings.Join(fields, ",")
}

func isIDHeader(name string) bool {
	for _, h := range redacted().idHeaders {
		if http.CanonicalHeaderKey(h) == name {
			return true
		}
	}
	return false
}

// body redacts a JSON or form-encoded body; any other body is kept as it
// is (after the substring pass of finish).
func (r *redactor) body(side Side, h http.Header, body []byte) []byte {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if mt == "application/x-www-form-urlencoded" {
		return r.form(side, body)
	}
	scalars, err := jsonspan.Scalars(body)
	if err != nil {
		return append([]byte(nil), body...)
	}
	out := append([]byte(nil), body...)
	for i := len(scalars) - 1; i >= 0; i-- { // from the end, so offsets stay right
		s := scalars[i]
		key := s.Key()
		if !redacted().secretMembers[key] && !redacted().idMembers[key] || s.Kind == jsonspan.Null {
			continue
		}
		raw := body[s.Start:s.End]
		orig := string(raw)
		if s.Kind == jsonspan.String {
			_ = json.Unmarshal(raw, &orig)
		}
		var repl []byte
		switch {
		case redacted().secretMembers[key]:
			r.secrets[orig] = true
			repl = strconv.AppendQuote(nil, Redacted)
		case s.Kind == jsonspan.String:
			repl, _ = json.Marshal(r.pseudonym(orig))
		default:
			repl = []byte(r.pseudonym(orig))
		}
		out = jsonspan.Replace(out, s, repl)
		r.where[string(side)+" "+s.Pointer()] = true
	}
	return out
}

// form redacts a form-encoded body pair by pair, keeping their order.
func (r *redactor) form(side Side, body []byte) []byte {
	pairs := strings.Split(string(body), "&")
	for i, pair := range pairs {
		k, v, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || (!redacted().secretMembers[key] && !redacted().idMembers[key]) {
			continue
		}
		if redacted().secretMembers[key] {
			r.secrets[val] = true
			val = Redacted
		} else {
			val = r.pseudonym(val)
		}
		pairs[i] = k + "=" + url.QueryEscape(val)
		r.where[string(side)+" /"+key] = true
	}
	return []byte(strings.Join(pairs, "&"))
}

// finish replaces what is left of any redacted value inside other text
// (a refund id quoted in a message, a signature echoed) in every body and
// header value, and returns the list of what was redacted.
func (r *redactor) finish(bodies []*[]byte, headers []http.Header) []string {
	var pairs [][2]string
	for orig := range r.secrets {
		if len(orig) >= minSubstring {
			pairs = append(pairs, [2]string{orig, Redacted})
		}
	}
	for orig, p := range r.pseudonyms {
		if len(orig) >= minSubstring {
			pairs = append(pairs, [2]string{orig, p})
		}
	}
	sort.Slice(pairs, func(i, j int) bool { // longest first, so a longer value is never half replaced
		a, b := pairs[i][0], pairs[j][0]
		return len(a) > len(b) || (len(a) == len(b) && a < b)
	})
	if len(pairs) > 0 {
		subs := make([]string, 0, 2*len(pairs))
		for _, p := range pairs {
			subs = append(subs, p[0], p[1])
		}
		rep := strings.NewReplacer(subs...)
		for _, b := range bodies {
			*b = []byte(rep.Replace(string(*b)))
		}
		for _, h := range headers {
			for _, vs := range h {
				for i, v := range vs {
					vs[i] = rep.Replace(v)
				}
			}
		}
	}
	where := make([]string, 0, len(r.where))
	for w := range r.where {
		where = append(where, w)
	}
	sort.Strings(where)
	return where
}
