package main

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/refundkit/refundkit"
)

// sink is where a run's rows go, from the consuming loop and (bad rows) the
// feeding goroutine alike: the output, the summary, and stderr, whose
// progress line it clears before any other message.
type sink struct {
	mu     sync.Mutex
	write  func(answer) error // writes one row into out.buf
	out    batch
	errOut io.Writer
	sum    summary
	c      *counters
	start  time.Time
	err    error // the first output error; nothing is written after it
	drawn  bool  // a progress line is on screen
	// hold keeps a --resume run's rows in the batch, unwritten, until the
	// input has been read past the output's last line (release).
	hold  bool
	names []string // the output names of the passed-through columns
}

// result returns the summary, its elapsed time set, and err joined with
// any output error.
func (s *sink) result(err error) (summary, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushLocked()
	sum := s.sum
	sum.read = s.readRows()
	sum.elapsed = time.Since(s.start)
	return sum, errors.Join(err, s.err)
}

// readRows counts the input rows read so far, bad ones included.
func (s *sink) readRows() int { return int(s.c.rows.Load()) }

// emit writes one row; false means the output failed and the run must stop.
func (s *sink) emit(a answer, inquiries int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emitLocked(a, inquiries)
}

func (s *sink) emitLocked(a answer, inquiries int) bool {
	if s.err != nil {
		return false
	}
	if err := s.write(a); err != nil {
		s.err = fmt.Errorf("write output: %w", err)
		return false
	}
	return s.addedLocked(a, inquiries)
}

// badRow reports a bad input row on stderr, unless quiet, and writes its
// error row.
func (s *sink) badRow(r row, quiet bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !quiet {
		s.noteLocked("line %d: %s", r.line, printable(r.bad))
	}
	s.sum.badRows++
	s.c.bad.Add(1)
	return s.emitLocked(answer{line: r.line, provider: r.provider, refundID: r.refundID, err: errors.New(r.bad),
		input: s.input(r.extra)}, 0)
}

// unconfiguredRow counts a row for a provider the config lacks.
func (s *sink) unconfiguredRow(p refundkit.Provider) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sum.unconfigured[p]++
}

// note prints one message on stderr, on a line of its own.
func (s *sink) note(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noteLocked(format, args...)
}

func (s *sink) noteLocked(format string, args ...any) {
	s.clearLocked()
	fmt.Fprintf(s.errOut, "refundkit reconcile: "+format+"\n", args...)
}

// input pairs a row's passed-through values with their output names; a
// row without them (the wrong number of fields) gets empty values, so that
// every CSV row has the header's width.
func (s *sink) input(values []string) []column {
	if len(s.names) == 0 {
		return nil
	}
	cols := make([]column, len(s.names))
	for i, n := range s.names {
		cols[i].name = n
		if i < len(values) {
			cols[i].value = values[i]
		}
	}
	return cols
}

// draw replaces the progress line.
func (s *sink) draw(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprint(s.errOut, clearLine+line)
	s.drawn = true
}

// clear erases the progress line, if one is drawn.
func (s *sink) clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clearLocked()
}

func (s *sink) clearLocked() {
	if s.drawn {
		fmt.Fprint(s.errOut, clearLine)
		s.drawn = false
	}
}
