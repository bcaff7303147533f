package inquiry

import (
	"math/rand/v2"
	"time"
)

// RetryPolicy says how an inquiry is retried after a transient failure: a
// network error, HTTP 5xx or 429, or a provider code that means "busy" or
// "slow down". Nothing else is retried: a pending refund is an answer, not a
// failure. Every retry is signed afresh, with a new timestamp and nonce.
//
// Delays grow exponentially from BaseDelay up to MaxDelay, with full jitter;
// a Retry-After from the provider is honoured when it is longer. The
// context's cancellation or deadline stops the waiting at once.
type RetryPolicy struct {
	// MaxAttempts counts every attempt, the first included. Zero means 3;
	// 1 means no retries.
	MaxAttempts int
	// BaseDelay is the delay before the first retry (before jitter). Zero
	// means 200ms.
	BaseDelay time.Duration
	// MaxDelay caps every delay. A Retry-After longer than MaxDelay ends
	// the retries: the error is returned at once, and its RetryAfter field
	// says how long the provider asked us to wait. Zero means 10s.
	MaxDelay time.Duration
}

// NoRetry is the policy that tries once.
func NoRetry() RetryPolicy { return RetryPolicy{MaxAttempts: 1} }

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 3
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 200 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 10 * time.Second
	}
	return p
}

// delay returns how long to wait before attempt number next (2 for the
// first retry), given the Retry-After the provider asked for (0 if none).
func (p RetryPolicy) delay(next int, retryAfter time.Duration) time.Duration {
	ceiling := p.BaseDelay << min(next-2, 30)
	if ceiling <= 0 || ceiling > p.MaxDelay {
		ceiling = p.MaxDelay
	}
	d := time.Duration(rand.Int64N(int64(ceiling) + 1)) // full jitter
	if retryAfter > d {
		d = min(retryAfter, p.MaxDelay)
	}
	return d
}
