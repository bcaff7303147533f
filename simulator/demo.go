package simulator

import "github.com/refundkit/refundkit"

// DemoRefunds returns refunds for provider p in every status the provider
// can express, with the provider's raw values, for demos and smoke tests:
// succeeded, pending (where the provider has a pending value), failed, and
// one status value the provider never documented. Refund ids start with
// "demo-<provider>-" and end with the status they are meant to show.
//
// NewPay v1 documents no pending status; its demo instead has a refund in the
// refundSuccess style of NewPay's own published example. AlphaPay has two
// pending refunds: refundStatus REFUND_IN_PROCESS, and resultStatus U.
func DemoRefunds(p refundkit.Provider) []Refund {
	switch p {
	case refundkit.NewPay:
		base := Refund{Amount: "50000", Currency: "LAK", OrderID: "ORDERNO000000000A104",
			ProviderOrderID: "202209076000000321", TransactionID: "00012022090700000037"}
		return []Refund{
			with(p, base, "demo-newpay-succeeded", "202209078000000701", "1", "success"),
			with(p, base, "demo-newpay-succeeded-example", "202209078000000702", "true", ""),
			with(p, base, "demo-newpay-failed", "202209078000000703", "0", "refund rejected"),
			with(p, base, "demo-newpay-unknown", "202209078000000704", "7", ""),
		}
	case refundkit.PayerMax:
		base := Refund{Amount: "10000", Currency: "IDR", OrderID: "P1642410680681", RefundTime: "2022-01-17T09:20:11.123+00:00"}
		pending := with(p, base, "demo-payermax-pending", "20220117091657TI790000055002", "REFUND_PENDING", "")
		pending.Amount, pending.Currency, pending.RefundTime = "12345678901234.5678", "USD", ""
		return []Refund{
			with(p, base, "demo-payermax-succeeded", "20220117091657TI790000055001", "REFUND_SUCCESS", ""),
			pending,
			with(p, base, "demo-payermax-failed", "20220117091657TI790000055003", "REFUND_FAILED", "Refund rejected by the issuing bank."),
			with(p, base, "demo-payermax-unknown", "20220117091657TI790000055004", "REFUND_REVIEWING", ""),
		}
	case refundkit.ZaloPay:
		return []Refund{
			{RefundID: "230407_2554_demo_succeeded", Status: "1", SubStatus: "1"},
			{RefundID: "230407_2554_demo_pending", Status: "3", SubStatus: "3"},
			{RefundID: "230407_2554_demo_failed", Status: "2", SubStatus: "-3", SubMessage: "refund rejected"},
			{RefundID: "230407_2554_demo_unknown", Status: "4", SubStatus: "4"},
		}
	case refundkit.AlphaPay:
		base := Refund{Amount: "100", Currency: "CAD", ProviderOrderID: "P2019052800001",
			RefundTime: "2019-05-28T12:15:02+08:00", Description: "damaged item"}
		unsure := with(p, base, "demo-alphapay-pending-result-u", "RR-1005", "", "")
		unsure.SubStatus = "U"
		return []Refund{
			with(p, base, "demo-alphapay-succeeded", "RR-1001", "SUCCESS", ""),
			with(p, base, "demo-alphapay-pending", "RR-1002", "REFUND_IN_PROCESS", ""),
			with(p, base, "demo-alphapay-failed", "RR-1003", "FAILED", ""),
			with(p, base, "demo-alphapay-unknown", "RR-1004", "REFUND_REVERSED", ""),
			unsure,
		}
	}
	return nil
}

// with returns a copy of base for one demo refund. The second id is the
// provider's refund id, except for AlphaPay, whose inquiry takes its own id
// and whose second id is the merchant's refundRequestId.
func with(p refundkit.Provider, base Refund, refundID, otherID, status, message string) Refund {
	r := base
	r.RefundID, r.Status, r.Message = refundID, status, message
	if p == refundkit.AlphaPay {
		r.RefundRequestID = otherID
	} else {
		r.ProviderRefundID = otherID
	}
	return r
}
