package main

import (
	"fmt"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/providers"
)

// notTaken says which field of q provider p does not take, named as the
// command calls it (a flag or a column: providerRefundID, refundRequestID),
// or "" when p takes every field q gives. Which fields a provider takes is
// its descriptor's Query.
func notTaken(p refundkit.Provider, q refundkit.Query, providerRefundID, refundRequestID string) string {
	d, err := providers.Lookup(p)
	if err != nil {
		return ""
	}
	for _, f := range []struct {
		name  string
		value string
		field func(inquiry.QueryFields) *inquiry.QueryField
	}{
		{providerRefundID, q.ProviderRefundID, func(f inquiry.QueryFields) *inquiry.QueryField { return f.ProviderRefundID }},
		{refundRequestID, q.RefundRequestID, func(f inquiry.QueryFields) *inquiry.QueryField { return f.RefundRequestID }},
	} {
		if f.value != "" && f.field(d.Query) == nil {
			return fmt.Sprintf("%s is %s; %s does not take it", f.name, providers.Owner(f.field), p)
		}
	}
	return ""
}
