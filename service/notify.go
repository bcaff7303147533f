package service

import (
	"context"
	"errors"
	"net/http"

	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/track"
)

// Deliver returns the notify.DeliverFunc that records each verified
// notification in tr (Tracker.RecordNotification: an observation, and an
// immediate confirming poll unless one is due already). The refund is
// found by the ids the notification carries, tried from the most to the
// least specific; a verified notification about a refund the tracker does
// not hold yet adds it (Tracker.AddNotified: the notification is its first
// observation) [assumed]: the provider signed it for our
// merchant, so it is ours to follow.
func Deliver(tr *track.Tracker) notify.DeliverFunc {
	return func(ctx context.Context, n notify.Notification) error {
		res := n.Result
		if n.Notified != nil {
			res = n.Notified // with WithConfirm, record what was pushed; the tracker confirms it itself
		}
		refs := candidates(n)
		if len(refs) == 0 {
			return errors.New("service: the notification names no refund id")
		}
		for _, ref := range refs {
			err := tr.RecordNotification(ctx, ref, *res)
			if !errors.Is(err, track.ErrNotTracked) && !errors.Is(err, track.ErrInvalidRef) {
				return err
			}
		}
		return tr.AddNotified(ctx, refs[len(refs)-1], *res) // added and recorded at once: no poll in between
	}
}

// candidates are the refs a notification may be tracked under, from the
// most to the least specific: the query the provider's inquiry takes (see
// notify.Notification.Query) and, when it names both the merchant's and the
// provider's refund ids, the merchant's alone (a refund added by that id
// alone). The last is the one an untracked refund is added as.
func candidates(n notify.Notification) []track.Ref {
	q := n.Query
	if q.RefundID == "" && q.ProviderRefundID == "" {
		return nil
	}
	ref := track.Ref{Provider: n.Provider, RefundID: q.RefundID, ProviderRefundID: q.ProviderRefundID, RefundRequestID: q.RefundRequestID}
	out := []track.Ref{ref}
	if ref.RefundID != "" && ref.ProviderRefundID != "" {
		ref.ProviderRefundID = ""
		out = append(out, ref)
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
