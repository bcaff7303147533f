package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxLineBytes bounds one line of reconcile's input. A longer line is a bad
// row; no more of it than this is ever held.
const maxLineBytes = 64 << 10

// errUnclosedQuote is a quoted field that does not end on its line.
// encoding/csv would read on into the following lines, taking the rest of
// the file as one field; reconcile reads one line as one row instead.
var errUnclosedQuote = errors.New(`a quoted field is not closed on its line (fields may not span lines)`)

// errLineTooLong is a line longer than maxLineBytes.
var errLineTooLong = fmt.Errorf("line is longer than %d bytes", maxLineBytes)

// lineReader reads its input one line at a time, numbering the lines from
// 1, and never holds more than maxLineBytes of it.
type lineReader struct {
	br   *bufio.Reader
	line int64
}

func newLineReader(in io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(in, maxLineBytes)}
}

// next returns the next line without its line ending ("\n" or "\r\n") and
// its number. A line longer than maxLineBytes is read to its end and
// dropped: next returns errLineTooLong with its number. io.EOF means there
// is no further line; any other error means the input could not be read
// on. The returned bytes are valid until the next call.
func (l *lineReader) next() ([]byte, int64, error) {
	b, err := l.br.ReadSlice('\n')
	if len(b) == 0 && errors.Is(err, io.EOF) {
		return nil, l.line, io.EOF
	}
	l.line++
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = l.br.ReadSlice('\n')
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, l.line, err
		}
		return nil, l.line, errLineTooLong
	case err != nil && !errors.Is(err, io.EOF):
		return nil, l.line, err // a line cut short by a read error is not a line
	}
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r")), l.line, nil
}

// splitCSVLine splits one line into its fields as encoding/csv reads a
// record (comma-separated; a field in double quotes may hold commas and
// doubled quotes), except that a record never continues onto the next
// line. Its errors are encoding/csv's ErrBareQuote and ErrQuote, and
// errUnclosedQuote.
//
// The fields are appended to fields[:0], whose array a reader reuses from
// line to line; the unquoted ones are substrings of one copy of the line:
// one allocation a row, not one per field and per growth.
func splitCSVLine(fields []string, line []byte) ([]string, error) {
	fields = fields[:0]
	text, at := string(line), 0 // line is text[at:]
	for {
		if len(line) == 0 || line[0] != '"' {
			i := bytes.IndexByte(line, ',')
			f := line
			if i >= 0 {
				f = line[:i]
			}
			if bytes.IndexByte(f, '"') >= 0 {
				return nil, csv.ErrBareQuote
			}
			fields = append(fields, text[at:at+len(f)])
			if i < 0 {
				return fields, nil
			}
			line, at = line[i+1:], at+i+1
			continue
		}
		var f strings.Builder
		rest := line[1:]
		for {
			i := bytes.IndexByte(rest, '"')
			if i < 0 {
				return nil, errUnclosedQuote
			}
			f.Write(rest[:i])
			rest = rest[i+1:]
			if len(rest) > 0 && rest[0] == '"' { // a doubled quote
				f.WriteByte('"')
				rest = rest[1:]
				continue
			}
			break
		}
		fields = append(fields, f.String())
		switch {
		case len(rest) == 0:
			return fields, nil
		case rest[0] != ',':
			return nil, csv.ErrQuote
		}
		at += len(line) - len(rest) + 1
		line = rest[1:]
	}
}
