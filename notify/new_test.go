package notify

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// New builds the handler of the provider the configuration is for, and
// refuses what cannot have one.
func TestNew(t *testing.T) {
	pub := platformPublic(t)
	nop := func(context.Context, Notification) error { return nil }
	tests := []struct {
		name    string
		cfg     inquiry.Config
		want    refundkit.Provider
		wantErr string
	}{
		{"newpay", inquiry.NewPayConfig{AppID: "A1", PublicKey: pub}, refundkit.NewPay, ""},
		{"payermax", inquiry.PayerMaxConfig{AppID: "A1", PublicKey: pub}, refundkit.PayerMax, ""},
		{"alphapay", inquiry.AlphaPayConfig{MerchantCode: "M1", PublicKey: pub}, refundkit.AlphaPay, ""},
		{"zalopay pushes nothing", inquiry.ZaloPayConfig{AppID: 1}, "", "zalopay publishes no refund notifications"},
		{"newpay2 pushes nothing", inquiry.NewPay2Config{}, "", "newpay2 publishes no refund notifications"},
		{"no configuration", nil, "", "no provider configuration"},
		{"a pointer", &inquiry.PayerMaxConfig{AppID: "A1", PublicKey: pub}, "", "want an inquiry.PayerMaxConfig value"},
		{"missing key", inquiry.NewPayConfig{AppID: "A1"}, "", "PublicKey is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := New(tt.cfg, nop)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				assert.Nil(t, h)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, h.Provider())
		})
	}
}
