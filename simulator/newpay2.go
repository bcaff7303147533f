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
	"github.com/refundkit/refundkit/gen/newpay2"
	"github.com/refundkit/refundkit/internal/ptr"
	"github.com/refundkit/refundkit/sign"
)

// NewPay2Config configures a NewPay v2 simulator.
//
// [New] returns, from it, a simulator of NewPay's v2 refund inquiry
// (POST /beta/pay/uniQueryRefund). Refund.RefundID is mchRefundNo,
// ProviderRefundID newpayRefundNo, ProviderOrderID newpayOrderNo, Status
// refundStatus (sent as a JSON string; empty leaves it out), Amount and
// Currency refundAmt, which orderAmt repeats (every simulated refund is a
// full refund), and Code the envelope's code.
type NewPay2Config struct {
	// AppID and MchID are the only appId and mchId the simulator accepts;
	// others get Z00003 and Z00044 [assumed: v2 publishes no codes, so the
	// simulator answers with the NewPay family's].
	AppID string
	MchID string
	// MerchantKey is the merchant's public key; it checks the sign field of
	// requests.
	MerchantKey *sign.PublicKey
	// PlatformKey is NewPay's private key; it signs data.sign in responses.
	PlatformKey *sign.PrivateKey
	// Nested is how refundAmt and orderAmt enter the canonical string it
	// signs; zero means sign.NewPay2NestedJSON [assumed].
	Nested sign.NewPay2Nested
	// Clock stamps responses; nil means time.Now.
	Clock func() time.Time
}

// newpay2FieldCodes maps a request field that fails validation to the
// family code for it [assumed]; anything else is B11095.
var newpay2FieldCodes = map[string]string{
	"appId":          newpayAppIDIllegal,
	"mchId":          newpayMerchantIllegal,
	"sign":           newpaySignIllegal,
	"mchRefundNo":    newpayRefundNoIllegal,
	"newpayRefundNo": newpayRefundNoIllegal,
}

// simulate checks the settings and builds the simulator (see NewPay2Config).
func (cfg NewPay2Config) simulate() (*Simulator, error) {
	if cfg.AppID == "" || cfg.MchID == "" {
		return nil, errors.New("simulator: newpay2: AppID and MchID are required")
	}
	if cfg.MerchantKey == nil || cfg.PlatformKey == nil {
		return nil, errors.New("simulator: newpay2: MerchantKey and PlatformKey are required")
	}
	b := &newpay2Backend{cfg: cfg, verifier: sign.NewPay2{PublicKey: cfg.MerchantKey},
		signer: sign.NewPay2{PrivateKey: cfg.PlatformKey, Nested: cfg.Nested}}
	return newSimulator(refundkit.NewPay2, b, cfg.Clock)
}

type newpay2Backend struct {
	noSignatureHeaders // the signature lives inside the body (data.sign)
	cfg                NewPay2Config
	verifier           sign.NewPay2
	signer             sign.NewPay2
}

// check accepts every refund: each value is sent as a JSON string.
func (b *newpay2Backend) check(Refund) error { return nil }

func (b *newpay2Backend) invalid(inv invalidity) providerError {
	return newpayInvalid(newpay2FieldCodes, inv)
}

func (b *newpay2Backend) accept(_ *http.Request, body []byte, _ time.Time) (lookup, *providerError) {
	var req newpay2.UniQueryRefundRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return lookup{}, &providerError{code: newpayIllegalRequest, message: "illegal request"}
	}
	if perr := newpayIdentity(req.AppID == b.cfg.AppID, req.MchID == b.cfg.MchID, "mchId", b.verifier.VerifyJSON, body); perr != nil {
		return lookup{}, perr
	}
	q := lookup{refundID: ptr.Value(req.MchRefundNo), providerRefundID: ptr.Value(req.NewpayRefundNo)}
	if q.refundID == "" && q.providerRefundID == "" {
		return lookup{}, &providerError{code: newpayIllegalRequest, message: "newpayRefundNo or mchRefundNo is required"}
	}
	return q, nil
}

func (b *newpay2Backend) notFound() providerError { return newpayNotFound }

// newpay2Envelope is v2's answer [doc]; timestamp is epoch milliseconds.
type newpay2Envelope struct {
	Success   bool            `json:"success"`
	Message   string          `json:"message"`
	Code      string          `json:"code"`
	Timestamp int64           `json:"timestamp"`
	Data      json.RawMessage `json:"data,omitempty"`
}

func (b *newpay2Backend) render(_ lookup, ref *Refund, perr *providerError, f Fault, now time.Time) ([]byte, error) {
	env := newpay2Envelope{Timestamp: now.UnixMilli()}
	if perr == nil && ref.Code != "" && ref.Code != newpayOK {
		perr = &providerError{code: ref.Code, message: cmp.Or(ref.Message, "failed")}
	}
	if perr != nil {
		env.Message, env.Code = perr.message, perr.code
		return json.Marshal(env)
	}
	amt := &newpay2.Amount{Value: ptr.NonZero(ref.Amount), Currency: ptr.NonZero(ref.Currency)}
	d := newpay2.UniQueryRefundData{
		MchRefundNo: ptr.NonZero(ref.RefundID), NewpayRefundNo: ptr.NonZero(ref.ProviderRefundID),
		NewpayOrderNo: ptr.NonZero(ref.ProviderOrderID), RefundAmt: amt, OrderAmt: amt,
	}
	status := ref.Status
	if f == FaultUnknownStatus {
		status = UnknownStatus(refundkit.NewPay2)
	}
	if status != "" {
		raw := json.RawMessage(strconv.Quote(status))
		d.RefundStatus = &raw
	}
	if f == FaultMismatchedID {
		d.MchRefundNo = ptr.NonZero(ref.RefundID + MismatchSuffix)
		if ref.ProviderRefundID != "" {
			d.NewpayRefundNo = ptr.NonZero(ref.ProviderRefundID + MismatchSuffix)
		}
	}
	data, err := newpaySignData(d, b.signer.SignJSON, f) // d.Sign is nil: the member is appended
	if err != nil {
		return nil, err
	}
	env.Success, env.Message, env.Code, env.Data = true, "success", newpayOK, data
	return json.Marshal(env)
}

// The identities of DemoConfig's NewPay v2 simulator. NewPay's v2 page has
// no examples; these are its v1 examples' appId and merchantId. A client of
// it uses the same values.
const (
	DemoNewPay2AppID = DemoNewPayAppID
	DemoNewPay2MchID = DemoNewPayMerchantID
)

func init() {
	register(refundkit.NewPay2, registration{
		demo: func(keys *Keys, clock func() time.Time) ProviderConfig {
			return NewPay2Config{AppID: DemoNewPay2AppID, MchID: DemoNewPay2MchID,
				MerchantKey: keys.Merchant.Public, PlatformKey: keys.Platform.Private, Clock: clock}
		},
		refunds:    newpay2DemoRefunds,
		unknown:    "SIMULATED_UNKNOWN_STATUS",
		deviations: map[Fault]string{FaultWrongType: "/code", FaultMissingRequired: "/success"},
	})
}

func newpay2DemoRefunds() []Refund {
	base := Refund{Amount: "50000", Currency: "LAK", ProviderOrderID: "202209076000000321"}
	rs := []Refund{
		demoRefund(base, "demo-newpay2-succeeded", "SUCCESS", ""),
		demoRefund(base, "demo-newpay2-pending", "PROCESSING", ""),
		demoRefund(base, "demo-newpay2-failed", "FAIL", ""),
		demoRefund(base, "demo-newpay2-unknown", "REFUNDED_TO_WALLET", ""),
	}
	for i := range rs {
		rs[i].ProviderRefundID = fmt.Sprintf("20220907800000080%d", i+1)
	}
	return rs
}
