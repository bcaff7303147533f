package inquiry

import (
	"fmt"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/internal/clip"
)

// majorUnits reads an amount in major units and its currency, exactly. No
// amount gives nil; an amount without a currency is an error.
func majorUnits(value, currency *string) (*refundkit.Money, error) {
	if value == nil {
		return nil, nil
	}
	if currency == nil {
		return nil, fmt.Errorf("%w: amount %.40q has no currency", refundkit.ErrInvalidAmount, *value)
	}
	m, err := refundkit.ParseMoney(*value, *currency)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// minorUnits reads an amount in the currency's minor units, exactly: the
// exponent is exponents[currency] when set, else refundkit.CurrencyExponent;
// hint, when not empty, says how to give an exponent for a currency that
// has none. No amount at all gives nil; half an amount, or one that does
// not parse, is an error wrapping refundkit.ErrInvalidAmount.
func minorUnits(exponents map[string]int, value, currency *string, hint string) (*refundkit.Money, error) {
	if value == nil && currency == nil {
		return nil, nil
	}
	if value == nil || currency == nil {
		return nil, fmt.Errorf("%w: value or currency is missing", refundkit.ErrInvalidAmount)
	}
	exp, ok := exponents[*currency]
	if !ok {
		if exp, ok = refundkit.CurrencyExponent(*currency); !ok {
			if hint != "" {
				hint = " (" + hint + ")"
			}
			return nil, fmt.Errorf("%w: no exponent known for currency %q%s", refundkit.ErrInvalidAmount, clip.Text(*currency, 10), hint)
		}
	}
	m, err := refundkit.MoneyFromMinor(*value, *currency, exp)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// providerTimeLayouts are the shapes of provider timestamps accepted: RFC
// 3339 (fractional seconds allowed), and the same with a colon-less +hhmm
// offset, which Alipay-family APIs publish.
var providerTimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700"}

// parseProviderTime reads a provider's timestamp in one of
// providerTimeLayouts, after trimming white space.
func parseProviderTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range providerTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// nonEmpty returns p, or nil when *p is empty: ptr.NonZero for a string
// that already has a place, so that pointing at it costs no allocation.
func nonEmpty(p *string) *string {
	if *p == "" {
		return nil
	}
	return p
}
