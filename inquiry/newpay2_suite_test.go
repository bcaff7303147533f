package inquiry_test

import (
	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// NewPay v2's part of the harness: the contract, fault and redaction suites
// run it like every other provider.
func init() {
	suites[refundkit.NewPay2] = suite{
		cases:      newpay2SimCases,
		errorsBare: true, // an error answer has no data, so nothing signed
		echo: func(q refundkit.Query, res *refundkit.Result) (string, string) {
			if q.RefundID == "" {
				return q.ProviderRefundID, res.ProviderRefundID
			}
			return q.RefundID, res.MerchantRefundID
		},
	}
}

func newpay2SimCases() []simCase {
	base := simulator.Refund{Amount: "50000", Currency: "LAK", ProviderOrderID: "202209076000000321"}
	return []simCase{
		{name: "succeeded", refund: with(base, "SUCCESS", ""), want: answered(refundkit.StatusSucceeded, "SUCCESS")},
		{name: "pending", refund: with(base, "PROCESSING", ""), want: answered(refundkit.StatusPending, "PROCESSING")},
		{name: "failed", refund: with(base, "FAIL", ""), want: answered(refundkit.StatusFailed, "FAIL")},
		{name: "undocumented status", refund: with(base, "REFUNDED_TO_WALLET", ""), want: answered(refundkit.StatusUnknown, "REFUNDED_TO_WALLET")},
		{name: "by newpayRefundNo", refund: with(base, "SUCCESS", ""), byProviderID: true, want: answered(refundkit.StatusSucceeded, "SUCCESS")},
		{name: "not found", unseeded: true, want: failed(refundkit.CategoryNotFound)},
		{name: "E9999 busy", refund: with(base, "SUCCESS", "E9999"), want: failed(refundkit.CategoryTemporary)},
		{name: "Z00046 whitelist", refund: with(base, "SUCCESS", "Z00046"), want: failed(refundkit.CategoryAuth)},
	}
}
