package inquiry

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/refundkit/refundkit"
)

// QueryField says that a provider takes one [refundkit.Query] field, and
// how: the provider's own name for it, whether it is required, and its
// maximum length.
type QueryField struct {
	// Name is the provider's name for the field, as sent ("refundOrderNo").
	Name string
	// Required makes an empty value an invalid-request error.
	Required bool
	// MaxLen is the most characters the provider takes; 0 when it
	// publishes no limit.
	MaxLen int
	// Separator, when set, is a character the provider's signature input
	// uses between values (ZaloPay's "|"): a value containing it would let
	// two different requests share one signature input, so it is refused.
	Separator string
}

// QueryFields says which Query fields a provider takes. A nil field is one
// the provider does not take: giving it is an invalid-request error, so a
// mistake never goes unnoticed.
type QueryFields struct {
	RefundID, ProviderRefundID, RefundRequestID *QueryField
	// EitherID requires RefundID or ProviderRefundID, or both (PayerMax,
	// NewPay v2), instead of either being required on its own.
	EitherID bool
}

// queryFields holds every provider's QueryFields, each registered by the
// provider's own file with takes.
var queryFields = map[refundkit.Provider]QueryFields{}

// takes registers f as the Query fields provider p takes, and returns it.
func takes(p refundkit.Provider, f QueryFields) QueryFields {
	queryFields[p] = f
	return f
}

// QueryFieldsOf returns the Query fields provider p takes; ok is false for a
// provider this package has no client for.
func QueryFieldsOf(p refundkit.Provider) (f QueryFields, ok bool) {
	f, ok = queryFields[p]
	return f, ok
}

// CheckQuery validates q for provider p without a client, as p's client
// validates it before any network call: the same invalid-request
// *refundkit.Error, for code that stores queries to ask later (package
// track). An unknown provider is an invalid request too.
func CheckQuery(p refundkit.Provider, q refundkit.Query) error {
	c := &core{provider: p}
	f, ok := queryFields[p]
	if !ok {
		return c.invalidRequest("unknown provider %q", p)
	}
	return f.check(c, q)
}

// check validates q against the fields before any network call.
func (f QueryFields) check(c *core, q refundkit.Query) error {
	if f.EitherID && q.RefundID == "" && q.ProviderRefundID == "" {
		return c.invalidRequest("RefundID and ProviderRefundID are both empty; %s needs one", c.provider)
	}
	if err := f.RefundID.check(c, "RefundID", q.RefundID); err != nil {
		return err
	}
	if err := f.ProviderRefundID.check(c, "ProviderRefundID", q.ProviderRefundID); err != nil {
		return err
	}
	return f.RefundRequestID.check(c, "RefundRequestID", q.RefundRequestID)
}

// check validates the value v of the Query field named field; a nil f is
// a field the provider does not take.
func (f *QueryField) check(c *core, field, v string) error {
	switch {
	case f == nil && v != "":
		return c.invalidRequest("%s is not used by %s", field, c.provider)
	case f == nil, v == "" && !f.Required:
		return nil
	}
	if err := validID(v, f.MaxLen); err != "" {
		return c.invalidRequest("%s (%s) %s", f.Name, field, err)
	}
	if f.Separator != "" && strings.Contains(v, f.Separator) {
		return c.invalidRequest("%s (%s) contains %q, the signature's separator", f.Name, field, f.Separator)
	}
	return nil
}

// checkID validates one identifier before any network call: present, valid
// UTF-8, at most maxLen characters (the spec's maxLength; 0 for none), and
// free of control characters.
func (c *core) checkID(field, v string, maxLen int) error {
	if err := validID(v, maxLen); err != "" {
		return c.invalidRequest("%s %s", field, err)
	}
	return nil
}

// validID says what is wrong with an identifier, or "" when nothing is.
func validID(v string, maxLen int) string {
	switch {
	case v == "":
		return "is empty"
	case !utf8.ValidString(v):
		return "is not valid UTF-8"
	case maxLen > 0 && utf8.RuneCountInString(v) > maxLen:
		return fmt.Sprintf("is longer than %d characters", maxLen)
	}
	for _, r := range v {
		if unicode.IsControl(r) {
			return "contains a control character"
		}
	}
	return ""
}
