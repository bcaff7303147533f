package inquiry

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
	gen "github.com/refundkit/refundkit/gen/payermax"
	"github.com/refundkit/refundkit/internal/ptr"
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
//
// A client built from PayerMaxConfig asks PayerMax about refunds. It is safe for concurrent use.
//
// It asks by Query.RefundID (outRefundNo, the merchant's refund number),
// Query.ProviderRefundID (refundTradeNo, PayerMax's), or both; each at most
// 64 characters. RefundRequestID must be empty. The answer must echo every
// id given.
//
// data.status maps REFUND_SUCCESS, REFUND_PENDING and REFUND_FAILED to the
// shared statuses (after trimming white space), anything else to
// [refundkit.StatusUnknown]; Result.ProviderStatus keeps it as received.
// Result.ProviderMessage is data.resultMsg (the failure reason) when
// PayerMax gives one, msg otherwise. Result.RefundedAt is
// data.refundFinishTime; a time that does not parse leaves it zero (the
// answer is signed and its status stands; the time is logged at debug
// level).
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

// payermaxClient is PayerMax's backend; [New] builds it from a [PayerMaxConfig].
type payermaxClient struct {
	core
	signer sign.PayerMax
	cfg    PayerMaxConfig
}

// PayerMaxQuery is the Query fields PayerMax takes.
var PayerMaxQuery = takes(refundkit.PayerMax, QueryFields{
	RefundID:         &QueryField{Name: "outRefundNo", MaxLen: payermaxIDMaxLen},
	ProviderRefundID: &QueryField{Name: "refundTradeNo", MaxLen: payermaxIDMaxLen},
	EitherID:         true,
})

// Provider reports that the configuration is PayerMax's.
func (PayerMaxConfig) Provider() refundkit.Provider { return refundkit.PayerMax }

// client builds a PayerMax client. The base URL defaults to
// [PayerMaxProductionURL]; [WithBaseURL] points it elsewhere (for example
// [PayerMaxUATURL]).
func (cfg PayerMaxConfig) client(opts []Option) (*core, error) {
	if cfg.Version == "" {
		cfg.Version = PayerMaxDefaultVersion
	}
	c := &payermaxClient{cfg: cfg, signer: sign.PayerMax{PrivateKey: cfg.PrivateKey, PublicKey: cfg.PublicKey}}
	c.core = newCore(refundkit.PayerMax, c, signedResults, opts)
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
	return &c.core, nil
}

func (c *payermaxClient) checkConfig() error {
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

// payermaxSuccess is the code of a call that succeeded (not necessarily the
// refund).
const payermaxSuccess = "APPLY_SUCCESS"

func (c *payermaxClient) check(q refundkit.Query) error { return PayerMaxQuery.check(&c.core, q) }

func (c *payermaxClient) encode(q refundkit.Query, now time.Time, h http.Header) ([]byte, error) {
	// The request and the strings its optional fields point at, in one
	// allocation (the embedded generated type marshals as itself).
	req := &struct {
		gen.RefundQueryRequest
		ids [3]string
	}{ids: [3]string{c.cfg.MerchantNo, q.RefundID, q.ProviderRefundID}}
	req.RefundQueryRequest = gen.RefundQueryRequest{
		Version:     c.cfg.Version,
		KeyVersion:  payermaxKeyVersion,
		RequestTime: now.UTC().Format(sign.PayerMaxTimeLayout),
		AppID:       c.cfg.AppID,
		MerchantNo:  nonEmpty(&req.ids[0]),
		Data: gen.RefundQueryRequestData{
			OutRefundNo:   nonEmpty(&req.ids[1]),
			RefundTradeNo: nonEmpty(&req.ids[2]),
		},
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	sig, err := c.signer.Sign(body)
	if err != nil {
		return nil, err
	}
	h.Set(sign.PayerMaxSignatureHeader, sig)
	return body, nil
}

// verify checks the sign header over the exact body.
func (c *payermaxClient) verify(r *response) error {
	sig := r.header.Get(sign.PayerMaxSignatureHeader)
	if sig == "" {
		return fmt.Errorf("%w: no %s header", sign.ErrMissingSignature, sign.PayerMaxSignatureHeader)
	}
	return c.signer.Verify(r.body, sig)
}

func (c *payermaxClient) decode(ctx context.Context, r *response, q refundkit.Query) (*refundkit.Result, error) {
	var resp gen.RefundQueryResponse
	if err := c.decodeJSON(r, &resp); err != nil {
		return nil, err
	}
	if code := strings.TrimSpace(resp.Code); code != payermaxSuccess {
		return nil, c.codeError(r, code, resp.Msg)
	}
	d := resp.Data
	if d == nil {
		return nil, c.invalidResponse(r, "%s answer without data", payermaxSuccess)
	}
	if err := c.checkEcho(r, q, d); err != nil {
		return nil, err
	}
	res := &refundkit.Result{
		ProviderStatus:   d.Status,
		ProviderCode:     resp.Code,
		ProviderMessage:  cmp.Or(d.ResultMsg, resp.Msg),
		MerchantRefundID: d.OutRefundNo,
		ProviderRefundID: d.RefundTradeNo,
		MerchantOrderID:  d.OutTradeNo,
	}
	res.Status = statusFromPayerMax(res.ProviderStatus)
	amount := ptr.NonZero(d.RefundAmount.String())
	var err error
	if res.Amount, err = majorUnits(amount, d.RefundCurrency); err != nil {
		return nil, c.invalidResponse(r, "refundAmount: %w", err)
	}
	if d.RefundFinishTime != "" {
		res.RefundedAt = c.refundTime(ctx, d.RefundFinishTime)
	}
	return res, nil
}

// checkEcho makes sure the answer is about the refund asked for: every id
// the query gave must come back unchanged.
func (c *payermaxClient) checkEcho(r *response, q refundkit.Query, d *gen.RefundQueryData) error {
	if got := d.OutRefundNo; q.RefundID != "" && got != q.RefundID {
		return c.invalidResponse(r, "answer is about outRefundNo %.64q, not %q", got, q.RefundID)
	}
	if got := d.RefundTradeNo; q.ProviderRefundID != "" && got != q.ProviderRefundID {
		return c.invalidResponse(r, "answer is about refundTradeNo %.64q, not %q", got, q.ProviderRefundID)
	}
	return nil
}

// refundTime reads refundFinishTime, or returns the zero time (and logs at
// debug level) when it does not parse.
func (c *payermaxClient) refundTime(ctx context.Context, v string) time.Time {
	if t, ok := parseProviderTime(v); ok {
		return t
	}
	c.opts.Logger.LogAttrs(ctx, slog.LevelDebug, "refundkit: ignoring unparsable refund time",
		slog.String("provider", string(c.provider)), slog.String("refundFinishTime", fmt.Sprintf("%.40s", v)))
	return time.Time{}
}

// payermaxCodes sorts PayerMax's documented error codes [doc] into error
// categories, as docs/status-mapping.md does.
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
func statusFromPayerMax(raw string) refundkit.Status { return payermaxStatuses.status(raw) }

// payermaxStatuses are PayerMax's data.status words.
var payermaxStatuses = statusWords{succeeded: "REFUND_SUCCESS", pending: "REFUND_PENDING", failed: "REFUND_FAILED"}

// PayerMaxStatus maps PayerMax's refund status (data.status, in an inquiry
// answer or a refund notification) to the shared status: REFUND_SUCCESS,
// REFUND_PENDING and REFUND_FAILED after trimming white space, anything
// else unknown.
func PayerMaxStatus(raw string) refundkit.Status { return statusFromPayerMax(raw) }
