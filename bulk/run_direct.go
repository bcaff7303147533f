package bulk

// One Run without polling: a plain worker pool, with no scheduling loop.

import (
	"context"
	"iter"
	"sync"

	"github.com/refundkit/refundkit"
)

// directJob is an item on its way to a worker, with the client that
// answers it: nil when no client answers its provider.
type directJob struct {
	item   Item
	client refundkit.Inquirer
}

// directRun is one Run without polling. With nothing to poll there is
// nothing to schedule, so every item goes the way of a plain worker pool: a
// feeder goroutine ranges over the input, routes each item to its client
// and sends it through jobs; a worker asks about it and sends its outcome
// through results; the consumer's goroutine yields it.
//
// jobs holds up to the concurrency: the read-ahead. results is unbuffered,
// so a worker holds its outcome until the consumer takes it: at most the
// concurrency items have been asked about and not yielded, and at most
// twice the concurrency, plus the one the feeder holds, have been taken
// and not yielded.
//
// The feeder is the only sender on jobs and closes it. The workers send on
// results; the feeder, which starts them all, closes results once every
// one has returned.
type directRun struct {
	*Runner
	ctx     context.Context
	cancel  context.CancelFunc
	jobs    chan directJob
	results chan Outcome
	fed     chan struct{} // closed when the feeder has returned
}

// runDirect is Run without polling.
func (b *Runner) runDirect(parent context.Context, items iter.Seq[Item], yield func(Outcome) bool) {
	ctx, cancel := context.WithCancel(parent)
	r := &directRun{Runner: b, ctx: ctx, cancel: cancel,
		jobs: make(chan directJob, b.concurrency), results: make(chan Outcome), fed: make(chan struct{})}
	go r.feed(items)
	defer r.stop()
	for o := range r.results {
		if !yield(o) {
			return
		}
	}
}

// stop cancels whatever is still going, takes the outcomes still coming
// (a worker returns only once its send is taken) and waits for the feeder.
func (r *directRun) stop() {
	r.cancel()
	for range r.results {
	}
	<-r.fed
}

// feed sends the items to the workers, starting one with each of the
// first concurrency items. An item sent has been taken from items, so it
// yields an outcome whatever happens: asked about or, once ctx has ended,
// not asked (see work). After ctx ends the feeder takes at most one more
// item.
func (r *directRun) feed(items iter.Seq[Item]) {
	defer close(r.fed)
	var workers sync.WaitGroup
	defer func() {
		close(r.jobs)
		workers.Wait()
		close(r.results)
	}()
	if items == nil {
		return
	}
	started := 0
	for it := range items {
		if r.ctx.Err() != nil {
			return
		}
		j := directJob{item: it, client: r.clients[it.Provider]}
		if started < r.concurrency {
			started++
			workers.Go(r.work)
		}
		select { // the common case, without a two-way select
		case r.jobs <- j:
			continue
		default:
		}
		select {
		case r.jobs <- j:
		case <-r.ctx.Done():
			return
		}
	}
}

// work asks about one item at a time until jobs is closed. Once ctx has
// ended it asks no more, and reports each item left with NotAsked.
func (r *directRun) work() {
	for j := range r.jobs {
		o := Outcome{Item: j.item}
		switch {
		case j.client == nil:
			o.Err = noClient(j.item.Provider)
		case r.ctx.Err() != nil:
			o.Err = NotAsked(j.item.Provider, r.ctx)
		default:
			o.Result, o.Err = j.client.Inquire(r.ctx, j.item.Query)
			o.Inquiries = 1
			if o.Result == nil && o.Err == nil {
				o.Err = neitherResultNorError(j.item.Provider)
			}
		}
		r.results <- o
	}
}
