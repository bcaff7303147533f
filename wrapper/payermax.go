package wrapper

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
	gen "github.com/refundkit/refundkit/gen/payermax"
	"github.com/refundkit/refundkit/sign"
)

// PayerMax's hosts [doc].
const (
	PayerMaxProductionURL = "https://pay-gate.payermax.com"
	PayerMaxUATURL        = "https://pay-gate-uat.payermax.com" // PayerMax's sandbox
)

// PayerMaxDefaultVersion is the API version sent in the request body's
// version field when [PayerMaxConfig].Version is empty.
//
// [assumed] The refund inquiry page says 1.1; other PayerMax pages say 1.4
// or 1.5. Set PayerMaxConfig.Version to send another.
const PayerMaxDefaultVersion = "1.1"

// payermaxKeyVersion is the signature algorithm version PayerMax documents
// (keyVersion) [doc].
const payermaxKeyVersion = "1"

// payermaxIDMaxLen is the spec's maxLength of outRefundNo and
// refundTradeNo.
const payermaxIDMaxLen = 64

// PayerMaxConfig holds a merchant's PayerMax credentials.
type PayerMaxConfig struct {
	// AppID is the merchant app id PayerMax assigned (appId, at most 64
	// characters).
	AppID string
	// MerchantNo is the merchant id PayerMax assigned (merchantNo, at most
	// 32 characters). Optional: left out of the request when empty.
	MerchantNo string
	// PrivateKey is the merchant's RSA private key; it signs every request.
	PrivateKey *sign.PrivateKey
	// PublicKey is PayerMax's public key; it verifies the sign header of
	// every answer. It may be nil only with [WithInsecureSkipVerify].
	PublicKey *sign.PublicKey
	// Version is the API version sent in the body (at most 8 characters).
	// Empty means [PayerMaxDefaultVersion] [assumed].
	Version string
	// ErrorCodes adds rows to, or replaces rows of, the table that sorts
	// PayerMax's codes into error categories, for codes PayerMax documents
	// later or assumptions that turn out wrong. Nil means the built-in
	// table alone.
	ErrorCodes map[string]refundkit.Category
}

// PayerMax asks PayerMax about refunds. It implements [refundkit.Inquirer]
// and is safe for concurrent use.
type PayerMax struct {
	core
	proto  *http.Request // built by gen.NewRefundQueryRequestWithBody; see core.prototype
	signer sign.PayerMax
	cfg    PayerMaxConfig
}

var _ refundkit.Inquirer = (*PayerMax)(nil)

// NewPayerMax returns a PayerMax client. The base URL defaults to
// [PayerMaxProductionURL]; [WithBaseURL] points it elsewhere (for example
// [PayerMaxUATURL]).
func NewPayerMax(cfg PayerMaxConfig, opts ...Option) (*PayerMax, error) {
	if cfg.Version == "" {
		cfg.Version = PayerMaxDefaultVersion
	}
	c := &PayerMax{core: newCore(refundkit.PayerMax, opts), cfg: cfg,
		signer: sign.PayerMax{PrivateKey: cfg.PrivateKey, PublicKey: cfg.PublicKey}}
	if err := c.checkConfig(); err != nil {
		return nil, err
	}
	base, err := c.baseURLOrDefault(PayerMaxProductionURL)
	if err != nil {
		return nil, err
	}
	if c.proto, err = c.prototype(gen.NewRefundQueryRequestWithBody(base.String(), "application/json", nil)); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *PayerMax) checkConfig() error {
	if err := c.checkID("config: AppID", c.cfg.AppID, 64); err != nil {
		return err
	}
	if c.cfg.MerchantNo != "" {
		if err := c.checkID("config: MerchantNo", c.cfg.MerchantNo, 32); err != nil {
			return err
		}
	}
	if err := c.checkID("config: Version", c.cfg.Version, 8); err != nil {
		return err
	}
	if err := c.checkKeys(c.cfg.PrivateKey, c.cfg.PublicKey); err != nil {
		return err
	}
	return c.setCodes(c.cfg.ErrorCodes, payermaxCodes, payermaxAssumedCodes)
}

// Inquire asks PayerMax about a refund, by q.RefundID (outRefundNo, the
// merchant's refund number), q.ProviderRefundID (refundTradeNo, PayerMax's),
// or both; each at most 64 characters. RefundRequestID must be empty. The
// answer must echo every id given.
//
// data.status maps REFUND_SUCCESS, REFUND_PENDING and REFUND_FAILED to the
// shared statuses (after trimming white space), anything else to
// [refundkit.StatusUnknown]; Result.ProviderStatus keeps it as received.
// Result.ProviderMessage is data.resultMsg (the failure reason) when
// PayerMax gives one, msg otherwise. Result.RefundedAt is
// data.refundFinishTime; a time that does not parse leaves it zero (the
// answer is signed and its status stands; the time is logged at debug
// level).
func (c *PayerMax) Inquire(ctx context.Context, q refundkit.Query) (*refundkit.Result, error) {
	if c == nil {
		return nil, nilClient(refundkit.PayerMax)
	}
	if q.RefundID == "" && q.ProviderRefundID == "" {
		return nil, c.invalidRequest("RefundID and ProviderRefundID are both empty; PayerMax needs one")
	}
	if q.RefundID != "" {
		if err := c.checkID("RefundID", q.RefundID, payermaxIDMaxLen); err != nil {
			return nil, err
		}
	}
	if q.ProviderRefundID != "" {
		if err := c.checkID("ProviderRefundID", q.ProviderRefundID, payermaxIDMaxLen); err != nil {
			return nil, err
		}
	}
	if err := c.checkUnused("RefundRequestID", q.RefundRequestID); err != nil {
		return nil, err
	}
	return c.run(ctx, func(ctx context.Context) (*refundkit.Result, error) { return c.attempt(ctx, q) })
}

// payermaxSuccess is the code of a call that succeeded (not necessarily the
// refund).
const payermaxSuccess = "APPLY_SUCCESS"

func (c *PayerMax) attempt(ctx context.Context, q refundkit.Query) (*refundkit.Result, error) {
	req := gen.RefundQueryRequest{
		Version:     c.cfg.Version,
		KeyVersion:  payermaxKeyVersion,
		RequestTime: c.opts.Clock().UTC().Format(sign.PayerMaxTimeLayout),
		AppID:       c.cfg.AppID,
		MerchantNo:  optional(c.cfg.MerchantNo),
		Data: gen.RefundQueryRequestData{
			OutRefundNo:   optional(q.RefundID),
			RefundTradeNo: optional(q.ProviderRefundID),
		},
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, c.invalidRequest("encode request: %w", err)
	}
	sig, err := c.signer.Sign(body)
	if err != nil {
		return nil, c.invalidRequest("sign request: %w", err)
	}
	r, err := c.receive(c.send(ctx, c.proto, body, func(h http.Header) { h.Set(sign.PayerMaxSignatureHeader, sig) }))
	if err != nil {
		return nil, err
	}

	// A signed answer is verified before anything in it is read. An
	// unsigned one may only be an error, which decoding tells.
	respSig := r.header.Get(sign.PayerMaxSignatureHeader)
	if respSig != "" {
		if err := c.verify(r, respSig); err != nil {
			return nil, err
		}
	}
	var resp gen.RefundQueryResponse
	if err := c.decode(r, &resp); err != nil {
		return nil, err
	}
	if code := strings.TrimSpace(resp.Code); code != payermaxSuccess {
		return nil, c.codeError(r, code, resp.Msg)
	}
	if respSig == "" {
		if err := c.verify(r, respSig); err != nil { // the missing signature
			return nil, err
		}
	}
	d := resp.Data
	if d == nil {
		return nil, c.invalidResponse(r, "%s answer without data", payermaxSuccess)
	}
	if err := c.checkEcho(r, q, d); err != nil {
		return nil, err
	}
	res := &refundkit.Result{
		Provider:         c.provider,
		ProviderStatus:   textOf(d.Status),
		ProviderCode:     resp.Code,
		ProviderMessage:  resp.Msg,
		MerchantRefundID: textOf(d.OutRefundNo),
		ProviderRefundID: textOf(d.RefundTradeNo),
		MerchantOrderID:  textOf(d.OutTradeNo),
		Verified:         !c.opts.InsecureSkipVerify,
		Raw:              r.body,
	}
	res.Status = statusFromPayerMax(res.ProviderStatus)
	if m := textOf(d.ResultMsg); m != "" {
		res.ProviderMessage = m
	}
	var amount *string
	if d.RefundAmount != nil {
		amount = optional(d.RefundAmount.String())
	}
	if res.Amount, err = majorUnits(amount, d.RefundCurrency); err != nil {
		return nil, c.invalidResponse(r, "refundAmount: %w", err)
	}
	if d.RefundFinishTime != nil {
		res.RefundedAt = c.refundTime(ctx, *d.RefundFinishTime)
	}
	return res, nil
}

// verify checks the answer's sign header over its exact body, unless
// verification is off. An empty signature fails.
func (c *PayerMax) verify(r *response, sig string) error {
	if c.opts.InsecureSkipVerify {
		return nil
	}
	if err := c.signer.Verify(r.body, sig); err != nil {
		return c.fail(refundkit.CategorySignature, r, "", "", err)
	}
	r.verified = true // the whole body, code included
	return nil
}

// checkEcho makes sure the answer is about the refund asked for: every id
// the query gave must come back unchanged.
func (c *PayerMax) checkEcho(r *response, q refundkit.Query, d *gen.RefundQueryData) error {
	if got := textOf(d.OutRefundNo); q.RefundID != "" && got != q.RefundID {
		return c.invalidResponse(r, "answer is about outRefundNo %q, not %q", clipText(got, 64), q.RefundID)
	}
	if got := textOf(d.RefundTradeNo); q.ProviderRefundID != "" && got != q.ProviderRefundID {
		return c.invalidResponse(r, "answer is about refundTradeNo %q, not %q", clipText(got, 64), q.ProviderRefundID)
	}
	return nil
}

// refundTime reads refundFinishTime, or returns the zero time (and logs at
// debug level) when it does not parse.
func (c *PayerMax) refundTime(ctx context.Context, v string) time.Time {
	if t, ok := parseProviderTime(v); ok {
		return t
	}
	c.opts.Logger.LogAttrs(ctx, slog.LevelDebug, "refundkit: ignoring unparsable refund time",
		slog.String("provider", string(c.provider)), slog.String("refundFinishTime", clipText(v, 40)))
	return time.Time{}
}

// payermaxCodes sorts PayerMax's documented error codes [doc] into error
// categories, as status-mapping.md does.
var payermaxCodes = map[string]refundkit.Category{
	"SYSTEM_ERROR":         refundkit.CategoryTemporary,      // busy, retry later
	"TOO_MANY_REQUEST":     refundkit.CategoryRateLimited,    // slow down
	"SIGN_VERIFY_FAILED":   refundkit.CategoryAuth,           // our request signature did not verify
	"MERCHANT_INVALID":     refundkit.CategoryAuth,           // unknown merchant
	"MERCHANT_APP_INVALID": refundkit.CategoryAuth,           // app has no key configured
	"REQ_TIME_OVER_TIME":   refundkit.CategoryInvalidRequest, // our clock is more than 2 minutes off
	"PARAMS_INVALID":       refundkit.CategoryInvalidRequest, // invalid parameters
}

// payermaxAssumedCodes holds codes PayerMax does not publish for the
// inquiry.
//
// [assumed] ORDER_NOT_EXIST answers an inquiry about a refund PayerMax does
// not know (the lead's decision for refundkit; the simulator uses the same
// code). Override with [PayerMaxConfig].ErrorCodes.
var payermaxAssumedCodes = map[string]refundkit.Category{
	"ORDER_NOT_EXIST": refundkit.CategoryNotFound,
}

// statusFromPayerMax maps data.status to the shared status.
func statusFromPayerMax(raw string) refundkit.Status {
	switch strings.TrimSpace(raw) {
	case "REFUND_SUCCESS":
		return refundkit.StatusSucceeded
	case "REFUND_PENDING":
		return refundkit.StatusPending
	case "REFUND_FAILED":
		return refundkit.StatusFailed
	default:
		return refundkit.StatusUnknown
	}
}

// optional returns &s, or nil for "" (a field to leave out).
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
