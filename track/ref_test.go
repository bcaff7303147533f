package track_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/track"
)

// Add takes the ids each provider's inquiry takes, and refuses the rest
// with ErrInvalidRef, by the same rules as the provider's client.
func TestAddChecksRefsByProvider(t *testing.T) {
	tr, _ := open(t, track.Options{})
	tests := []struct {
		name string
		ref  track.Ref
		ok   bool
	}{
		{"newpay by refund id", track.Ref{Provider: refundkit.NewPay, RefundID: "R1"}, true},
		{"newpay with a provider refund id", track.Ref{Provider: refundkit.NewPay, RefundID: "R1", ProviderRefundID: "P1"}, false},
		{"newpay2 by NewPay's refund number alone", track.Ref{Provider: refundkit.NewPay2, ProviderRefundID: "NP1"}, true},
		{"newpay2 by both", track.Ref{Provider: refundkit.NewPay2, RefundID: "R2", ProviderRefundID: "NP2"}, true},
		{"newpay2 with neither", track.Ref{Provider: refundkit.NewPay2}, false},
		{"payermax by trade number alone", track.Ref{Provider: refundkit.PayerMax, ProviderRefundID: "T1"}, true},
		{"payermax id over 64 characters", track.Ref{Provider: refundkit.PayerMax, RefundID: string(make([]byte, 65))}, false},
		{"zalopay with the mac's separator", track.Ref{Provider: refundkit.ZaloPay, RefundID: "230407_2554|1"}, false},
		{"zalopay with a refund request id", track.Ref{Provider: refundkit.ZaloPay, RefundID: "Z1", RefundRequestID: "X"}, false},
		{"alphapay with a refund request id", track.Ref{Provider: refundkit.AlphaPay, RefundID: "A1", RefundRequestID: "M1"}, true},
		{"alphapay without a refund id", track.Ref{Provider: refundkit.AlphaPay, RefundRequestID: "M1"}, false},
		{"a control character", track.Ref{Provider: refundkit.NewPay, RefundID: "R\n1"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tr.Add(context.Background(), tt.ref)
			if tt.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, track.ErrInvalidRef)
			require.ErrorIs(t, err, refundkit.ErrInvalidRequest, "the client's own error is kept")
		})
	}
}
