package main

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// reconcile's CSV rows are encoded straight into the sink's batch buffer,
// byte for byte as encoding/csv's Writer (comma-separated, "\n" line ends)
// writes them, without a []string per row or a csv.Writer's buffer to copy
// out of. TestAppendCSVRowMatchesEncodingCSV and FuzzAppendCSVField hold
// the two equal.

// csvColumns is reconcile's CSV output header, as an array so that a row's
// cells fit one on the stack (see csvCells).
var csvColumns = [...]string{"line", "provider", "refund_id", "status", "provider_status", "amount", "currency",
	"verified", "error_category", "error_message", "gave_up"}

// csvHeader is reconcile's CSV output header.
var csvHeader = csvColumns[:]

// csvCells is a's cells under csvHeader, but for the first: the line
// number, which appendCSVRow writes as a number. amount is in major units,
// exact; provider-controlled text is made inert for spreadsheets.
func csvCells(a answer) (c [len(csvColumns)]string) {
	c[1], c[2] = a.provider, a.refundID
	if a.err != nil {
		d := detail(a.err)
		c[7], c[8], c[9] = strconv.FormatBool(d.Verified), string(d.Category), inertCell(d.Message)
		return c
	}
	c[3], c[4], c[7] = string(a.res.Status), inertCell(a.res.ProviderStatus), strconv.FormatBool(a.res.Verified)
	if a.gaveUp {
		c[10] = "true"
	}
	if m := a.res.Amount; m != nil {
		c[5], c[6] = m.Value(), m.Currency()
	}
	return c
}

// appendCSVRow appends a's row: its cells under csvHeader, then its
// passed-through columns.
func appendCSVRow(dst []byte, a answer) []byte {
	cells := csvCells(a)
	dst = strconv.AppendInt(dst, a.line, 10)
	for _, c := range cells[1:] {
		dst = appendCSVField(append(dst, ','), c)
	}
	for _, c := range a.input {
		dst = appendCSVField(append(dst, ','), c.value)
	}
	return append(dst, '\n')
}

// appendCSVRecord appends one record of at least one field, as
// csv.Writer.Write does.
func appendCSVRecord(dst []byte, rec []string) []byte {
	for i, f := range rec {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendCSVField(dst, f)
	}
	return append(dst, '\n')
}

// appendCSVField appends one field as csv.Writer writes it: as it is, or
// in double quotes with its quotes doubled (line breaks kept as they are).
func appendCSVField(dst []byte, f string) []byte {
	if !csvNeedsQuotes(f) {
		return append(dst, f...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(f); i++ {
		if f[i] == '"' {
			dst = append(dst, f[:i+1]...)
			f, i = f[i:], 0 // the quote again, doubling it
		}
	}
	dst = append(dst, f...)
	return append(dst, '"')
}

// csvQuoted are the bytes that make csv.Writer quote a field wherever they
// are in it.
var csvQuoted = [256]bool{',': true, '"': true, '\r': true, '\n': true}

// csvNeedsQuotes reports whether csv.Writer quotes f: when it holds a
// comma, a quote, \r or \n, is `\.`, or starts with white space.
func csvNeedsQuotes(f string) bool {
	if f == "" {
		return false
	}
	for i := 0; i < len(f); i++ {
		if csvQuoted[f[i]] {
			return true
		}
	}
	if c := f[0]; c < utf8.RuneSelf { // unicode.IsSpace's ASCII spaces are \t to \r and ' '
		return c == ' ' || c >= '\t' && c <= '\r' || f == `\.`
	}
	r, _ := utf8.DecodeRuneInString(f)
	return unicode.IsSpace(r)
}
