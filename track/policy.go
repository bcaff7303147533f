package track

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/refundkit/refundkit"
)

// Policy defaults; see Policy for what each means.
var DefaultLadder = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 6 * time.Hour, 24 * time.Hour}

// More policy defaults.
const (
	DefaultMaxAge          = 30 * 24 * time.Hour
	DefaultJitter          = 0.1
	DefaultBackoffInitial  = 30 * time.Second
	DefaultBackoffMax      = 30 * time.Minute
	DefaultNotFoundRetries = 3
)

// Policy says when a refund is polled next, and when the tracker gives up.
// A refund is first polled as soon as it is added. Then, by the outcome of
// each poll:
//
//   - a final status (succeeded, failed): no more polls.
//   - pending or unknown: the next poll waits Ladder[n], n being how many
//     such answers came before (0 for the first), the last step repeating
//     (the default ladder ends with daily polls).
//   - rate_limited: the provider's Retry-After when it gave one, else the
//     error backoff below. The ladder does not advance.
//   - temporary or invalid_response (errors that may heal by waiting):
//     BackoffInitial·2^(k-1) for the k-th error in a row, at most
//     BackoffMax, or the provider's Retry-After when that is longer.
//   - not_found: polled again along the ladder NotFoundRetries times (a new
//     refund may not be visible yet), then stopped with reason not_found.
//   - auth, signature, invalid_request (errors waiting does not heal):
//     stopped at once with that category as the reason.
//
// Every wait is spread by ±Jitter (a fraction) so that refunds added
// together are not polled together, and no poll is scheduled past MaxAge
// after the refund was added: the last one happens then, and a refund that
// is still not final after it stops with reason StopMaxAge.
//
// The zero value of a field means its default; Jitter < 0 means none.
type Policy struct {
	Ladder          []time.Duration
	MaxAge          time.Duration
	Jitter          float64
	BackoffInitial  time.Duration
	BackoffMax      time.Duration
	NotFoundRetries int
}

// resolve fills in the defaults and checks the values.
func (p Policy) resolve() (Policy, error) {
	if len(p.Ladder) == 0 {
		p.Ladder = DefaultLadder
	}
	p.Ladder = append([]time.Duration(nil), p.Ladder...)
	for i, d := range p.Ladder {
		if d <= 0 {
			return p, fmt.Errorf("track: policy ladder step %d (%v) is not positive", i+1, d)
		}
	}
	p.MaxAge = orDefault(p.MaxAge, DefaultMaxAge)
	p.BackoffInitial = orDefault(p.BackoffInitial, DefaultBackoffInitial)
	p.BackoffMax = orDefault(p.BackoffMax, DefaultBackoffMax)
	switch {
	case p.Jitter == 0:
		p.Jitter = DefaultJitter
	case p.Jitter < 0:
		p.Jitter = 0
	case p.Jitter >= 1:
		return p, fmt.Errorf("track: policy jitter %v is not below 1", p.Jitter)
	}
	if p.NotFoundRetries == 0 {
		p.NotFoundRetries = DefaultNotFoundRetries
	}
	if p.MaxAge < 0 || p.BackoffInitial < 0 || p.BackoffMax < p.BackoffInitial || p.NotFoundRetries < 0 {
		return p, fmt.Errorf("track: policy has a negative or inconsistent value: max age %v, backoff %v..%v, not-found retries %d",
			p.MaxAge, p.BackoffInitial, p.BackoffMax, p.NotFoundRetries)
	}
	return p, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// progress is what the policy needs to know about a refund's past polls.
type progress struct {
	addedAt     time.Time
	answers     int // pending or unknown answers before this poll
	notFound    int // not_found answers before this poll
	errorsInRow int // temporary errors in a row, this poll's included
}

// decision is what happens after a poll: the next poll's time, or a stop.
type decision struct {
	next  time.Time // zero when there is no next poll
	stop  string    // the stop reason, when stopped
	final bool
}

// decide applies the policy to one poll's outcome at now.
func (p Policy) decide(now time.Time, pr progress, status refundkit.Status, cat refundkit.Category, retryAfter time.Duration) decision {
	if cat == "" && status.Final() {
		return decision{final: true}
	}
	var wait time.Duration
	switch cat {
	case "":
		wait = p.step(pr.answers)
	case refundkit.CategoryNotFound:
		if pr.notFound >= p.NotFoundRetries {
			return decision{stop: string(cat)}
		}
		wait = p.step(pr.notFound)
	case refundkit.CategoryRateLimited:
		wait = retryAfter
		if wait <= 0 {
			wait = p.backoff(pr.errorsInRow)
		}
	case refundkit.CategoryTemporary, refundkit.CategoryInvalidResponse:
		wait = max(p.backoff(pr.errorsInRow), retryAfter)
	default: // auth, signature, invalid_request, and any category added later
		return decision{stop: string(cat)}
	}
	deadline := pr.addedAt.Add(p.MaxAge)
	if !now.Before(deadline) {
		return decision{stop: StopMaxAge}
	}
	next := now.Add(p.jitter(wait))
	if cat == refundkit.CategoryRateLimited && retryAfter > 0 {
		next = now.Add(retryAfter) // never earlier than the provider asked
	}
	if next.After(deadline) {
		next = deadline
	}
	return decision{next: next}
}

// step returns the ladder's n-th wait (from 0), the last one repeating.
func (p Policy) step(n int) time.Duration { return p.Ladder[min(n, len(p.Ladder)-1)] }

// backoff returns the wait after the k-th temporary error in a row.
func (p Policy) backoff(k int) time.Duration {
	d := p.BackoffInitial
	for i := 1; i < k && d < p.BackoffMax; i++ {
		d *= 2
	}
	return min(d, p.BackoffMax)
}

// jitter spreads d uniformly over d·(1±Jitter).
func (p Policy) jitter(d time.Duration) time.Duration {
	if p.Jitter == 0 {
		return d
	}
	f := 1 + p.Jitter*(2*rand.Float64()-1)
	return time.Duration(float64(d) * f)
}
