package simulator

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/gen/newpay"
	"github.com/refundkit/refundkit/sign"
)

// NewPayConfig configures a NewPay simulator.
//
// [New] returns, from it, a simulator of NewPay's v1 refund inquiry
// (POST /api/open/converge/pay/v1/queryRefund [assumed path]).
type NewPayConfig struct {
	// AppID and MerchantID are the only appId and merchantId the simulator
	// accepts; others get Z00003 and Z00044.
	AppID      string
	MerchantID string
	// MerchantKey is the merchant's public key; it checks the sign field of
	// requests.
	MerchantKey *sign.PublicKey
	// PlatformKey is NewPay's private key; it signs data.sign in responses.
	// Clients verify with its public half.
	PlatformKey *sign.PrivateKey
	// Clock stamps responses; nil means time.Now.
	Clock func() time.Time
}

// newpayFieldCodes maps a request field that fails validation to NewPay's
// code for it; anything else is B11095.
var newpayFieldCodes = map[string]string{
	"appId":         newpayAppIDIllegal,
	"merchantId":    newpayMerchantIllegal,
	"timestamp":     newpayTimestampIllegal,
	"sign":          newpaySignIllegal,
	"refundOrderNo": newpayRefundNoIllegal,
}

// simulate checks the settings and builds the simulator (see NewPayConfig).
func (cfg NewPayConfig) simulate() (*Simulator, error) {
	if cfg.AppID == "" || cfg.MerchantID == "" {
		return nil, errors.New("simulator: newpay: AppID and MerchantID are required")
	}
	if cfg.MerchantKey == nil || cfg.PlatformKey == nil {
		return nil, errors.New("simulator: newpay: MerchantKey and PlatformKey are required")
	}
	b := &newpayBackend{cfg: cfg, verifier: sign.NewPay{PublicKey: cfg.MerchantKey}, signer: sign.NewPay{PrivateKey: cfg.PlatformKey}}
	return newSimulator(refundkit.NewPay, b, cfg.Clock)
}

type newpayBackend struct {
	noSignatureHeaders // the signature lives inside the body (data.sign)
	cfg                NewPayConfig
	verifier           sign.NewPay
	signer             sign.NewPay
}

// newpayExampleStatus reports whether a NewPay status is written in the
// style of NewPay's published example: the refundSuccess boolean instead of
// tranStatus, and a string timestamp.
func newpayExampleStatus(status string) bool { return status == "true" || status == "false" }

func (b *newpayBackend) check(r Refund) error {
	for _, st := range r.states() {
		if st.Status == "" || newpayExampleStatus(st.Status) {
			continue
		}
		if _, err := strconv.ParseInt(st.Status, 10, 32); err != nil {
			return fmt.Errorf("status %q is neither an integer tranStatus nor a refundSuccess boolean", st.Status)
		}
	}
	return nil
}

func (b *newpayBackend) invalid(inv invalidity) providerError {
	return newpayInvalid(newpayFieldCodes, inv)
}

func (b *newpayBackend) accept(_ *http.Request, body []byte, _ time.Time) (lookup, *providerError) {
	var req newpay.QueryRefundRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return lookup{}, &providerError{code: newpayIllegalRequest, message: "illegal request"}
	}
	if perr := newpayIdentity(req.AppID == b.cfg.AppID, req.MerchantID == b.cfg.MerchantID, "merchantId", b.verifier.VerifyJSON, body); perr != nil {
		return lookup{}, perr
	}
	if req.RefundOrderNo == "" {
		return lookup{}, &providerError{code: newpayRefundNoIllegal, message: "refundOrderNo illegal"}
	}
	return lookup{refundID: req.RefundOrderNo}, nil
}

func (b *newpayBackend) notFound() providerError { return newpayNotFound }

// newpayEnvelope is NewPay's answer, members in the order of NewPay's own
// example. Timestamp holds raw JSON: a number, or a string in example style.
type newpayEnvelope struct {
	Success   bool            `json:"success"`
	Message   string          `json:"message"`
	Data      json.RawMessage `json:"data,omitempty"`
	Code      string          `json:"code"`
	Timestamp json.RawMessage `json:"timestamp"`
}

// newpayData is the data object of a successful answer. tranAbbr is always
// null, as in NewPay's example; newpaySignData appends sign, over the other
// members.
type newpayData struct {
	AppID               string       `json:"appId"`
	TranAbbr            *string      `json:"tranAbbr"`
	TranNo              string       `json:"tranNo"`
	TranStatus          *json.Number `json:"tranStatus,omitempty"`
	TranInfo            *string      `json:"tranInfo,omitempty"`
	RefundSuccess       *bool        `json:"refundSuccess,omitempty"`
	RefundOrderAmt      string       `json:"refundOrderAmt"`
	PayMethod           int          `json:"payMethod"`
	Currency            string       `json:"currency"`
	OrderNo             string       `json:"orderNo"`
	NewpayOrderNo       string       `json:"newpayOrderNo"`
	RefundOrderNo       string       `json:"refundOrderNo"`
	NewpayRefundOrderNo string       `json:"newpayRefundOrderNo"`
}

// newpayPayMethodNewPay is payMethod 1, "NewPay" [doc].
const newpayPayMethodNewPay = 1

func (b *newpayBackend) render(_ lookup, ref *Refund, perr *providerError, f Fault, now time.Time) ([]byte, error) {
	ts := strconv.AppendInt(nil, now.UnixMilli(), 10)
	if perr == nil && ref.Code != "" && ref.Code != newpayOK {
		perr = &providerError{code: ref.Code, message: cmp.Or(ref.Message, "failed")}
	}
	if perr != nil {
		return json.Marshal(newpayEnvelope{Message: perr.message, Code: perr.code, Timestamp: ts})
	}
	d := newpayData{
		AppID: b.cfg.AppID, TranNo: ref.TransactionID, RefundOrderAmt: ref.Amount,
		PayMethod: newpayPayMethodNewPay, Currency: ref.Currency, OrderNo: ref.OrderID,
		NewpayOrderNo: ref.ProviderOrderID, RefundOrderNo: ref.RefundID, NewpayRefundOrderNo: ref.ProviderRefundID,
	}
	status := ref.Status
	if f == FaultUnknownStatus {
		status = UnknownStatus(refundkit.NewPay)
	}
	if f == FaultMismatchedID {
		d.RefundOrderNo += MismatchSuffix
	}
	if newpayExampleStatus(status) {
		ok := status == "true"
		d.RefundSuccess = &ok
		ts = strconv.AppendQuote(nil, string(ts))
	} else {
		d.TranInfo = &ref.Message
		if status != "" {
			n := json.Number(status)
			d.TranStatus = &n
		}
	}
	data, err := newpaySignData(d, b.signer.SignJSON, f)
	if err != nil {
		return nil, err
	}
	return json.Marshal(newpayEnvelope{Success: true, Message: "success", Data: data, Code: newpayOK, Timestamp: ts})
}

// The identities of DemoConfig's NewPay simulator, from NewPay's own
// documentation examples. A client of it uses the same values.
const (
	DemoNewPayAppID      = "3514d69403bc4ce1a8fafb6415a31018"
	DemoNewPayMerchantID = "876266cdc7154dd08a022fd1f2eace55"
)

func init() {
	register(refundkit.NewPay, registration{
		demo: func(keys *Keys, clock func() time.Time) ProviderConfig {
			return NewPayConfig{AppID: DemoNewPayAppID, MerchantID: DemoNewPayMerchantID,
				MerchantKey: keys.Merchant.Public, PlatformKey: keys.Platform.Private, Clock: clock}
		},
		refunds:        newpayDemoRefunds,
		unknown:        "9",
		deviations:     map[Fault]string{FaultWrongType: "/code", FaultMissingRequired: "/success"},
		pushDeviations: map[Fault]string{FaultWrongType: "/transStatus", FaultMissingRequired: "/refundOrderNo"},
	})
}

// newpayDemoRefunds: NewPay v1 documents no pending status; its demo
// instead has a refund in the refundSuccess style of NewPay's own published
// example.
func newpayDemoRefunds() []Refund {
	base := Refund{Amount: "50000", Currency: "LAK", OrderID: "ORDERNO000000000A104",
		ProviderOrderID: "202209076000000321", TransactionID: "00012022090700000037"}
	rs := []Refund{
		demoRefund(base, "demo-newpay-succeeded", "1", "success"),
		demoRefund(base, "demo-newpay-succeeded-example", "true", ""),
		demoRefund(base, "demo-newpay-failed", "0", "refund rejected"),
		demoRefund(base, "demo-newpay-unknown", "7", ""),
	}
	for i := range rs {
		rs[i].ProviderRefundID = fmt.Sprintf("20220907800000070%d", i+1)
	}
	return rs
}
