package service

import (
	"context"
	"errors"
	"net/http"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/track"
)

// Deliver returns the notify.DeliverFunc that records each verified
// notification in tr (Tracker.RecordNotification: an observation, and an
// immediate confirming poll unless one is due already). The refund is
// found by the ids the notification carries, tried from the most to the
// least specific; a verified notification about a refund the tracker does
// not hold yet adds it first [assumed]: the provider signed it for our
// merchant, so it is ours to follow.
func Deliver(tr *track.Tracker) notify.DeliverFunc {
	return func(ctx context.Context, n notify.Notification) error {
		res := n.Result
		if n.Notified != nil {
			res = n.Notified // with WithConfirm, record what was pushed; the tracker confirms it itself
		}
		refs := candidates(n.Provider, res)
		if len(refs) == 0 {
			return errors.New("service: the notification names no refund id")
		}
		for _, ref := range refs {
			err := tr.RecordNotification(ctx, ref, *res)
			if !errors.Is(err, track.ErrNotTracked) && !errors.Is(err, track.ErrInvalidRef) {
				return err
			}
		}
		if _, err := tr.Add(ctx, refs[len(refs)-1]); err != nil {
			return err
		}
		return tr.RecordNotification(ctx, refs[len(refs)-1], *res)
	}
}

// candidates are the refs a notification may be tracked under, as its
// provider's inquiry asks: for PayerMax with both ids, then by either
// alone; for AlphaPay by AlphaPay's own refund id (its inquiry's), with
// the merchant's refundRequestId; for NewPay by the merchant's id. The
// last is the one an untracked refund is added as.
func candidates(p refundkit.Provider, r *refundkit.Result) []track.Ref {
	if p == refundkit.AlphaPay {
		if r.ProviderRefundID == "" {
			return nil
		}
		return []track.Ref{{Provider: p, RefundID: r.ProviderRefundID, RefundRequestID: r.MerchantRefundID}}
	}
	var out []track.Ref
	if p == refundkit.PayerMax && r.MerchantRefundID != "" && r.ProviderRefundID != "" {
		out = append(out, track.Ref{Provider: p, RefundID: r.MerchantRefundID, ProviderRefundID: r.ProviderRefundID})
	}
	if p == refundkit.PayerMax && r.MerchantRefundID == "" && r.ProviderRefundID != "" {
		out = append(out, track.Ref{Provider: p, ProviderRefundID: r.ProviderRefundID})
	}
	if r.MerchantRefundID != "" {
		out = append(out, track.Ref{Provider: p, RefundID: r.MerchantRefundID})
	}
	return out
}

// notification serves one provider's endpoint through the handler's own
// Serve (its body cap, method check and reply), counted by outcome. The
// reply is the handler's: the provider's acknowledgement, or a reason word.
func (s *Service) notification(h *notify.Handler) http.Handler {
	p := string(h.Provider())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rep, err := h.Serve(w, r)
		s.cfg.Metrics.notification(p, rep, err)
	})
}
