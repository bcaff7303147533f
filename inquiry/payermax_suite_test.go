package inquiry_test

import (
	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// PayerMax's part of the harness: the contract, fault and redaction suites
// run it like every other provider.
func init() {
	suites[refundkit.PayerMax] = suite{
		cases: payermaxSimCases,
		echo: func(q refundkit.Query, res *refundkit.Result) (string, string) {
			if q.RefundID == "" {
				return q.ProviderRefundID, res.ProviderRefundID
			}
			return q.RefundID, res.MerchantRefundID
		},
	}
}

// payermaxSimCases are PayerMax's cases: every documented status, an undocumented
// one, an unknown refund, and error codes of several categories.
func payermaxSimCases() []simCase {
	base := simulator.Refund{Amount: "12345678901234.5678", Currency: "USD", OrderID: "P1642410680681",
		RefundTime: "2022-01-17T09:20:11.123+00:00"}
	return []simCase{
		{name: "succeeded", refund: with(base, "REFUND_SUCCESS", ""), want: answered(refundkit.StatusSucceeded, "REFUND_SUCCESS")},
		{name: "pending", refund: with(base, "REFUND_PENDING", ""), want: answered(refundkit.StatusPending, "REFUND_PENDING")},
		{name: "pending with a tab", refund: with(base, "REFUND_PENDING\t", ""), want: answered(refundkit.StatusPending, "REFUND_PENDING\t")},
		{name: "failed", refund: with(base, "REFUND_FAILED", ""), want: answered(refundkit.StatusFailed, "REFUND_FAILED")},
		{name: "undocumented status", refund: with(base, "REFUND_REVIEWING", ""), want: answered(refundkit.StatusUnknown, "REFUND_REVIEWING")},
		{name: "by refundTradeNo", refund: with(base, "REFUND_SUCCESS", ""), byProviderID: true, want: answered(refundkit.StatusSucceeded, "REFUND_SUCCESS")},
		{name: "not found", unseeded: true, want: failed(refundkit.CategoryNotFound)},
		{name: "SYSTEM_ERROR", refund: with(base, "", "SYSTEM_ERROR"), want: failed(refundkit.CategoryTemporary)},
		{name: "TOO_MANY_REQUEST", refund: with(base, "", "TOO_MANY_REQUEST"), want: failed(refundkit.CategoryRateLimited)},
		{name: "MERCHANT_APP_INVALID", refund: with(base, "", "MERCHANT_APP_INVALID"), want: failed(refundkit.CategoryAuth)},
	}
}
