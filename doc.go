// Package refundkit asks payment providers "what happened to this refund?"
// and answers in one shared vocabulary.
//
// This root package holds the small domain types every other package shares:
// [Provider], [Query], [Result], the shared [Status], the exact [Money] type
// and the error categories. They live here, in the package named after the
// project, so that inquiry/, simulator/ and the command can all import them
// without importing each other (the "root package is for domain types"
// layout). The provider clients themselves live in package inquiry.
//
// # Asking about a refund
//
// Build one client per provider with package inquiry, then call Inquire:
//
//	client, err := inquiry.New(inquiry.PayerMaxConfig{...})
//	res, err := client.Inquire(ctx, refundkit.Query{RefundID: "R1642411016202"})
//	switch {
//	case err != nil:
//		// no answer: see the error categories below
//	case res.Status == refundkit.StatusSucceeded:
//		// the money went back
//	}
//
// # Statuses
//
// Every answer maps to one of four statuses:
//
//	provider  field(s)                          succeeded         pending                       failed             unknown
//	NewPay    data.tranStatus (refundSuccess)   1 (true)          -                             0 (false)          anything else
//	PayerMax  data.status                       REFUND_SUCCESS    REFUND_PENDING                REFUND_FAILED      anything else
//	ZaloPay   return_code, sub_return_code      1                 3                             2 (*)              anything else
//	AlphaPay  result.resultStatus, refundStatus SUCCESS           REFUND_IN_PROCESS, or U       FAILED             anything else
//
// (*) unless sub_return_code is a request-level code (invalid request,
// authentication, rate limit, system error), which makes it an error.
//
// A status the provider adds tomorrow becomes [StatusUnknown] with the raw
// value kept in [Result.ProviderStatus]; it is never guessed, and never
// treated as failed.
//
// # Errors
//
// An inquiry that gets no trustworthy answer returns an [*Error]. Its
// [Category] says what kind of failure it is, and errors.Is works with the
// sentinels:
//
//	errors.Is(err, refundkit.ErrNotFound)      // the provider does not know the refund
//	errors.Is(err, refundkit.ErrSignature)     // the response was not signed by the provider
//	errors.Is(err, refundkit.ErrTemporary)     // try again later
//
// errors.As(err, &e) with e of type *refundkit.Error gives the provider, HTTP
// status, provider code and message.
//
// # Money
//
// Amounts are never floats. [Money] keeps the provider's decimal digits
// exactly, in major units, with the ISO 4217 currency; amounts that a
// provider sends in minor units (AlphaPay) are converted by moving the
// decimal point, never by arithmetic on binary fractions.
package refundkit
