package refundkit

import (
	"github.com/refundkit/refundkit/internal/clip"

	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidAmount is returned (wrapped) when an amount or currency does not
// parse. Inquiries report it inside an ErrInvalidResponse error.
var ErrInvalidAmount = errors.New("refundkit: invalid amount")

// Money is an exact amount of one currency, in the currency's major units
// ("1.00" CAD is one Canadian dollar). It holds the decimal digits as text:
// no float is ever involved, and the provider's digits (trailing zeros
// included) are kept exactly as they were sent.
//
// The zero Money has no currency and reports IsZero; inquiries that return
// no amount leave Result.Amount nil instead.
type Money struct {
	value    string
	currency string
}

// ParseMoney reads an amount in major units: digits with an optional
// fractional part ("50000", "10000", "12345678901234.5678"), kept exactly as
// written, and an ISO 4217 alphabetic currency code. Signs, spaces and empty
// parts are rejected.
//
// An amount may also carry a decimal exponent, as JSON numbers and Java's
// BigDecimal.toString write them ("1E+2", "1.0E+4", "1.5E-3"): it is
// rewritten, exactly, as the plain decimal BigDecimal.toPlainString gives
// ("100", "10000", "0.0015"). The scale written is kept ("1.50E-1" is
// "0.150"), a negative scale leaves no fraction, leading zeros are dropped,
// and a value longer than 100 digits written out is an error.
func ParseMoney(value, currency string) (Money, error) {
	if strings.ContainsAny(value, "eE") {
		plain, err := plainFromExponent(value)
		if err != nil {
			return Money{}, err
		}
		value = plain
	} else if err := checkDecimal(value); err != nil {
		return Money{}, err
	}
	if err := checkCurrency(currency); err != nil {
		return Money{}, err
	}
	return Money{value: value, currency: currency}, nil
}

// MoneyFromMinor reads an amount in the currency's minor units ("100" CAD is
// 1.00 CAD), converting with the exponent: exponent 2 turns "100" into
// "1.00", exponent 0 leaves "100" as it is. Use CurrencyExponent for the ISO
// 4217 exponent of a currency.
func MoneyFromMinor(minor, currency string, exponent int) (Money, error) {
	if minor == "" || strings.Trim(minor, "0123456789") != "" {
		return Money{}, fmt.Errorf("%w: minor units %q are not a whole number", ErrInvalidAmount, clip.Text(minor, 40))
	}
	if err := checkCurrency(currency); err != nil {
		return Money{}, err
	}
	if exponent < 0 || exponent > 18 {
		return Money{}, fmt.Errorf("%w: exponent %d out of range", ErrInvalidAmount, exponent)
	}
	digits := strings.TrimLeft(minor, "0")
	if len(digits) <= exponent {
		digits = strings.Repeat("0", exponent-len(digits)+1) + digits
	}
	if exponent == 0 {
		return Money{value: digits, currency: currency}, nil
	}
	cut := len(digits) - exponent
	return Money{value: digits[:cut] + "." + digits[cut:], currency: currency}, nil
}

// Value returns the amount in major units as decimal text, digits exactly as
// the provider sent them (after conversion from minor units, where needed).
func (m Money) Value() string { return m.value }

// Currency returns the ISO 4217 alphabetic currency code.
func (m Money) Currency() string { return m.currency }

// IsZero reports whether m is the zero Money (no amount at all, as opposed
// to an amount of 0).
func (m Money) IsZero() bool { return m.value == "" && m.currency == "" }

// String formats m as "<value> <currency>", for example "1.00 CAD".
func (m Money) String() string {
	if m.IsZero() {
		return ""
	}
	return m.value + " " + m.currency
}

// Equal reports whether m and o are the same amount of the same currency,
// comparing values numerically ("1.5" equals "1.50").
func (m Money) Equal(o Money) bool {
	return m.currency == o.currency && canonicalDecimal(m.value) == canonicalDecimal(o.value)
}

// MinorUnits returns the amount in minor units for the given exponent as
// decimal text ("1.00" with exponent 2 gives "100"). It fails if the amount
// has more fractional digits than the exponent allows (other than trailing
// zeros).
func (m Money) MinorUnits(exponent int) (string, error) {
	whole, frac, _ := strings.Cut(m.value, ".")
	trimmed := strings.TrimRight(frac, "0")
	if len(trimmed) > exponent {
		return "", fmt.Errorf("%w: %s has more than %d decimal places", ErrInvalidAmount, m, exponent)
	}
	frac += strings.Repeat("0", max(0, exponent-len(frac)))
	out := strings.TrimLeft(whole+frac[:exponent], "0")
	if out == "" {
		out = "0"
	}
	return out, nil
}

type moneyJSON struct {
	Value    string `json:"value"`
	Currency string `json:"currency"`
}

// MarshalJSON encodes m as {"value":"1.00","currency":"CAD"}, the value as a
// string so no JSON reader turns it into a float.
func (m Money) MarshalJSON() ([]byte, error) {
	return json.Marshal(moneyJSON{Value: m.value, Currency: m.currency})
}

// UnmarshalJSON decodes the form MarshalJSON writes, validating both parts.
// The value must be plain digits, as MarshalJSON writes it: no exponent.
func (m *Money) UnmarshalJSON(b []byte) error {
	var v moneyJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidAmount, err)
	}
	if err := checkDecimal(v.Value); err != nil {
		return err
	}
	parsed, err := ParseMoney(v.Value, v.Currency)
	if err != nil {
		return err
	}
	*m = parsed
	return nil
}

func checkDecimal(v string) error {
	whole, frac, hasDot := strings.Cut(v, ".")
	if whole == "" || !allDigits(whole) || (hasDot && (frac == "" || !allDigits(frac))) {
		return fmt.Errorf("%w: %q is not a plain decimal number", ErrInvalidAmount, clip.Text(v, 40))
	}
	return nil
}

func checkCurrency(c string) error {
	if len(c) != 3 || strings.Trim(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return fmt.Errorf("%w: currency %q is not an ISO 4217 code", ErrInvalidAmount, clip.Text(c, 10))
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// canonicalDecimal strips leading zeros of the whole part and trailing zeros
// of the fraction, so numerically equal values compare equal.
func canonicalDecimal(v string) string {
	whole, frac, _ := strings.Cut(v, ".")
	whole = strings.TrimLeft(whole, "0")
	frac = strings.TrimRight(frac, "0")
	if whole == "" {
		whole = "0"
	}
	if frac == "" {
		return whole
	}
	return whole + "." + frac
}
