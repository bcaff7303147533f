package contract

import (
	"net/http"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// AlphaPay's replays: the recording's merchant code header; pushes are
// signed over method, path, time, nonce and body, with the recorded nonce
// and the recording's time.
func init() {
	replayers[refundkit.AlphaPay] = replayer{
		config: func(rec *Recording, k *simulator.Keys) (inquiry.Config, error) {
			return inquiry.AlphaPayConfig{MerchantCode: rec.Request.Header.Get(sign.AlphaPayHeaderMerchantCode),
				PrivateKey: k.Merchant.Private, PublicKey: k.Platform.Public}, nil
		},
		resign: func(rec *Recording, k *simulator.Keys, h http.Header, body []byte) ([]byte, error) {
			s := sign.AlphaPay{MerchantCode: h.Get(sign.AlphaPayHeaderMerchantCode), PrivateKey: k.Platform.Private}
			sh, err := s.Sign(http.MethodPost, rec.Request.Path, body, rec.RecordedAt, h.Get(sign.AlphaPayHeaderNonce))
			if err != nil {
				return nil, err
			}
			h.Set(sign.AlphaPayHeaderRequestTime, sh.Time)
			h.Set(sign.AlphaPayHeaderSignature, sh.Signature)
			return body, nil
		},
		redact: redaction{secretHeaders: []string{sign.AlphaPayHeaderSignature},
			ids:       []string{"refundId", "refundRequestId", "paymentId", "notifyUrl"},
			idHeaders: []string{sign.AlphaPayHeaderMerchantCode}},
	}
}
