// Package notify receives the refund notifications providers push, and
// makes the correct endpoint one line:
//
//	h, err := notify.New(cfg, func(ctx context.Context, n notify.Notification) error {
//		return record(ctx, n.Result) // the shared vocabulary, as from Inquire
//	})
//	http.Handle("/notify/payermax", h)
//
// PayerMax, NewPay (API v1) and AlphaPay push; ZaloPay has no refund
// callback, so its refunds can only be polled with Inquire. NewPay v2's
// callback format is not published and is not supported.
//
// # What a handler does, in order
//
//  1. reads the body, up to a size cap (WithMaxBodyBytes);
//  2. verifies the provider's signature over the exact bytes received,
//     before decoding anything (package sign, the same functions the
//     inquiry uses): a missing or bad signature is refused, never
//     acknowledged, never delivered;
//  3. decodes the body into the types generated from the provider's spec
//     (the callback in specs/);
//  4. checks that the app or merchant it names is ours, and that the time
//     the provider stamped is within a window (WithTimeWindow);
//  5. maps it onto refundkit.Result exactly as an inquiry would (status,
//     exact amount, provider status, ids), with Source
//     refundkit.SourceNotification;
//  6. de-duplicates it through a Store (WithStore; in memory by default):
//     a notification delivered before is acknowledged again but not
//     delivered again;
//  7. optionally confirms it by an inquiry (WithConfirm), as every provider
//     recommends: the delivered Result is then the inquiry's;
//  8. calls the user's DeliverFunc;
//  9. acknowledges with the provider's exact expected answer only after
//     that function returned nil. An error or a panic leaves the
//     notification unacknowledged, so the provider retries (PayerMax and
//     NewPay do; AlphaPay pushes once).
//
// Every refusal is an *Error with a Reason (errors.Is works with the
// sentinels: ErrSignature, ErrWrongMerchant, ErrStale, ErrMalformed, …) and
// an HTTP status: 4xx for a notification refused for good, 409 for one
// being delivered concurrently, 5xx for one that could not be delivered
// yet. Handler.Handle takes the raw path, headers and body, for users with
// their own router.
//
// A notification is a hint: it may be late, repeated, lost or forged. Keep
// polling refunds that stay pending; package inquiry does that.
package notify
