package service_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/service"
	"github.com/refundkit/refundkit/track"
)

// Deliver finds a pushed refund under the query its provider's inquiry
// takes, then by the merchant's id alone, and adds it under the last when
// it is not tracked.
func TestDeliverFindsTheTrackedRefund(t *testing.T) {
	tests := []struct {
		name    string
		tracked track.Ref // added before the notification; zero for none
		query   refundkit.Query
		want    track.Ref // where the notification is recorded
	}{
		{"alphapay by AlphaPay's refund id", track.Ref{Provider: refundkit.AlphaPay, RefundID: "AP-1"},
			refundkit.Query{RefundID: "AP-1", RefundRequestID: "M-1"}, track.Ref{Provider: refundkit.AlphaPay, RefundID: "AP-1"}},
		{"payermax by both ids", track.Ref{Provider: refundkit.PayerMax, RefundID: "R-1", ProviderRefundID: "T-1"},
			refundkit.Query{RefundID: "R-1", ProviderRefundID: "T-1"}, track.Ref{Provider: refundkit.PayerMax, RefundID: "R-1", ProviderRefundID: "T-1"}},
		{"payermax tracked by the merchant's id alone", track.Ref{Provider: refundkit.PayerMax, RefundID: "R-2"},
			refundkit.Query{RefundID: "R-2", ProviderRefundID: "T-2"}, track.Ref{Provider: refundkit.PayerMax, RefundID: "R-2"}},
		{"payermax by the trade number alone", track.Ref{Provider: refundkit.PayerMax, ProviderRefundID: "T-3"},
			refundkit.Query{ProviderRefundID: "T-3"}, track.Ref{Provider: refundkit.PayerMax, ProviderRefundID: "T-3"}},
		{"newpay, not tracked yet: added", track.Ref{},
			refundkit.Query{RefundID: "NP-1"}, track.Ref{Provider: refundkit.NewPay, RefundID: "NP-1"}},
		{"payermax with both ids, not tracked yet: added by the merchant's", track.Ref{},
			refundkit.Query{RefundID: "R-4", ProviderRefundID: "T-4"}, track.Ref{Provider: refundkit.PayerMax, RefundID: "R-4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			tr, err := track.Open(ctx, filepath.Join(t.TempDir(), "refundkit.db"), track.Options{})
			require.NoError(t, err)
			t.Cleanup(func() { _ = tr.Close() })
			if tt.tracked.Provider != "" {
				_, err := tr.Add(ctx, tt.tracked)
				require.NoError(t, err)
			}
			res := &refundkit.Result{Provider: tt.want.Provider, Status: refundkit.StatusSucceeded, Verified: true, Source: refundkit.SourceNotification}
			err = service.Deliver(tr)(ctx, notify.Notification{Provider: tt.want.Provider, Result: res, Query: tt.query})
			require.NoError(t, err)
			got, err := tr.Get(ctx, tt.want)
			require.NoError(t, err)
			require.NotEmpty(t, got.History)
			require.Equal(t, track.SourceNotification, got.History[len(got.History)-1].Source)
			counts, err := tr.Counts(ctx, track.Filter{})
			require.NoError(t, err)
			total := 0
			for _, n := range counts {
				total += n.N
			}
			require.Equal(t, 1, total, "one refund, not a second one under other ids")
		})
	}
	t.Run("no ids", func(t *testing.T) {
		tr, err := track.Open(context.Background(), filepath.Join(t.TempDir(), "refundkit.db"), track.Options{})
		require.NoError(t, err)
		t.Cleanup(func() { _ = tr.Close() })
		err = service.Deliver(tr)(context.Background(), notify.Notification{Provider: refundkit.NewPay, Result: &refundkit.Result{}})
		require.ErrorContains(t, err, "names no refund id")
	})
}
