package inquiry_test

import (
	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// NewPay v1's part of the harness: the contract, fault and redaction suites
// run it like every other provider.
func init() {
	suites[refundkit.NewPay] = suite{
		cases:      newpaySimCases,
		errorsBare: true, // an error answer has no data, so nothing signed
		echo: func(q refundkit.Query, res *refundkit.Result) (string, string) {
			return q.RefundID, res.MerchantRefundID
		},
	}
}

// newpaySimCases are NewPay v1's cases: every documented status, an undocumented
// one, an unknown refund, and error codes of several categories.
func newpaySimCases() []simCase {
	base := simulator.Refund{Amount: "50000", Currency: "LAK", OrderID: "ORDERNO000000000A104",
		ProviderOrderID: "202209076000000321", TransactionID: "00012022090700000037"}
	return []simCase{
		{name: "succeeded", refund: with(base, "1", ""), want: answered(refundkit.StatusSucceeded, "1")},
		{name: "failed", refund: with(base, "0", ""), want: answered(refundkit.StatusFailed, "0")},
		{name: "refundSuccess true", refund: with(base, "true", ""), want: answered(refundkit.StatusSucceeded, "true")},
		{name: "refundSuccess false", refund: with(base, "false", ""), want: answered(refundkit.StatusFailed, "false")},
		{name: "undocumented status", refund: with(base, "7", ""), want: answered(refundkit.StatusUnknown, "7")},
		{name: "not found", unseeded: true, want: failed(refundkit.CategoryNotFound)},
		{name: "E9999 busy", refund: with(base, "1", "E9999"), want: failed(refundkit.CategoryTemporary)},
		{name: "Z00046 whitelist", refund: with(base, "1", "Z00046"), want: failed(refundkit.CategoryAuth)},
	}
}
