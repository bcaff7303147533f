package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/wrapper"
)

// The input columns. provider and refund_id are required, in any order;
// provider_refund_id (PayerMax's refundTradeNo) is optional.
const (
	colProvider         = "provider"
	colRefundID         = "refund_id"
	colProviderRefundID = "provider_refund_id"
)

// row is one data row of the input.
type row struct {
	line     int64        // the row's line in the file, the header being line 1
	item     wrapper.Item // what to ask, when the row is valid
	bad      string       // why the row is invalid; "" when it is valid
	provider string       // as written (trimmed), for a bad row's output
	refundID string
}

// rowReader reads reconcile's CSV input one row at a time, never holding
// more than one row.
type rowReader struct {
	csv      *csv.Reader
	columns  int // how many the header has
	provider int // column indexes; providerRefundID is -1 without that column
	refundID int
	provRef  int
	known    func(refundkit.Provider) bool // whether a client can answer
}

// newRowReader reads the header. A UTF-8 byte order mark before it (as
// spreadsheet exports write) is skipped. known reports whether a provider
// can be asked; rows for any other are bad rows.
func newRowReader(in io.Reader, known func(refundkit.Provider) bool) (*rowReader, error) {
	br := bufio.NewReader(in)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	r := &rowReader{csv: csv.NewReader(br), provider: -1, refundID: -1, provRef: -1, known: known}
	r.csv.FieldsPerRecord = -1 // a row with the wrong count is a bad row, not the end of the run
	r.csv.ReuseRecord = true
	header, err := r.csv.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, fmt.Errorf("input is empty: want a header line %s,%s[,%s]", colProvider, colRefundID, colProviderRefundID)
	case err != nil:
		return nil, fmt.Errorf("input header: %w", err)
	}
	r.columns = len(header)
	for i, name := range header {
		var dst *int
		switch strings.ToLower(strings.TrimSpace(name)) {
		case colProvider:
			dst = &r.provider
		case colRefundID:
			dst = &r.refundID
		case colProviderRefundID:
			dst = &r.provRef
		default:
			return nil, fmt.Errorf("input header: unknown column %q (want %s, %s and optionally %s)", name, colProvider, colRefundID, colProviderRefundID)
		}
		if *dst >= 0 {
			return nil, fmt.Errorf("input header: column %q appears twice", name)
		}
		*dst = i
	}
	if r.provider < 0 || r.refundID < 0 {
		return nil, fmt.Errorf("input header: want the columns %s and %s, have %q", colProvider, colRefundID, strings.Join(header, ","))
	}
	return r, nil
}

// next returns the next row, io.EOF after the last, or another error when
// the input cannot be read on. A row that is not valid CSV is a bad row.
func (r *rowReader) next() (row, error) {
	rec, err := r.csv.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return row{line: int64(pe.StartLine), bad: "not valid CSV: " + pe.Err.Error()}, nil
		}
		return row{}, err
	}
	line, _ := r.csv.FieldPos(0)
	rw := row{line: int64(line), provider: field(rec, r.provider), refundID: field(rec, r.refundID)}
	if len(rec) != r.columns {
		rw.bad = fmt.Sprintf("has %d fields, want %d like the header", len(rec), r.columns)
		return rw, nil
	}
	provRef := field(rec, r.provRef)
	p, err := parseProvider(rw.provider)
	switch {
	case err != nil:
		rw.bad = err.Error()
	case !r.known(p):
		rw.bad = fmt.Sprintf("provider %s is not configured", p)
	case provRef != "" && p != refundkit.PayerMax:
		rw.bad = fmt.Sprintf("%s is PayerMax's refundTradeNo; %s does not take it", colProviderRefundID, p)
	case rw.refundID == "" && provRef == "":
		rw.bad = colRefundID + " is empty"
	default:
		rw.item = wrapper.Item{Provider: p, Query: refundkit.Query{RefundID: rw.refundID, ProviderRefundID: provRef}, Tag: rw.line}
	}
	return rw, nil
}

// field returns rec[i] without surrounding white space, or "" when the
// record has no such field.
func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}
