package inquiry

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/refundkit/refundkit"
	gen "github.com/refundkit/refundkit/gen/newpay2"
	"github.com/refundkit/refundkit/internal/ptr"
	"github.com/refundkit/refundkit/sign"
)

// NewPay2ProductionURL is the production host of NewPay's v2 API [doc].
// NewPay publishes no sandbox host.
const NewPay2ProductionURL = "https://prod-openapi-v2.newpay.la"

// NewPay2SuccessCode is the envelope code of a successful v2 call.
//
// [assumed] v2's page lists the envelope's code but none of its values;
// v1's "0" is assumed. Change it for one client with
// [NewPay2Config].SuccessCode.
const NewPay2SuccessCode = newpayOK

// NewPay2Config holds a merchant's NewPay v2 credentials, and the values
// NewPay leaves open.
//
// A client built from NewPay2Config asks NewPay (Laos) about refunds through its v2 API,
// uniQueryRefund. It implements [refundkit.Inquirer] and is safe for
// concurrent use.
//
// It asks by Query.RefundID (mchRefundNo, the merchant's refund number),
// Query.ProviderRefundID (newpayRefundNo, NewPay's), or both; the answer
// must echo every id given. RefundRequestID must be empty.
//
// data.refundStatus maps SUCCESS, PROCESSING and FAIL to succeeded, pending
// and failed (after trimming white space); any other value, a value that
// is not a JSON string (NewPay's table types the field "int") or no value
// is [refundkit.StatusUnknown], with Result.ProviderStatus holding the
// string, or the JSON text of anything else. Result.Amount is refundAmt.
// NewPay gives no refund time, so Result.RefundedAt stays zero; nor an
// appId in data, so unlike v1 the answer cannot be checked to be for this
// merchant beyond its signature and refund ids.
//
// v2's request carries no timestamp or nonce [doc]: a retry sends the same
// signed bytes.
type NewPay2Config struct {
	// AppID is the application id NewPay issued (appId).
	AppID string
	// MchID is the merchant id NewPay issued (mchId).
	MchID string
	// PrivateKey is the merchant's RSA private key; it signs every request.
	PrivateKey *sign.PrivateKey
	// PublicKey is NewPay's platform public key; it verifies data.sign in
	// every answer. It may be nil only with [WithInsecureSkipVerify].
	PublicKey *sign.PublicKey
	// Nested is how refundAmt and orderAmt enter the canonical string that
	// data.sign covers; zero means sign.NewPay2NestedJSON [assumed].
	Nested sign.NewPay2Nested
	// MinorUnits reads refundAmt.value in minor units of its currency
	// (refundkit.CurrencyExponent) instead of major units. [assumed] Off:
	// v1's refundOrderAmt is in major units, and v2 does not say.
	MinorUnits bool
	// SuccessCode replaces [NewPay2SuccessCode] [assumed]. Empty means
	// NewPay2SuccessCode.
	SuccessCode string
	// ErrorCodes adds rows to, or replaces rows of, the table that sorts
	// NewPay's business codes into error categories. [assumed] v2 lists no
	// codes, so the table is the NewPay family's, as for [NewPay]. Nil
	// means the built-in table alone.
	ErrorCodes map[string]refundkit.Category
}

// newpay2Client is NewPay2's backend; [New] builds it from a [NewPay2Config].
type newpay2Client struct {
	core
	signer sign.NewPay2
	cfg    NewPay2Config
}

// NewPay2Query is the Query fields NewPay v2 takes.
var NewPay2Query = takes(refundkit.NewPay2, QueryFields{
	RefundID:         &QueryField{Name: "mchRefundNo"},
	ProviderRefundID: &QueryField{Name: "newpayRefundNo"},
	EitherID:         true,
})

// Provider reports that the configuration is NewPay2's.
func (NewPay2Config) Provider() refundkit.Provider { return refundkit.NewPay2 }

// client builds a NewPay v2 client. The base URL defaults to
// [NewPay2ProductionURL]; [WithBaseURL] points it elsewhere.
func (cfg NewPay2Config) client(opts []Option) (*core, error) {
	if cfg.SuccessCode == "" {
		cfg.SuccessCode = NewPay2SuccessCode
	}
	c := &newpay2Client{cfg: cfg, signer: sign.NewPay2{PrivateKey: cfg.PrivateKey, PublicKey: cfg.PublicKey, Nested: cfg.Nested}}
	c.core = newCore(refundkit.NewPay2, c, signedResults, opts)
	if err := c.checkID("config: AppID", cfg.AppID, 0); err != nil {
		return nil, err
	}
	if err := c.checkID("config: MchID", cfg.MchID, 0); err != nil {
		return nil, err
	}
	// Both are signed in every request; one that would make the canonical
	// string ambiguous must fail here, not on every inquiry.
	if _, err := sign.NewPayCanonical(map[string]any{"appId": cfg.AppID, "mchId": cfg.MchID}); err != nil {
		return nil, c.invalidRequest("config: %w", err)
	}
	if err := c.checkKeys(cfg.PrivateKey, cfg.PublicKey); err != nil {
		return nil, err
	}
	if cfg.Nested != sign.NewPay2NestedJSON && cfg.Nested != sign.NewPay2NestedFlatten {
		return nil, c.invalidRequest("config: Nested %v is not a known rule", cfg.Nested)
	}
	if err := c.setCodes(cfg.ErrorCodes, newpayCodes, newpayAssumedCodes); err != nil {
		return nil, err
	}
	base, err := c.baseURLOrDefault(NewPay2ProductionURL)
	if err != nil {
		return nil, err
	}
	if c.proto, err = c.prototype(gen.NewUniQueryRefundRequestWithBody(base.String(), "application/json", nil)); err != nil {
		return nil, err
	}
	return &c.core, nil
}

func (c *newpay2Client) check(q refundkit.Query) error { return NewPay2Query.check(&c.core, q) }

func (c *newpay2Client) encode(q refundkit.Query, _ time.Time, _ http.Header) ([]byte, error) {
	body, err := json.Marshal(gen.UniQueryRefundRequest{
		AppID:          c.cfg.AppID,
		MchID:          c.cfg.MchID,
		MchRefundNo:    ptr.NonZero(q.RefundID),
		NewpayRefundNo: ptr.NonZero(q.ProviderRefundID),
	})
	if err != nil {
		return nil, err
	}
	return c.signer.SignJSON(body)
}

// verify checks data.sign over the data object exactly as received.
func (c *newpay2Client) verify(r *response) error { return newpayVerify(r, c.signer.VerifyJSON) }

func (c *newpay2Client) decode(_ context.Context, r *response, q refundkit.Query) (*refundkit.Result, error) {
	a, err := c.newpayOutcome(r, c.cfg.SuccessCode)
	if err != nil {
		return nil, err
	}
	var d gen.UniQueryRefundData
	if err := json.Unmarshal(a.Data, &d); err != nil {
		return nil, c.invalidResponse(r, "decode data: %w", err)
	}
	if got := ptr.Value(d.MchRefundNo); q.RefundID != "" && got != q.RefundID {
		return nil, c.invalidResponse(r, "answer is about mchRefundNo %.64q, not %q", got, q.RefundID)
	}
	if got := ptr.Value(d.NewpayRefundNo); q.ProviderRefundID != "" && got != q.ProviderRefundID {
		return nil, c.invalidResponse(r, "answer is about newpayRefundNo %.64q, not %q", got, q.ProviderRefundID)
	}
	res := &refundkit.Result{
		ProviderCode:     a.Code,
		ProviderMessage:  ptr.Value(a.Message),
		MerchantRefundID: ptr.Value(d.MchRefundNo),
		ProviderRefundID: ptr.Value(d.NewpayRefundNo),
		ProviderOrderID:  ptr.Value(d.NewpayOrderNo),
	}
	res.Status, res.ProviderStatus = statusFromNewPay2(d.RefundStatus)
	if res.Amount, err = c.amount(d.RefundAmt); err != nil {
		return nil, c.invalidResponse(r, "refundAmt: %w", err)
	}
	return res, nil
}

// amount reads refundAmt in the unit the config says. No amount gives nil.
func (c *newpay2Client) amount(a *gen.Amount) (*refundkit.Money, error) {
	if a == nil || (a.Value == nil && a.Currency == nil) {
		return nil, nil
	}
	if !c.cfg.MinorUnits {
		return majorUnits(a.Value, a.Currency)
	}
	return minorUnits(nil, a.Value, a.Currency, "")
}

// statusFromNewPay2 maps data.refundStatus, as the JSON received, to the
// shared status and the raw value: a string's text, else the JSON itself.
func statusFromNewPay2(raw *json.RawMessage) (refundkit.Status, string) {
	if raw == nil {
		return refundkit.StatusUnknown, ""
	}
	var s string
	if err := json.Unmarshal(*raw, &s); err != nil {
		return refundkit.StatusUnknown, string(*raw)
	}
	return newpay2Statuses.status(s), s
}

// newpay2Statuses are NewPay v2's refundStatus words.
var newpay2Statuses = statusWords{succeeded: "SUCCESS", pending: "PROCESSING", failed: "FAIL"}
