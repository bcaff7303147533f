package inquiry

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
	gen "github.com/refundkit/refundkit/gen/alphapay"
	"github.com/refundkit/refundkit/internal/ptr"
	"github.com/refundkit/refundkit/sign"
)

// AlphaPay's hosts, one per account currency [doc]. AlphaPay has no public
// sandbox.
const (
	// AlphaPayCADURL is the host for merchant accounts in CAD.
	AlphaPayCADURL = "https://openapi.alphapay.ca"
	// AlphaPayUSDURL is the host for merchant accounts in USD; pass it to
	// WithBaseURL.
	AlphaPayUSDURL = "https://openapi.alphapay.com"
	// AlphaPayProductionURL is the default host, AlphaPayCADURL.
	AlphaPayProductionURL = AlphaPayCADURL
)

// alphaPayContentType is the request's Content-Type [doc].
const alphaPayContentType = "application/json; charset=UTF-8"

// AlphaPayConfig holds a merchant's AlphaPay credentials and keys.
//
// A client built from AlphaPayConfig asks AlphaPay's Open API v2.0 inquiryRefund about a refund, by
// AlphaPay's refund id (Query.RefundID is refundId; Query.RefundRequestID is
// the optional merchant refund id, refundRequestId). It is safe for
// concurrent use.
//
// # Signatures
//
// Each attempt signs the exact body bytes with a new Request-Time and Nonce.
// The path signed is the path the request is sent to, which is AlphaPay's
// /api/v2.0/payments/inquiryRefund unless the base URL adds a prefix. Every
// HTTP 2xx response must carry Response-Time, Nonce and Signature headers
// that verify over its exact body with AlphaPay's public key: a missing
// header is a signature error wrapping sign.ErrMissingSignature, a bad or
// malformed one wraps sign.ErrInvalidSignature. This holds for error
// answers too (AlphaPay's own SDK skips the check when headers are missing;
// this client does not).
//
// A verified answer must also be fresh: its Response-Time must parse as RFC
// 3339 and lie within AlphaPayConfig.ResponseWindow (five minutes by
// default) of the Clock option's time, and its Nonce must be 32 hex
// characters; otherwise it is a signature error wrapping
// sign.ErrStaleSignature. Without this an old signed answer, such as an F
// "refund does not exist", could be replayed forever.
//
// # Status mapping
//
// result.resultStatus F is an error, its category chosen by resultCode (see
// the source, alphaPayCodes; every row [assumed], as AlphaPay publishes no
// list; an unlisted code is an invalid-response error). U is pending. S
// hands over to refundStatus: SUCCESS succeeded, REFUND_IN_PROCESS pending,
// FAILED failed (compared after trimming white space), anything else unknown
// with the raw value in ProviderStatus. A resultStatus other than S, F or U
// is unknown too, with that value in ProviderStatus. A missing result,
// resultStatus, or (with S) refundStatus is an invalid-response error.
//
// # Echo
//
// A response's refundId must equal Query.RefundID, and its refundRequestId
// Query.RefundRequestID when that is given; otherwise the answer is an
// invalid-response error. With resultStatus S both must be present; a U or F
// answer may leave them out but may not contradict the query.
//
// # Result
//
// Amount is refund.refundAmount converted from minor units with the
// currency's exponent (see AlphaPayConfig.CurrencyExponents); a value or
// currency that does not parse is an invalid-response error. RefundedAt is
// refundTime, which AlphaPay documents only as "Refund Time", in RFC 3339
// (offsets without a colon are accepted too); a time in any other shape,
// or without an offset, leaves RefundedAt zero (logged at debug level)
// rather than discard a verified status over a timestamp. ProviderRefundID
// is refundId, MerchantRefundID refundRequestId, ProviderOrderID paymentId,
// ProviderCode and ProviderMessage result.resultCode and resultMessage.
type AlphaPayConfig struct {
	// MerchantCode is the merchant code AlphaPay issued (the Merchant-Code
	// header, also part of every signed content). Required.
	MerchantCode string
	// PrivateKey is the merchant's RSA key; it signs requests. Required.
	PrivateKey *sign.PrivateKey
	// PublicKey is AlphaPay's RSA public key; it verifies every response.
	// Required, unless WithInsecureSkipVerify is given.
	PublicKey *sign.PublicKey
	// KeyVersion is the keyVersion sent in the Signature header, decimal
	// digits; empty means sign.AlphaPayDefaultKeyVersion ("1").
	KeyVersion string
	// RequestTimeLayout formats the Request-Time header; empty means
	// sign.AlphaPayTimeLayout (RFC 3339, an [assumed] reading of AlphaPay's
	// "ISO 8601"). The time comes from the Clock option, in its location.
	RequestTimeLayout string
	// Nonce makes the Nonce header, called afresh for every attempt; nil
	// means sign.RandomNonce (32 hex characters from crypto/rand). Set it
	// only to reproduce a request in a test.
	Nonce sign.NonceFunc
	// ResponseWindow is how far an answer's Response-Time may lie from the
	// client's clock (the Clock option), either way; an answer outside it,
	// or whose time does not parse or whose Nonce is not 32 hex characters,
	// is a signature error, however valid its signature: it may be a
	// replay. Zero means sign.AlphaPayDefaultFreshness, five minutes
	// [assumed]; negative is a configuration error.
	ResponseWindow time.Duration
	// CurrencyExponents overrides refundkit.CurrencyExponent for the
	// currencies it names: AlphaPay returns amounts in minor units, and this
	// table says how many of them make a major unit (2 for CAD: "100" is
	// 1.00 CAD). An amount in a currency known to neither is an
	// invalid-response error, never a guess.
	CurrencyExponents map[string]int
	// ErrorCodes adds rows to, or replaces rows of, the [assumed] table that
	// sorts the resultCode of a resultStatus F answer into error categories,
	// for codes AlphaPay documents later or assumptions that turn out
	// wrong. Nil means the built-in table alone.
	ErrorCodes map[string]refundkit.Category
}

// alphapayClient is AlphaPay's backend; [New] builds it from a [AlphaPayConfig].
type alphapayClient struct {
	core
	signer    sign.AlphaPay
	nonce     sign.NonceFunc
	window    time.Duration  // ResponseWindow, defaulted
	path      string         // the escaped path requests go to, as signed
	exponents map[string]int // the caller's CurrencyExponents, copied
}

// Provider reports that the configuration is AlphaPay's.
func (AlphaPayConfig) Provider() refundkit.Provider { return refundkit.AlphaPay }

// client builds an AlphaPay client. A missing merchant code or key, a
// malformed KeyVersion or CurrencyExponents entry, or an unusable base URL
// is an error in refundkit.CategoryInvalidRequest.
func (cfg AlphaPayConfig) client(opts []Option) (*core, error) {
	c := &alphapayClient{nonce: cfg.Nonce, window: cfg.ResponseWindow}
	c.core = newCore(refundkit.AlphaPay, c, signedAlways, opts)
	if err := c.checkID("config: MerchantCode", cfg.MerchantCode, 0); err != nil {
		return nil, err
	}
	if err := c.checkKeys(cfg.PrivateKey, cfg.PublicKey); err != nil {
		return nil, err
	}
	if cfg.KeyVersion != "" && strings.Trim(cfg.KeyVersion, "0123456789") != "" {
		return nil, c.invalidRequest("config: KeyVersion %q is not a decimal number", cfg.KeyVersion)
	}
	if c.window < 0 {
		return nil, c.invalidRequest("config: ResponseWindow %s is negative", c.window)
	}
	if c.window == 0 {
		c.window = sign.AlphaPayDefaultFreshness
	}
	c.exponents = make(map[string]int, len(cfg.CurrencyExponents))
	for cur, exp := range cfg.CurrencyExponents {
		if _, err := refundkit.MoneyFromMinor("0", cur, exp); err != nil {
			return nil, c.invalidRequest("config: CurrencyExponents: %w", err)
		}
		c.exponents[cur] = exp
	}
	if err := c.setCodes(cfg.ErrorCodes, alphaPayCodes); err != nil {
		return nil, err
	}
	if c.nonce == nil {
		c.nonce = sign.RandomNonce
	}
	c.signer = sign.AlphaPay{
		MerchantCode: cfg.MerchantCode,
		PrivateKey:   cfg.PrivateKey,
		PublicKey:    cfg.PublicKey,
		KeyVersion:   cfg.KeyVersion,
		TimeLayout:   cfg.RequestTimeLayout,
	}
	base, err := c.baseURLOrDefault(AlphaPayProductionURL)
	if err != nil {
		return nil, err
	}
	if c.proto, err = c.prototype(gen.NewInquiryRefundRequestWithBody(base.String(), nil, alphaPayContentType, nil)); err != nil {
		return nil, err
	}
	c.proto.Header.Set("Accept", "application/json")
	// The path signed is the path sent, base URL prefix included.
	c.path = c.proto.URL.EscapedPath()
	return &c.core, nil
}

// AlphaPayQuery is the Query fields AlphaPay takes. AlphaPay publishes no
// maximum length for either id.
var AlphaPayQuery = takes(refundkit.AlphaPay, QueryFields{
	RefundID:        &QueryField{Name: "refundId", Required: true},
	RefundRequestID: &QueryField{Name: "refundRequestId"},
})

func (c *alphapayClient) check(q refundkit.Query) error { return AlphaPayQuery.check(&c.core, q) }

// encode signs the body with a fresh Request-Time and Nonce. The signed
// headers are set directly, not through gen.InquiryRefundParams: the
// generated code styles each header parameter by reflection on every call,
// only to send the string unchanged.
func (c *alphapayClient) encode(q refundkit.Query, now time.Time, dst http.Header) ([]byte, error) {
	body, err := json.Marshal(gen.InquiryRefundRequest{RefundID: q.RefundID, RefundRequestID: ptr.NonZero(q.RefundRequestID)})
	if err != nil {
		return nil, err
	}
	h, err := c.signer.Sign(http.MethodPost, c.path, body, now, c.nonce())
	if err != nil {
		return nil, err
	}
	h.SetRequest(dst)
	return body, nil
}

// verify checks the Signature header over the exact body, on every answer,
// then that the answer is fresh: the signature binds Response-Time and
// Nonce, and only a fresh one shows the answer is not a recording.
func (c *alphapayClient) verify(r *response) error {
	if err := c.signer.VerifyResponse(http.MethodPost, c.path, r.header, r.body); err != nil {
		return err
	}
	return c.signer.CheckFresh(r.header.Get(sign.AlphaPayHeaderResponseTime), r.header.Get(sign.AlphaPayHeaderNonce),
		c.opts.Clock(), c.window)
}

func (c *alphapayClient) decode(ctx context.Context, r *response, q refundkit.Query) (*refundkit.Result, error) {
	var out gen.InquiryRefundResponse
	if err := c.decodeJSON(r, &out); err != nil {
		return nil, err
	}
	return c.result(ctx, r, &out, q)
}
