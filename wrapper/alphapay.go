package wrapper

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
	gen "github.com/refundkit/refundkit/gen/alphapay"
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

// AlphaPay asks AlphaPay's Open API v2.0 inquiryRefund about a refund, by
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
type AlphaPay struct {
	core
	proto     *http.Request // built by gen.NewInquiryRefundRequestWithBody; see core.prototype
	signer    sign.AlphaPay
	nonce     sign.NonceFunc
	window    time.Duration  // ResponseWindow, defaulted
	path      string         // the escaped path requests go to, as signed
	exponents map[string]int // the caller's CurrencyExponents, copied
}

var _ refundkit.Inquirer = (*AlphaPay)(nil)

// NewAlphaPay returns an AlphaPay client. A missing merchant code or key, a
// malformed KeyVersion or CurrencyExponents entry, or an unusable base URL
// is an error in refundkit.CategoryInvalidRequest.
func NewAlphaPay(cfg AlphaPayConfig, opts ...Option) (*AlphaPay, error) {
	c := &AlphaPay{core: newCore(refundkit.AlphaPay, opts), nonce: cfg.Nonce, window: cfg.ResponseWindow}
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
	return c, nil
}

// Inquire asks AlphaPay about the refund q.RefundID (refundId), with
// q.RefundRequestID (refundRequestId) if given. q.ProviderRefundID must be
// empty.
func (c *AlphaPay) Inquire(ctx context.Context, q refundkit.Query) (*refundkit.Result, error) {
	if c == nil {
		return nil, nilClient(refundkit.AlphaPay)
	}
	// AlphaPay publishes no maximum length for either id.
	if err := c.checkID("refundId (RefundID)", q.RefundID, 0); err != nil {
		return nil, err
	}
	req := gen.InquiryRefundRequest{RefundID: q.RefundID}
	if q.RefundRequestID != "" {
		if err := c.checkID("refundRequestId (RefundRequestID)", q.RefundRequestID, 0); err != nil {
			return nil, err
		}
		req.RefundRequestID = &q.RefundRequestID
	}
	if err := c.checkUnused("ProviderRefundID", q.ProviderRefundID); err != nil {
		return nil, err
	}
	// The body is the same for every attempt; its signature is not.
	body, err := json.Marshal(req)
	if err != nil {
		return nil, c.invalidRequest("encode request: %w", err)
	}
	return c.run(ctx, func(ctx context.Context) (*refundkit.Result, error) { return c.attempt(ctx, q, body) })
}

// attempt signs body with a fresh Request-Time and Nonce, sends it, and
// verifies and maps the answer.
func (c *AlphaPay) attempt(ctx context.Context, q refundkit.Query, body []byte) (*refundkit.Result, error) {
	h, err := c.signer.Sign(http.MethodPost, c.path, body, c.opts.Clock(), c.nonce())
	if err != nil {
		return nil, c.invalidRequest("sign request: %w", err)
	}
	// The signed headers are set directly, not through
	// gen.InquiryRefundParams: the generated code styles each header
	// parameter by reflection on every call, only to send the string
	// unchanged.
	r, err := c.receive(c.send(ctx, c.proto, body, h.SetRequest))
	if err != nil {
		return nil, err
	}
	if !c.opts.InsecureSkipVerify {
		if err := c.signer.VerifyResponse(http.MethodPost, c.path, r.header, r.body); err != nil {
			return nil, c.fail(refundkit.CategorySignature, r, "", "", fmt.Errorf("verify response: %w", err))
		}
		// The signature binds Response-Time and Nonce; only a fresh one
		// shows the answer is not a recording.
		if err := c.signer.CheckFresh(r.header.Get(sign.AlphaPayHeaderResponseTime), r.header.Get(sign.AlphaPayHeaderNonce),
			c.opts.Clock(), c.window); err != nil {
			return nil, c.fail(refundkit.CategorySignature, r, "", "", fmt.Errorf("verify response: %w", err))
		}
		r.verified = true // the whole body, F answers included
	}
	var out gen.InquiryRefundResponse
	if err := c.decode(r, &out); err != nil {
		return nil, err
	}
	return c.result(ctx, r, &out, q)
}

// result maps a verified, decoded answer to a Result or an error.
func (c *AlphaPay) result(ctx context.Context, r *response, out *gen.InquiryRefundResponse, q refundkit.Query) (*refundkit.Result, error) {
	if out.Result == nil {
		return nil, c.invalidResponse(r, "result is missing")
	}
	resultStatus := strings.TrimSpace(textOf(out.Result.ResultStatus))
	code, msg := textOf(out.Result.ResultCode), textOf(out.Result.ResultMessage)
	// Only U and F answers may leave the ids out: any other answer yields a
	// status, which must name the refund it is about.
	if err := c.checkEcho(r, out, q, resultStatus != "U" && resultStatus != "F"); err != nil {
		return nil, err
	}
	res := &refundkit.Result{
		Provider:         refundkit.AlphaPay,
		ProviderStatus:   textOf(out.RefundStatus),
		ProviderCode:     code,
		ProviderMessage:  msg,
		ProviderRefundID: textOf(out.RefundID),
		MerchantRefundID: textOf(out.RefundRequestID),
		ProviderOrderID:  textOf(out.PaymentID),
		Verified:         !c.opts.InsecureSkipVerify,
		Raw:              r.body,
	}
	switch resultStatus {
	case "":
		return nil, c.invalidResponse(r, "result.resultStatus is missing")
	case "F":
		return nil, c.codeError(r, strings.TrimSpace(code), msg)
	case "U": // outcome unknown or in between: ask again
		res.Status = refundkit.StatusPending
		if res.ProviderStatus == "" {
			res.ProviderStatus = "U" // the value that decided, when refundStatus is absent
		}
	case "S":
		if out.RefundStatus == nil {
			return nil, c.invalidResponse(r, "refundStatus is missing")
		}
		res.Status = statusFromAlphaPay(*out.RefundStatus)
	default:
		res.Status, res.ProviderStatus = refundkit.StatusUnknown, textOf(out.Result.ResultStatus)
	}
	amount, err := c.amount(out.Refund)
	if err != nil {
		return nil, c.invalidResponse(r, "refund.refundAmount: %w", err)
	}
	res.Amount = amount
	if t := textOf(out.RefundTime); t != "" {
		var ok bool
		if res.RefundedAt, ok = parseProviderTime(t); !ok {
			c.opts.Logger.LogAttrs(ctx, slog.LevelDebug, "refundkit: alphapay refundTime is not RFC 3339; RefundedAt left zero",
				slog.String("provider", string(c.provider)), slog.Int("length", len(t)))
		}
	}
	return res, nil
}

// checkEcho makes sure the answer is about the refund asked for. With
// strict, the ids must be present; without, they only must not differ.
func (c *AlphaPay) checkEcho(r *response, out *gen.InquiryRefundResponse, q refundkit.Query, strict bool) error {
	echo := func(field string, got *string, want string) error {
		switch {
		case got == nil && strict:
			return c.invalidResponse(r, "%s is missing, cannot tell which refund the answer is about", field)
		case got != nil && *got != want:
			return c.invalidResponse(r, "%s in the response does not match the query", field)
		}
		return nil
	}
	if err := echo("refundId", out.RefundID, q.RefundID); err != nil {
		return err
	}
	if q.RefundRequestID != "" {
		return echo("refundRequestId", out.RefundRequestID, q.RefundRequestID)
	}
	return nil
}

// amount converts refund.refundAmount from minor units. No amount at all
// gives nil; half an amount, or one that does not parse, is an error.
func (c *AlphaPay) amount(refund *gen.Refund) (*refundkit.Money, error) {
	if refund == nil || refund.RefundAmount == nil {
		return nil, nil
	}
	return AlphaPayAmount(c.exponents, refund.RefundAmount.Value, refund.RefundAmount.Currency)
}

// statusFromAlphaPay maps refundStatus (of a resultStatus S answer) to the
// shared status.
func statusFromAlphaPay(refundStatus string) refundkit.Status {
	switch strings.TrimSpace(refundStatus) {
	case "SUCCESS":
		return refundkit.StatusSucceeded
	case "REFUND_IN_PROCESS":
		return refundkit.StatusPending
	case "FAILED":
		return refundkit.StatusFailed
	default:
		return refundkit.StatusUnknown
	}
}

// alphaPayCodes classifies the resultCode of a resultStatus F answer.
//
// [assumed] AlphaPay does not publish its resultCode list; these codes and
// their categories are refundkit's decision (shared with the simulator),
// taken from the names AlphaPay uses elsewhere in its API. A code not listed
// is an invalid-response error with the code and message kept. Override
// with [AlphaPayConfig].ErrorCodes.
var alphaPayCodes = map[string]refundkit.Category{
	"REFUND_NOT_EXIST":             refundkit.CategoryNotFound,
	"ORDER_NOT_EXIST":              refundkit.CategoryNotFound,
	"ACCESS_DENIED":                refundkit.CategoryAuth,
	"INVALID_SIGNATURE":            refundkit.CategoryAuth,
	"KEY_NOT_FOUND":                refundkit.CategoryAuth,
	"MERCHANT_NOT_REGISTERED":      refundkit.CategoryAuth,
	"PARAM_ILLEGAL":                refundkit.CategoryInvalidRequest,
	"INVALID_API":                  refundkit.CategoryInvalidRequest,
	"REQUEST_TRAFFIC_EXCEED_LIMIT": refundkit.CategoryRateLimited,
	"SYSTEM_ERROR":                 refundkit.CategoryTemporary,
	"PROCESS_FAIL":                 refundkit.CategoryTemporary,
	"UNKNOWN_EXCEPTION":            refundkit.CategoryTemporary,
}
