package main

import (
	"fmt"
	"io"
	"time"

	"github.com/refundkit/refundkit"
)

// summary counts what a reconcile run wrote.
type summary struct {
	started   bool                     // the input's header was read: the run began
	read      int                      // input rows read (lines after the header)
	rows      int                      // output rows written, one per input row read
	badRows   int                      // of which bad input rows
	gaveUp    int                      // pending rows given up at --max-age
	resume    bool                     // a --resume run
	already   int                      // with resume, the input rows already in the output, not read again
	inquiries int                      // inquiries made, polls included
	statuses  map[refundkit.Status]int // answered rows by shared status
	// unconfigured counts the bad rows for providers the config lacks.
	unconfigured map[refundkit.Provider]int
	errors       map[refundkit.Category]int // error rows by category
	elapsed      time.Duration
}

func newSummary() summary {
	return summary{statuses: make(map[refundkit.Status]int), errors: make(map[refundkit.Category]int),
		unconfigured: make(map[refundkit.Provider]int)}
}

// count adds r's output rows.
func (s *summary) count(r counted) {
	s.rows += r.n
	s.inquiries += r.n * r.inquiries
	if r.category != "" {
		s.errors[r.category] += r.n
		return
	}
	s.statuses[r.status] += r.n
	if r.gaveUp {
		s.gaveUp += r.n
	}
}

func (s *summary) errorRows() int {
	n := 0
	for _, c := range s.errors {
		n += c
	}
	return n
}

// write prints the summary for people: every status, then the error
// categories that occurred.
func (s *summary) write(w io.Writer, interrupted bool) {
	head := "refundkit reconcile"
	if interrupted {
		head += " (interrupted)"
	}
	fmt.Fprintf(w, "%s: %d rows read, %d written in %s", head, s.read, s.rows, s.elapsed.Round(time.Millisecond))
	if secs := s.elapsed.Seconds(); secs > 0 && s.rows > 0 {
		fmt.Fprintf(w, " (%.0f rows/s)", float64(s.rows)/secs)
	}
	fmt.Fprintf(w, ", %d inquiries\n", s.inquiries)
	if s.resume {
		fmt.Fprintf(w, "  %-20s %d (rows the output had before this run: not asked again)\n", "already written", s.already)
	}
	if s.read != s.rows {
		fmt.Fprintf(w, "  %-20s %d", "rows not written", s.read-s.rows)
		if s.resume {
			fmt.Fprint(w, " (the next --resume run asks them)")
		}
		fmt.Fprintln(w)
	}
	for _, st := range []refundkit.Status{refundkit.StatusSucceeded, refundkit.StatusPending, refundkit.StatusFailed, refundkit.StatusUnknown} {
		fmt.Fprintf(w, "  %-20s %d", st, s.statuses[st])
		if st == refundkit.StatusPending && s.gaveUp > 0 {
			fmt.Fprintf(w, " (%d given up at --max-age)", s.gaveUp)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  %-20s %d\n", "errors", s.errorRows())
	for _, c := range refundkit.Categories() {
		n := s.errors[c]
		if n == 0 {
			continue
		}
		fmt.Fprintf(w, "    %-18s %d", c, n)
		if c == refundkit.CategoryInvalidRequest && s.badRows > 0 {
			fmt.Fprintf(w, " (%d bad input rows)", s.badRows)
		}
		fmt.Fprintln(w)
	}
	for _, p := range refundkit.Providers() {
		if n := s.unconfigured[p]; n > 0 {
			fmt.Fprintf(w, "  %-20s %d rows for %s, which the config lacks\n", "not configured", n, p)
		}
	}
}
