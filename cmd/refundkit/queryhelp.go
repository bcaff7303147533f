package main

import (
	"strings"

	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/providers"
)

// The commands' help names each provider's ids as its descriptor declares
// them, so that a provider added to the registry is in the help too. A help
// text writes {refund_id}, {provider_refund_id}, {refund_request_id} (each
// the providers that take the Query field, with the field's own name),
// {provider_refund_id_takers} (the providers alone), {providers} (every
// provider), {unsigned} (the providers that sign no answer), {pushing} and
// {not_pushing} (the providers that push refund notifications, and the
// others); helpText fills them in.

func refundIDField(f inquiry.QueryFields) *inquiry.QueryField         { return f.RefundID }
func providerRefundIDField(f inquiry.QueryFields) *inquiry.QueryField { return f.ProviderRefundID }
func refundRequestIDField(f inquiry.QueryFields) *inquiry.QueryField  { return f.RefundRequestID }

// helpText fills the placeholders of text from the registry.
func helpText(text string) string {
	return strings.NewReplacer(
		"{refund_id}", joinNames(takers(refundIDField, " "), ", "),
		"{provider_refund_id}", joinNames(takers(providerRefundIDField, "'s "), " or "),
		"{refund_request_id}", joinNames(takers(refundRequestIDField, "'s "), " or "),
		"{provider_refund_id_takers}", joinNames(takers(providerRefundIDField, ""), " or "),
		"{providers}", joinNames(takers(nil, ""), ", "),
		"{unsigned}", joinNames(titles(func(d *providers.Descriptor) bool { return !d.Signed }), " and "),
		"{pushing}", joinNames(titles(func(d *providers.Descriptor) bool { return d.Notify != nil }), ", "),
		"{not_pushing}", joinNames(titles(func(d *providers.Descriptor) bool { return d.Notify == nil }), " and "),
	).Replace(text)
}

// titles lists the titles of the providers whose descriptors match.
func titles(match func(*providers.Descriptor) bool) []string {
	var out []string
	for _, d := range providers.All() {
		if match(d) {
			out = append(out, d.Title)
		}
	}
	return out
}

// takers lists the titles of the providers that take field, each followed
// by sep and the field's name there (the title alone when sep is ""); a nil
// field lists every provider.
func takers(field func(inquiry.QueryFields) *inquiry.QueryField, sep string) []string {
	var out []string
	for _, d := range providers.All() {
		var f *inquiry.QueryField
		if field != nil {
			if f = field(d.Query); f == nil {
				continue
			}
		}
		if sep == "" || f == nil {
			out = append(out, d.Title)
		} else {
			out = append(out, d.Title+sep+f.Name)
		}
	}
	return out
}

// joinNames joins names with ", ", the last two with last.
func joinNames(names []string, last string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + last + names[len(names)-1]
}
