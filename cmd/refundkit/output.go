package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/refundkit/refundkit"
)

// answer is one inquiry's outcome as every output format shows it: a
// result or an error, never both.
type answer struct {
	line     int64  // the reconcile input line; 0 for inquire
	provider string // as asked; a bad input row may name no valid provider
	refundID string
	res      *refundkit.Result
	err      error
	input    []column // reconcile's passed-through input columns, in header order
	// gaveUp marks a pending result that reconcile --until-final stopped
	// polling because the refund's --max-age had passed.
	gaveUp bool
}

// column is one passed-through input column of a row, under its output
// name (see outputNames).
type column struct{ name, value string }

// inputJSON is the JSON form of the passed-through columns; nil when there
// are none, so that the field is left out.
func inputJSON(cols []column) map[string]string {
	if len(cols) == 0 {
		return nil
	}
	m := make(map[string]string, len(cols))
	for _, c := range cols {
		m[c.name] = c.value
	}
	return m
}

// resultJSON is the JSON form of an answered inquiry. Every field is always
// present; amount is null when the provider gives none.
type resultJSON struct {
	Line           int64            `json:"line,omitempty"`
	Provider       string           `json:"provider"`
	RefundID       string           `json:"refund_id"`
	Status         refundkit.Status `json:"status"`
	ProviderStatus string           `json:"provider_status"`
	Amount         *refundkit.Money `json:"amount"`
	Verified       bool             `json:"verified"`
	// GaveUp is true, and only then present, on a pending result that
	// reconcile --until-final stopped polling at --max-age.
	GaveUp bool `json:"gave_up,omitempty"`
	// Input is reconcile's passed-through input columns, when the input
	// has any.
	Input map[string]string `json:"input,omitempty"`
}

// newResultJSON is the JSON form of a, which holds a result.
func newResultJSON(a answer) resultJSON {
	return resultJSON{Line: a.line, Provider: a.provider, RefundID: a.refundID, Status: a.res.Status,
		ProviderStatus: a.res.ProviderStatus, Amount: a.res.Amount, Verified: a.res.Verified, GaveUp: a.gaveUp, Input: inputJSON(a.input)}
}

// errorJSON is the JSON form of a failed inquiry.
type errorJSON struct {
	Line     int64             `json:"line,omitempty"`
	Provider string            `json:"provider"`
	RefundID string            `json:"refund_id"`
	Error    errorDetail       `json:"error"`
	Input    map[string]string `json:"input,omitempty"` // as resultJSON.Input
}

// writeJSON writes a as one line of JSON.
func writeJSON(w io.Writer, a answer) error {
	var v any
	if a.err != nil {
		v = errorJSON{Line: a.line, Provider: a.provider, RefundID: a.refundID, Error: detail(a.err), Input: inputJSON(a.input)}
	} else {
		v = newResultJSON(a)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// outputNames names the passed-through input columns in the output: as
// the input has them, unless that would repeat one of reconcile's own
// columns or an earlier name (an export's "amount", say), when they get
// an "input_" prefix and, if need be, a number.
func outputNames(names []string) []string {
	taken := make(map[string]bool, len(csvHeader)+len(names))
	for _, h := range csvHeader {
		taken[h] = true
	}
	out := make([]string, len(names))
	for i, n := range names {
		name := n
		if taken[name] || name == "" || name == "input" {
			name = "input_" + n
		}
		for k := 2; taken[name]; k++ {
			name = fmt.Sprintf("input_%s_%d", n, k)
		}
		taken[name], out[i] = true, name
	}
	return out
}

// inertCell keeps provider-controlled text from being a live formula when
// the CSV is opened in a spreadsheet: a cell starting with =, +, -, @, a
// tab or a carriage return gets a leading apostrophe, which spreadsheets
// read as "text". JSON output keeps the text exact.
func inertCell(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// writeCSV writes one record and flushes the csv.Writer's buffer into its
// output, so rows appear as they finish. (reconcile encodes its rows itself,
// into its batch buffer: csvrow.go.)
func writeCSV(w *csv.Writer, rec []string) error {
	if err := w.Write(rec); err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}

// newTable returns a tabwriter for aligned columns; Flush it when done.
func newTable(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }

// tableHeader and tableRow are the demo's columns.
const tableHeader = "PROVIDER\tREFUND ID\tSTATUS\tPROVIDER STATUS\tAMOUNT\tVERIFIED\n"

func tableRow(w io.Writer, a answer) {
	if a.err != nil {
		d := detail(a.err)
		fmt.Fprintf(w, "%s\t%s\terror: %s\t%s\t-\t-\n", printable(a.provider), printable(a.refundID), d.Category,
			printable(orDash(d.ProviderCode)))
		return
	}
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", printable(a.provider), printable(a.refundID), a.res.Status,
		printable(orDash(a.res.ProviderStatus)), amountText(a.res.Amount), yesNo(a.res.Verified))
}

// writeDetails writes one answered inquiry for people: the main fields,
// then whatever else the provider said.
func writeDetails(w io.Writer, a answer) error {
	t := newTable(w)
	r := a.res
	rows := [][2]string{
		{"provider", a.provider},
		{"refund id", orDash(a.refundID)},
		{"status", string(r.Status)},
		{"provider status", orDash(r.ProviderStatus)},
		{"amount", amountText(r.Amount)},
		{"verified", yesNo(r.Verified)},
		{"provider code", r.ProviderCode},
		{"provider message", r.ProviderMessage},
		{"merchant refund id", r.MerchantRefundID},
		{"provider refund id", r.ProviderRefundID},
		{"merchant order id", r.MerchantOrderID},
		{"provider order id", r.ProviderOrderID},
	}
	if !r.RefundedAt.IsZero() {
		rows = append(rows, [2]string{"refunded at", r.RefundedAt.Format(time.RFC3339Nano)})
	}
	for i, row := range rows {
		if i >= 6 && row[1] == "" {
			continue // the six main fields always show; the rest when given
		}
		fmt.Fprintf(t, "%s\t%s\n", row[0], printable(row[1]))
	}
	return t.Flush()
}

// printable replaces control characters (tabs, newlines, terminal escapes)
// in text that came from a provider or an input file, so that it cannot
// break the layout or drive the terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}

func amountText(m *refundkit.Money) string {
	if m == nil {
		return "-"
	}
	return m.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
