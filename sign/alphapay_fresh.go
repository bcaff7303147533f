package sign

import (
	"fmt"
	"time"
)

// AlphaPayNonceLen is the length of an AlphaPay nonce: 32 hex characters
// [doc].
const AlphaPayNonceLen = 32

// AlphaPayDefaultFreshness is how far a response's Response-Time may lie from
// the receiver's clock, either way, when no other window is given.
//
// [assumed] AlphaPay publishes no window. Five minutes is a common choice
// (WeChat Pay asks merchants to reject its signed answers when their
// timestamp is more than five minutes off): wide enough for the clocks of two
// NTP-synced hosts plus a slow round trip and retries by a gateway, narrow
// enough that a recorded answer stops being accepted soon after it was sent. Override with the window argument of
// [AlphaPay.CheckFresh] (inquiry: AlphaPayConfig.ResponseWindow).
const AlphaPayDefaultFreshness = 5 * time.Minute

// ErrStaleSignature: a signed message's time is unreadable or outside the
// accepted window, or its nonce is not the documented shape, so the
// signature, however valid, may be a replay. errors.Is(err,
// [ErrInvalidSignature]) is true for it as well.
var ErrStaleSignature error = &subError{msg: "sign: stale or replayable signature", parent: ErrInvalidSignature}

// CheckFresh checks the time and nonce header values of a signed AlphaPay
// message (Response-Time and Nonce of a response, Request-Time and Nonce of
// a request): the nonce must be [AlphaPayNonceLen] hex characters (either
// case), and the time must parse as RFC 3339 (any fraction of a second), or
// in a.TimeLayout when that is set, and lie within window of now, either
// way. A window of zero or less means [AlphaPayDefaultFreshness]. Failures
// wrap [ErrStaleSignature]; an empty value is [ErrMissingSignature].
//
// A signature binds the time and nonce, so together with [AlphaPay.Verify]
// this bounds how long a recorded message can be replayed. No record of
// nonces seen is kept: within the window a replay still verifies.
func (a AlphaPay) CheckFresh(timestamp, nonce string, now time.Time, window time.Duration) error {
	switch {
	case timestamp == "":
		return fmt.Errorf("%w: alphapay: no time header", ErrMissingSignature)
	case nonce == "":
		return fmt.Errorf("%w: alphapay: no Nonce header", ErrMissingSignature)
	case !isNonce(nonce):
		return fmt.Errorf("%w: alphapay: Nonce is not %d hex characters", ErrStaleSignature, AlphaPayNonceLen)
	}
	if window <= 0 {
		window = AlphaPayDefaultFreshness
	}
	at, err := time.Parse(time.RFC3339, timestamp)
	if err != nil && a.TimeLayout != "" {
		at, err = time.Parse(a.TimeLayout, timestamp)
	}
	if err != nil {
		return fmt.Errorf("%w: alphapay: time header is not RFC 3339", ErrStaleSignature)
	}
	if d := now.Sub(at); d > window || d < -window {
		return fmt.Errorf("%w: alphapay: time header is %s away from our clock (window %s)",
			ErrStaleSignature, d.Round(time.Second), window)
	}
	return nil
}

// isNonce reports whether s is AlphaPayNonceLen hex characters.
func isNonce(s string) bool {
	if len(s) != AlphaPayNonceLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}
