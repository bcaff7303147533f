package notify

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
	gen "github.com/refundkit/refundkit/gen/alphapay"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
)

// AlphaPayAck is the answer to an AlphaPay push.
//
// [assumed] AlphaPay asks for a "received" message ("Push response" on its
// Notification page) whose exact text we could not find; this is modelled on
// its own result object. AlphaPay pushes a refund once and does not retry,
// so the answer only tells it the push arrived. Override with WithAck.
var AlphaPayAck = []byte(`{"result":{"resultCode":"SUCCESS","resultMessage":"success","resultStatus":"S"}}`)

// AlphaPayDefaultMaxAge is how old an AlphaPay push's Request-Time may be.
//
// [assumed] AlphaPay pushes once, at once, and stamps the push like a
// request; five minutes allows for clock skew and a slow network. Override
// with WithTimeWindow.
const AlphaPayDefaultMaxAge = 5 * time.Minute

// newAlphaPayHandler returns the handler of AlphaPay's refund pushes, built from
// the inquiry client's configuration: cfg.PublicKey (AlphaPay's key,
// required) verifies the Signature header over
//
//	POST <path>
//	<Merchant-Code>.<Request-Time>.<Nonce>.<exact body>
//
// where the path is the request's, or WithSignedPath's [assumed]; the
// Merchant-Code header must be cfg.MerchantCode, and Request-Time (RFC 3339,
// with or without milliseconds) within AlphaPayDefaultMaxAge. Amounts are
// converted from minor units with cfg.CurrencyExponents as Inquire does.
// The acknowledgement is AlphaPayAck [assumed].
func newAlphaPayHandler(cfg inquiry.AlphaPayConfig, deliver DeliverFunc, opts ...Option) (*Handler, error) {
	if cfg.MerchantCode == "" {
		return nil, errors.New("notify: alphapay: config: MerchantCode is missing")
	}
	if cfg.PublicKey == nil {
		return nil, errors.New("notify: alphapay: config: PublicKey is missing (needed to verify pushes)")
	}
	s := &alphapaySteps{cfg: cfg}
	return newHandler(refundkit.AlphaPay, s, deliver, AlphaPayAck, buildOptions(opts, AlphaPayDefaultMaxAge))
}

type alphapaySteps struct{ cfg inquiry.AlphaPayConfig }

// alphapayHeaders are the signed headers of a push, in the order read.
var alphapayHeaders = [4]string{sign.AlphaPayHeaderMerchantCode, sign.AlphaPayHeaderRequestTime, sign.AlphaPayHeaderNonce, sign.AlphaPayHeaderSignature}

func headers4(h http.Header) ([4]string, error) {
	var v [4]string
	for i, name := range alphapayHeaders {
		var err error
		if v[i], err = oneHeader(h, name); err != nil {
			return v, err
		}
	}
	return v, nil
}

// verify checks the signature with the Merchant-Code the push names, so
// that an authentic push for another merchant is reported as such by the
// merchant check, not as a forgery.
func (s *alphapaySteps) verify(req Request, path string) error {
	v, err := headers4(req.Header)
	if err != nil {
		return err
	}
	if v[0] == "" {
		return fmt.Errorf("%w: empty Merchant-Code header", sign.ErrMissingSignature)
	}
	verifier := sign.AlphaPay{MerchantCode: v[0], PublicKey: s.cfg.PublicKey}
	return verifier.Verify(http.MethodPost, path, v[1], v[2], v[3], req.Body)
}

func (s *alphapaySteps) decode(req Request) (*claim, error) {
	v, err := headers4(req.Header)
	if err != nil {
		return nil, err
	}
	sentAt, ok := inquiry.ParseProviderTime(v[1])
	if !ok {
		return nil, fmt.Errorf("the Request-Time header %q is not RFC 3339", clip(v[1]))
	}
	var n gen.RefundNotification
	if err := json.Unmarshal(req.Body, &n); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	switch {
	case text(n.RefundID) == "":
		return nil, errors.New("refundId is missing")
	case text(n.RefundStatus) == "":
		return nil, errors.New("refundStatus is missing")
	}
	res := &refundkit.Result{
		Provider:         refundkit.AlphaPay,
		Status:           inquiry.AlphaPayStatus(*n.RefundStatus),
		ProviderStatus:   *n.RefundStatus,
		ProviderRefundID: *n.RefundID,
		MerchantRefundID: text(n.RefundRequestID),
		ProviderOrderID:  text(n.PaymentID),
		Verified:         true,
		Raw:              req.Body,
		Source:           refundkit.SourceNotification,
	}
	if n.Refund != nil && n.Refund.RefundAmount != nil {
		a := n.Refund.RefundAmount
		if res.Amount, err = inquiry.AlphaPayAmount(s.cfg.CurrencyExponents, a.Value, a.Currency); err != nil {
			return nil, fmt.Errorf("refund.refundAmount: %w", err)
		}
	}
	if t := text(n.RefundTime); t != "" {
		res.RefundedAt, _ = inquiry.ParseProviderTime(t)
	}
	return &claim{
		result:   res,
		identity: []ident{{"Merchant-Code", v[0], s.cfg.MerchantCode}},
		sentAt:   sentAt,
		key:      []string{v[0], *n.RefundID, strings.TrimSpace(*n.RefundStatus)},
		query:    refundkit.Query{RefundID: *n.RefundID, RefundRequestID: res.MerchantRefundID},
	}, nil
}

func init() { register(refundkit.AlphaPay, newAlphaPayHandler) }
