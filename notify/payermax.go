package notify

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
	gen "github.com/refundkit/refundkit/gen/payermax"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
)

// PayerMaxAck is the acknowledgement PayerMax expects [doc]; any other
// answer makes it push again.
var PayerMaxAck = []byte(`{"code":"SUCCESS","msg":"Success"}`)

// PayerMaxDefaultMaxAge is how old a PayerMax notifyTime may be.
//
// [assumed] PayerMax retries for about 12 hours and does not say whether a
// retry carries a new notifyTime; a window shorter than the schedule would
// refuse a genuine retry for ever. Duplicates within it are de-duplicated.
// Override with WithTimeWindow.
const PayerMaxDefaultMaxAge = 24 * time.Hour

// payermaxNotifyType is the notifyType of a refund notification [doc].
const payermaxNotifyType = "REFUND"

// newPayerMaxHandler returns the handler of PayerMax's refund notifications, built
// from the inquiry client's configuration: cfg.PublicKey (PayerMax's key,
// required) verifies the sign header over the exact body, cfg.AppID must be
// the notification's appId and cfg.MerchantNo, when set, its merchantNo.
// notifyTime must be within PayerMaxDefaultMaxAge. The acknowledgement is
// PayerMaxAck.
func newPayerMaxHandler(cfg inquiry.PayerMaxConfig, deliver DeliverFunc, opts ...Option) (*Handler, error) {
	if cfg.AppID == "" {
		return nil, errors.New("notify: payermax: config: AppID is missing")
	}
	if cfg.PublicKey == nil {
		return nil, errors.New("notify: payermax: config: PublicKey is missing (needed to verify notifications)")
	}
	s := &payermaxSteps{cfg: cfg, verifier: sign.PayerMax{PublicKey: cfg.PublicKey}}
	return newHandler(refundkit.PayerMax, s, deliver, PayerMaxAck, buildOptions(opts, PayerMaxDefaultMaxAge))
}

type payermaxSteps struct {
	cfg      inquiry.PayerMaxConfig
	verifier sign.PayerMax
}

func (s *payermaxSteps) verify(req Request, _ string) error {
	sig, err := oneHeader(req.Header, sign.PayerMaxSignatureHeader)
	if err != nil {
		return err
	}
	return s.verifier.Verify(req.Body, sig)
}

func (s *payermaxSteps) decode(req Request) (*claim, error) {
	var n gen.RefundNotification
	if err := json.Unmarshal(req.Body, &n); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	d := n.Data
	switch {
	case strings.TrimSpace(n.NotifyType) != payermaxNotifyType:
		return nil, fmt.Errorf("notifyType %q is not %s", clip(n.NotifyType), payermaxNotifyType)
	case n.AppID == "":
		return nil, errors.New("appId is missing")
	case d.OutRefundNo == "":
		return nil, errors.New("data.outRefundNo is missing")
	case d.Status == "":
		return nil, errors.New("data.status is missing")
	}
	sentAt, ok := inquiry.ParseProviderTime(n.NotifyTime)
	if !ok {
		return nil, fmt.Errorf("notifyTime %q is not RFC 3339", clip(n.NotifyTime))
	}
	res := &refundkit.Result{
		Provider:         refundkit.PayerMax,
		Status:           inquiry.PayerMaxStatus(d.Status),
		ProviderStatus:   d.Status,
		ProviderCode:     n.Code,
		ProviderMessage:  text(n.Msg),
		MerchantRefundID: d.OutRefundNo,
		ProviderRefundID: text(d.RefundTradeNo),
		MerchantOrderID:  text(d.OutTradeNo),
		Verified:         true,
		Raw:              req.Body,
		Source:           refundkit.SourceNotification,
	}
	var amount *string
	if d.RefundAmount != nil {
		v := d.RefundAmount.String()
		amount = &v
	}
	var err error
	if res.Amount, err = inquiry.MajorUnits(amount, d.RefundCurrency); err != nil {
		return nil, fmt.Errorf("data.refundAmount: %w", err)
	}
	if d.RefundFinishTime != nil {
		res.RefundedAt, _ = inquiry.ParseProviderTime(*d.RefundFinishTime)
	}
	c := &claim{
		result:   res,
		identity: []ident{{"appId", n.AppID, s.cfg.AppID}},
		sentAt:   sentAt,
		key:      []string{n.AppID, d.OutRefundNo, res.ProviderRefundID, strings.TrimSpace(d.Status)},
		query:    refundkit.Query{RefundID: d.OutRefundNo, ProviderRefundID: res.ProviderRefundID},
	}
	if n.MerchantNo != nil {
		c.identity = append(c.identity, ident{"merchantNo", *n.MerchantNo, s.cfg.MerchantNo})
	}
	return c, nil
}

// oneHeader returns a header that must appear exactly once: absent is a
// missing signature, repeated a malformed one (a verifier and a decoder
// could each pick a different value).
func oneHeader(h http.Header, name string) (string, error) {
	switch vs := h.Values(name); len(vs) {
	case 0:
		return "", fmt.Errorf("%w: no %s header", sign.ErrMissingSignature, name)
	case 1:
		return vs[0], nil
	default:
		return "", fmt.Errorf("%w: %s header repeated", sign.ErrMalformedSignature, name)
	}
}

// text returns *p, or "" for nil.
func text(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// clip shortens a provider value for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return strings.ToValidUTF8(s[:40], "") + "…"
	}
	return s
}

func init() { register(refundkit.PayerMax, newPayerMaxHandler) }
