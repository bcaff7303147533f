package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
)

// encodingCSV is what encoding/csv's Writer writes for rec, the bytes
// reconcile's own encoding must match.
func encodingCSV(t testing.TB, rec []string) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	require.NoError(t, w.Write(rec))
	w.Flush()
	require.NoError(t, w.Error())
	return b.String()
}

// awkwardFields are fields encoding/csv quotes, or nearly does.
var awkwardFields = []string{"", "plain", "a,b", `say "hi"`, `"`, `""`, "two\nlines", "cr\rhere", "crlf\r\n",
	" lead", "\tlead", "\u3000ideographic space", "trail ", `\.`, `\.x`, "=1+1", "naïve", "\xff\xfe", "a\"b,c\nd"}

func TestAppendCSVRowMatchesEncodingCSV(t *testing.T) {
	amount, err := refundkit.ParseMoney("1.50", "CAD")
	require.NoError(t, err)
	var input []column
	for i, f := range awkwardFields {
		input = append(input, column{name: "c" + strconv.Itoa(i), value: f})
	}
	for _, tc := range []struct {
		name string
		a    answer
	}{
		{"answered", answer{line: 2, provider: "zalopay", refundID: "230407_2554_x",
			res: &refundkit.Result{Status: refundkit.StatusSucceeded, ProviderStatus: "1", Amount: &amount, Verified: true}}},
		{"no amount, gave up", answer{line: 123456789, provider: "alphapay", refundID: "r, \"1\"", gaveUp: true,
			res: &refundkit.Result{Status: refundkit.StatusPending, ProviderStatus: "-PROCESSING"}}},
		{"provider error", answer{line: 7, provider: "payermax", refundID: " r1", err: &refundkit.Error{
			Provider: refundkit.PayerMax, Category: refundkit.CategoryNotFound, Code: "X", Message: "=bad,\n\"news\"", Verified: true}}},
		{"bad row", answer{line: 9, provider: "bogus\r", refundID: `\.`, err: errors.New("unknown provider")}},
		{"passed-through columns", answer{line: 10, provider: "zalopay", refundID: "r", input: input,
			res: &refundkit.Result{Status: refundkit.StatusFailed, ProviderStatus: "2"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cells := csvCells(tc.a)
			rec := append([]string{strconv.FormatInt(tc.a.line, 10)}, cells[1:]...)
			for _, c := range tc.a.input {
				rec = append(rec, c.value)
			}
			assert.Equal(t, encodingCSV(t, rec), string(appendCSVRow([]byte("kept,"), tc.a))[len("kept,"):])
		})
	}
	header := append(append([]string(nil), csvHeader...), awkwardFields...)
	assert.Equal(t, encodingCSV(t, header), string(appendCSVRecord(nil, header)))
	assert.Len(t, csvHeader, len(csvColumns))
}

// FuzzAppendCSVField checks reconcile's CSV encoding against encoding/csv's
// for any two fields.
func FuzzAppendCSVField(f *testing.F) {
	for _, s := range awkwardFields {
		f.Add(s, "x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		rec := []string{a, b}
		got := appendCSVRecord(nil, rec)
		require.Equal(t, encodingCSV(t, rec), string(got))
	})
}
