package refundkit

import (
	"context"
	"time"
)

// Inquirer asks one provider what happened to a refund. Every provider client
// in package inquiry implements it, so code that reconciles refunds can treat
// all providers alike.
//
// Inquire returns a Result whose Status is one of the shared statuses, or an
// error of type *Error whose Category says what went wrong. It never returns
// both.
type Inquirer interface {
	// Provider reports which provider the client asks.
	Provider() Provider
	// Inquire asks about one refund. It validates q before any network
	// call, and honours ctx's cancellation and deadline at once.
	Inquire(ctx context.Context, q Query) (*Result, error)
}

// Query names the refund to ask about. Which fields a provider takes:
//
//	provider  RefundID          ProviderRefundID      RefundRequestID
//	NewPay    refundOrderNo     -                     -
//	NewPay2   mchRefundNo       newpayRefundNo        -
//	PayerMax  outRefundNo       refundTradeNo         -
//	ZaloPay   m_refund_id       -                     -
//	AlphaPay  refundId          -                     refundRequestId (optional)
//
// PayerMax and NewPay v2 need RefundID or ProviderRefundID (or both); every
// other provider needs RefundID. A field the provider does not take is an
// invalid-request error, so a mistake never goes unnoticed (package inquiry
// holds these rules: inquiry.QueryFieldsOf, inquiry.CheckQuery).
type Query struct {
	// RefundID is the identifier the provider's inquiry takes. For NewPay,
	// PayerMax and ZaloPay it is the merchant's own refund number; for
	// AlphaPay it is AlphaPay's refund id.
	RefundID string
	// ProviderRefundID is the provider's own refund number, where its
	// inquiry takes one: PayerMax's refundTradeNo, NewPay v2's
	// newpayRefundNo.
	ProviderRefundID string
	// RefundRequestID is AlphaPay's optional merchant refund id
	// (refundRequestId).
	RefundRequestID string
}

// Result is a provider's answer in the shared vocabulary.
type Result struct {
	// Provider is the provider that answered.
	Provider Provider
	// Status is the shared status; see the package documentation for the
	// mapping.
	Status Status
	// ProviderStatus is the provider's status value exactly as received
	// (NewPay tranStatus or refundSuccess, PayerMax status, ZaloPay
	// return_code, AlphaPay refundStatus).
	ProviderStatus string
	// ProviderCode and ProviderMessage are the provider's result code and
	// message (for ZaloPay, the sub_return_code and its message).
	ProviderCode    string
	ProviderMessage string
	// MerchantRefundID and ProviderRefundID are the merchant's and the
	// provider's refund numbers, where the provider returns them.
	MerchantRefundID string
	ProviderRefundID string
	// MerchantOrderID and ProviderOrderID identify the original payment,
	// where the provider returns them.
	MerchantOrderID string
	ProviderOrderID string
	// RefundedAt is when the provider says the refund completed; the zero
	// time when it does not say.
	RefundedAt time.Time
	// Amount is the refunded amount, exact, in major units; nil when the
	// provider does not return one (ZaloPay never does).
	Amount *Money
	// Verified reports whether the response's signature was checked and
	// matched. It is false for ZaloPay, whose inquiry responses are not
	// signed, and when verification was turned off by the caller.
	Verified bool
	// Raw is the response body exactly as received, for diagnosis.
	Raw []byte
	// Source says where the answer came from: SourceInquiry for an answer
	// to Inquire, SourceNotification for a verified notification the
	// provider pushed (see package notify). A notification is a hint that
	// may be late, repeated or lost; providers ask merchants to confirm it
	// by an inquiry.
	Source Source
}

// Source names where a Result came from.
type Source string

// The sources of a Result.
const (
	// SourceInquiry: the provider answered an inquiry (Inquirer.Inquire).
	SourceInquiry Source = "inquiry"
	// SourceNotification: the provider pushed a notification, received
	// and verified by package notify.
	SourceNotification Source = "notification"
)
