package main

import (
	"fmt"
	"slices"
)

// lineSet is the set of input lines an output file has rows for, each
// with the mark of its row's refund_id (see refundMark), so that a resumed
// run can tell that the input is the one the file was written for. One
// byte per line: a million lines take 1 MB.
type lineSet struct {
	marks []uint8 // by line; 0 where there is no row
	n     int
}

// add adds line, with mark (not 0), reporting false if it was there
// already.
func (s *lineSet) add(line int64, mark uint8) bool {
	if line >= int64(len(s.marks)) {
		s.marks = slices.Grow(s.marks, int(line)+1-len(s.marks))[:line+1]
	}
	if s.marks[line] != 0 {
		return false
	}
	s.marks[line] = mark
	s.n++
	return true
}

// has reports whether line is in the set.
func (s *lineSet) has(line int64) bool { return line < int64(len(s.marks)) && s.marks[line] != 0 }

// mark returns line's mark; 0 if line is not in the set.
func (s *lineSet) mark(line int64) uint8 {
	if line < int64(len(s.marks)) {
		return s.marks[line]
	}
	return 0
}

// refundMark is a one-byte fingerprint of a refund_id, never 0 (FNV-1a
// over its runes, folded). Runes, not bytes: JSON output writes each byte
// that is not UTF-8 as U+FFFD, which is the rune ranging over it gives.
func refundMark(id string) uint8 {
	h := uint32(2166136261)
	for _, r := range id {
		h = (h ^ uint32(r)) * 16777619
	}
	h ^= h >> 16
	h ^= h >> 8
	return max(uint8(h), 1)
}

// skipRow skips row r, which the output has a row for already, once the
// marks of the two refund_ids agree. If they do not, the output was
// written for another input: the run ends with nothing more written, and
// skipRow returns false.
func (f *feed) skipRow(r row) bool {
	if f.skip.mark(r.line) == refundMark(r.refundID) {
		f.skipped++
		if r.line == int64(len(f.skip.marks)-1) { // the output's last line: its rows are all the input's
			return f.sink.release()
		}
		return true
	}
	f.sink.fail(fmt.Errorf("--resume: the output's row for line %d is not for refund_id %q, which the input has there: "+
		"the output was written for another input, or the input has changed (nothing more was written)", r.line, printable(r.refundID)))
	return false
}

// release ends the hold on a --resume run's rows (sink.hold), writing
// those held; false means the output failed.
func (s *sink) release() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hold = false
	return s.flushLocked()
}

// fail ends the run with err, unless it has failed already: nothing more
// is written, rows held or batched included.
func (s *sink) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = err
	}
}

// unseenRows is, once the input has been read to its end, the error of a
// --resume run whose output has rows for lines the input does not have
// (an input cut short, or another one): nil when every row the output had
// was for one of the input's lines.
func (f *feed) unseenRows() error {
	if f.skip == nil || f.skipped == f.skip.n {
		return nil
	}
	last := len(f.skip.marks) - 1
	return fmt.Errorf("--resume: the output has rows up to line %d, and the input has no line %d: "+
		"the output was written for another input, or the input has changed (nothing more was written)", last, last)
}
