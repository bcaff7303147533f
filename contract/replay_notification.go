package contract

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// notificationReplay is, per provider that pushes notifications, how to
// build its notify handler for a recording's pseudonymised identities, and
// how to sign the recorded notification afresh with throwaway keys.
type notificationReplay struct {
	handler func(rec *Recording, k *simulator.Keys, deliver notify.DeliverFunc, opts ...notify.Option) (*notify.Handler, error)
	resign  func(rec *Recording, k *simulator.Keys, header http.Header, body []byte) ([]byte, error)
}

var notificationReplays = map[refundkit.Provider]notificationReplay{
	refundkit.PayerMax: {
		handler: func(rec *Recording, k *simulator.Keys, deliver notify.DeliverFunc, opts ...notify.Option) (*notify.Handler, error) {
			return notify.New(payerMaxConfig(rec, k), deliver, opts...)
		},
		resign: func(_ *Recording, k *simulator.Keys, h http.Header, body []byte) ([]byte, error) {
			sig, err := sign.PayerMax{PrivateKey: k.Platform.Private}.Sign(body)
			h.Set(sign.PayerMaxSignatureHeader, sig)
			return body, err
		},
	},
	refundkit.NewPay: {
		handler: func(rec *Recording, k *simulator.Keys, deliver notify.DeliverFunc, opts ...notify.Option) (*notify.Handler, error) {
			return notify.New(newPayConfig(rec, k), deliver, opts...)
		},
		resign: func(_ *Recording, k *simulator.Keys, _ http.Header, body []byte) ([]byte, error) {
			return sign.NewPay{PrivateKey: k.Platform.Private}.SignJSON(body)
		},
	},
	refundkit.AlphaPay: {
		handler: func(rec *Recording, k *simulator.Keys, deliver notify.DeliverFunc, opts ...notify.Option) (*notify.Handler, error) {
			return notify.New(alphaPayConfig(rec, k), deliver, opts...)
		},
		resign: func(rec *Recording, k *simulator.Keys, h http.Header, body []byte) ([]byte, error) {
			s := sign.AlphaPay{MerchantCode: h.Get(sign.AlphaPayHeaderMerchantCode), PrivateKey: k.Platform.Private}
			sh, err := s.Sign(http.MethodPost, rec.Request.Path, body, rec.RecordedAt, h.Get(sign.AlphaPayHeaderNonce))
			if err != nil {
				return nil, err
			}
			h.Set(sign.AlphaPayHeaderRequestTime, sh.Time)
			h.Set(sign.AlphaPayHeaderSignature, sh.Signature)
			return body, nil
		},
	},
}

// ReplayNotification hands a recorded refund notification to the
// provider's notify handler, configured with the recording's pseudonymised
// identities, with the handler's clock at RecordedAt, and returns what the
// handler made of it: the delivered result, or why it refused it. The
// recorded signature is redacted, so the notification is signed afresh
// with throwaway keys the handler trusts: signature checking is replaced
// there, and only there.
func ReplayNotification(rec *Recording) (Outcome, error) {
	r, ok := notificationReplays[rec.Provider]
	if !ok {
		return Outcome{}, fmt.Errorf("contract: replay: %s pushes no refund notification", rec.Provider)
	}
	keys, err := replayKeys()
	if err != nil {
		return Outcome{}, fmt.Errorf("contract: replay: %w", err)
	}
	var got *refundkit.Result
	deliver := func(_ context.Context, n notify.Notification) error { got = n.Result; return nil }
	at := rec.RecordedAt
	h, err := r.handler(rec, keys, deliver, notify.WithClock(func() time.Time { return at }))
	if err != nil {
		return Outcome{}, fmt.Errorf("contract: replay: %w", err)
	}
	header := rec.Request.Header.Clone()
	if header == nil {
		header = http.Header{}
	}
	body, err := r.resign(rec, keys, header, rec.Request.body())
	if err != nil {
		return Outcome{}, fmt.Errorf("contract: replay: sign: %w", err)
	}
	_, err = h.Handle(context.Background(), notify.Request{Path: rec.Request.Path, Header: header, Body: body})
	if err != nil {
		return Outcome{Refused: string(notify.ReasonOf(err))}, nil
	}
	return OutcomeOf(got, nil), nil
}
