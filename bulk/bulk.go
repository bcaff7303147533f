package bulk

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"time"

	"github.com/refundkit/refundkit"
)

// DefaultConcurrency is how many inquiries a [Runner] run keeps in flight
// unless told otherwise.
const DefaultConcurrency = 8

// Item is one refund to ask about in a bulk run.
type Item struct {
	// Provider selects the client that answers.
	Provider refundkit.Provider
	// Query names the refund.
	Query refundkit.Query
	// Tag is the caller's own reference, such as an input line number. Bulk
	// only carries it through to the Outcome.
	Tag int64
}

// Outcome is the answer for one Item: a Result or an error, never both.
type Outcome struct {
	// Item is the item as it was given.
	Item Item
	// Result is the last answer, when there was one. With polling it may
	// still be pending if the item's maximum age passed or the run's
	// context ended first. A pending result reported because the context
	// ended while the item waited for its next poll is the one kept while
	// it waited: without Raw, and with each text field cut to 256 bytes
	// (see [PollPolicy]).
	Result *refundkit.Result
	// Err is why there is no answer: the client's error as it returned it
	// (a *refundkit.Error, from the clients of package wrapper). An item whose
	// provider has no client fails with a *refundkit.Error in
	// refundkit.CategoryInvalidRequest without being asked.
	Err error
	// Inquiries counts how many times the item was asked about.
	Inquiries int
}

// Runner asks about many refunds across providers at once: it takes a stream
// of items, keeps up to a fixed number of inquiries in flight, and yields
// each outcome as it finishes. With [WithPollUntilFinal] it also re-asks
// about pending refunds until they are final.
//
// Retries, per-attempt timeouts and rate limits are the clients' own (see
// wrapper.WithRetry, WithTimeout, WithRateLimit); a Runner only schedules. Its
// memory is bounded by the concurrency and [PollPolicy.MaxWaiting], not by
// the number of items. A Runner is safe for concurrent use.
type Runner struct {
	clients     map[refundkit.Provider]refundkit.Inquirer
	concurrency int
	poll        *PollPolicy // nil when pending results are not polled
}

// Option configures a [Runner].
type Option func(*config)

type config struct {
	concurrency int
	poll        *PollPolicy
}

// WithConcurrency sets how many inquiries are in flight at most; it must be
// at least 1. The default is DefaultConcurrency.
func WithConcurrency(n int) Option { return func(c *config) { c.concurrency = n } }

// WithPollUntilFinal makes the run re-inquire pending refunds per p until
// they are final. Zero fields of p take their defaults.
func WithPollUntilFinal(p PollPolicy) Option { return func(c *config) { c.poll = &p } }

// New builds a Runner over one client per provider, as reported by each
// client's Provider method. A nil client, two clients for one provider or
// an invalid option is an error.
func New(clients []refundkit.Inquirer, opts ...Option) (*Runner, error) {
	if len(clients) == 0 {
		return nil, errors.New("bulk: needs at least one client")
	}
	b := &Runner{clients: make(map[refundkit.Provider]refundkit.Inquirer, len(clients))}
	for i, c := range clients {
		if c == nil {
			return nil, fmt.Errorf("bulk: client %d is nil", i)
		}
		p := c.Provider()
		if _, dup := b.clients[p]; dup {
			return nil, fmt.Errorf("bulk: has two clients for provider %q", p)
		}
		b.clients[p] = c
	}
	cfg := config{concurrency: DefaultConcurrency}
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.concurrency < 1 {
		return nil, fmt.Errorf("bulk: concurrency %d is below 1", cfg.concurrency)
	}
	b.concurrency = cfg.concurrency
	if cfg.poll != nil {
		p, err := cfg.poll.resolve(cfg.concurrency)
		if err != nil {
			return nil, err
		}
		b.poll = &p
	}
	return b, nil
}

// Run asks about every item and yields the outcomes in the order they
// finish. Every item Run takes from items yields exactly one Outcome; an
// item whose provider has no client yields an invalid-request error, and
// the run goes on.
//
// Items are taken only as capacity frees up, so a long or endless sequence
// is fine. When ctx ends, Run takes no more items, reports the items
// waiting for a poll with their last pending result, reports the inquiries
// in flight as they return (normally with the context's error, as the
// clients stop at once) and ends. When the consumer stops early, Run
// cancels the inquiries in flight and returns once they have.
//
// Either way, every goroutine Run starts has ended when the range loop
// ends. One of them ranges over items: if items blocks (reading a slow
// pipe, say), Run can return only once it yields again or ends, so such a
// sequence should itself watch ctx.
//
// Each range over the returned sequence is a new run over items.
func (b *Runner) Run(ctx context.Context, items iter.Seq[Item]) iter.Seq[Outcome] {
	return func(yield func(Outcome) bool) {
		r := b.start(ctx, items)
		defer r.stop()
		r.loop(yield)
	}
}

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

// bulkRun is the state of one Run. Its loop runs in the consumer's
// goroutine, so yielding needs no extra hand-off; a feeder goroutine ranges
// over the input, and up to concurrency workers ask the clients.
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

func (b *Runner) start(parent context.Context, items iter.Seq[Item]) *bulkRun {
	ctx, cancel := context.WithCancel(parent)
	r := &bulkRun{
		Runner:  b,
		ctx:     ctx,
		cancel:  cancel,
		input:   make(chan Item),
		jobs:    make(chan bulkTask, b.concurrency),
		results: make(chan bulkTask, b.concurrency),
	}
	r.deadline, _ = ctx.Deadline()
	if b.poll != nil {
		r.timer = time.NewTimer(time.Hour)
		r.timer.Stop()
	}
	r.wg.Add(1)
	go r.feed(items)
	return r
}

// stop cancels whatever is still going and waits for every goroutine.
func (r *bulkRun) stop() {
	r.cancel()
	close(r.jobs)
	if r.timer != nil {
		r.timer.Stop()
	}
	r.wg.Wait()
}

// feed hands the items to the loop, one at a time, as it asks for them.
func (r *bulkRun) feed(items iter.Seq[Item]) {
	defer r.wg.Done()
	defer close(r.input)
	if items == nil {
		return
	}
	for it := range items {
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
		if (r.inputDone || r.cancelled) && r.inflight == 0 && r.waiting.len() == 0 {
			return
		}
		var input <-chan Item
		if r.canTake() {
			input = r.input
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
			if !r.take(it, yield) {
				return
			}
		case <-tick:
		case <-done:
		}
	}
}

// canTake reports whether the loop may take a new item: there is room in
// flight and, when polling, in the waiting queue should every inquiry in
// flight come back pending.
func (r *bulkRun) canTake() bool {
	if r.inputDone || r.cancelled || r.inflight >= r.concurrency {
		return false
	}
	return r.poll == nil || r.inflight+r.waiting.len() < r.poll.MaxWaiting
}

// take starts a new item, or yields its error if no client can answer it.
func (r *bulkRun) take(it Item, yield func(Outcome) bool) bool {
	c, ok := r.clients[it.Provider]
	if !ok {
		return yield(Outcome{Item: it, Err: &refundkit.Error{
			Provider: it.Provider, Op: "inquire", Category: refundkit.CategoryInvalidRequest,
			Err: fmt.Errorf("no client for provider %q", it.Provider),
		}})
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
		t.err = &refundkit.Error{Provider: t.item.Provider, Op: "inquire", Category: refundkit.CategoryInvalidResponse,
			Err: errors.New("inquirer returned neither a result nor an error")}
	}
	if r.poll != nil && !r.cancelled && t.err == nil && t.res.Status == refundkit.StatusPending {
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
