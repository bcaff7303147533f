package inquiry_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// A constructor that fails returns a nil client; code that skips the error
// check and asks anyway gets an invalid_request error, not a panic. A nil
// client knows no provider, so its error names none.
func TestInquireOnFailedConstructorsClient(t *testing.T) {
	configs := map[refundkit.Provider]inquiry.Config{ // empty: no keys, no ids
		refundkit.NewPay:   inquiry.NewPayConfig{},
		refundkit.NewPay2:  inquiry.NewPay2Config{},
		refundkit.PayerMax: inquiry.PayerMaxConfig{},
		refundkit.ZaloPay:  inquiry.ZaloPayConfig{},
		refundkit.AlphaPay: inquiry.AlphaPayConfig{},
	}
	for _, p := range refundkit.Providers() {
		t.Run(string(p), func(t *testing.T) {
			cfg, ok := configs[p]
			require.True(t, ok, "no empty configuration for %s: add it", p)
			assert.Equal(t, p, cfg.Provider())
			client, err := inquiry.New(cfg) // refused
			require.ErrorIs(t, err, refundkit.ErrInvalidRequest)
			require.Nil(t, client)
			assert.Empty(t, client.Provider())
			require.NotPanics(t, func() {
				res, err := client.Inquire(context.Background(), refundkit.Query{RefundID: "R1"})
				assert.Nil(t, res)
				require.ErrorIs(t, err, refundkit.ErrInvalidRequest)
				var e *refundkit.Error
				require.True(t, errors.As(err, &e))
				assert.Empty(t, e.Provider)
				assert.Contains(t, err.Error(), "nil client")
			})
		})
	}
}

// New without a configuration is refused as an invalid request.
func TestNewWithoutConfig(t *testing.T) {
	client, err := inquiry.New(nil)
	require.ErrorIs(t, err, refundkit.ErrInvalidRequest)
	assert.Nil(t, client)
	assert.Contains(t, err.Error(), "no provider configuration")
}
