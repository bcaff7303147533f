package refundkit_test

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/refundkit/refundkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		value, currency string
		ok              bool
	}{
		{"50000", "LAK", true},
		{"12345678901234.5678", "IDR", true},
		{"0.10", "USD", true},
		{"0", "USD", true},
		{"", "USD", false},
		{"1.", "USD", false},
		{".5", "USD", false},
		{"-1", "USD", false},
		{"+1", "USD", false},
		{"1,00", "USD", false},
		{" 1", "USD", false},
		{"1.2.3", "USD", false},
		{"NaN", "USD", false},
		{"1", "usd", false},
		{"1", "US", false},
		{"1", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.value+"_"+tt.currency, func(t *testing.T) {
			m, err := refundkit.ParseMoney(tt.value, tt.currency)
			if !tt.ok {
				require.ErrorIs(t, err, refundkit.ErrInvalidAmount)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.value, m.Value(), "digits kept exactly")
			assert.Equal(t, tt.currency, m.Currency())
		})
	}
}

// TestParseMoneyExponent: exponent forms, as JSON numbers and Java's
// BigDecimal print them, become the exact plain decimal, with the scale
// BigDecimal.toPlainString keeps; absurd exponents are errors, not memory.
func TestParseMoneyExponent(t *testing.T) {
	tests := []struct {
		value, want string // want "": rejected
	}{
		{"1E+2", "100"},
		{"1e2", "100"},
		{"1E2", "100"},
		{"1.0E+4", "10000"},
		{"1.5E-3", "0.0015"},
		{"1.50E-1", "0.150"},
		{"15E-1", "1.5"},
		{"1.2345678901234E+13", "12345678901234"},
		{"1.23456789012345678E+13", "12345678901234.5678"},
		{"1E-2", "0.01"},
		{"0E+3", "0"},
		{"0.0E-2", "0.000"},
		{"00.5E+1", "5"},
		{"5E+0", "5"},
		{"5.00E+000", "5.00"},
		{"1E+99", "1" + strings.Repeat("0", 99)},
		{"1E+100", ""},
		{"1E-99", ""},
		{"1E+999999999", ""},
		{"1E-999999999", ""},
		{"1E+0000000000000000000002", "100"},
		{"1E", ""},
		{"1E+", ""},
		{"1E+-2", ""},
		{"E2", ""},
		{"-1E2", ""},
		{"1.E2", ""},
		{".5E2", ""},
		{"1E2.5", ""},
		{"1E 2", ""},
		{"1e2e3", ""},
		{"0x1p4", ""},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			m, err := refundkit.ParseMoney(tt.value, "USD")
			if tt.want == "" {
				require.ErrorIs(t, err, refundkit.ErrInvalidAmount)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, m.Value())
			want, ok := new(big.Rat).SetString(tt.value)
			require.True(t, ok)
			got, ok := new(big.Rat).SetString(m.Value())
			require.True(t, ok)
			assert.Zero(t, want.Cmp(got), "the same number")
		})
	}
}

func TestMoneyFromMinor(t *testing.T) {
	tests := []struct {
		minor, currency string
		exp             int
		want            string
		ok              bool
	}{
		{"100", "CAD", 2, "1.00", true},
		{"1", "CAD", 2, "0.01", true},
		{"0", "CAD", 2, "0.00", true},
		{"12345", "USD", 2, "123.45", true},
		{"007", "USD", 2, "0.07", true},
		{"100", "JPY", 0, "100", true},
		{"1234", "KWD", 3, "1.234", true},
		{"99999999999999999999999", "CAD", 2, "999999999999999999999.99", true},
		{"", "CAD", 2, "", false},
		{"1.00", "CAD", 2, "", false},
		{"-100", "CAD", 2, "", false},
		{"100", "cad", 2, "", false},
		{"100", "CAD", -1, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.minor+"_"+tt.currency, func(t *testing.T) {
			m, err := refundkit.MoneyFromMinor(tt.minor, tt.currency, tt.exp)
			if !tt.ok {
				require.ErrorIs(t, err, refundkit.ErrInvalidAmount)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, m.Value())
			back, err := m.MinorUnits(tt.exp)
			require.NoError(t, err)
			assert.Equal(t, refundkitTrimZeros(tt.minor), back, "round trip to minor units")
		})
	}
}

func refundkitTrimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

func TestMoneyMinorUnitsRejectsExtraDigits(t *testing.T) {
	m, err := refundkit.ParseMoney("1.005", "USD")
	require.NoError(t, err)
	_, err = m.MinorUnits(2)
	require.ErrorIs(t, err, refundkit.ErrInvalidAmount)
	m, err = refundkit.ParseMoney("1.500", "USD")
	require.NoError(t, err)
	got, err := m.MinorUnits(2)
	require.NoError(t, err)
	assert.Equal(t, "150", got)
}

func TestMoneyEqualAndJSON(t *testing.T) {
	a, _ := refundkit.ParseMoney("1.5", "USD")
	b, _ := refundkit.ParseMoney("01.50", "USD")
	c, _ := refundkit.ParseMoney("1.5", "CAD")
	assert.True(t, a.Equal(b))
	assert.False(t, a.Equal(c))
	assert.Equal(t, "1.5 USD", a.String())
	assert.True(t, refundkit.Money{}.IsZero())

	big, _ := refundkit.ParseMoney("12345678901234.5678", "IDR")
	out, err := json.Marshal(big)
	require.NoError(t, err)
	assert.JSONEq(t, `{"value":"12345678901234.5678","currency":"IDR"}`, string(out))
	var back refundkit.Money
	require.NoError(t, json.Unmarshal(out, &back))
	assert.Equal(t, big, back)
	require.ErrorIs(t, json.Unmarshal([]byte(`{"value":"1e2","currency":"IDR"}`), &back), refundkit.ErrInvalidAmount)
}

func TestCurrencyExponent(t *testing.T) {
	for code, want := range map[string]int{"CAD": 2, "USD": 2, "LAK": 2, "JPY": 0, "VND": 0, "KWD": 3, "CLF": 4} {
		got, ok := refundkit.CurrencyExponent(code)
		assert.True(t, ok, code)
		assert.Equal(t, want, got, code)
	}
	_, ok := refundkit.CurrencyExponent("XXX")
	assert.False(t, ok)
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"50000", "12345678901234.5678", "0.01", "1e3", "1.0E+4", "1.50E-3", "1E+999999999", "-1", ""} {
		f.Add(s, "USD")
	}
	f.Fuzz(func(t *testing.T, value, currency string) {
		m, err := refundkit.ParseMoney(value, currency)
		if err != nil {
			return
		}
		if m.Currency() != currency {
			t.Fatalf("currency changed: %q -> %q", currency, m.Currency())
		}
		if !strings.ContainsAny(value, "eE") && m.Value() != value {
			t.Fatalf("digits changed: %q -> %q", value, m.Value())
		}
		// An exponent form becomes the same number in plain digits,
		// which parse to themselves.
		want, okWant := new(big.Rat).SetString(value)
		got, okGot := new(big.Rat).SetString(m.Value())
		if !okWant || !okGot || want.Cmp(got) != 0 || strings.ContainsAny(m.Value(), "eE") {
			t.Fatalf("%q became %q, not the same plain number", value, m.Value())
		}
		if again, err := refundkit.ParseMoney(m.Value(), currency); err != nil || again != m {
			t.Fatalf("plain %q does not parse to itself: %v %v", m.Value(), again, err)
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var back refundkit.Money
		if err := json.Unmarshal(out, &back); err != nil || back != m {
			t.Fatalf("json round trip: %v %v", back, err)
		}
	})
}

func FuzzMoneyFromMinor(f *testing.F) {
	f.Add("100", 2)
	f.Add("0", 0)
	f.Add("99999999999999999999", 3)
	f.Fuzz(func(t *testing.T, minor string, exp int) {
		m, err := refundkit.MoneyFromMinor(minor, "CAD", exp)
		if err != nil {
			return
		}
		back, err := m.MinorUnits(exp)
		if err != nil {
			t.Fatalf("minor %q exp %d: %v", minor, exp, err)
		}
		if back != refundkitTrimZeros(minor) {
			t.Fatalf("round trip %q -> %q -> %q", minor, m.Value(), back)
		}
	})
}
