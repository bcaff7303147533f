// Package simulator provides fake payment providers for tests, demos and
// local development: one [http.Handler] per provider that answers the
// refund inquiry the way NewPay, PayerMax, ZaloPay and AlphaPay do, with
// real signatures. Think stripe-mock, for every provider refundkit speaks to.
//
// # Starting a simulator
//
// Build a [Simulator] with the provider's identity and keys, seed it with
// refunds, and serve it, typically with net/http/httptest:
//
//	keys, _ := simulator.GenerateKeys() // throwaway RSA 2048 pairs and a key1
//	sim, _ := simulator.New(simulator.PayerMaxConfig{
//		AppID:       "app-1",
//		MerchantKey: keys.Merchant.Public,  // checks request signatures
//		PlatformKey: keys.Platform.Private, // signs responses
//	})
//	_ = sim.Seed(simulator.Refund{RefundID: "R1", Status: "REFUND_SUCCESS", Amount: "10000", Currency: "IDR"})
//	srv := httptest.NewServer(sim)
//
// A client then uses srv.URL as its base URL, keys.Merchant.Private to sign
// and keys.Platform.Public to verify. [New] takes each provider's settings
// type the same way ([NewPayConfig], [ZaloPayConfig], ...); a [Config] holds
// one per provider, and [DemoConfig] with [DemoRefunds] gives a ready-made set for
// every provider (the identities come from the providers' own documentation).
// [Keys.WriteFiles] writes the keys as PEM files for tools that read key
// files, and [Keys.Key1Secret] gives key1 as the sign.Secret a ZaloPay
// client takes. To get SDK clients already wired to running simulators in
// one call, use package inquiry/inquirytest, which sits above this package
// and package inquiry both.
//
// # What a simulator checks
//
// Every request goes through the same steps, and the first that fails
// decides the answer:
//
//  1. path and method: anything but POST to the spec's path gets a plain
//     404 or 405;
//  2. the request against the provider's OpenAPI spec (package specs), with
//     kin-openapi's openapi3filter: headers, content type, body shape,
//     types, lengths, patterns;
//  3. the identity: app id, merchant id or merchant code;
//  4. the request signature, with the merchant's public key (ZaloPay: the
//     mac, with key1, compared in constant time);
//  5. PayerMax only: requestTime within 2 minutes of the simulator's clock.
//
// A request that fails gets the provider's own error answer, with HTTP 200
// as the providers do:
//
//	situation              NewPay               PayerMax            ZaloPay (return/sub)  AlphaPay (resultStatus F)
//	malformed request      B11095, or by field  PARAMS_INVALID      -401 / -401           PARAM_ILLEGAL
//	                       (*)
//	signature missing      Z00005               SIGN_VERIFY_FAILED  -401 / -401 (**)      INVALID_SIGNATURE
//	signature wrong        Z00007 (Z00005 if    SIGN_VERIFY_FAILED  -403 / -403           INVALID_SIGNATURE
//	                       not base64)
//	unknown app/merchant   Z00003 appId,        MERCHANT_INVALID    -402 / -402           ACCESS_DENIED
//	                       Z00044 merchantId
//	stale request time     -                    REQ_TIME_OVER_TIME  -                     -
//	unknown refund         Z00051               ORDER_NOT_EXIST     2 / -401              REFUND_NOT_EXIST
//
// (*) NewPay's field codes: appId Z00001, merchantId Z00021, timestamp
// Z00004, sign Z00005, refundOrderNo Z00049; other problems B11095.
// (**) ZaloPay's mac is a required body field, so a missing one is illegal
// data. ORDER_NOT_EXIST, ZaloPay's 2/-401 for an unknown m_refund_id and all
// AlphaPay result codes are [assumed]: the providers do not publish them.
//
// # What a simulator answers
//
// An accepted inquiry is answered from the store: the refund's raw values
// written where the provider writes them (see [Refund] for the field map),
// signed with the platform key exactly as the provider signs: NewPay's
// data.sign over the canonical string of data; PayerMax's sign header over
// the exact body, on every answer; AlphaPay's Response-Time, Nonce and
// Signature headers over method, path, merchant code and the exact body, on
// every answer. ZaloPay signs nothing. PayerMax amounts are JSON numbers
// with exactly the seeded digits, never passed through a float.
//
// A refund's Code field makes inquiries about it answer with that provider
// error instead (NewPay E9999, PayerMax TOO_MANY_REQUEST, AlphaPay resultStatus
// F with any resultCode; ZaloPay's codes are its Status), which is how a
// test drives a client through the provider's error codes. A refund's
// [Transition] list scripts its later states: pending now, succeeded after two
// inquiries.
//
// # Faults
//
// [Simulator.Faults] returns an [Injector] that makes accepted inquiries
// misbehave: HTTP 500, 429 with Retry-After, a slow answer that gives up as
// soon as the client does, a truncated body, a body over 1 MiB, a bad or
// missing response signature, a status value nobody documented, an echoed
// refund id that is not the one asked for, a reset connection. Faults can be
// on for every inquiry ([Injector.Always]), for the next n ([Injector.Next]),
// or chosen per inquiry by a [FaultFunc] — the fault-injection suite's
// random choice, which it records to know what each request got. The
// injector counts inquiries per fault.
//
// # Pushed notifications
//
// [Simulator.SetPush] makes a PayerMax, NewPay or AlphaPay simulator push
// signed refund notifications to a merchant's URL whenever a seeded refund
// is final (at Seed, or when a [Transition] makes it final), built from the
// callback in the provider's spec and signed as the provider signs. Each
// follows the provider's retry schedule until acknowledged with the
// provider's expected answer: PayerMax's ladder (0 s, 30 s, 5 min, 10 min,
// 1 h, 12 h), NewPay's 1 + 3 attempts 5 minutes apart, AlphaPay's single
// push; [PushConfig].TimeScale compresses the delays for tests.
// [Simulator.SetPushFault] sends a bad signature, every attempt twice, a
// stale time, another merchant's identity or a truncated body;
// [Simulator.PushLog] records every attempt and its answer,
// [Simulator.WaitPush] waits for the schedules to end and
// [Simulator.StopPush] cancels them. ZaloPay has no refund callback
// ([ErrNoPush]).
//
// # Contract tests
//
// [NewValidatingTransport] wraps a client's http.RoundTripper and checks
// every request the client sends and every response it receives against
// the provider's spec, recording [Violation]s (or, with [FailOnViolation],
// failing the round trip). Put it in the *http.Client of the client under
// test, run the scenarios, and require [ValidatingTransport.Violations] to
// be empty and [ValidatingTransport.Checked] to be non-zero.
//
// # Concurrency and cost
//
// Simulators, injectors and validating transports are safe for concurrent
// use. Specs are loaded and validators built once per provider and shared;
// keys are parsed once, when the configuration is made. Per request a
// simulator validates, verifies one signature and makes one (NewPay, PayerMax,
// AlphaPay), so thousands of concurrent inquiries are fine.
//
// The simulator never imports package inquiry: it is built on the specs and
// on package sign only, so it can test package inquiry without sharing its bugs.
package simulator
