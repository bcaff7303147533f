package wrapper_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/wrapper"
)

// A constructor that fails returns a nil client; code that skips the error
// check and asks anyway gets an invalid_request error, not a panic.
func TestInquireOnFailedConstructorsClient(t *testing.T) {
	tests := []struct {
		provider refundkit.Provider
		build    func() (refundkit.Inquirer, error)
	}{
		{refundkit.NewPay, func() (refundkit.Inquirer, error) { return wrapper.NewNewPay(wrapper.NewPayConfig{}) }},
		{refundkit.PayerMax, func() (refundkit.Inquirer, error) { return wrapper.NewPayerMax(wrapper.PayerMaxConfig{}) }},
		{refundkit.ZaloPay, func() (refundkit.Inquirer, error) { return wrapper.NewZaloPay(wrapper.ZaloPayConfig{}) }},
		{refundkit.AlphaPay, func() (refundkit.Inquirer, error) { return wrapper.NewAlphaPay(wrapper.AlphaPayConfig{}) }},
	}
	for _, tt := range tests {
		t.Run(string(tt.provider), func(t *testing.T) {
			client, err := tt.build() // no keys, no ids: refused
			require.ErrorIs(t, err, refundkit.ErrInvalidRequest)
			require.NotPanics(t, func() {
				res, err := client.Inquire(context.Background(), refundkit.Query{RefundID: "R1"})
				assert.Nil(t, res)
				require.ErrorIs(t, err, refundkit.ErrInvalidRequest)
				var e *refundkit.Error
				require.True(t, errors.As(err, &e))
				assert.Equal(t, tt.provider, e.Provider)
				assert.Contains(t, err.Error(), "nil client")
			})
		})
	}
}
