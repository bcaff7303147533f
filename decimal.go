package refundkit

import (
	"github.com/refundkit/refundkit/internal/clip"

	"fmt"
	"strconv"
	"strings"
)

// maxPlainDigits bounds the plain form of an amount written with an
// exponent. It is far beyond any real amount (PayerMax's are
// Number(20,4)) and small enough that "1E+999999999" is an error, never a
// gigabyte of zeros. Amounts written without an exponent are not bounded
// here: their length is the length received.
const maxPlainDigits = 100

// plainFromExponent rewrites a decimal in exponent form, such as Java's
// BigDecimal.toString prints ("1E+2", "1.0E+4", "1.5E-3"), as the exact
// plain decimal BigDecimal.toPlainString gives for it: the value's scale
// (fraction digits minus exponent) is kept, so "1.50E-1" is "0.150" and
// "1.0E+4" is "10000" (a negative scale has no fraction to keep). Leading
// zeros of the whole part are dropped, except a lone "0". The mantissa must
// be a plain decimal (digits, optional fraction, no sign); the exponent is
// "e" or "E", an optional sign and digits. No float is involved.
func plainFromExponent(v string) (string, error) {
	i := strings.IndexAny(v, "eE")
	mantissa, expText := v[:i], v[i+1:]
	if checkDecimal(mantissa) != nil {
		return "", fmt.Errorf("%w: %q is not a decimal number", ErrInvalidAmount, clip.Text(v, 40))
	}
	negative := strings.HasPrefix(expText, "-")
	if negative || strings.HasPrefix(expText, "+") {
		expText = expText[1:]
	}
	if expText == "" || !allDigits(expText) {
		return "", fmt.Errorf("%w: %q has a malformed exponent", ErrInvalidAmount, clip.Text(v, 40))
	}
	if expText = strings.TrimLeft(expText, "0"); len(expText) > 4 {
		return "", fmt.Errorf("%w: %q has an exponent out of range", ErrInvalidAmount, clip.Text(v, 40))
	}
	exp := 0
	if expText != "" {
		exp, _ = strconv.Atoi(expText) // at most four digits
	}
	if negative {
		exp = -exp
	}
	whole, frac, _ := strings.Cut(mantissa, ".")
	digits := whole + frac
	scale := len(frac) - exp // digits after the point in the plain form
	length := len(digits) - scale
	if scale > 0 {
		length = max(len(digits), scale+1) + 1
	}
	if length > maxPlainDigits {
		return "", fmt.Errorf("%w: %q is longer than %d digits written out", ErrInvalidAmount, clip.Text(v, 40), maxPlainDigits)
	}
	if scale <= 0 {
		return trimWhole(digits + strings.Repeat("0", -scale)), nil
	}
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	cut := len(digits) - scale
	return trimWhole(digits[:cut]) + "." + digits[cut:], nil
}

// trimWhole drops leading zeros from a whole part, keeping one digit.
func trimWhole(s string) string {
	if t := strings.TrimLeft(s, "0"); t != "" {
		return t
	}
	return "0"
}
