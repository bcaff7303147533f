package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
)

// The input columns. provider and refund_id are required, in any order;
// provider_refund_id (PayerMax's refundTradeNo) and refund_request_id
// (AlphaPay's refundRequestId) are optional. Any other column is passed
// through to the output row as it is.
const (
	colProvider         = "provider"
	colRefundID         = "refund_id"
	colProviderRefundID = "provider_refund_id"
	colRefundRequestID  = "refund_request_id"
)

// row is one data row of the input.
type row struct {
	line     int64     // the row's line in the file, the header being line 1
	item     bulk.Item // what to ask, when the row is valid
	bad      string    // why the row is invalid; "" when it is valid
	provider string    // as written (trimmed), for a bad row's output
	refundID string
	// extra holds the values of the columns passed through, in header
	// order; nil when the row has the wrong number of fields.
	extra []string
	// unconfigured is the provider of a row that is bad only because no
	// client can answer for it.
	unconfigured refundkit.Provider
}

// rowReader reads reconcile's CSV input one line at a time, never holding
// more than one line. Every line after the header is one row: a valid row,
// or a bad row saying why.
type rowReader struct {
	lines    *lineReader
	columns  int // how many the header has
	provider int // column indexes; an optional one is -1 without that column
	refundID int
	provRef  int
	reqID    int
	extra    []int                         // the columns passed through
	names    []string                      // their names, as the header has them
	known    func(refundkit.Provider) bool // whether a client can answer
	fields   []string                      // the last line's fields, kept for their array
	// lastProvider is the last valid provider column, as written and
	// parsed (see parseProvider).
	lastProvider struct {
		name  string
		p     refundkit.Provider
		known bool
	}
}

// extraColumns names the columns passed through, in header order.
func (r *rowReader) extraColumns() []string { return r.names }

// newRowReader reads the header. A UTF-8 byte order mark before it (as
// spreadsheet exports write) is skipped. known reports whether a provider
// can be asked; rows for any other are bad rows.
func newRowReader(in io.Reader, known func(refundkit.Provider) bool) (*rowReader, error) {
	r := &rowReader{lines: newLineReader(in), provider: -1, refundID: -1, provRef: -1, reqID: -1, known: known}
	want := fmt.Sprintf("want a header line %s,%s[,%s]", colProvider, colRefundID, colProviderRefundID)
	line, _, err := r.lines.next()
	switch {
	case errors.Is(err, io.EOF):
		return nil, fmt.Errorf("input is empty: %s", want)
	case err != nil:
		return nil, fmt.Errorf("input header: %w", err)
	}
	line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(line)) == 0 {
		if _, _, err := r.lines.next(); errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("input is empty: %s", want)
		}
		return nil, fmt.Errorf("input header: line 1 is empty: %s", want)
	}
	header, err := splitCSVLine(nil, line)
	if err != nil {
		return nil, fmt.Errorf("input header: not valid CSV: %w", err)
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
		case colRefundRequestID:
			dst = &r.reqID
		default:
			r.extra, r.names = append(r.extra, i), append(r.names, name)
			continue
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

// next returns the row of the next line, io.EOF after the last, or another
// error when the input cannot be read on. A line that is not valid CSV,
// is too long or is empty is a bad row.
func (r *rowReader) next() (row, error) {
	line, n, err := r.lines.next()
	switch {
	case errors.Is(err, errLineTooLong):
		return row{line: n, bad: err.Error()}, nil
	case err != nil:
		return row{}, err
	case len(bytes.TrimSpace(line)) == 0:
		return row{line: n, bad: "line is empty"}, nil
	}
	rec, err := splitCSVLine(r.fields, line)
	if err != nil {
		return row{line: n, bad: "not valid CSV: " + err.Error()}, nil
	}
	if cap(rec) <= maxKeptFields {
		r.fields = rec // its array is reused for the next line; its strings are not
	}
	rw := row{line: n, provider: field(rec, r.provider), refundID: field(rec, r.refundID)}
	if len(rec) != r.columns {
		rw.bad = fmt.Sprintf("has %d fields, want %d like the header", len(rec), r.columns)
		return rw, nil
	}
	for _, i := range r.extra {
		rw.extra = append(rw.extra, rec[i])
	}
	q := refundkit.Query{RefundID: rw.refundID, ProviderRefundID: field(rec, r.provRef), RefundRequestID: field(rec, r.reqID)}
	p, known, err := r.parseProvider(rw.provider)
	switch {
	case err != nil:
		rw.bad = err.Error()
	case !known:
		rw.bad, rw.unconfigured = fmt.Sprintf("provider %s is not configured", p), p
	default:
		if rw.bad = refusal(p, q); rw.bad == "" {
			rw.item = bulk.Item{Provider: p, Query: q, Tag: rw.line}
		}
	}
	return rw, nil
}

// parseProvider parses a row's provider and says whether a client can
// answer for it. Rows come in runs of one provider, so the last valid one
// is remembered.
func (r *rowReader) parseProvider(name string) (p refundkit.Provider, known bool, err error) {
	if last := &r.lastProvider; name == last.name && name != "" {
		return last.p, last.known, nil
	}
	if p, err = parseProvider(name); err != nil {
		return "", false, err
	}
	r.lastProvider.name, r.lastProvider.p, r.lastProvider.known = name, p, r.known(p)
	return p, r.lastProvider.known, nil
}

// maxKeptFields bounds the fields array a rowReader keeps for the next
// line: a freak line of thousands of fields is not held all run.
const maxKeptFields = 256

// refusal says why q, read from a row, cannot be asked of p; "" when it
// can.
func refusal(p refundkit.Provider, q refundkit.Query) string {
	if q.ProviderRefundID != "" || q.RefundRequestID != "" { // only these can be refused
		if why := notTaken(p, q, colProviderRefundID, colRefundRequestID); why != "" {
			return why
		}
	}
	if q.RefundID == "" && q.ProviderRefundID == "" {
		return colRefundID + " is empty"
	}
	return ""
}

// field returns rec[i] without surrounding white space, or "" when the
// record has no such field.
func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}
