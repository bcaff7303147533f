package track

import (
	"context"
	"fmt"
	"time"

	"github.com/refundkit/refundkit"
)

// RateLimitHeadroom is the share of a configured rate limit the tracker
// schedules [assumed]: slots are spaced 1/(limit·headroom) apart, so that
// a request sent a little late after its slot (scheduling, the network)
// never lets two land closer than the provider counts; and a slot missed
// by more than a quarter of its interval (the process was descheduled) is
// given up for a new one (see waitTurn). Under load (the proof at 20/s
// runs beside the race-enabled test suite on two cores) 0.9 without that
// once let 21 land in one second.
const RateLimitHeadroom = 0.85

// rateSQL reserves the next request slot of one limit: the slot is the
// later of now and the row's next_at, and next_at moves one interval past
// it. The statement is atomic on both databases (SQLite writes one at a
// time; PostgreSQL locks the row), so every tracker on the database,
// in every process, draws from the one sequence of slots.
const rateSQL = `INSERT INTO refundkit_rate_limit (name, next_at) VALUES (?, ?)
	ON CONFLICT (name) DO UPDATE SET next_at =
		(CASE WHEN refundkit_rate_limit.next_at > ? THEN refundkit_rate_limit.next_at ELSE ? END) + ?
	RETURNING next_at`

// rateInterval is the spacing of provider p's request slots; 0 when p is
// not limited.
func (t *Tracker) rateInterval(p refundkit.Provider) time.Duration {
	perSecond := t.opts.RateLimits[p]
	if perSecond <= 0 {
		return 0
	}
	return time.Duration(float64(time.Second) / (perSecond * RateLimitHeadroom))
}

// waitTurn reserves provider p's next request slot in the database and
// sleeps until it; woken more than a quarter interval late, it takes a
// new slot (up to 5 times), so that requests never bunch up behind a
// stall. A reserved slot is never given back: a poll that is stopped
// while waiting, or late, only leaves a gap.
func (t *Tracker) waitTurn(ctx context.Context, p refundkit.Provider) error {
	iv := t.rateInterval(p)
	if iv == 0 {
		return nil
	}
	for try := 0; ; try++ {
		slot, err := t.reserveSlot(ctx, p, iv)
		if err != nil {
			return err
		}
		if err := sleepUntil(ctx, slot); err != nil {
			return err
		}
		if time.Since(slot) <= iv/4 || try == 4 {
			return nil
		}
	}
}

// reserveSlot takes the next request slot of provider p, whose slots are
// iv apart, and returns its time.
func (t *Tracker) reserveSlot(ctx context.Context, p refundkit.Provider, iv time.Duration) (time.Time, error) {
	now := micros(time.Now())
	var next int64
	err := t.db.QueryRowContext(ctx, rateSQL, "inquiry:"+string(p), now+iv.Microseconds(), now, now, iv.Microseconds()).Scan(&next)
	if err != nil {
		return time.Time{}, classify(t.file, fmt.Errorf("track: rate limit of %s: %w", p, err))
	}
	return fromMicros(next - iv.Microseconds()), nil
}

// sleepUntil waits until at, or until ctx ends.
func sleepUntil(ctx context.Context, at time.Time) error {
	wait := time.Until(at)
	if wait <= 0 {
		return nil
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
