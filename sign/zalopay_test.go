package sign

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestZaloPayVector(t *testing.T) {
	v := loadVectors(t).ZaloPay
	z := ZaloPay{Key1: NewSecret(v.Key1)}

	assert.Equal(t, v.HMACInput, ZaloPayMACInput(v.AppID, v.MRefundID, v.Timestamp))
	mac, err := z.MAC(v.AppID, v.MRefundID, v.Timestamp)
	require.NoError(t, err)
	assert.Equal(t, v.MAC, mac)
	assert.NoError(t, z.VerifyMAC(v.AppID, v.MRefundID, v.Timestamp, v.MAC))
}

func TestZaloPayVerifyMAC(t *testing.T) {
	v := loadVectors(t).ZaloPay
	z := ZaloPay{Key1: NewSecret(v.Key1)}

	t.Run("rejected after any mac byte change", func(t *testing.T) {
		eachByteFlipped([]byte(v.MAC), func(i int, changed []byte) {
			assert.ErrorIs(t, z.VerifyMAC(v.AppID, v.MRefundID, v.Timestamp, string(changed)), ErrInvalidSignature, "byte %d", i)
		})
	})
	t.Run("rejected after any refund id byte change", func(t *testing.T) {
		eachByteFlipped([]byte(v.MRefundID), func(i int, changed []byte) {
			assert.ErrorIs(t, z.VerifyMAC(v.AppID, string(changed), v.Timestamp, v.MAC), ErrInvalidSignature, "byte %d", i)
		})
	})
	tests := []struct {
		name      string
		z         ZaloPay
		appID     int64
		timestamp int64
		mac       string
		wantErr   error
	}{
		{name: "other app", z: z, appID: v.AppID + 1, timestamp: v.Timestamp, mac: v.MAC, wantErr: ErrInvalidSignature},
		{name: "other time", z: z, appID: v.AppID, timestamp: v.Timestamp + 1, mac: v.MAC, wantErr: ErrInvalidSignature},
		{name: "upper-case hex", z: z, appID: v.AppID, timestamp: v.Timestamp, mac: strings.ToUpper(v.MAC), wantErr: ErrInvalidSignature},
		{name: "truncated", z: z, appID: v.AppID, timestamp: v.Timestamp, mac: v.MAC[:63], wantErr: ErrInvalidSignature},
		{name: "other key", z: ZaloPay{Key1: NewSecret(v.Key1 + "x")}, appID: v.AppID, timestamp: v.Timestamp, mac: v.MAC, wantErr: ErrInvalidSignature},
		{name: "empty mac", z: z, appID: v.AppID, timestamp: v.Timestamp, mac: "", wantErr: ErrMissingSignature},
		{name: "no key1", z: ZaloPay{}, appID: v.AppID, timestamp: v.Timestamp, mac: v.MAC, wantErr: ErrNotKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorIs(t, tt.z.VerifyMAC(tt.appID, v.MRefundID, tt.timestamp, tt.mac), tt.wantErr)
		})
	}
	t.Run("no key1 to sign with", func(t *testing.T) {
		_, err := ZaloPay{Key1: NewSecret("")}.MAC(v.AppID, v.MRefundID, v.Timestamp)
		assert.ErrorIs(t, err, ErrNotKey)
	})
}
