package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/refundkit/refundkit/internal/jsonspan"
)

// transportHeaders are headers of HTTP itself and of the servers and
// proxies in between, which no provider spec declares: they are never
// reported as undeclared.
var transportHeaders = map[string]bool{
	"Accept-Ranges": true, "Age": true, "Alt-Svc": true, "Cache-Control": true, "Connection": true,
	"Content-Encoding": true, "Content-Length": true, "Content-Type": true, "Date": true, "Etag": true,
	"Expires": true, "Keep-Alive": true, "Last-Modified": true, "Pragma": true, "Server": true,
	"Set-Cookie": true, "Strict-Transport-Security": true, "Trailer": true, "Transfer-Encoding": true,
	"Vary": true, "Via": true, "X-Content-Type-Options": true, "X-Frame-Options": true,
	"X-Xss-Protection": true, "Content-Security-Policy": true, "Referrer-Policy": true,
	"Access-Control-Allow-Origin": true, "Access-Control-Allow-Headers": true,
	"Access-Control-Allow-Methods": true, "Access-Control-Expose-Headers": true,
	"Access-Control-Allow-Credentials": true, "Access-Control-Max-Age": true,
	// Request headers of clients and proxies, on notifications.
	"Accept": true, "Accept-Encoding": true, "Accept-Language": true, "Host": true, "User-Agent": true,
	"Forwarded": true, "X-Forwarded-For": true, "X-Forwarded-Host": true, "X-Forwarded-Proto": true,
	"X-Real-Ip": true, "Traceparent": true, "Tracestate": true, "Expect": true,
}

// undeclaredHeaders lists the headers of a message that are neither
// declared by the spec nor transport headers.
func undeclaredHeaders(side Side, declared []string, h http.Header) []Finding {
	known := make(map[string]bool, len(declared))
	for _, name := range declared {
		known[http.CanonicalHeaderKey(name)] = true
	}
	var out []Finding
	for name := range h {
		name = http.CanonicalHeaderKey(name)
		if !known[name] && !transportHeaders[name] {
			out = append(out, Finding{Side: side, Kind: Undeclared, Where: header(name), Message: "header not in the spec"})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Where < out[j].Where })
	return out
}

// undeclaredMembers lists the members of a JSON body that the schema of
// its media type does not declare. A schema that says nothing about
// additional properties allows them, so kin-openapi accepts them; they are
// reported here instead. Members that additionalProperties false forbids
// are violations kin-openapi reports, so they are left out here.
func undeclaredMembers(side Side, content openapi3.Content, h http.Header, body []byte) []Finding {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || !strings.HasSuffix(mt, "json") || content.Get(mt) == nil || content.Get(mt).Schema == nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil // not JSON: kin-openapi reports it
	}
	var out []Finding
	walkUndeclared(content.Get(mt).Schema, v, nil, func(path []string) {
		out = append(out, Finding{Side: side, Kind: Undeclared, Where: jsonspan.Pointer(path), Message: "member not in the spec"})
	})
	return out
}

// walkUndeclared calls report with the path of every member of v that ref
// does not declare, recursing into declared members and array items.
func walkUndeclared(ref *openapi3.SchemaRef, v any, path []string, report func([]string)) {
	if ref == nil || ref.Value == nil {
		return
	}
	switch v := v.(type) {
	case map[string]any:
		props, extra, open := properties(ref.Value)
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := append(append([]string(nil), path...), k)
			switch {
			case props[k] != nil:
				walkUndeclared(props[k], v[k], p, report)
			case extra != nil:
				walkUndeclared(extra, v[k], p, report)
			case open:
				report(p)
			}
		}
	case []any:
		items := ref.Value.Items
		for i, e := range v {
			walkUndeclared(items, e, append(append([]string(nil), path...), fmt.Sprint(i)), report)
		}
	}
}

// properties gathers what an object schema declares, through allOf, anyOf
// and oneOf: its named properties; the schema of additional properties, if
// the spec gives one; and whether members beyond those are undeclared but
// allowed (additionalProperties left unsaid). additionalProperties true
// declares any member; false forbids them (a violation, not reported here).
func properties(s *openapi3.Schema) (props map[string]*openapi3.SchemaRef, extra *openapi3.SchemaRef, open bool) {
	props = map[string]*openapi3.SchemaRef{}
	open = true
	var gather func(s *openapi3.Schema)
	gather = func(s *openapi3.Schema) {
		for k, p := range s.Properties {
			if props[k] == nil {
				props[k] = p
			}
		}
		ap := s.AdditionalProperties
		switch {
		case ap.Schema != nil:
			extra, open = ap.Schema, false
		case ap.Has != nil:
			open = false
		}
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, sub := range group {
				if sub != nil && sub.Value != nil {
					gather(sub.Value)
				}
			}
		}
	}
	gather(s)
	return props, extra, open
}
