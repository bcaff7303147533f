package inquiry

import (
	"strings"
	"time"

	"github.com/refundkit/refundkit"
)

// The mapping helpers every provider shares. The exported functions that map
// one provider's raw values onto the shared vocabulary exactly as Inquire
// does (PayerMaxStatus, NewPayStatus, AlphaPayStatus, AlphaPayAmount) live
// in that provider's file; package notify uses them, so that a notification
// and an inquiry about the same refund say the same thing.

// statusWords are the status strings of a provider that names its
// statuses: each maps to its shared status, compared after trimming
// surrounding white space; any other string, the empty one included, is
// unknown.
type statusWords struct{ succeeded, pending, failed string }

func (w statusWords) status(raw string) refundkit.Status {
	switch s := strings.TrimSpace(raw); {
	case s == "":
		return refundkit.StatusUnknown
	case s == w.succeeded:
		return refundkit.StatusSucceeded
	case s == w.pending:
		return refundkit.StatusPending
	case s == w.failed:
		return refundkit.StatusFailed
	default:
		return refundkit.StatusUnknown
	}
}

// MajorUnits reads an amount written in major units (NewPay, PayerMax) and
// its currency, exactly. No amount gives nil; an amount without a currency,
// or one that does not parse, is an error wrapping
// refundkit.ErrInvalidAmount.
func MajorUnits(value, currency *string) (*refundkit.Money, error) {
	return majorUnits(value, currency)
}

// ParseProviderTime reads a provider's timestamp as Inquire does: RFC 3339
// (fractional seconds allowed), or the same with a +hhmm offset, after
// trimming white space. It reports false for anything else.
func ParseProviderTime(s string) (time.Time, bool) { return parseProviderTime(s) }
