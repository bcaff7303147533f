package inquiry_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// Every registered provider has its Query fields, and CheckQuery refuses
// what its client refuses, with the same error.
func TestCheckQuery(t *testing.T) {
	for _, p := range refundkit.Providers() {
		t.Run(string(p), func(t *testing.T) {
			f, ok := inquiry.QueryFieldsOf(p)
			require.True(t, ok, "%s registers no Query fields", p)
			require.NotNil(t, cmpOr(f.RefundID, f.ProviderRefundID), "%s takes no id at all", p)
			err := inquiry.CheckQuery(p, refundkit.Query{})
			require.ErrorIs(t, err, refundkit.ErrInvalidRequest, "an empty query")
			e, ok := err.(*refundkit.Error)
			require.True(t, ok)
			assert.Equal(t, p, e.Provider)
			if f.RefundRequestID == nil {
				require.ErrorIs(t, inquiry.CheckQuery(p, refundkit.Query{RefundID: "R1", ProviderRefundID: "P1", RefundRequestID: "X"}), refundkit.ErrInvalidRequest)
			}
		})
	}
	require.ErrorIs(t, inquiry.CheckQuery("stripe", refundkit.Query{RefundID: "R1"}), refundkit.ErrInvalidRequest)
	require.NoError(t, inquiry.CheckQuery(refundkit.PayerMax, refundkit.Query{ProviderRefundID: "T1"}))
	require.ErrorContains(t, inquiry.CheckQuery(refundkit.ZaloPay, refundkit.Query{RefundID: "a|b"}), `m_refund_id (RefundID) contains "|"`)
}

func cmpOr(a, b *inquiry.QueryField) *inquiry.QueryField {
	if a != nil {
		return a
	}
	return b
}
