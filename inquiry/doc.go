// Package inquiry asks payment providers what happened to a refund: one
// pipeline that every provider plugs into, over the clients generated from
// the specs (gen/) and the signing code (sign/), answering in refundkit's
// shared vocabulary. It is refundkit's front door.
//
// Build a client with [New] from the provider's configuration
// ([NewPayConfig], [NewPay2Config], [PayerMaxConfig], [ZaloPayConfig],
// [AlphaPayConfig]), giving its credentials and keys, and options ([WithHTTPClient], [WithBaseURL], [WithLogger],
// [WithRetry], [WithRateLimit], ...). Then ask:
//
//	res, err := client.Inquire(ctx, refundkit.Query{RefundID: "R1642411016202"})
//
// # What one inquiry does
//
// Each attempt validates the query (before any network call), builds the
// request body, signs it with a fresh timestamp and nonce, sends exactly the
// signed bytes, reads the response up to [Options.MaxResponseBytes], checks
// the HTTP status, verifies the provider's signature over the exact bytes
// received, and only then decodes the body and maps it to the shared status.
// Transient failures (network errors, HTTP 5xx and 429, the provider's own
// "busy" codes) are retried per [RetryPolicy], each retry signed afresh.
//
// # Trust
//
// A response is trusted only after its signature verifies; a missing or bad
// signature is an error in [refundkit.CategorySignature]. ZaloPay does not
// sign its inquiry responses: its results rely on TLS alone and say so with
// Verified=false. [WithInsecureSkipVerify] turns verification off for
// debugging, and marks every result unverified.
//
// # Many refunds at once
//
// Package bulk runs many inquiries across providers at once, with a
// concurrency limit and polling of pending refunds.
//
// Error answers that carry no status (not found, bad credentials, busy) may
// arrive unsigned, as the providers send them: NewPay's Z00051 and
// PayerMax's ORDER_NOT_EXIST do, NewPay's business code is never under its
// signature, and ZaloPay signs nothing. They never produce a status, but a
// forged "not found" can do real harm: read as "the refund never happened",
// it invites a second refund. So every error says whether it was read from
// an answer whose signature verified, in [refundkit.Error].Verified; treat
// an unverified not_found as unconfirmed.
package inquiry
