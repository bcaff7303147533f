package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/refundkit/refundkit"
)

// reconcile --resume carries on with an output file a run left behind,
// however that run ended (a SIGKILL, a crash, a lost machine, Ctrl-C).
// The file is read first: the input lines it already has a row for are
// neither asked about nor written again, and the rows of every other line
// are appended. The rows the file holds are left byte for byte as they
// are; only a last row cut short (a write the kill interrupted: no final
// newline, or a row that does not parse) is cut off, by truncating the
// file to the end of its last whole row, and its line is asked again.
//
// A file that is not reconcile's output for this input (another CSV
// header, passed-through columns included; rows that are not reconcile
// rows; a line number the input cannot have) is an error and is left as
// it is. So that a resumed run leaves nothing behind that a later one
// cannot finish, a --resume run that is interrupted writes no "not asked"
// rows, nor the answers the interruption cut short: those lines are asked
// by the next --resume run.

// resumeFile is the output file of a --resume run, open for reading and
// writing and not yet changed.
type resumeFile struct {
	f    *os.File
	name string
}

// resumeMaxLine bounds the line numbers a file may hold when the input's
// size is unknown (stdin), and so the set of lines' memory. With an input
// file, its size is the bound: line L needs L-1 newlines before it.
const resumeMaxLine = 1 << 28

// resumeMaxRow bounds one row of a JSON lines file. reconcile's longest
// row (a 64 KiB input line passed through, every byte escaped) is well
// under it.
const resumeMaxRow = 1 << 20

// resumed is what reading a --resume output file found.
type resumed struct {
	lines *lineSet // the input lines the file has a row for
	keep  int64    // the file's bytes to keep: its whole, valid rows (and CSV header)
	cut   int64    // the bytes after keep: a last row cut short
}

// resume readies the output of a --resume run: it reads the file, cuts off
// a last row cut short and leaves the file's offset at its end. It returns
// the lines already written (nil when there are none, or without
// --resume) and whether the CSV header is still to be written.
func (s *sink) resume(opts reconcileOptions) (*lineSet, bool, error) {
	r := opts.resume
	if r == nil {
		return nil, true, nil
	}
	got, err := r.read(opts.json, s.names, opts.inputSize)
	if err != nil {
		return nil, false, err
	}
	if got.cut > 0 {
		s.note("%s: cut off its last row, %d bytes cut short by the end of the run that wrote it; its line is asked again", r.name, got.cut)
		if err := r.f.Truncate(got.keep); err != nil {
			return nil, false, fmt.Errorf("--resume: %w", err)
		}
	}
	if _, err := r.f.Seek(got.keep, io.SeekStart); err != nil {
		return nil, false, fmt.Errorf("--resume: %w", err)
	}
	if got.lines.n == 0 {
		return nil, got.keep == 0, nil
	}
	return got.lines, false, nil
}

// read reads the file without changing it. names are the output names of
// the input's passed-through columns; inputSize is the input's size, 0 if
// unknown.
func (r *resumeFile) read(asJSON bool, names []string, inputSize int64) (resumed, error) {
	st, err := r.f.Stat()
	if err != nil {
		return resumed{}, fmt.Errorf("--resume: %w", err)
	}
	size := st.Size()
	sc := &fileScan{lines: &lineSet{}, maxLine: resumeMaxLine, size: size}
	if inputSize > 0 {
		sc.maxLine = inputSize + 1
	}
	if size > 0 {
		var last [1]byte
		if _, err := r.f.ReadAt(last[:], size-1); err != nil {
			return resumed{}, fmt.Errorf("--resume: read %s: %w", r.name, err)
		}
		sc.endsWithNewline = last[0] == '\n'
	}
	in := io.NewSectionReader(r.f, 0, size)
	if asJSON {
		err = sc.scanJSON(in, names)
	} else {
		err = sc.scanCSV(in, csvHeaderLine(names), len(csvHeader)+len(names))
	}
	if err != nil {
		return resumed{}, fmt.Errorf("--resume: %s is not reconcile output for this input (left as it is): %w", r.name, err)
	}
	return resumed{lines: sc.lines, keep: sc.keep, cut: size - sc.keep}, nil
}

// fileScan is the state of reading an output file's rows, in either
// format.
type fileScan struct {
	lines           *lineSet
	maxLine         int64
	size            int64
	endsWithNewline bool  // the file's last byte is a newline
	keep            int64 // the end of the last whole, valid row
	rows            int   // rows seen
	short           error // why the row after keep is cut short
}

// cutShortError is a row that is not whole: not valid CSV or JSON, as a
// write cut short leaves it. Only the file's last row may be.
type cutShortError struct{ err error }

func (e *cutShortError) Error() string { return e.err.Error() }
func (e *cutShortError) Unwrap() error { return e.err }

// row notes the file's next row, which ends at end (after its newline, if
// any) and is for input line line and refund refundID, unless err says it
// is not a valid row.
// The last row may be cut short (no newline at its end, or a
// cutShortError); any other row that is not a valid row is an error.
func (sc *fileScan) row(line int64, refundID string, end int64, err error) error {
	if sc.short != nil {
		return fmt.Errorf("row %d: %w", sc.rows, sc.short)
	}
	sc.rows++
	var short *cutShortError
	switch {
	case end == sc.size && !sc.endsWithNewline:
		sc.short = errors.New("no newline at its end")
	case errors.As(err, &short):
		sc.short = err
	case err != nil:
	case line < 2 || line > sc.maxLine:
		err = fmt.Errorf("line %d: the input has no such data line", line)
	case !sc.lines.add(line, refundMark(refundID)):
		err = fmt.Errorf("line %d: a second row for it", line)
	default:
		sc.keep = end
	}
	if err != nil && sc.short == nil {
		return fmt.Errorf("row %d: %w", sc.rows, err)
	}
	return nil
}

// csvHeaderLine is the CSV header a run writes for an input whose
// passed-through columns have the output names names.
func csvHeaderLine(names []string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(append(slices.Clip(csvHeader), names...)) // a bytes.Buffer does not fail
	w.Flush()
	return b.Bytes()
}

// scanCSV reads a CSV output file, which must start with header. A file
// that holds the header's first bytes only is an empty output.
func (sc *fileScan) scanCSV(in io.Reader, header []byte, width int) error {
	br := newBufReader(in)
	got := make([]byte, len(header))
	n, err := io.ReadFull(br, got)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return err
	}
	if !bytes.Equal(got[:n], header[:n]) {
		return headerMismatch(got[:n], header)
	}
	if n < len(header) {
		return nil // nothing kept: the header is written again
	}
	sc.keep = int64(n)
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // the width is csvRowLine's to check
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var line int64
		var refundID string
		if err == nil {
			line, refundID, err = csvRowLine(rec, width)
		} else {
			err = &cutShortError{err}
		}
		if err := sc.row(line, refundID, int64(n)+cr.InputOffset(), err); err != nil {
			return err
		}
	}
}

// headerMismatch explains a CSV output file whose first line is not the
// header this run writes.
func headerMismatch(got, want []byte) error {
	first, _, _ := bytes.Cut(got, []byte("\n"))
	if len(first) > 200 {
		first = first[:200]
	}
	hint := ""
	if bytes.HasPrefix(got, []byte("{")) {
		hint = " (JSON lines? resume with --json)"
	}
	return fmt.Errorf("its first line is %q, not the header this run writes for this input, %q%s",
		printable(string(first)), printable(string(bytes.TrimSuffix(want, []byte("\n")))), hint)
}

// verdicts are the values of a CSV row's verified column.
var verdicts = map[string]bool{"true": true, "false": true}

// csvRowLine checks one CSV row of reconcile's and returns its input line
// and refund_id.
func csvRowLine(rec []string, width int) (int64, string, error) {
	if len(rec) != width {
		return 0, "", fmt.Errorf("has %d fields, want %d like the header", len(rec), width)
	}
	line, err := parseLine(rec[0])
	switch {
	case err != nil:
	case !verdicts[rec[7]]:
		err = fmt.Errorf("verified is %q, not true or false", printable(rec[7]))
	case (rec[3] == "") == (rec[8] == ""):
		err = errors.New("want either a status or an error_category")
	case rec[3] != "" && !refundkit.Status(rec[3]).Valid():
		err = fmt.Errorf("status %q is not one of reconcile's", printable(rec[3]))
	}
	return line, rec[2], err
}

// outputFlags are the os.OpenFile flags of reconcile's output file:
// created or emptied, or with --resume, created if missing and otherwise
// left as it is, to be read first.
func outputFlags(resume bool) int {
	if resume {
		return os.O_RDWR | os.O_CREATE
	}
	return os.O_RDWR | os.O_CREATE | os.O_TRUNC
}

// resumeKeeps reports whether a --resume run writes a, answered after the
// run was interrupted: not an error (the inquiry cut short, or not made)
// and, with --until-final, not a pending answer whose polling was cut
// short. The next --resume run asks about the others again.
func resumeKeeps(a answer, untilFinal bool) bool {
	return a.err == nil && !(untilFinal && a.res.Status == refundkit.StatusPending)
}
