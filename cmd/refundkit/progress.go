package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/refundkit/refundkit"
)

// isTerminal reports whether w is a terminal (a character device), where a
// redrawn progress line makes sense. Pipes, files and test buffers are not.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// counters are a run's live counts, updated from several goroutines and read
// by the progress line. taken, answered and asking are read by nothing
// else: they are kept only when live (a progress line is drawn), sparing
// each row three atomic updates of memory other cores also write.
type counters struct {
	live  bool
	read  atomic.Int64 // input bytes read
	rows  atomic.Int64 // input rows read, bad ones included
	taken atomic.Int64 // valid rows handed to the bulk inquirer
	// answered counts the bulk inquirer's outcomes, and asking the
	// inquiries in flight (see countingInquirer): the rest of those taken
	// wait for their next poll.
	answered, asking atomic.Int64
	done             atomic.Int64 // output rows written
	errs             atomic.Int64 // output rows that are errors
	bad              atomic.Int64 // output rows for bad input rows (never taken)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// progressLine renders the one-line progress report. size is the input's
// size in bytes, 0 when unknown (a pipe): then there is no bar.
func progressLine(c *counters, size int64, elapsed time.Duration) string {
	done, errs := c.done.Load(), c.errs.Load()
	inflight := c.asking.Load()
	waiting := max(c.taken.Load()-c.answered.Load()-inflight, 0)
	var b strings.Builder
	if size > 0 {
		const width = 24
		frac := min(float64(c.read.Load())/float64(size), 1)
		filled := int(frac * width)
		fmt.Fprintf(&b, "[%s%s] %3.0f%% read  ", strings.Repeat("#", filled), strings.Repeat("-", width-filled), frac*100)
	}
	fmt.Fprintf(&b, "%d of %d rows answered, %d in flight, %d waiting to poll, %d errors", done, c.rows.Load(), inflight, waiting, errs)
	if s := elapsed.Seconds(); s > 0 {
		fmt.Fprintf(&b, ", %.0f/s", float64(done)/s)
	}
	return b.String()
}

// progress redraws the progress line on a terminal every tick, until stop.
// Its writes go through draw, which the caller serialises with its own
// writes to the same terminal (see sink).
type progress struct {
	tick *time.Ticker
	quit chan struct{}
	done chan struct{}
}

func startProgress(every time.Duration, draw func()) *progress {
	p := &progress{tick: time.NewTicker(every), quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		for {
			select {
			case <-p.tick.C:
				draw()
			case <-p.quit:
				return
			}
		}
	}()
	return p
}

// stop ends the redrawing and waits until no draw is running.
func (p *progress) stop() {
	if p == nil {
		return
	}
	p.tick.Stop()
	close(p.quit)
	<-p.done
}

// clearLine returns to the start of the line and erases it.
const clearLine = "\r\x1b[K"

// countingInquirer counts the inquiries in flight through it.
type countingInquirer struct {
	refundkit.Inquirer
	n *atomic.Int64
}

// Inquire asks the wrapped client, counted in n while it runs.
func (c countingInquirer) Inquire(ctx context.Context, q refundkit.Query) (*refundkit.Result, error) {
	c.n.Add(1)
	defer c.n.Add(-1)
	return c.Inquirer.Inquire(ctx, q)
}
