package inquiry

import (
	"fmt"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/internal/clip"
)

// The functions in this file map a provider's raw values onto the shared
// vocabulary exactly as Inquire does. Package notify uses them, so that a
// notification and an inquiry about the same refund say the same thing.

// PayerMaxStatus maps PayerMax's refund status (data.status, in an inquiry
// answer or a refund notification) to the shared status: REFUND_SUCCESS,
// REFUND_PENDING and REFUND_FAILED after trimming white space, anything
// else unknown.
func PayerMaxStatus(raw string) refundkit.Status { return statusFromPayerMax(raw) }

// AlphaPayStatus maps AlphaPay's refundStatus to the shared status:
// SUCCESS, REFUND_IN_PROCESS and FAILED after trimming white space, anything
// else unknown.
func AlphaPayStatus(raw string) refundkit.Status { return statusFromAlphaPay(raw) }

// NewPayStatus maps NewPay's tranStatus (transStatus in a refund callback)
// to the shared status: 1 succeeded, 0 failed, anything else unknown.
func NewPayStatus(v int64) refundkit.Status {
	switch v {
	case 1:
		return refundkit.StatusSucceeded
	case 0:
		return refundkit.StatusFailed
	default:
		return refundkit.StatusUnknown
	}
}

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

// AlphaPayAmount converts an AlphaPay amount from minor units with the
// currency's exponent, taken from exponents (AlphaPayConfig's
// CurrencyExponents) first, then refundkit.CurrencyExponent. No amount at
// all gives nil; half an amount, or one that does not parse, is an error
// wrapping refundkit.ErrInvalidAmount.
func AlphaPayAmount(exponents map[string]int, value, currency *string) (*refundkit.Money, error) {
	if value == nil && currency == nil {
		return nil, nil
	}
	if value == nil || currency == nil {
		return nil, fmt.Errorf("%w: value or currency is missing", refundkit.ErrInvalidAmount)
	}
	exp, ok := exponents[*currency]
	if !ok {
		if exp, ok = refundkit.CurrencyExponent(*currency); !ok {
			return nil, fmt.Errorf("%w: no exponent known for currency %q (set AlphaPayConfig.CurrencyExponents)",
				refundkit.ErrInvalidAmount, clip.Text(*currency, 10))
		}
	}
	m, err := refundkit.MoneyFromMinor(*value, *currency, exp)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// ParseProviderTime reads a provider's timestamp as Inquire does: RFC 3339
// (fractional seconds allowed), or the same with a +hhmm offset, after
// trimming white space. It reports false for anything else.
func ParseProviderTime(s string) (time.Time, bool) { return parseProviderTime(s) }
