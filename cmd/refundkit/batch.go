package main

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/refundkit/refundkit"
)

// reconcile's output goes out in batches, not a write per row: whole rows
// gather in the sink's buffer and are written when batchBytes have
// gathered, when flushEvery has passed since the batch's first row, and
// when the run ends, however it ends (the input's end, an output error, or
// SIGINT/SIGTERM, which end the run through its context: every row
// answered by then is written). Each write ends at a row boundary, so an
// output cut short holds whole rows only. What a SIGKILL (or a crash that
// skips the end of the run) can lose is the unwritten batch: the rows
// answered in the last flushEvery at most (and a kill in the middle of a
// write can leave its last row cut short); reconcile --resume (resume.go)
// finishes such a run.
const (
	batchBytes = 32 << 10
	flushEvery = 100 * time.Millisecond
)

// batch is the sink's output buffer: whole rows not yet written, and what
// the summary and the progress line are to count for them once they are:
// neither reports a row done before it is written.
type batch struct {
	out     io.Writer
	buf     bytes.Buffer // whole rows (the CSV header first)
	rows    []counted    // the rows in buf, for the summary, in runs counted alike
	timer   *time.Timer  // flushes buf flushEvery after its first row
	pending bool         // the timer is armed
}

// counted is n buffered rows in a row that the summary counts alike: their
// status, or their error's category.
type counted struct {
	status    refundkit.Status   // an answered row's
	category  refundkit.Category // an error row's; "" on an answered row
	gaveUp    bool
	inquiries int // each row's
	n         int
}

// countedOf is a, which took inquiries, as the summary counts it.
func countedOf(a answer, inquiries int) counted {
	if a.err != nil {
		return counted{category: detail(a.err).Category, inquiries: inquiries, n: 1}
	}
	return counted{status: a.res.Status, gaveUp: a.gaveUp, inquiries: inquiries, n: 1}
}

// addedLocked notes the row just written into buf, and writes the batch if
// it is full or arms the timer that will. It reports false when writing
// failed; s.err then says why.
func (s *sink) addedLocked(a answer, inquiries int) bool {
	b := &s.out
	c := countedOf(a, inquiries)
	if k := len(b.rows) - 1; k >= 0 && b.rows[k].status == c.status && b.rows[k].category == c.category &&
		b.rows[k].gaveUp == c.gaveUp && b.rows[k].inquiries == c.inquiries {
		b.rows[k].n++ // rows in a run alike are counted together
	} else {
		b.rows = append(b.rows, c)
	}
	if s.hold {
		return true
	}
	if b.buf.Len() >= batchBytes {
		return s.flushLocked()
	}
	if !b.pending {
		b.pending = true
		if b.timer == nil {
			b.timer = time.AfterFunc(flushEvery, s.timedFlush)
		} else {
			b.timer.Reset(flushEvery)
		}
	}
	return true
}

// timedFlush is the timer's flush.
func (s *sink) timedFlush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushLocked()
}

// flushLocked writes the batch. Its rows are counted in the summary only
// once written; after a failed write nothing more is written.
func (s *sink) flushLocked() bool {
	b := &s.out
	if b.pending {
		b.timer.Stop()
		b.pending = false
	}
	if b.buf.Len() == 0 || s.err != nil {
		return s.err == nil
	}
	_, err := b.out.Write(b.buf.Bytes())
	b.buf.Reset()
	if err != nil {
		s.err = fmt.Errorf("write output: %w", err)
		b.rows = b.rows[:0]
		return false
	}
	var rows, errs int64
	for _, r := range b.rows {
		s.sum.count(r)
		rows += int64(r.n)
		if r.category != "" {
			errs += int64(r.n)
		}
	}
	s.c.done.Add(rows) // the progress line counts a row once it is written
	s.c.errs.Add(errs)
	b.rows = b.rows[:0]
	return true
}
