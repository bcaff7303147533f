package contract

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/notify"
)

// ReplayNotification hands a recorded refund notification to the
// provider's notify handler, configured with the recording's pseudonymised
// identities, with the handler's clock at RecordedAt, and returns what the
// handler made of it: the delivered result, or why it refused it. The
// recorded signature is redacted, so the notification is signed afresh
// with throwaway keys the handler trusts: signature checking is replaced
// there, and only there.
func ReplayNotification(rec *Recording) (Outcome, error) {
	r, ok := replayers[rec.Provider]
	if !ok || r.resign == nil {
		return Outcome{}, fmt.Errorf("contract: replay: %s pushes no refund notification", rec.Provider)
	}
	keys, err := replayKeys()
	if err != nil {
		return Outcome{}, fmt.Errorf("contract: replay: %w", err)
	}
	var got *refundkit.Result
	deliver := func(_ context.Context, n notify.Notification) error { got = n.Result; return nil }
	at := rec.RecordedAt
	cfg, err := r.config(rec, keys)
	if err != nil {
		return Outcome{}, fmt.Errorf("contract: replay: %w", err)
	}
	h, err := notify.New(cfg, deliver, notify.WithClock(func() time.Time { return at }))
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
