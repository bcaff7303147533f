package sign

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
)

// ZaloPayResponsesSigned reports whether ZaloPay signs its query_refund
// responses. It does not: the response carries no signature and no key2 MAC,
// only TLS protects it, and there is deliberately no function here that
// pretends to verify one. Callers record such a result as not
// signature-verified.
const ZaloPayResponsesSigned = false

// ZaloPay computes and checks the mac of ZaloPay query_refund requests:
// lowercase hex of HMAC-SHA256 with key1 over "app_id|m_refund_id|timestamp"
// [doc]. The same mac goes into JSON and form-encoded bodies. A ZaloPay value
// is safe for concurrent use.
type ZaloPay struct {
	// Key1 is the merchant's key1. (key2 is for callbacks only and is not
	// used by the refund query.)
	Key1 Secret
}

// ZaloPayMACInput returns the string ZaloPay's mac covers:
// app_id|m_refund_id|timestamp, numbers in decimal. timestamp is the request
// time in epoch milliseconds (time.Time.UnixMilli), the same value as the
// body's timestamp field.
func ZaloPayMACInput(appID int64, mRefundID string, timestamp int64) string {
	return string(appendMACInput(nil, appID, mRefundID, timestamp))
}

func appendMACInput(b []byte, appID int64, mRefundID string, timestamp int64) []byte {
	b = strconv.AppendInt(b, appID, 10)
	b = append(b, '|')
	b = append(b, mRefundID...)
	b = append(b, '|')
	return strconv.AppendInt(b, timestamp, 10)
}

// MAC returns the request's mac field (see [ZaloPayMACInput] for the
// arguments). An empty key1 is an error rather than a mac nobody accepts.
func (z ZaloPay) MAC(appID int64, mRefundID string, timestamp int64) (string, error) {
	sum, err := z.sum(appID, mRefundID, timestamp)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(sum), nil
}

// VerifyMAC checks a request's mac in constant time (hmac.Equal), as a
// simulator must. The mac must be the 64 lowercase hex digits ZaloPay
// specifies. An empty mac is [ErrMissingSignature]; anything else that does
// not match is [ErrInvalidSignature].
func (z ZaloPay) VerifyMAC(appID int64, mRefundID string, timestamp int64, mac string) error {
	if mac == "" {
		return fmt.Errorf("%w: zalopay: no mac", ErrMissingSignature)
	}
	sum, err := z.sum(appID, mRefundID, timestamp)
	if err != nil {
		return err
	}
	var want [2 * sha256.Size]byte
	hex.Encode(want[:], sum)
	if !hmac.Equal(want[:], []byte(mac)) {
		return fmt.Errorf("%w: zalopay: mac does not match", ErrInvalidSignature)
	}
	return nil
}

func (z ZaloPay) sum(appID int64, mRefundID string, timestamp int64) ([]byte, error) {
	if z.Key1.IsZero() {
		return nil, fmt.Errorf("%w: zalopay: no key1 configured", ErrNotKey)
	}
	var buf [96]byte
	m := hmac.New(sha256.New, z.Key1.bytes())
	m.Write(appendMACInput(buf[:0], appID, mRefundID, timestamp))
	return m.Sum(nil), nil
}
