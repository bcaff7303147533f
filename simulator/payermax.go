package simulator

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/gen/payermax"
	"github.com/refundkit/refundkit/internal/ptr"
	"github.com/refundkit/refundkit/sign"
)

// PayerMaxConfig configures a PayerMax simulator.
//
// [New] returns, from it, a simulator of PayerMax's refund inquiry
// (POST /aggregate-pay/api/gateway/refundQuery).
type PayerMaxConfig struct {
	// AppID is the only appId the simulator accepts; others get
	// MERCHANT_INVALID.
	AppID string
	// MerchantNo, if set, is the only merchantNo accepted; a request that
	// sends another gets MERCHANT_INVALID. A request may leave merchantNo
	// out (it is optional) or send it empty, as PayerMax's Go SDK does.
	MerchantNo string
	// MerchantKey is the merchant's public key; it checks the sign header
	// of requests.
	MerchantKey *sign.PublicKey
	// PlatformKey is PayerMax's private key; it signs the sign header of
	// responses. Clients verify with its public half.
	PlatformKey *sign.PrivateKey
	// Clock is the simulator's time for the requestTime check; nil means
	// time.Now.
	Clock func() time.Time
	// MaxClockSkew is how far requestTime may be from the simulator's clock;
	// zero means PayerMax's 2 minutes [doc].
	MaxClockSkew time.Duration
}

// PayerMax's codes as the simulator uses them [doc]. ORDER_NOT_EXIST is
// [assumed]: PayerMax does not publish its not-found code.
const (
	payermaxOK            = "APPLY_SUCCESS"
	payermaxParamsInvalid = "PARAMS_INVALID"
	payermaxSignFailed    = "SIGN_VERIFY_FAILED"
	payermaxMerchant      = "MERCHANT_INVALID"
	payermaxStale         = "REQ_TIME_OVER_TIME"
	payermaxNotFound      = "ORDER_NOT_EXIST"
)

// payermaxMaxSkew is how far off PayerMax lets requestTime be [doc].
const payermaxMaxSkew = 2 * time.Minute

// simulate checks the settings and builds the simulator (see PayerMaxConfig).
func (cfg PayerMaxConfig) simulate() (*Simulator, error) {
	if cfg.AppID == "" {
		return nil, errors.New("simulator: payermax: AppID is required")
	}
	if cfg.MerchantKey == nil || cfg.PlatformKey == nil {
		return nil, errors.New("simulator: payermax: MerchantKey and PlatformKey are required")
	}
	if cfg.MaxClockSkew <= 0 {
		cfg.MaxClockSkew = payermaxMaxSkew
	}
	b := &payermaxBackend{cfg: cfg, verifier: sign.PayerMax{PublicKey: cfg.MerchantKey}, signer: sign.PayerMax{PrivateKey: cfg.PlatformKey}}
	return newSimulator(refundkit.PayerMax, b, cfg.Clock)
}

type payermaxBackend struct {
	cfg      PayerMaxConfig
	verifier sign.PayerMax
	signer   sign.PayerMax
}

func (b *payermaxBackend) check(r Refund) error {
	if r.Amount != "" && !validJSONNumber(r.Amount) {
		return fmt.Errorf("amount %q is not a JSON number", r.Amount)
	}
	return nil
}

// validJSONNumber reports whether s is one JSON number, as PayerMax writes
// refundAmount.
func validJSONNumber(s string) bool {
	return s != "" && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) && json.Valid([]byte(s)) &&
		s[len(s)-1] >= '0' && s[len(s)-1] <= '9'
}

func (b *payermaxBackend) invalid(inv invalidity) providerError {
	if inv.signature {
		return providerError{code: payermaxSignFailed, message: "Signature verification failed."}
	}
	return providerError{code: payermaxParamsInvalid, message: "Invalid parameters: " + inv.reason}
}

func (b *payermaxBackend) accept(r *http.Request, body []byte, now time.Time) (lookup, *providerError) {
	var req payermax.RefundQueryRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return lookup{}, &providerError{code: payermaxParamsInvalid, message: "Invalid parameters."}
	}
	// PayerMax's Go SDK sends "merchantNo":"" when it has none: that is
	// the same as leaving it out.
	if merchantNo := ptr.Value(req.MerchantNo); req.AppID != b.cfg.AppID || (b.cfg.MerchantNo != "" && merchantNo != "" && merchantNo != b.cfg.MerchantNo) {
		return lookup{}, &providerError{code: payermaxMerchant, message: "Merchant is invalid."}
	}
	if err := b.verifier.Verify(body, r.Header.Get(sign.PayerMaxSignatureHeader)); err != nil {
		return lookup{}, &providerError{code: payermaxSignFailed, message: "Signature verification failed."}
	}
	// Any RFC 3339 time, with 0 to 9 fraction digits (the spec's pattern):
	// PayerMax's Go SDK trims trailing zeros of the fraction.
	t, err := time.Parse(time.RFC3339Nano, req.RequestTime)
	if err != nil {
		return lookup{}, &providerError{code: payermaxParamsInvalid, message: "Invalid parameters: requestTime."}
	}
	if d := now.Sub(t); d > b.cfg.MaxClockSkew || d < -b.cfg.MaxClockSkew {
		return lookup{}, &providerError{code: payermaxStale, message: "Request time is more than 2 minutes off."}
	}
	return lookup{refundID: ptr.Value(req.Data.OutRefundNo), providerRefundID: ptr.Value(req.Data.RefundTradeNo)}, nil
}

func (b *payermaxBackend) notFound() providerError {
	return providerError{code: payermaxNotFound, message: "Refund order does not exist."}
}

// payermaxResponse is PayerMax's answer, members in the order of PayerMax's
// documented example.
type payermaxResponse struct {
	Code string        `json:"code"`
	Msg  string        `json:"msg"`
	Data *payermaxData `json:"data,omitempty"`
}

type payermaxData struct {
	OutRefundNo      string       `json:"outRefundNo"`
	RefundTradeNo    string       `json:"refundTradeNo,omitempty"`
	RefundAmount     *json.Number `json:"refundAmount,omitempty"` // written as its exact text, no float
	RefundCurrency   string       `json:"refundCurrency,omitempty"`
	OutTradeNo       string       `json:"outTradeNo,omitempty"`
	Status           string       `json:"status,omitempty"`
	ResultMsg        string       `json:"resultMsg,omitempty"`
	RefundFinishTime string       `json:"refundFinishTime,omitempty"`
}

func (b *payermaxBackend) render(q lookup, ref *Refund, perr *providerError, f Fault, _ time.Time) ([]byte, error) {
	if perr == nil && ref.Code != "" && ref.Code != payermaxOK {
		perr = &providerError{code: ref.Code, message: cmp.Or(ref.Message, "Failed.")}
	}
	if perr != nil {
		return json.Marshal(payermaxResponse{Code: perr.code, Msg: perr.message})
	}
	d := payermaxData{
		OutRefundNo: ref.RefundID, RefundTradeNo: ref.ProviderRefundID, RefundCurrency: ref.Currency,
		OutTradeNo: ref.OrderID, Status: ref.Status, ResultMsg: ref.Message, RefundFinishTime: ref.RefundTime,
	}
	if ref.Amount != "" {
		n := json.Number(ref.Amount)
		d.RefundAmount = &n
	}
	switch f {
	case FaultUnknownStatus:
		d.Status = UnknownStatus(refundkit.PayerMax)
	case FaultMismatchedID:
		d.OutRefundNo += MismatchSuffix
		if q.providerRefundID != "" || ref.ProviderRefundID != "" {
			d.RefundTradeNo = ref.ProviderRefundID + MismatchSuffix
		}
	}
	return json.Marshal(payermaxResponse{Code: payermaxOK, Msg: "Success.", Data: &d})
}

// sign sets the sign header over the exact body, error answers included
// (refundkit verifies a signature on any PayerMax answer that has one).
func (b *payermaxBackend) sign(_ *http.Request, h http.Header, body []byte, f Fault, _ time.Time) error {
	if f == FaultMissingSignature {
		return nil
	}
	sig, err := b.signer.Sign(body)
	if err != nil {
		return err
	}
	if f == FaultBadSignature {
		sig = corruptBase64(sig)
	}
	h.Set(sign.PayerMaxSignatureHeader, sig)
	return nil
}

// The identities of DemoConfig's PayerMax simulator, from PayerMax's own
// documentation examples. A client of it uses the same values.
const (
	DemoPayerMaxAppID      = "a0dddd1f622243cb9aa1b676e808b5f8"
	DemoPayerMaxMerchantNo = "02021382719993"
)

func init() {
	register(refundkit.PayerMax, registration{
		demo: func(keys *Keys, clock func() time.Time) ProviderConfig {
			return PayerMaxConfig{AppID: DemoPayerMaxAppID, MerchantNo: DemoPayerMaxMerchantNo,
				MerchantKey: keys.Merchant.Public, PlatformKey: keys.Platform.Private, Clock: clock}
		},
		refunds:        payermaxDemoRefunds,
		unknown:        "SIMULATED_UNKNOWN_STATUS",
		deviations:     map[Fault]string{FaultWrongType: "/code", FaultMissingRequired: "/msg"},
		pushDeviations: map[Fault]string{FaultWrongType: "/code", FaultMissingRequired: "/notifyType"},
	})
}

func payermaxDemoRefunds() []Refund {
	base := Refund{Amount: "10000", Currency: "IDR", OrderID: "P1642410680681", RefundTime: "2022-01-17T09:20:11.123+00:00"}
	pending := demoRefund(base, "demo-payermax-pending", "REFUND_PENDING", "")
	pending.Amount, pending.Currency, pending.RefundTime = "12345678901234.5678", "USD", ""
	rs := []Refund{
		demoRefund(base, "demo-payermax-succeeded", "REFUND_SUCCESS", ""),
		pending,
		demoRefund(base, "demo-payermax-failed", "REFUND_FAILED", "Refund rejected by the issuing bank."),
		demoRefund(base, "demo-payermax-unknown", "REFUND_REVIEWING", ""),
	}
	for i := range rs {
		rs[i].ProviderRefundID = fmt.Sprintf("20220117091657TI79000005500%d", i+1)
	}
	return rs
}
