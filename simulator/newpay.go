package simulator

import (
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

// NewPay's business codes as the simulator uses them [doc].
const (
	newpayOK                = "0"
	newpayIllegalRequest    = "B11095"
	newpayAppIDIllegal      = "Z00001"
	newpayAppIDWrong        = "Z00003"
	newpayTimestampIllegal  = "Z00004"
	newpaySignIllegal       = "Z00005"
	newpaySignVerifyFailed  = "Z00007"
	newpayMerchantIllegal   = "Z00021"
	newpayMerchantWrong     = "Z00044"
	newpayRefundNoIllegal   = "Z00049"
	newpayOrderDoesNotExist = "Z00051"
)

// newpayFieldCodes maps a request field that fails validation to NewPay's
// code for it; anything else is B11095.
var newpayFieldCodes = map[string]string{
	"appId":         newpayAppIDIllegal,
	"merchantId":    newpayMerchantIllegal,
	"timestamp":     newpayTimestampIllegal,
	"sign":          newpaySignIllegal,
	"refundOrderNo": newpayRefundNoIllegal,
}

// NewNewPay returns a simulator of NewPay's v1 refund inquiry
// (POST /api/open/converge/pay/v1/queryRefund [assumed path]).
func NewNewPay(cfg NewPayConfig) (*Simulator, error) {
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
	cfg      NewPayConfig
	verifier sign.NewPay
	signer   sign.NewPay
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
	if code, ok := newpayFieldCodes[inv.field]; ok {
		return providerError{code: code, message: inv.field + " illegal"}
	}
	return providerError{code: newpayIllegalRequest, message: "illegal request: " + inv.reason}
}

func (b *newpayBackend) accept(_ *http.Request, body []byte, _ time.Time) (lookup, *providerError) {
	var req newpay.QueryRefundRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return lookup{}, &providerError{code: newpayIllegalRequest, message: "illegal request"}
	}
	switch {
	case req.AppID != b.cfg.AppID:
		return lookup{}, &providerError{code: newpayAppIDWrong, message: "appId is wrong"}
	case req.MerchantID != b.cfg.MerchantID:
		return lookup{}, &providerError{code: newpayMerchantWrong, message: "merchantId is wrong"}
	}
	if err := b.verifier.VerifyJSON(body); err != nil {
		if errors.Is(err, sign.ErrMissingSignature) || errors.Is(err, sign.ErrMalformedSignature) {
			return lookup{}, &providerError{code: newpaySignIllegal, message: "sign illegal"}
		}
		return lookup{}, &providerError{code: newpaySignVerifyFailed, message: "sign verification failed"}
	}
	if req.RefundOrderNo == "" {
		return lookup{}, &providerError{code: newpayRefundNoIllegal, message: "refundOrderNo illegal"}
	}
	return lookup{refundID: req.RefundOrderNo}, nil
}

func (b *newpayBackend) notFound() providerError {
	return providerError{code: newpayOrderDoesNotExist, message: "order information does not exist"}
}

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
// null, as in NewPay's example; sign is set last, over the other members.
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
	Sign                string       `json:"sign,omitempty"`
}

// newpayPayMethodNewPay is payMethod 1, "NewPay" [doc].
const newpayPayMethodNewPay = 1

func (b *newpayBackend) render(_ lookup, ref *Refund, perr *providerError, f Fault, now time.Time) ([]byte, error) {
	ts := strconv.AppendInt(nil, now.UnixMilli(), 10)
	if perr == nil && ref.Code != "" && ref.Code != newpayOK {
		perr = &providerError{code: ref.Code, message: or(ref.Message, "failed")}
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
	data, err := b.signData(d, f)
	if err != nil {
		return nil, err
	}
	return json.Marshal(newpayEnvelope{Success: true, Message: "success", Data: data, Code: newpayOK, Timestamp: ts})
}

// signData marshals d with data.sign over its canonical string, corrupted or
// left out as fault f asks.
func (b *newpayBackend) signData(d newpayData, f Fault) ([]byte, error) {
	unsigned, err := json.Marshal(d)
	if err != nil || f == FaultMissingSignature {
		return unsigned, err
	}
	canonical, err := sign.NewPayCanonicalJSON(unsigned)
	if err != nil {
		return nil, err
	}
	if d.Sign, err = b.signer.Sign(canonical); err != nil {
		return nil, err
	}
	if f == FaultBadSignature {
		d.Sign = corruptBase64(d.Sign)
	}
	return json.Marshal(d)
}

// sign does nothing: NewPay's signature lives inside the body (data.sign).
func (b *newpayBackend) sign(*http.Request, http.Header, []byte, Fault, time.Time) error { return nil }

// or returns v, or def when v is empty.
func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
