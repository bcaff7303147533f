package inquiry_test

import (
	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// AlphaPay's part of the harness: the contract, fault and redaction suites
// run it like every other provider.
func init() {
	suites[refundkit.AlphaPay] = suite{
		cases:                    alphapaySimCases,
		errorsSigned:             true, // every answer is signed, errors too
		missingSignatureViolates: true, // the spec requires the Signature header
		echo: func(q refundkit.Query, res *refundkit.Result) (string, string) {
			return q.RefundID, res.ProviderRefundID
		},
	}
}

// alphapaySimCases are AlphaPay's cases: every documented status, an undocumented
// one, an unknown refund, and error codes of several categories.
func alphapaySimCases() []simCase {
	base := simulator.Refund{Amount: "100", Currency: "CAD", ProviderOrderID: "P2019052800001",
		RefundTime: "2019-05-28T12:15:02+08:00", Description: "damaged item"}
	resultU := base
	resultU.SubStatus = "U"
	errorF := func(code string) simulator.Refund { r := base; r.SubStatus, r.Code = "F", code; return r }
	return []simCase{
		{name: "succeeded", refund: with(base, "SUCCESS", ""), want: answered(refundkit.StatusSucceeded, "SUCCESS")},
		{name: "pending", refund: with(base, "REFUND_IN_PROCESS", ""), want: answered(refundkit.StatusPending, "REFUND_IN_PROCESS")},
		{name: "failed", refund: with(base, "FAILED", ""), want: answered(refundkit.StatusFailed, "FAILED")},
		{name: "undocumented status", refund: with(base, "REFUND_REVERSED", ""), want: answered(refundkit.StatusUnknown, "REFUND_REVERSED")},
		{name: "resultStatus U", refund: resultU, want: answered(refundkit.StatusPending, "U")},
		{name: "with refundRequestId", refund: with(base, "SUCCESS", ""), withRequestID: true, want: answered(refundkit.StatusSucceeded, "SUCCESS")},
		{name: "not found", unseeded: true, want: failed(refundkit.CategoryNotFound)},
		{name: "SYSTEM_ERROR", refund: errorF("SYSTEM_ERROR"), want: failed(refundkit.CategoryTemporary)},
		{name: "REQUEST_TRAFFIC_EXCEED_LIMIT", refund: errorF("REQUEST_TRAFFIC_EXCEED_LIMIT"), want: failed(refundkit.CategoryRateLimited)},
		{name: "ACCESS_DENIED", refund: errorF("ACCESS_DENIED"), want: failed(refundkit.CategoryAuth)},
	}
}
