package contract

import (
	"fmt"
	"strconv"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// ZaloPay's replays: the recording's app_id and the throwaway key1. ZaloPay
// pushes no refund notification.
func init() {
	replayers[refundkit.ZaloPay] = replayer{
		config: func(rec *Recording, k *simulator.Keys) (inquiry.Config, error) {
			appID, err := strconv.ParseInt(rec.requestMember("app_id"), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("recorded app_id: %w", err)
			}
			return inquiry.ZaloPayConfig{AppID: appID, Key1: sign.NewSecret(k.Key1)}, nil
		},
		redact: redaction{secrets: []string{"mac"},
			ids: []string{"app_id", "m_refund_id", "zp_trans_id", "app_trans_id"}},
	}
}
