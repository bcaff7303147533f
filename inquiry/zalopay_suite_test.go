package inquiry_test

import (
	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// ZaloPay's part of the harness: the contract, fault and redaction suites
// run it like every other provider.
func init() {
	suites[refundkit.ZaloPay] = suite{
		cases: zalopaySimCases,
		// ZaloPay's answers echo no refund id: echo stays nil.
	}
}

// zalopaySimCases are ZaloPay's cases: every documented status, an undocumented
// one, an unknown refund, and error codes of several categories.
func zalopaySimCases() []simCase {
	return []simCase{
		{name: "succeeded", refund: simulator.Refund{Status: "1", SubStatus: "1"}, want: answered(refundkit.StatusSucceeded, "1")},
		{name: "pending", refund: simulator.Refund{Status: "3", SubStatus: "3"}, want: answered(refundkit.StatusPending, "3")},
		{name: "failed", refund: simulator.Refund{Status: "2", SubStatus: "-3", SubMessage: "refund rejected"}, want: answered(refundkit.StatusFailed, "2")},
		{name: "undocumented status", refund: simulator.Refund{Status: "4", SubStatus: "4"}, want: answered(refundkit.StatusUnknown, "4")},
		{name: "not found", unseeded: true, want: failed(refundkit.CategoryInvalidRequest)},
		{name: "rate limited", refund: simulator.Refund{Status: "-429"}, want: failed(refundkit.CategoryRateLimited)},
		{name: "system error", refund: simulator.Refund{Status: "2", SubStatus: "-32"}, want: failed(refundkit.CategoryTemporary)},
		{name: "illegal app", refund: simulator.Refund{Status: "-402"}, want: failed(refundkit.CategoryAuth)},
	}
}
