package simulator

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/gen/alphapay"
	"github.com/refundkit/refundkit/internal/ptr"
	"github.com/refundkit/refundkit/sign"
)

// AlphaPayConfig configures an AlphaPay simulator.
//
// [New] returns, from it, a simulator of AlphaPay's refund inquiry
// (POST /api/v2.0/payments/inquiryRefund).
type AlphaPayConfig struct {
	// MerchantCode is the only Merchant-Code the simulator accepts; others
	// get ACCESS_DENIED.
	MerchantCode string
	// MerchantKey is the merchant's public key; it checks the Signature
	// header of requests.
	MerchantKey *sign.PublicKey
	// PlatformKey is AlphaPay's private key; it signs responses
	// (Response-Time, Nonce and Signature headers). Clients verify with its
	// public half.
	PlatformKey *sign.PrivateKey
	// Clock stamps Response-Time; nil means time.Now.
	Clock func() time.Time
	// Nonce makes response nonces; nil means sign.RandomNonce.
	Nonce sign.NonceFunc
}

// AlphaPay's result codes and statuses as the simulator uses them. AlphaPay
// does not publish its code list; these are refundkit's [assumed] codes.
const (
	alphapaySuccess        = "SUCCESS"
	alphapayParamIllegal   = "PARAM_ILLEGAL"
	alphapayBadSignature   = "INVALID_SIGNATURE"
	alphapayAccessDenied   = "ACCESS_DENIED"
	alphapayRefundNotExist = "REFUND_NOT_EXIST"
	alphapayUnknown        = "UNKNOWN_EXCEPTION"
	alphapayProcessFail    = "PROCESS_FAIL"

	alphapayStatusS = "S"
	alphapayStatusF = "F"
	alphapayStatusU = "U"
)

// simulate checks the settings and builds the simulator (see AlphaPayConfig).
func (cfg AlphaPayConfig) simulate() (*Simulator, error) {
	if cfg.MerchantCode == "" {
		return nil, errors.New("simulator: alphapay: MerchantCode is required")
	}
	if cfg.MerchantKey == nil || cfg.PlatformKey == nil {
		return nil, errors.New("simulator: alphapay: MerchantKey and PlatformKey are required")
	}
	if cfg.Nonce == nil {
		cfg.Nonce = sign.RandomNonce
	}
	b := &alphapayBackend{cfg: cfg, verifier: sign.AlphaPay{MerchantCode: cfg.MerchantCode, PublicKey: cfg.MerchantKey}}
	return newSimulator(refundkit.AlphaPay, b, cfg.Clock)
}

type alphapayBackend struct {
	cfg      AlphaPayConfig
	verifier sign.AlphaPay
}

func (b *alphapayBackend) check(Refund) error { return nil }

func (b *alphapayBackend) invalid(inv invalidity) providerError {
	if inv.signature || inv.field == sign.AlphaPayHeaderSignature {
		return providerError{code: alphapayBadSignature, message: "invalid signature"}
	}
	return providerError{code: alphapayParamIllegal, message: "illegal parameter: " + inv.reason}
}

func (b *alphapayBackend) accept(r *http.Request, body []byte, _ time.Time) (lookup, *providerError) {
	if r.Header.Get(sign.AlphaPayHeaderMerchantCode) != b.cfg.MerchantCode {
		return lookup{}, &providerError{code: alphapayAccessDenied, message: "access denied"}
	}
	if err := b.verifier.VerifyRequest(r.Method, signedPath(r), r.Header, body); err != nil {
		return lookup{}, &providerError{code: alphapayBadSignature, message: "invalid signature"}
	}
	var req alphapay.InquiryRefundRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return lookup{}, &providerError{code: alphapayParamIllegal, message: "illegal parameter"}
	}
	return lookup{refundID: req.RefundID, requestID: ptr.Value(req.RefundRequestID)}, nil
}

func (b *alphapayBackend) notFound() providerError {
	return providerError{code: alphapayRefundNotExist, message: "refund does not exist"}
}

// alphapayResponse is AlphaPay's answer, members in the order of AlphaPay's
// documented example.
type alphapayResponse struct {
	PaymentID       string          `json:"paymentId,omitempty"`
	RefundRequestID string          `json:"refundRequestId,omitempty"`
	RefundID        string          `json:"refundId,omitempty"`
	RefundTime      string          `json:"refundTime,omitempty"`
	RefundStatus    string          `json:"refundStatus,omitempty"`
	Refund          *alphapayRefund `json:"refund,omitempty"`
	Result          alphapayResult  `json:"result"`
}

type alphapayRefund struct {
	RefundAmount *alphapayAmount `json:"refundAmount,omitempty"`
	Description  string          `json:"description,omitempty"`
}

type alphapayAmount struct {
	Value    string `json:"value,omitempty"` // minor units, as text
	Currency string `json:"currency,omitempty"`
}

type alphapayResult struct {
	ResultCode    string `json:"resultCode"`
	ResultMessage string `json:"resultMessage"`
	ResultStatus  string `json:"resultStatus"`
}

func (b *alphapayBackend) render(_ lookup, ref *Refund, perr *providerError, f Fault, _ time.Time) ([]byte, error) {
	if perr == nil && cmp.Or(ref.SubStatus, alphapayStatusS) == alphapayStatusF {
		perr = &providerError{code: cmp.Or(ref.Code, alphapayProcessFail), message: cmp.Or(ref.Message, "process failed")}
	}
	if perr != nil {
		return json.Marshal(alphapayResponse{Result: alphapayResult{perr.code, perr.message, alphapayStatusF}})
	}
	result := alphapayResult{ResultCode: ref.Code, ResultMessage: ref.Message, ResultStatus: cmp.Or(ref.SubStatus, alphapayStatusS)}
	if result.ResultStatus == alphapayStatusU {
		result.ResultCode = cmp.Or(result.ResultCode, alphapayUnknown)
		result.ResultMessage = cmp.Or(result.ResultMessage, "result unknown, inquire again later")
	}
	result.ResultCode, result.ResultMessage = cmp.Or(result.ResultCode, alphapaySuccess), cmp.Or(result.ResultMessage, "success")
	resp := alphapayResponse{
		PaymentID: ref.ProviderOrderID, RefundRequestID: ref.RefundRequestID, RefundID: ref.RefundID,
		RefundTime: ref.RefundTime, RefundStatus: ref.Status, Result: result,
	}
	if ref.Amount != "" || ref.Currency != "" || ref.Description != "" {
		resp.Refund = &alphapayRefund{Description: ref.Description}
		if ref.Amount != "" || ref.Currency != "" {
			resp.Refund.RefundAmount = &alphapayAmount{Value: ref.Amount, Currency: ref.Currency}
		}
	}
	switch f {
	case FaultUnknownStatus:
		resp.RefundStatus = UnknownStatus(refundkit.AlphaPay)
		resp.Result = alphapayResult{alphapaySuccess, "success", alphapayStatusS}
	case FaultMismatchedID:
		resp.RefundID += MismatchSuffix
		if resp.RefundRequestID != "" {
			resp.RefundRequestID += MismatchSuffix
		}
	}
	return json.Marshal(resp)
}

// sign sets Response-Time, Nonce and Signature over the exact body, with the
// request's method, path and Merchant-Code, as AlphaPay does on every
// answer, errors included.
func (b *alphapayBackend) sign(r *http.Request, h http.Header, body []byte, f Fault, now time.Time) error {
	signer := sign.AlphaPay{MerchantCode: cmp.Or(r.Header.Get(sign.AlphaPayHeaderMerchantCode), b.cfg.MerchantCode), PrivateKey: b.cfg.PlatformKey}
	sh, err := signer.Sign(r.Method, signedPath(r), body, now, b.cfg.Nonce())
	if err != nil {
		return err
	}
	switch f {
	case FaultMissingSignature:
		sh.Signature = ""
	case FaultBadSignature:
		parsed, err := sign.ParseAlphaPaySignatureHeader(sh.Signature)
		if err != nil {
			return err
		}
		flipBit(parsed.Signature)
		sh.Signature = parsed.String()
	}
	sh.SetResponse(h)
	if sh.Signature == "" {
		h.Del(sign.AlphaPayHeaderSignature)
	}
	return nil
}

// DemoAlphaPayMerchant is the Merchant-Code of DemoConfig's AlphaPay
// simulator, the one of AlphaPay's own documentation examples. A client of
// it uses the same value.
const DemoAlphaPayMerchant = "CXVJIU"

func init() {
	register(refundkit.AlphaPay, registration{
		demo: func(keys *Keys, clock func() time.Time) ProviderConfig {
			return AlphaPayConfig{MerchantCode: DemoAlphaPayMerchant,
				MerchantKey: keys.Merchant.Public, PlatformKey: keys.Platform.Private, Clock: clock}
		},
		refunds:        alphapayDemoRefunds,
		unknown:        "SIMULATED_UNKNOWN_STATUS",
		deviations:     map[Fault]string{FaultWrongType: "/result/resultStatus", FaultMissingRequired: headerPrefix + sign.AlphaPayHeaderResponseTime},
		pushDeviations: map[Fault]string{FaultWrongType: "/refundStatus", FaultMissingRequired: headerPrefix + sign.AlphaPayHeaderRequestTime},
	})
}

// alphapayDemoRefunds: AlphaPay has two pending refunds, refundStatus
// REFUND_IN_PROCESS and resultStatus U. Its inquiry takes AlphaPay's own
// refund id, so the second id is the merchant's refundRequestId.
func alphapayDemoRefunds() []Refund {
	base := Refund{Amount: "100", Currency: "CAD", ProviderOrderID: "P2019052800001",
		RefundTime: "2019-05-28T12:15:02+08:00", Description: "damaged item"}
	unsure := demoRefund(base, "demo-alphapay-pending-result-u", "", "")
	unsure.SubStatus = "U"
	rs := []Refund{
		demoRefund(base, "demo-alphapay-succeeded", "SUCCESS", ""),
		demoRefund(base, "demo-alphapay-pending", "REFUND_IN_PROCESS", ""),
		demoRefund(base, "demo-alphapay-failed", "FAILED", ""),
		demoRefund(base, "demo-alphapay-unknown", "REFUND_REVERSED", ""),
		unsure,
	}
	for i := range rs {
		rs[i].RefundRequestID = fmt.Sprintf("RR-100%d", i+1)
	}
	return rs
}
