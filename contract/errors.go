package contract

import (
	"errors"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/refundkit/refundkit/internal/jsonspan"
)

// findings turns a kin-openapi validation error into findings. where
// locates errors that carry no location of their own: "header Name" when
// the error is about that header, "" otherwise (schema errors then locate
// themselves by their JSON pointer).
func findings(err error, side Side, where string) []Finding {
	var out []Finding
	add := func(w, msg string) { out = append(out, Finding{Side: side, Kind: Violation, Where: w, Message: msg}) }
	var walk func(err error, where string)
	walk = func(err error, where string) {
		var (
			me  openapi3.MultiError
			req *openapi3filter.RequestError
			res *openapi3filter.ResponseError
			sec *openapi3filter.SecurityRequirementsError
			se  *openapi3.SchemaError
		)
		switch {
		case err == nil:
		case errors.As(err, &me):
			for _, e := range me {
				walk(e, where)
			}
		case errors.As(err, &sec):
			for _, e := range sec.Errors {
				add(securityFinding(e))
			}
		case errors.As(err, &req):
			if req.Parameter != nil {
				where = header(req.Parameter.Name)
			}
			if req.Err == nil || errors.Is(req.Err, openapi3filter.ErrInvalidRequired) {
				add(where, reason(req.Reason, req.Err))
				return
			}
			walk(req.Err, where)
		case errors.As(err, &res):
			if res.Err == nil {
				add(where, reason(res.Reason, nil))
				return
			}
			walk(res.Err, where)
		case errors.As(err, &se):
			w := where
			if w == "" {
				w = schemaWhere(se)
			}
			add(w, schemaMessage(se))
		default:
			add(where, err.Error())
		}
	}
	walk(err, where)
	return out
}

// schemaMessage says what a schema error found, in the words of the spec:
// "want number, got string", "missing (required)", or kin-openapi's reason.
func schemaMessage(se *openapi3.SchemaError) string {
	switch se.SchemaField {
	case "type":
		var want []string
		if se.Schema != nil && se.Schema.Type != nil {
			want = se.Schema.Type.Slice()
		}
		return "want " + orList(want) + ", got " + jsonType(se.Value)
	case "required":
		return "missing (required)"
	case "properties":
		if strings.HasSuffix(se.Reason, " is unsupported") {
			return "not allowed by the spec (additionalProperties: false)"
		}
	}
	return se.Reason
}

// reason rewrites kin-openapi's reasons for a missing required value.
func reason(r string, err error) string {
	switch {
	case errors.Is(err, openapi3filter.ErrInvalidRequired), strings.HasSuffix(r, " missing"):
		return "missing (required)"
	case r == "":
		return "invalid"
	}
	return r
}

// schemaWhere is the JSON pointer of a schema error. A member that
// additionalProperties false forbids is reported at the object holding it;
// the pointer then names the member itself.
func schemaWhere(se *openapi3.SchemaError) string {
	path := se.JSONPointer()
	if se.SchemaField == "properties" && strings.HasSuffix(se.Reason, " is unsupported") {
		if m := quoted.FindStringSubmatch(se.Reason); m != nil {
			path = append(path, m[1])
		}
	}
	return jsonspan.Pointer(path)
}

// quoted finds the name kin-openapi quotes in its reasons: `property "x" is
// unsupported`, `header "sign" is missing`.
var quoted = regexp.MustCompile(`"([^"]+)"`)

// securityFinding locates a failed security requirement: the signature
// header the spec's security scheme names.
func securityFinding(err error) (where, msg string) {
	msg = err.Error()
	if m := quoted.FindStringSubmatch(msg); m != nil && strings.Contains(msg, "is missing") {
		return header(m[1]), "missing (the spec's security scheme requires it)"
	}
	return "", msg
}
