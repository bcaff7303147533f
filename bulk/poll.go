package bulk

import (
	"fmt"
	"math"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/internal/clip"
)

// Defaults for a zero PollPolicy field.
const (
	DefaultPollInitialDelay = 5 * time.Second
	DefaultPollFactor       = 2
	DefaultPollMaxDelay     = 5 * time.Minute
	DefaultPollMaxAge       = 30 * time.Minute
	// DefaultPollMaxWaiting is the default cap on items waiting for their
	// next poll; it is raised to the concurrency when that is larger.
	DefaultPollMaxWaiting = 10_000
)

// PollPolicy says how [Runner] re-inquires refunds whose status is
// [refundkit.StatusPending] until they become final.
//
// The k-th re-inquiry of an item waits InitialDelay·Factor^(k-1), capped at
// MaxDelay, after the previous answer. There is no jitter: items enter the
// run at different times, and each client's rate limit (see
// inquiry.WithRateLimit) spreads any remaining bursts. An item is not polled
// after MaxAge has passed since its first inquiry, nor past the run's
// context deadline; instead its last pending result is reported at once.
//
// While an item waits, the run keeps its last pending result without Raw
// and with each text field cut to 256 bytes, so that thousands of waiting
// items do not hold thousands of response bodies; the next poll's answer
// is reported whole.
//
// Only StatusPending is polled. StatusUnknown is an answer to report, and
// errors are reported as they are: the clients have already retried the
// transient ones.
type PollPolicy struct {
	// InitialDelay is the wait before the first re-inquiry. Zero means
	// DefaultPollInitialDelay.
	InitialDelay time.Duration
	// Factor multiplies the delay after each re-inquiry; it must be at
	// least 1. Zero means DefaultPollFactor.
	Factor float64
	// MaxDelay caps every delay. Zero means DefaultPollMaxDelay, or
	// InitialDelay when that is larger.
	MaxDelay time.Duration
	// MaxAge is how long after its first inquiry an item may still be
	// polled. Zero means DefaultPollMaxAge.
	MaxAge time.Duration
	// MaxWaiting caps the items waiting for their next poll, and so the
	// run's memory. Since an inquiry in flight may come back pending, a run
	// takes a new item only while the items in flight plus those waiting
	// are fewer than MaxWaiting. It may not be below the concurrency. Zero
	// means DefaultPollMaxWaiting or the concurrency, whichever is larger.
	MaxWaiting int
}

// resolve fills in the defaults and checks the policy against the
// concurrency it will run with.
func (p PollPolicy) resolve(concurrency int) (PollPolicy, error) {
	switch {
	case p.InitialDelay < 0, p.MaxDelay < 0, p.MaxAge < 0, p.MaxWaiting < 0:
		return p, fmt.Errorf("bulk: poll policy has a negative value: %+v", p)
	case p.Factor != 0 && !(p.Factor >= 1): // also catches NaN
		return p, fmt.Errorf("bulk: poll factor %v is not at least 1", p.Factor)
	case p.MaxWaiting != 0 && p.MaxWaiting < concurrency:
		return p, fmt.Errorf("bulk: poll max waiting %d is below the concurrency %d", p.MaxWaiting, concurrency)
	}
	if p.InitialDelay == 0 {
		p.InitialDelay = DefaultPollInitialDelay
	}
	if p.Factor == 0 {
		p.Factor = DefaultPollFactor
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = max(DefaultPollMaxDelay, p.InitialDelay)
	}
	if p.MaxDelay < p.InitialDelay {
		return p, fmt.Errorf("bulk: poll max delay %v is below the initial delay %v", p.MaxDelay, p.InitialDelay)
	}
	if p.MaxAge == 0 {
		p.MaxAge = DefaultPollMaxAge
	}
	if p.MaxWaiting == 0 {
		p.MaxWaiting = max(DefaultPollMaxWaiting, concurrency)
	}
	return p, nil
}

// delay returns the wait before re-inquiry number k (1 for the first).
func (p PollPolicy) delay(k int) time.Duration {
	d := float64(p.InitialDelay) * math.Pow(p.Factor, float64(k-1))
	if d >= float64(p.MaxDelay) || math.IsNaN(d) {
		return p.MaxDelay
	}
	return time.Duration(d)
}

// waitingTextLimit bounds each text field of a result kept while its item
// waits for the next poll.
const waitingTextLimit = 256

// keepWhileWaiting returns what a waiting item keeps of its pending result:
// a copy without Raw, each text field cut to waitingTextLimit bytes. That
// is all the report needs should the run end before the next poll, and
// the next poll needs only the item's query.
func keepWhileWaiting(res *refundkit.Result) *refundkit.Result {
	k := *res
	k.Raw = nil
	for _, f := range []*string{&k.ProviderStatus, &k.ProviderCode, &k.ProviderMessage,
		&k.MerchantRefundID, &k.ProviderRefundID, &k.MerchantOrderID, &k.ProviderOrderID} {
		if len(*f) > waitingTextLimit {
			*f = clip.Text(*f, waitingTextLimit)
		}
	}
	return &k
}

// pollQueue is a min-heap of the tasks waiting for their next poll, ordered
// by when the poll is due. It holds values, not pointers, so that waiting
// costs no allocation beyond the slice, which never outgrows MaxWaiting.
type pollQueue []bulkTask

func (q pollQueue) len() int { return len(q) }

// next is the task due soonest; the queue must not be empty.
func (q pollQueue) next() *bulkTask { return &q[0] }

func (q *pollQueue) push(t bulkTask) {
	*q = append(*q, t)
	h := *q
	for i := len(h) - 1; i > 0; {
		parent := (i - 1) / 2
		if !h[i].due.Before(h[parent].due) {
			break
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

func (q *pollQueue) pop() bulkTask {
	h := *q
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h[last] = bulkTask{} // drop the references the slot held
	h = h[:last]
	for i := 0; ; {
		least, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && h[l].due.Before(h[least].due) {
			least = l
		}
		if r < len(h) && h[r].due.Before(h[least].due) {
			least = r
		}
		if least == i {
			break
		}
		h[i], h[least] = h[least], h[i]
		i = least
	}
	*q = h
	return top
}
