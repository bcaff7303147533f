package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
)

// feed turns reconcile's input rows into the bulk inquirer's items. Bad
// rows never become items: their error rows are written as they are read.
// A row for a provider the config lacks is reported on stderr once per
// provider, not once per row, and then either written as an error row like
// any bad row or, with stopUnconfigured, ends the run.
type feed struct {
	sink             *sink
	rows             *rowReader
	ctx              context.Context
	stopUnconfigured bool
	// skip holds the lines a --resume run's output has already (nil if
	// none), which are neither asked nor written; resume marks such a run.
	skip   *lineSet
	resume bool

	// err is why the input was not read to its end: a read error, or an
	// unconfigured provider with stopUnconfigured. Set in the feeding
	// goroutine; read once the run is over.
	err     error
	skipped int                         // rows skipped, being in skip
	warned  map[refundkit.Provider]bool // unconfigured providers reported

	mu      sync.Mutex
	pending map[int64][]column // passed-through columns of the rows taken, by line
}

// items yields the valid rows' items; it runs in the bulk inquirer's
// feeding goroutine.
func (f *feed) items(yield func(bulk.Item) bool) {
	s := f.sink
	for {
		r, err := f.rows.next()
		if errors.Is(err, io.EOF) {
			if err := f.unseenRows(); err != nil {
				s.fail(err)
			}
			return
		}
		if err != nil {
			f.err = fmt.Errorf("read input: %w (line %d)", err, s.readRows()+2)
			return
		}
		if f.skip != nil && f.skip.has(r.line) {
			if !f.skipRow(r) {
				return
			}
			continue
		}
		s.c.rows.Add(1)
		if r.unconfigured != "" {
			if !f.unconfigured(r) {
				return
			}
			continue
		}
		if r.bad != "" {
			if !s.badRow(r, false) {
				return
			}
			continue
		}
		if len(s.names) > 0 {
			f.mu.Lock()
			f.pending[r.line] = s.input(r.extra)
			f.mu.Unlock()
		}
		if !yield(r.item) { // true once the bulk inquirer has taken it
			// Not taken: the run is ending. Its row says so, unless the
			// output has failed or the next --resume run is to ask.
			if f.resume {
				return
			}
			s.emit(answer{line: r.line, provider: string(r.item.Provider), refundID: r.item.Query.RefundID,
				err: bulk.NotAsked(r.item.Provider, f.ctx), input: f.taken(r.line)}, 0)
			return
		}
		if s.c.live {
			s.c.taken.Add(1)
		}
	}
}

// unconfigured writes the error row of a row whose provider the config
// lacks, saying so on stderr for the provider's first row only. It returns
// false when the run must end.
func (f *feed) unconfigured(r row) bool {
	s, p := f.sink, r.unconfigured
	first := !f.warned[p]
	if first {
		if f.warned == nil {
			f.warned = map[refundkit.Provider]bool{}
		}
		f.warned[p] = true
		if f.stopUnconfigured {
			s.note("line %d: provider %s is not configured: stopping (--unconfigured stop)", r.line, p)
		} else {
			s.note("line %d: provider %s is not configured: its rows are written as invalid_request errors and not reported here again (--unconfigured stop ends the run instead)", r.line, p)
		}
	}
	s.unconfiguredRow(p)
	if !s.badRow(r, true) {
		return false
	}
	if f.stopUnconfigured {
		f.err = fmt.Errorf("line %d: provider %s is not configured in the config file", r.line, p)
		return false
	}
	return true
}

// taken returns the passed-through columns of the row on line, and forgets
// them. Without such columns there is nothing to keep, or to look up.
func (f *feed) taken(line int64) []column {
	if len(f.sink.names) == 0 {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	cols := f.pending[line]
	delete(f.pending, line)
	return cols
}

// newRunner is the bulk inquirer of a reconcile run over clients, counting
// the inquiries in flight in c when c is live, and the set of providers it
// can ask.
func newRunner(clients []refundkit.Inquirer, opts reconcileOptions, c *counters) (*bulk.Runner, map[refundkit.Provider]bool, error) {
	counted := make([]refundkit.Inquirer, len(clients))
	configured := make(map[refundkit.Provider]bool, len(clients))
	for i, cl := range clients {
		counted[i] = cl
		if c.live {
			counted[i] = countingInquirer{Inquirer: cl, n: &c.asking}
		}
		configured[cl.Provider()] = true
	}
	bulkOpts := []bulk.Option{bulk.WithConcurrency(opts.concurrency)}
	if opts.untilFinal {
		bulkOpts = append(bulkOpts, bulk.WithPollUntilFinal(opts.poll))
	}
	runner, err := bulk.New(counted, bulkOpts...)
	return runner, configured, err
}
