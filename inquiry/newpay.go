package inquiry

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
	gen "github.com/refundkit/refundkit/gen/newpay"
	"github.com/refundkit/refundkit/internal/ptr"
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
//
// A client built from NewPayConfig asks NewPay (Laos, API v1) about refunds. It implements
// [refundkit.Inquirer] and is safe for concurrent use.
//
// Query.RefundID is refundOrderNo, the merchant's refund number; the other
// Query fields must be empty. The answer's status comes from
// data.tranStatus (1 succeeded, 0 failed), or, when that is absent, from
// the undocumented data.refundSuccess that NewPay's own example carries
// (true succeeded, false failed). Anything else is
// [refundkit.StatusUnknown]. Result.ProviderStatus holds the value used:
// tranStatus as decimal text ("1", "0", "7"), else refundSuccess ("true",
// "false"), else "" when the answer has neither. NewPay gives no refund
// time, so Result.RefundedAt stays zero.
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

// newpayClient is NewPay's backend; [New] builds it from a [NewPayConfig].
type newpayClient struct {
	core
	signer sign.NewPay
	cfg    NewPayConfig
}

// NewPayQuery is the Query field NewPay takes.
var NewPayQuery = takes(refundkit.NewPay, QueryFields{RefundID: &QueryField{Name: "refundOrderNo", Required: true}})

// Provider reports that the configuration is NewPay's.
func (NewPayConfig) Provider() refundkit.Provider { return refundkit.NewPay }

// client builds a NewPay client. The base URL defaults to
// [NewPayProductionURL]; [WithBaseURL] points it elsewhere.
func (cfg NewPayConfig) client(opts []Option) (*core, error) {
	c := &newpayClient{cfg: cfg, signer: sign.NewPay{PrivateKey: cfg.PrivateKey, PublicKey: cfg.PublicKey}}
	c.core = newCore(refundkit.NewPay, c, signedResults, opts)
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
	if err := c.setPath(base, cfg.Path); err != nil {
		return nil, err
	}
	return &c.core, nil
}

func (c *newpayClient) checkConfig() error {
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

func (c *newpayClient) check(q refundkit.Query) error { return NewPayQuery.check(&c.core, q) }

func (c *newpayClient) encode(q refundkit.Query, now time.Time, _ http.Header) ([]byte, error) {
	body, err := json.Marshal(gen.QueryRefundRequest{
		AppID:         c.cfg.AppID,
		MerchantID:    c.cfg.MerchantID,
		RefundOrderNo: q.RefundID,
		Timestamp:     c.signer.Timestamp(now),
	})
	if err != nil {
		return nil, err
	}
	return c.signer.SignJSON(body)
}

// verify checks data.sign over the data object exactly as received.
func (c *newpayClient) verify(r *response) error { return newpayVerify(r, c.signer.VerifyJSON) }

func (c *newpayClient) decode(_ context.Context, r *response, q refundkit.Query) (*refundkit.Result, error) {
	a, err := c.newpayOutcome(r, newpayOK)
	if err != nil {
		return nil, err
	}
	var d gen.QueryRefundData
	if err := json.Unmarshal(a.Data, &d); err != nil {
		return nil, c.invalidResponse(r, "decode data: %w", err)
	}
	// NewPay signs every merchant's answers with one platform key, so a
	// signed answer for another app must not pass as ours.
	if d.AppID != nil && *d.AppID != c.cfg.AppID {
		return nil, c.invalidResponse(r, "answer is for app %.64q, not ours", *d.AppID)
	}
	if got := ptr.Value(d.RefundOrderNo); got != q.RefundID {
		return nil, c.invalidResponse(r, "answer is about refund %.64q, not %q", got, q.RefundID)
	}
	res := &refundkit.Result{
		ProviderCode:     a.Code,
		ProviderMessage:  ptr.Value(a.Message),
		MerchantRefundID: ptr.Value(d.RefundOrderNo),
		ProviderRefundID: ptr.Value(d.NewpayRefundOrderNo),
		MerchantOrderID:  ptr.Value(d.OrderNo),
		ProviderOrderID:  ptr.Value(d.NewpayOrderNo),
	}
	res.Status, res.ProviderStatus = statusFromNewPay(&d)
	if res.Amount, err = majorUnits(d.RefundOrderAmt, d.Currency); err != nil {
		return nil, c.invalidResponse(r, "refundOrderAmt: %w", err)
	}
	return res, nil
}

// setPath replaces the prototype's path with cfg.Path, resolved against
// base as NewPayInquiryPath is.
func (c *newpayClient) setPath(base *url.URL, path string) error {
	if path == "" {
		return nil
	}
	target, err := base.Parse("." + path)
	if err != nil {
		return c.invalidRequest("config: path: %w", err)
	}
	c.proto.URL.Path, c.proto.URL.RawPath = target.Path, target.RawPath
	return nil
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

// NewPayStatus maps NewPay's tranStatus (transStatus in a refund callback)
// to the shared status: 1 succeeded, 0 failed, anything else unknown.
func NewPayStatus(v int64) refundkit.Status {
	switch v {
	case 1:
		return refundkit.StatusSucceeded
	case 0:
		return refundkit.StatusFailed
	default:
		return refundkit.StatusUnknown
	}
}
