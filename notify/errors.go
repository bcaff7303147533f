package notify

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/refundkit/refundkit"
)

// Reason says why a handler refused or could not finish a notification.
// Its string values are stable: logs and the command print them.
type Reason string

// The reasons a notification is refused. None of them is ever acknowledged:
// the provider sees an HTTP error, and retries where it retries.
const (
	ReasonMethod        Reason = "method"         // not a POST
	ReasonTooLarge      Reason = "too_large"      // the body exceeds the size cap
	ReasonMalformed     Reason = "malformed"      // truncated, not JSON, or a required field missing
	ReasonSignature     Reason = "signature"      // the signature is missing or does not verify over the exact bytes
	ReasonWrongMerchant Reason = "wrong_merchant" // signed, but for another app or merchant
	ReasonStale         Reason = "stale"          // the provider's time is outside the accepted window
	ReasonInFlight      Reason = "in_flight"      // the same notification is being delivered right now
	ReasonConfirm       Reason = "confirm"        // the confirming inquiry failed
	ReasonDelivery      Reason = "delivery"       // the user's function returned an error or panicked
)

// Sentinel errors, one per Reason: errors.Is(err, notify.ErrSignature)
// works on every error a handler returns.
var (
	ErrMethod        = errors.New("notify: method not allowed")
	ErrTooLarge      = errors.New("notify: body too large")
	ErrMalformed     = errors.New("notify: malformed notification")
	ErrSignature     = errors.New("notify: missing or invalid signature")
	ErrWrongMerchant = errors.New("notify: notification is for another merchant")
	ErrStale         = errors.New("notify: notification time outside the accepted window")
	ErrInFlight      = errors.New("notify: the same notification is being delivered")
	ErrConfirm       = errors.New("notify: confirming inquiry failed")
	ErrDelivery      = errors.New("notify: delivery failed")
)

var reasons = map[Reason]struct {
	sentinel error
	status   int
}{
	ReasonMethod:        {ErrMethod, http.StatusMethodNotAllowed},
	ReasonTooLarge:      {ErrTooLarge, http.StatusRequestEntityTooLarge},
	ReasonMalformed:     {ErrMalformed, http.StatusBadRequest},
	ReasonSignature:     {ErrSignature, http.StatusUnauthorized},
	ReasonWrongMerchant: {ErrWrongMerchant, http.StatusForbidden},
	ReasonStale:         {ErrStale, http.StatusForbidden},
	ReasonInFlight:      {ErrInFlight, http.StatusConflict},
	ReasonConfirm:       {ErrConfirm, http.StatusServiceUnavailable},
	ReasonDelivery:      {ErrDelivery, http.StatusInternalServerError},
}

// Error is every error a handler returns. It never quotes keys or
// signatures; Err is the underlying cause (a sign error for ReasonSignature,
// the inquiry's *refundkit.Error for ReasonConfirm, the user's error for
// ReasonDelivery).
type Error struct {
	Provider refundkit.Provider
	Reason   Reason
	Detail   string // what exactly was wrong, for logs
	Err      error
}

// Error describes the refusal: "notify: <provider>: <reason>", then the
// detail and the cause, if any.
func (e *Error) Error() string {
	msg := fmt.Sprintf("notify: %s: %s", e.Provider, e.Reason)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is matches the sentinel of e's Reason; a signature error also matches
// refundkit.ErrSignature.
func (e *Error) Is(target error) bool {
	if r, ok := reasons[e.Reason]; ok && target == r.sentinel {
		return true
	}
	return e.Reason == ReasonSignature && target == refundkit.ErrSignature
}

// HTTPStatus is the status the handler answers with: 4xx for a notification
// refused for good (the provider may retry, it will be refused again), 409
// and 5xx for one that a retry may get through.
func (e *Error) HTTPStatus() int {
	if r, ok := reasons[e.Reason]; ok {
		return r.status
	}
	return http.StatusInternalServerError
}

// ReasonOf returns the Reason of a handler error, or "" for nil and for
// errors that are not *Error.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}
