package sign

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"sync"
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
// Each mac keys a new HMAC; [ZaloPay.Keyed] keeps keyed states for reuse.
type ZaloPay struct {
	// Key1 is the merchant's key1. (key2 is for callbacks only and is not
	// used by the refund query.)
	Key1 Secret
}

// zaloPayMAC is a keyed HMAC state and the buffers a mac needs: what is
// handed to a hash.Hash escapes, so the buffers live with the state.
type zaloPayMAC struct {
	h     hash.Hash
	input [96]byte
	sum   [sha256.Size]byte
}

func newZaloPayMAC(key []byte) *zaloPayMAC { return &zaloPayMAC{h: hmac.New(sha256.New, key)} }

// ZaloPayKeyed computes the macs [ZaloPay.MAC] computes, keeping
// HMAC-SHA256 states keyed with key1 and resetting one for each mac instead
// of keying a new one (five allocations and the key schedule per mac). It
// is safe for concurrent use; make one with [ZaloPay.Keyed]. It prints as a
// placeholder, whatever the verb.
type ZaloPayKeyed struct {
	z    ZaloPay
	macs sync.Pool // of *zaloPayMAC keyed with z.Key1
}

// Keyed returns a ZaloPayKeyed for z's key1.
func (z ZaloPay) Keyed() *ZaloPayKeyed {
	k := &ZaloPayKeyed{z: z}
	key := z.Key1.bytes()
	k.macs.New = func() any { return newZaloPayMAC(key) }
	return k
}

// MAC returns the request's mac field, as [ZaloPay.MAC] does.
func (k *ZaloPayKeyed) MAC(appID int64, mRefundID string, timestamp int64) (string, error) {
	return k.z.mac(&k.macs, appID, mRefundID, timestamp)
}

// Format writes a placeholder for every fmt verb.
func (k *ZaloPayKeyed) Format(f fmt.State, verb rune) {
	writeRedacted(f, verb, "sign.ZaloPayKeyed("+k.z.Key1.String()+")")
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
	return z.mac(nil, appID, mRefundID, timestamp)
}

// mac is MAC with the HMAC state from macs, if not nil.
func (z ZaloPay) mac(macs *sync.Pool, appID int64, mRefundID string, timestamp int64) (string, error) {
	var sum [sha256.Size]byte
	if err := z.sum(&sum, macs, appID, mRefundID, timestamp); err != nil {
		return "", err
	}
	var mac [2 * sha256.Size]byte
	hex.Encode(mac[:], sum[:])
	return string(mac[:]), nil
}

// VerifyMAC checks a request's mac in constant time (hmac.Equal), as a
// simulator must. The mac must be the 64 lowercase hex digits ZaloPay
// specifies. An empty mac is [ErrMissingSignature]; anything else that does
// not match is [ErrInvalidSignature].
func (z ZaloPay) VerifyMAC(appID int64, mRefundID string, timestamp int64, mac string) error {
	if mac == "" {
		return fmt.Errorf("%w: zalopay: no mac", ErrMissingSignature)
	}
	var sum [sha256.Size]byte
	if err := z.sum(&sum, nil, appID, mRefundID, timestamp); err != nil {
		return err
	}
	var want [2 * sha256.Size]byte
	hex.Encode(want[:], sum[:])
	if !hmac.Equal(want[:], []byte(mac)) {
		return fmt.Errorf("%w: zalopay: mac does not match", ErrInvalidSignature)
	}
	return nil
}

// sum writes the HMAC-SHA256 of the mac input into dst, with a keyed state
// from macs if it is not nil.
func (z ZaloPay) sum(dst *[sha256.Size]byte, macs *sync.Pool, appID int64, mRefundID string, timestamp int64) error {
	if z.Key1.IsZero() {
		return fmt.Errorf("%w: zalopay: no key1 configured", ErrNotKey)
	}
	var m *zaloPayMAC
	if macs != nil {
		m = macs.Get().(*zaloPayMAC)
		defer func() { m.h.Reset(); macs.Put(m) }()
	} else {
		m = newZaloPayMAC(z.Key1.bytes())
	}
	m.h.Write(appendMACInput(m.input[:0], appID, mRefundID, timestamp))
	*dst = [sha256.Size]byte(m.h.Sum(m.sum[:0]))
	return nil
}
