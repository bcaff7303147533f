package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// jsonRowStart is how every JSON row of reconcile's starts: "line" is its
// first field, and always present.
const jsonRowStart = `{"line":`

// scanJSON reads a JSON lines output file. Its first row, when it is not a
// whole row, must at least start like one of reconcile's: a file of
// other JSON, or of anything else, is not taken for a row cut short.
func (sc *fileScan) scanJSON(in io.Reader, names []string) error {
	br := newBufReader(in)
	var end int64
	for {
		b, err := readRow(br)
		if len(b) == 0 && errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		end += int64(len(b))
		line, refundID, err := jsonRowLine(b, names)
		var short *cutShortError
		if sc.rows == 0 && (errors.As(err, &short) || !bytes.HasSuffix(b, []byte("\n"))) && !jsonRowPrefix(b) {
			return notJSONRow(b, err)
		}
		if err := sc.row(line, refundID, end, err); err != nil {
			return err
		}
	}
}

// jsonRowPrefix reports whether b starts like a JSON row of reconcile's,
// or is the start of one.
func jsonRowPrefix(b []byte) bool {
	n := min(len(b), len(jsonRowStart))
	return n > 0 && string(b[:n]) == jsonRowStart[:n]
}

// notJSONRow explains a file whose first line is not a JSON row of
// reconcile's.
func notJSONRow(b []byte, err error) error {
	if err == nil {
		err = errors.New("no newline at its end")
	}
	if bytes.HasPrefix(b, []byte("line,")) {
		return fmt.Errorf("row 1 is not a JSON row (a CSV output? resume without --json): %w", err)
	}
	return fmt.Errorf("row 1 is not one of reconcile's JSON rows: %w", err)
}

// jsonRow is what checking a JSON row looks at.
type jsonRow struct {
	Line     *json.Number      `json:"line"`
	Provider *string           `json:"provider"`
	RefundID *string           `json:"refund_id"`
	Status   *string           `json:"status"`
	Error    json.RawMessage   `json:"error"`
	Input    map[string]string `json:"input"`
}

// jsonRowLine checks one JSON row of reconcile's and returns its input
// line and refund_id. Its passed-through columns must be the input's.
func jsonRowLine(b []byte, names []string) (int64, string, error) {
	var v jsonRow
	if err := json.Unmarshal(b, &v); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return 0, "", &cutShortError{fmt.Errorf("not valid JSON: %w", err)}
		}
		return 0, "", fmt.Errorf("not a JSON object of reconcile's: %w", err)
	}
	switch {
	case v.Line == nil:
		return 0, "", errors.New(`no "line"`)
	case v.Provider == nil || v.RefundID == nil:
		return 0, "", errors.New(`no "provider" or "refund_id"`)
	case (v.Status == nil) == (v.Error == nil):
		return 0, "", errors.New(`want either a "status" or an "error"`)
	case len(v.Input) != len(names):
		return 0, "", fmt.Errorf(`has %d passed-through columns in "input", want %d like the input`, len(v.Input), len(names))
	}
	for _, n := range names {
		if _, ok := v.Input[n]; !ok {
			return 0, "", fmt.Errorf(`has no column %q in "input", which the input has`, printable(n))
		}
	}
	line, err := parseLine(v.Line.String())
	return line, *v.RefundID, err
}

// parseLine parses a row's line field.
func parseLine(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("line %q is not a line number", printable(s))
	}
	return n, nil
}

// newBufReader is the buffered reader an output file is read through.
func newBufReader(in io.Reader) *bufio.Reader { return bufio.NewReaderSize(in, 64<<10) }

// readRow returns the next line with its newline, if it has one, and
// io.EOF at the end of the file. A line longer than resumeMaxRow is an
// error.
func readRow(br *bufio.Reader) ([]byte, error) {
	var row []byte
	for {
		b, err := br.ReadSlice('\n')
		if len(row)+len(b) > resumeMaxRow {
			return nil, fmt.Errorf("a line is longer than %d bytes", resumeMaxRow)
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			if row == nil {
				return b, err
			}
			return append(row, b...), err
		}
		row = append(row, b...)
	}
}
