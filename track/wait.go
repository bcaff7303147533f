package track

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Run's checks for the end of its work.
const (
	// waitTick is how often Run looks at the database whatever happens:
	// for progress reports, change deliveries, and other processes' polls.
	waitTick = 200 * time.Millisecond
	// settleDelay is how long after a poll of its own Run looks whether the
	// work is done: polls that commit meanwhile share the one look.
	settleDelay = 2 * time.Millisecond
)

// notePolled tells Run's wait that a poll committed, so that it looks
// whether the work is done now rather than at its next tick.
func (t *Tracker) notePolled() {
	select {
	case t.polled <- struct{}{}:
	default: // a look is already pending
	}
}

// wait returns when the run's work is done, or ctx ends. It looks shortly
// after this process's polls commit (an indexed query: cheap on a large
// database) and at every waitTick; the full progress count runs only for
// reports.
func (t *Tracker) wait(ctx context.Context, ro RunOptions, start time.Time) error {
	every := ro.ProgressEvery
	if every <= 0 {
		every = time.Second
	}
	tick := time.NewTicker(waitTick)
	defer tick.Stop()
	settle := time.NewTimer(settleDelay) // a first look at once: there may be nothing to do
	armed := true
	lastReport := time.Time{}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.polled:
			if !armed {
				settle.Reset(settleDelay)
				armed = true
			}
			continue
		case <-settle.C:
			armed = false
		case <-tick.C:
			if err := t.report(ctx, ro, every, &lastReport); err != nil {
				return err
			}
		}
		if ro.KeepRunning {
			continue
		}
		done, err := t.finished(ctx, ro.Once, start)
		if err != nil {
			return err
		}
		if done {
			pending, err := t.changesPending(ctx)
			if err != nil || !pending {
				return err
			}
		}
	}
}

// report calls ro.Progress when every has passed since *last. With
// KeepRunning a database error is logged instead of returned.
func (t *Tracker) report(ctx context.Context, ro RunOptions, every time.Duration, last *time.Time) error {
	now := time.Now()
	if ro.Progress == nil || now.Sub(*last) < every {
		return nil
	}
	p, err := t.progress(ctx, now)
	if err != nil && ro.KeepRunning {
		t.opts.Logger.WarnContext(ctx, "refundkit: tracker progress", "error", err.Error())
		return nil
	}
	if err != nil {
		return err
	}
	ro.Progress(p)
	*last = now
	return nil
}

// finished reports whether no refund is active or, with once, whether no
// active refund's next poll is at or before start.
func (t *Tracker) finished(ctx context.Context, once bool, start time.Time) (bool, error) {
	q, args := `SELECT COUNT(*) FROM (SELECT 1 FROM refundkit_refund WHERE next_poll_at IS NOT NULL LIMIT 1) AS a`, []any(nil)
	if once {
		q, args = `SELECT COUNT(*) FROM (SELECT 1 FROM refundkit_refund WHERE next_poll_at <= ? LIMIT 1) AS a`, []any{micros(start)}
	}
	var n int
	err := t.db.QueryRowContext(ctx, q, args...).Scan(&n)
	return n == 0, classify(t.file, err)
}

// changesPending reports whether change deliveries are still to run.
func (t *Tracker) changesPending(ctx context.Context) (bool, error) {
	if t.opts.OnChange == nil {
		return false, nil
	}
	res, err := t.river.JobList(ctx, river.NewJobListParams().Kinds(changeArgs{}.Kind()).First(1).
		States(rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled))
	if err != nil {
		return false, classify(t.file, fmt.Errorf("track: list change deliveries: %w", err))
	}
	return len(res.Jobs) > 0, nil
}
