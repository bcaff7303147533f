package wrapper

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/refundkit/refundkit"
	gen "github.com/refundkit/refundkit/gen/newpay"
	"github.com/refundkit/refundkit/sign"
)

// NewPayProductionURL is the production host of NewPay's v1 API family
// [doc]. NewPay publishes no sandbox host.
const NewPayProductionURL = "https://prod-openapi.newpay.la"

// NewPayInquiryPath is the path of NewPay's v1 refund inquiry, appended to
// the base URL.
//
// [assumed] NewPay's v1 pages publish the paths of createOrder and refund
// under /api/open/converge/pay/v1/ but not the inquiry's own; this is the
// path the spec (specs/newpay.yaml) and the generated client use. Change it
// for one client with [NewPayConfig].Path.
const NewPayInquiryPath = "/api/open/converge/pay/v1/queryRefund"

// NewPayConfig holds a merchant's NewPay credentials.
type NewPayConfig struct {
	// AppID is the application id NewPay issued (appId).
	AppID string
	// MerchantID is the merchant id NewPay issued (merchantId).
	MerchantID string
	// PrivateKey is the merchant's RSA private key; it signs every request.
	PrivateKey *sign.PrivateKey
	// PublicKey is NewPay's platform public key; it verifies data.sign in
	// every answer. It may be nil only with [WithInsecureSkipVerify].
	PublicKey *sign.PublicKey
	// Path replaces [NewPayInquiryPath] [assumed], should NewPay's real
	// inquiry path turn out to differ. It is appended to the base URL the
	// same way: "/x/queryRefund" with base "https://h/p" asks
	// "https://h/p/x/queryRefund". Empty means NewPayInquiryPath.
	Path string
	// ErrorCodes adds rows to, or replaces rows of, the table that sorts
	// NewPay's business codes into error categories, for codes NewPay
	// documents later or assumptions that turn out wrong. Nil means the
	// built-in table alone.
	ErrorCodes map[string]refundkit.Category
}

// NewPay asks NewPay (Laos, API v1) about refunds. It implements
// [refundkit.Inquirer] and is safe for concurrent use.
type NewPay struct {
	core
	proto  *http.Request // built by gen.NewQueryRefundRequestWithBody; see core.prototype
	signer sign.NewPay
	cfg    NewPayConfig
}

var _ refundkit.Inquirer = (*NewPay)(nil)

// NewNewPay returns a NewPay client. The base URL defaults to
// [NewPayProductionURL]; [WithBaseURL] points it elsewhere.
func NewNewPay(cfg NewPayConfig, opts ...Option) (*NewPay, error) {
	c := &NewPay{core: newCore(refundkit.NewPay, opts), cfg: cfg,
		signer: sign.NewPay{PrivateKey: cfg.PrivateKey, PublicKey: cfg.PublicKey}}
	if err := c.checkConfig(); err != nil {
		return nil, err
	}
	base, err := c.baseURLOrDefault(NewPayProductionURL)
	if err != nil {
		return nil, err
	}
	c.proto, err = c.prototype(gen.NewQueryRefundRequestWithBody(base.String(),
		&gen.QueryRefundParams{Version: gen.APIVersion1}, "application/json", nil))
	if err != nil {
		return nil, err
	}
	if cfg.Path != "" {
		target, err := base.Parse("." + cfg.Path)
		if err != nil {
			return nil, c.invalidRequest("config: path: %w", err)
		}
		c.proto.URL.Path, c.proto.URL.RawPath = target.Path, target.RawPath
	}
	return c, nil
}

func (c *NewPay) checkConfig() error {
	if err := c.checkID("config: AppID", c.cfg.AppID, 0); err != nil {
		return err
	}
	if err := c.checkID("config: MerchantID", c.cfg.MerchantID, 0); err != nil {
		return err
	}
	// Both are signed in every request; one that would make the canonical
	// string ambiguous must fail here, not on every inquiry.
	if _, err := sign.NewPayCanonical(map[string]any{"appId": c.cfg.AppID, "merchantId": c.cfg.MerchantID}); err != nil {
		return c.invalidRequest("config: %w", err)
	}
	if c.cfg.Path != "" && !strings.HasPrefix(c.cfg.Path, "/") {
		return c.invalidRequest("config: Path %q does not start with /", c.cfg.Path)
	}
	if err := c.checkKeys(c.cfg.PrivateKey, c.cfg.PublicKey); err != nil {
		return err
	}
	return c.setCodes(c.cfg.ErrorCodes, newpayCodes, newpayAssumedCodes)
}

// Inquire asks NewPay about the refund q.RefundID (NewPay's refundOrderNo,
// the merchant's refund number). ProviderRefundID and RefundRequestID must
// be empty.
//
// The answer's status comes from data.tranStatus (1 succeeded, 0 failed),
// or, when that is absent, from the undocumented data.refundSuccess that
// NewPay's own example carries (true succeeded, false failed). Anything else
// is [refundkit.StatusUnknown]. Result.ProviderStatus holds the value used:
// tranStatus as decimal text ("1", "0", "7"), else refundSuccess ("true",
// "false"), else "" when the answer has neither. NewPay gives no refund
// time, so Result.RefundedAt stays zero.
func (c *NewPay) Inquire(ctx context.Context, q refundkit.Query) (*refundkit.Result, error) {
	if c == nil {
		return nil, nilClient(refundkit.NewPay)
	}
	if err := c.checkRefundIDOnly("RefundID", q, 0); err != nil {
		return nil, err
	}
	return c.run(ctx, func(ctx context.Context) (*refundkit.Result, error) { return c.attempt(ctx, q) })
}

// newpayEnvelope reads NewPay's answer with data kept as the exact bytes
// received: data.sign covers them, so they are verified as they are and
// decoded only afterwards. Data shadows the generated type's own field.
type newpayEnvelope struct {
	gen.QueryRefundResponse
	Data json.RawMessage `json:"data"`
}

func (c *NewPay) attempt(ctx context.Context, q refundkit.Query) (*refundkit.Result, error) {
	body, err := json.Marshal(gen.QueryRefundRequest{
		AppID:         c.cfg.AppID,
		MerchantID:    c.cfg.MerchantID,
		RefundOrderNo: q.RefundID,
		Timestamp:     c.signer.Timestamp(c.opts.Clock()),
	})
	if err != nil {
		return nil, c.invalidRequest("encode request: %w", err)
	}
	if body, err = c.signer.SignJSON(body); err != nil {
		return nil, c.invalidRequest("sign request: %w", err)
	}
	r, err := c.receive(c.send(ctx, c.proto, body, nil))
	if err != nil {
		return nil, err
	}

	var env newpayEnvelope
	if err := c.decode(r, &env); err != nil {
		return nil, err
	}
	isObject := len(env.Data) > 0 && env.Data[0] == '{'
	if !env.Success || env.Code != newpayOK {
		return nil, c.newpayError(r, &env, isObject)
	}
	if !isObject {
		return nil, c.invalidResponse(r, "success answer without a data object")
	}
	if !c.opts.InsecureSkipVerify {
		if err := c.signer.VerifyJSON(env.Data); err != nil {
			return nil, c.fail(refundkit.CategorySignature, r, env.Code, textOf(env.Message), err)
		}
		r.verified = true // data, which every later check reads
	}
	var d gen.QueryRefundData
	if err := json.Unmarshal(env.Data, &d); err != nil {
		return nil, c.invalidResponse(r, "decode data: %w", err)
	}
	// NewPay signs every merchant's answers with one platform key, so a
	// signed answer for another app must not pass as ours.
	if d.AppID != nil && *d.AppID != c.cfg.AppID {
		return nil, c.invalidResponse(r, "answer is for app %q, not ours", clipText(*d.AppID, 64))
	}
	if got := textOf(d.RefundOrderNo); got != q.RefundID {
		return nil, c.invalidResponse(r, "answer is about refund %q, not %q", clipText(got, 64), q.RefundID)
	}
	res := &refundkit.Result{
		Provider:         c.provider,
		ProviderCode:     env.Code,
		ProviderMessage:  textOf(env.Message),
		MerchantRefundID: textOf(d.RefundOrderNo),
		ProviderRefundID: textOf(d.NewpayRefundOrderNo),
		MerchantOrderID:  textOf(d.OrderNo),
		ProviderOrderID:  textOf(d.NewpayOrderNo),
		Verified:         !c.opts.InsecureSkipVerify,
		Raw:              r.body,
	}
	res.Status, res.ProviderStatus = statusFromNewPay(&d)
	if res.Amount, err = majorUnits(d.RefundOrderAmt, d.Currency); err != nil {
		return nil, c.invalidResponse(r, "refundOrderAmt: %w", err)
	}
	return res, nil
}

// newpayError turns a business-error answer into an error. A data object
// that carries a sign must verify even here: a bad signature is reported as
// such, never as the code it came with. An unsigned error answer is
// returned as an error as it is; it produces no status. The error is never
// Verified: success, code and message lie outside data, the only part
// NewPay signs, so even a signed data object does not vouch for the code.
func (c *NewPay) newpayError(r *response, env *newpayEnvelope, isObject bool) error {
	msg := textOf(env.Message)
	if isObject && !c.opts.InsecureSkipVerify {
		if err := c.signer.VerifyJSON(env.Data); err != nil && !errors.Is(err, sign.ErrMissingSignature) {
			return c.fail(refundkit.CategorySignature, r, env.Code, msg, err)
		}
	}
	if env.Code == newpayOK {
		return c.fail(refundkit.CategoryInvalidResponse, r, env.Code, msg, errors.New("success is false with code 0"))
	}
	if _, known := c.codes[env.Code]; !known && isNewPayFieldIllegal(env.Code) {
		return c.fail(refundkit.CategoryInvalidRequest, r, env.Code, msg, nil)
	}
	return c.codeError(r, env.Code, msg)
}

// isNewPayFieldIllegal reports whether code belongs to NewPay's "Z000xx
// field illegal" family (status-mapping.md), which names a malformed field:
// the request is at fault. Codes with a row of their own (such as Z00005
// sign illegal, or Z00051 not found) keep it.
func isNewPayFieldIllegal(code string) bool {
	return len(code) == 6 && strings.HasPrefix(code, "Z000") && code[4] >= '0' && code[4] <= '9' && code[5] >= '0' && code[5] <= '9'
}

// newpayOK is the business code of a successful call.
const newpayOK = "0"

// newpayCodes sorts the business codes NewPay documents for the inquiry
// [doc] into error categories, as status-mapping.md does.
var newpayCodes = map[string]refundkit.Category{
	"E9999":  refundkit.CategoryTemporary, // unknown error
	"E9008":  refundkit.CategoryNotFound,  // order information does not exist
	"Z00051": refundkit.CategoryNotFound,  // order information does not exist
	"Z00007": refundkit.CategoryAuth,      // sign verification failed
	"Z00005": refundkit.CategoryAuth,      // sign illegal
	"Z00046": refundkit.CategoryAuth,      // whitelist authentication failed
	"Z01012": refundkit.CategoryAuth,      // appId or merchantId not valid
	"Z00003": refundkit.CategoryAuth,      // appId wrong
	"Z00044": refundkit.CategoryAuth,      // merchantId wrong
}

// newpayAssumedCodes holds the categories we chose for codes whose meaning
// NewPay states but whose category it does not.
//
// [assumed] "illegal" means a malformed field or request, so the request
// is at fault, not the credentials (refundkit's decision; status-mapping.md
// names only the "Z000xx field illegal" family): appId, merchantId,
// timestamp and refundOrderNo illegal, and illegal request. Override with
// [NewPayConfig].ErrorCodes.
var newpayAssumedCodes = map[string]refundkit.Category{
	"Z00001": refundkit.CategoryInvalidRequest, // appId illegal
	"Z00021": refundkit.CategoryInvalidRequest, // merchantId illegal
	"Z00004": refundkit.CategoryInvalidRequest, // timestamp illegal
	"Z00049": refundkit.CategoryInvalidRequest, // refundOrderNo illegal
	"B11095": refundkit.CategoryInvalidRequest, // illegal request
}

// statusFromNewPay maps data to the shared status and the raw value it was
// read from: tranStatus first, refundSuccess when tranStatus is absent.
func statusFromNewPay(d *gen.QueryRefundData) (refundkit.Status, string) {
	if d.TranStatus != nil {
		return NewPayStatus(int64(*d.TranStatus)), strconv.FormatInt(int64(*d.TranStatus), 10)
	}
	if d.RefundSuccess != nil {
		if *d.RefundSuccess {
			return refundkit.StatusSucceeded, "true"
		}
		return refundkit.StatusFailed, "false"
	}
	return refundkit.StatusUnknown, ""
}
