package bulk

// One Run with polling: the feeder, the workers and the scheduling loop.

import (
	"context"
	"iter"
	"sync"
	"time"

	"github.com/refundkit/refundkit"
)

// bulkTask is one item on its way through a run.
type bulkTask struct {
	item      Item
	client    refundkit.Inquirer
	first     time.Time // when it was first asked about
	due       time.Time // when its next poll is due, while it waits
	inquiries int
	res       *refundkit.Result
	err       error
}

func (t *bulkTask) outcome() Outcome {
	return Outcome{Item: t.item, Result: t.res, Err: t.err, Inquiries: t.inquiries}
}

// bulkRun is the state of one Run with polling (without, see directRun).
// Its loop runs in the consumer's goroutine, so yielding needs no extra
// hand-off; a feeder goroutine ranges over the input, and up to concurrency
// workers ask the clients.
//
// Every task taken is in exactly one place: the jobs channel, a worker, the
// results channel (those three are counted by inflight) or the waiting
// queue. Both channels are buffered to the concurrency, which inflight
// never exceeds, so neither the loop nor a worker ever blocks on a send.
type bulkRun struct {
	*Runner
	ctx    context.Context
	cancel context.CancelFunc
	// deadline is ctx's deadline, or the zero time.
	deadline time.Time

	input   chan Item
	jobs    chan bulkTask
	results chan bulkTask
	waiting pollQueue
	timer   *time.Timer // wakes the loop for the next due poll

	inflight  int
	workers   int
	inputDone bool // the feeder has closed input
	cancelled bool // ctx has ended and the waiting queue was flushed
	wg        sync.WaitGroup
}

// start begins a run with polling: b.poll is set.
func (b *Runner) start(parent context.Context, items iter.Seq[Item]) *bulkRun {
	ctx, cancel := context.WithCancel(parent)
	r := &bulkRun{
		Runner:  b,
		ctx:     ctx,
		cancel:  cancel,
		input:   make(chan Item), // see feed
		jobs:    make(chan bulkTask, b.concurrency),
		results: make(chan bulkTask, b.concurrency),
	}
	r.deadline, _ = ctx.Deadline()
	r.timer = time.NewTimer(time.Hour)
	r.timer.Stop()
	r.wg.Add(1)
	go r.feed(items)
	return r
}

// stop cancels whatever is still going and waits for every goroutine.
func (r *bulkRun) stop() {
	r.cancel()
	close(r.jobs)
	r.timer.Stop()
	r.wg.Wait()
}

// feed hands the items to the loop through input, unbuffered:
// PollPolicy.MaxWaiting bounds every item held, and the loop takes an item
// only when the waiting queue has room. An item the loop has received has
// been taken from items, so it yields an outcome whatever happens: asked
// about or, once ctx has ended, not asked (see loop). After ctx ends the
// feeder takes at most one more item.
func (r *bulkRun) feed(items iter.Seq[Item]) {
	defer r.wg.Done()
	defer close(r.input)
	if items == nil {
		return
	}
	for it := range items {
		if r.ctx.Err() != nil {
			return
		}
		select {
		case r.input <- it:
		case <-r.ctx.Done():
			return
		}
	}
}

// work asks about one task at a time until the run stops.
func (r *bulkRun) work() {
	defer r.wg.Done()
	for t := range r.jobs {
		t.res, t.err = t.client.Inquire(r.ctx, t.item.Query)
		t.inquiries++
		r.results <- t
	}
}

// loop schedules until every item taken has yielded its outcome, or the
// consumer stops.
func (r *bulkRun) loop(yield func(Outcome) bool) {
	for {
		if !r.cancelled && r.ctx.Err() != nil {
			r.cancelled = true
			if !r.flush(yield) {
				return
			}
		}
		r.dispatchDue()
		if r.inputDone && r.inflight == 0 && r.waiting.len() == 0 {
			return
		}
		var input <-chan Item
		if r.canTake() || r.cancelled && !r.inputDone {
			input = r.input // once cancelled, only to drain it
		}
		var tick <-chan time.Time
		if r.waiting.len() > 0 && r.inflight < r.concurrency {
			r.timer.Reset(time.Until(r.waiting.next().due))
			tick = r.timer.C
		}
		var done <-chan struct{}
		if !r.cancelled {
			done = r.ctx.Done()
		}
		select {
		case t := <-r.results:
			r.inflight--
			if !r.settle(&t, yield) {
				return
			}
		case it, ok := <-input:
			if !ok {
				r.inputDone = true
				continue
			}
			if r.cancelled { // handed over as ctx ended: never asked
				if !yield(Outcome{Item: it, Err: NotAsked(it.Provider, r.ctx)}) {
					return
				}
				continue
			}
			if !r.take(it, yield) {
				return
			}
		case <-tick:
		case <-done:
		}
	}
}

// canTake reports whether the loop may take a new item: there is room in
// flight and in the waiting queue, should every inquiry in flight come back
// pending.
func (r *bulkRun) canTake() bool {
	if r.inputDone || r.cancelled || r.inflight >= r.concurrency {
		return false
	}
	return r.inflight+r.waiting.len() < r.poll.MaxWaiting
}

// take starts a new item, or yields its error if no client can answer it.
func (r *bulkRun) take(it Item, yield func(Outcome) bool) bool {
	c, ok := r.clients[it.Provider]
	if !ok {
		return yield(Outcome{Item: it, Err: noClient(it.Provider)})
	}
	r.dispatch(bulkTask{item: it, client: c, first: time.Now()})
	return true
}

// dispatchDue starts the polls that are due, as far as there is room.
func (r *bulkRun) dispatchDue() {
	if r.waiting.len() == 0 || r.cancelled {
		return
	}
	now := time.Now()
	for r.inflight < r.concurrency && r.waiting.len() > 0 && !r.waiting.next().due.After(now) {
		r.dispatch(r.waiting.pop())
	}
}

// dispatch hands t to a worker, starting one if all are busy.
func (r *bulkRun) dispatch(t bulkTask) {
	r.jobs <- t // never blocks: inflight < concurrency = cap(jobs)
	r.inflight++
	if r.workers < r.inflight {
		r.workers++
		r.wg.Add(1)
		go r.work()
	}
}

// settle yields a finished inquiry's outcome, or queues its next poll.
func (r *bulkRun) settle(t *bulkTask, yield func(Outcome) bool) bool {
	if t.res == nil && t.err == nil {
		t.err = neitherResultNorError(t.item.Provider)
	}
	if !r.cancelled && t.err == nil && t.res.Status == refundkit.StatusPending {
		due := time.Now().Add(r.poll.delay(t.inquiries))
		if due.Sub(t.first) <= r.poll.MaxAge && (r.deadline.IsZero() || due.Before(r.deadline)) {
			t.due = due
			t.res = keepWhileWaiting(t.res)
			r.waiting.push(*t)
			return true
		}
	}
	return yield(t.outcome())
}

// flush yields every waiting item with its last pending result.
func (r *bulkRun) flush(yield func(Outcome) bool) bool {
	for r.waiting.len() > 0 {
		t := r.waiting.pop()
		if !yield(t.outcome()) {
			return false
		}
	}
	return true
}
