package bulk

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/refundkit/refundkit"
)

// NotAsked is the error of an item a run took but never asked about,
// because ctx ended first: in refundkit.CategoryTemporary, as the inquiries
// the end cut short are, wrapping ctx's cause.
func NotAsked(p refundkit.Provider, ctx context.Context) error {
	return &refundkit.Error{Provider: p, Op: "inquire", Category: refundkit.CategoryTemporary,
		Err: fmt.Errorf("not asked: the run ended first: %w", context.Cause(ctx))}
}

// noClient is the error of an item whose provider has no client.
func noClient(p refundkit.Provider) error {
	return &refundkit.Error{Provider: p, Op: "inquire", Category: refundkit.CategoryInvalidRequest,
		Err: fmt.Errorf("no client for provider %q", p)}
}

// neitherResultNorError is the error of an inquiry whose Inquirer broke
// its contract.
func neitherResultNorError(p refundkit.Provider) error {
	return &refundkit.Error{Provider: p, Op: "inquire", Category: refundkit.CategoryInvalidResponse,
		Err: errors.New("inquirer returned neither a result nor an error")}
}

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
	// (a *refundkit.Error, from the clients of package inquiry). An item whose
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
// inquiry.WithRetry, WithTimeout, WithRateLimit); a Runner only schedules. Its
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
// Items are read ahead by at most the concurrency (not at all with
// WithPollUntilFinal, whose MaxWaiting bounds every item held), and asked
// about as capacity frees up, so a long or endless sequence is fine. When ctx ends,
// Run takes no more items (after at most one more), reports the items it
// had read but not asked about with a [NotAsked] error, the items waiting
// for a poll with their last pending result, and the inquiries in flight
// as they return (normally with the context's error, as the clients stop
// at once), and ends. When the consumer stops early, Run
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
		if b.poll == nil {
			b.runDirect(ctx, items, yield)
			return
		}
		r := b.start(ctx, items)
		defer r.stop()
		r.loop(yield)
	}
}
