// Package sign signs refund-inquiry requests and verifies responses for each
// provider refundkit supports. It is a plain library over bytes: no network,
// no generated code, no global clock. Everything a signature depends on (the
// time, the nonce, the exact body) is an argument, so every function here can
// be tested against known answers, and the standard library is its only
// dependency.
//
// # Keys
//
// [ParsePrivateKey] and [ParsePublicKey] read PEM (PKCS#8, PKCS#1, SPKI,
// certificates) and bare base64 DER as provider portals hand it out;
// [ReadPrivateKeyFile] and [ReadPublicKeyFile] read files; [NewPrivateKey]
// wraps a key made in memory. Parse keys once and share them: a
// [PrivateKey] is checked and precomputed, and safe for concurrent use.
// Failures wrap [ErrNotKey], [ErrWrongKeyType], [ErrKeyTooSmall] or
// [ErrEncryptedKey]. Keys and the [Secret] type (ZaloPay's key1) print as a
// placeholder under every fmt verb, in errors and in log/slog.
//
// # Providers
//
// One value type per provider holds its keys and options; the zero value of
// an option is the documented default. The PrivateKey field signs what goes
// out and the PublicKey field verifies what comes in, so the same types serve
// a client (merchant private key, provider public key) and a simulator
// (provider private key, merchant public key).
//
//   - [NewPay]: RSA over the canonical string name=value&… of
//     [NewPayCanonical] / [NewPayCanonicalJSON], carried in a sign member.
//     [NewPay.SignJSON] sets sign in a marshalled body; [NewPay.VerifyJSON]
//     verifies the response's data object from its raw bytes.
//   - [PayerMax]: RSA over the exact body, carried in the sign header.
//   - [ZaloPay]: an HMAC-SHA256 mac over app_id|m_refund_id|timestamp.
//     ZaloPay signs no response ([ZaloPayResponsesSigned] is false), so there
//     is nothing to verify and no function pretends to.
//   - [AlphaPay]: RSA over method, path, Merchant-Code, time, nonce and body,
//     carried in the Signature header; responses are signed the same way.
//     [AlphaPay.CheckFresh] checks the signed time and nonce, so that a
//     recorded message stops being accepted after a few minutes.
//
// # Verification fails closed
//
// A verifier returns nil only for a present, well-formed, matching
// signature. A missing signature (or a missing signed header) is
// [ErrMissingSignature], never a reason to skip; anything malformed or
// mismatching is [ErrInvalidSignature] ([ErrMalformedSignature] matches it
// too). Verify the exact bytes received, before decoding them. MACs are
// compared in constant time.
//
// # One signature, one reading
//
// NewPay's canonical string writes values unescaped, so without a rule
// {"tranInfo":"rejected&tranStatus=1"} and {"tranInfo":"rejected",
// "tranStatus":1} would share one string and one signature. Every canonical
// string here, signed or verified, from JSON or from Go values, is built by
// one function that accepts only members whose name is non-empty printable
// text without "&" or "=", and whose value (the decoded string, or the
// literal text of a number or boolean) has no "&" or "=". Null members and
// sign are left out before the check. Anything else is
// [ErrAmbiguousCanonical], which [NewPay.VerifyJSON] reports as
// [ErrInvalidSignature] and [NewPay.SignJSON] refuses to sign. With names
// unique (names equal under case folding count as duplicates) the accepted
// objects and their strings correspond one to one, so no signature verifies
// two different accepted answers (FuzzNewPayCanonicalInjective checks this).
// Two limits remain, both outside a verifier's reach: the string does not
// record JSON types ("1" and 1 both give a=1; decoding into typed fields
// rejects the wrong type), and should NewPay itself sign an object with "&"
// or "=" in a value, refundkit rejects that object but would accept the
// other reading of its signature; only escaping on NewPay's side could
// close that. ZaloPay's mac input app_id|m_refund_id|timestamp is injective
// as it is: the only free text lies between two decimal integers. AlphaPay
// signs the exact body last, after the merchant code the verifier knows and
// a time and nonce whose shapes [AlphaPay.CheckFresh] fixes (no "." in a
// 32-hex nonce), so its parts cannot shift either.
//
// # Plugging into the generated clients
//
// Package inquiry, refundkit's front door, drives the oapi-codegen
// clients like this, once per attempt:
//
//  1. marshal the request body once, with a fresh time (and nonce);
//  2. call this package to get the signature: a body member for NewPay
//     ([NewPay.SignJSON]) and ZaloPay ([ZaloPay.MAC]), headers for PayerMax
//     ([PayerMax.Sign]) and AlphaPay ([AlphaPay.Sign], whose
//     [AlphaPayHeaders] fill the generated header parameters one for one);
//  3. send exactly those bytes with the generated ...WithBody(ctx, [params,]
//     contentType, body) method;
//  4. read the response body, verify it, and only then decode it.
//
// Retries wrap the whole build-sign-send attempt, so every attempt carries a
// new timestamp, nonce and signature and the bytes signed are always the
// bytes sent. The package offers no http.RoundTripper: signing there would
// hide which bytes were signed from the code that built them, and a
// transport that retries would replay a stale signature.
//
// For code that uses a generated client directly, [PayerMax.RequestEditor]
// and [AlphaPay.RequestEditor] return a [RequestEditor], a plain func with
// the shape of oapi-codegen's RequestEditorFn, assignable to it without a
// conversion. Each call signs the request's exact body (read through
// req.GetBody; the body itself is left unread) and, for AlphaPay, draws a new
// time and nonce.
//
// # Assumptions
//
// Where a provider's documentation is silent (marked [assumed] in
// refundkit's provider notes) the choice lives in exactly one named default,
// with a per-value override:
//
//   - NewPay signature encoding: [NewPaySignatureEncoding], override
//     [NewPay].Encoding.
//   - NewPay timestamp unit (milliseconds): [NewPayTimestampUnit], override
//     [NewPay].TimestampUnit.
//   - NewPay response canonical string over the members of data except sign:
//     [NewPay.VerifyJSON]; for another rule build the string yourself and call
//     [NewPay.Verify].
//   - PayerMax requestTime offset spelled "+00:00" for UTC:
//     [PayerMaxTimeLayout].
//   - AlphaPay Request-Time spelled as RFC 3339: [AlphaPayTimeLayout],
//     override [AlphaPay].TimeLayout.
//   - AlphaPay freshness window of five minutes either way for the time
//     header of a signed message: [AlphaPayDefaultFreshness], override the
//     window argument of [AlphaPay.CheckFresh].
package sign
