package notify

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/refundkit/refundkit"
	gen "github.com/refundkit/refundkit/gen/newpay"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
)

// NewPayAck is the acknowledgement NewPay expects of a refund callback
// [doc]; any other answer makes it call again, every 5 minutes, 3 times.
var NewPayAck = []byte(`{"transResult":"SUCCESS"}`)

// NewPayDefaultMaxAge is how old a NewPay callback's timestamp may be.
//
// [assumed] NewPay retries 3 times, 5 minutes apart, and does not say
// whether a retry carries a new timestamp: an hour covers the schedule.
// Override with WithTimeWindow.
const NewPayDefaultMaxAge = time.Hour

// NewPayTransStatusSucceeded is the transStatus of a refund that succeeded;
// the other of 0 and 1 means it failed, anything else is unknown.
//
// [assumed] NewPay's refund-callback page says 1 success, 0 failure; its
// payment-callback page says the opposite. The refund page wins for refunds;
// override with WithNewPaySucceeded.
const NewPayTransStatusSucceeded = 1

// newNewPayHandler returns the handler of NewPay v1 refund callbacks, built from
// the inquiry client's configuration: cfg.PublicKey (NewPay's platform key,
// required) verifies the body's sign member over the canonical string of
// the exact body (the same rule as inquiry answers), and cfg.AppID must be
// the callback's appId. timestamp (epoch milliseconds) must be within
// NewPayDefaultMaxAge. The acknowledgement is NewPayAck.
//
// Only v1 is supported: NewPay does not publish v2's callback format.
func newNewPayHandler(cfg inquiry.NewPayConfig, deliver DeliverFunc, opts ...Option) (*Handler, error) {
	if cfg.AppID == "" {
		return nil, errors.New("notify: newpay: config: AppID is missing")
	}
	if cfg.PublicKey == nil {
		return nil, errors.New("notify: newpay: config: PublicKey is missing (needed to verify callbacks)")
	}
	o := buildOptions(opts, NewPayDefaultMaxAge)
	s := &newpaySteps{cfg: cfg, verifier: sign.NewPay{PublicKey: cfg.PublicKey}, succeeded: NewPayTransStatusSucceeded}
	if o.NewPaySucceeded != nil {
		if v := *o.NewPaySucceeded; v != 0 && v != 1 {
			return nil, fmt.Errorf("notify: newpay: WithNewPaySucceeded(%d): must be 0 or 1", v)
		}
		s.succeeded = *o.NewPaySucceeded
	}
	return newHandler(refundkit.NewPay, s, deliver, NewPayAck, o)
}

type newpaySteps struct {
	cfg       inquiry.NewPayConfig
	verifier  sign.NewPay
	succeeded int64
}

func (s *newpaySteps) verify(req Request, _ string) error { return s.verifier.VerifyJSON(req.Body) }

// newpayCallback reads a callback in one pass with the required numbers as
// pointers: the generated type reads a missing transStatus as 0, which
// would mean failed. The outer fields shadow the generated type's own.
type newpayCallback struct {
	gen.RefundCallback
	TransStatus *int32 `json:"transStatus"`
	Timestamp   *int64 `json:"timestamp"`
}

func (s *newpaySteps) decode(req Request) (*claim, error) {
	var n newpayCallback
	if err := json.Unmarshal(req.Body, &n); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	switch {
	case n.AppID == "" || n.RefundOrderNo == "":
		return nil, errors.New("appId or refundOrderNo is missing")
	case n.TransStatus == nil:
		return nil, errors.New("transStatus is missing")
	case n.Timestamp == nil:
		return nil, errors.New("timestamp is missing")
	}
	status := int64(*n.TransStatus)
	res := &refundkit.Result{
		Provider:         refundkit.NewPay,
		Status:           s.status(status),
		ProviderStatus:   strconv.FormatInt(status, 10),
		ProviderMessage:  text(n.TransInfo),
		MerchantRefundID: n.RefundOrderNo,
		ProviderRefundID: text(n.NewpayRefundOrderNo),
		MerchantOrderID:  text(n.OrderNo),
		ProviderOrderID:  text(n.NewpayOrderNo),
		Verified:         true,
		Raw:              req.Body,
		Source:           refundkit.SourceNotification,
	}
	var err error
	if res.Amount, err = inquiry.MajorUnits(n.RefundOrderAmt, n.Currency); err != nil {
		return nil, fmt.Errorf("refundOrderAmt: %w", err)
	}
	return &claim{
		result:   res,
		identity: []ident{{"appId", n.AppID, s.cfg.AppID}},
		sentAt:   time.UnixMilli(*n.Timestamp),
		key:      []string{n.AppID, n.RefundOrderNo, res.ProviderStatus},
		query:    refundkit.Query{RefundID: n.RefundOrderNo},
	}, nil
}

// status maps transStatus with the configured meaning of success; the
// inquiry's own mapping decides when that meaning is the default.
func (s *newpaySteps) status(v int64) refundkit.Status {
	switch {
	case s.succeeded == NewPayTransStatusSucceeded:
		return inquiry.NewPayStatus(v)
	case v == s.succeeded:
		return refundkit.StatusSucceeded
	case v == 1-s.succeeded:
		return refundkit.StatusFailed
	default:
		return refundkit.StatusUnknown
	}
}

func init() { register(refundkit.NewPay, newNewPayHandler) }

// WithNewPaySucceeded makes transStatus v mean success in a NewPay refund
// callback, and the other of 0 and 1 failure (NewPay's payment-callback page
// gives transStatus the opposite meaning to its refund-callback page).
func WithNewPaySucceeded(v int64) Option { return func(o *Options) { o.NewPaySucceeded = &v } }
