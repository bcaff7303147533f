package track

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// queue is the River queue the tracker's jobs run in.
const queue = "refundkit"

// jobMaxAttempts is how often River retries a job whose worker failed
// (a database error, a crash mid-poll). Provider errors never fail a poll
// job: they are observations. The number is high because a poll job that
// River discards would leave its refund without a next poll.
const jobMaxAttempts = 10_000

// completedRetention is how long River keeps finished jobs. The tracker's
// own tables hold the history, so finished jobs are dropped soon.
const completedRetention = 10 * time.Minute

// pollArgs is one poll of one refund. Gen is the refund's poll generation
// when the job was scheduled: a job whose generation is no longer the
// refund's (an immediate poll replaced it) does nothing.
type pollArgs struct {
	Refund int64 `json:"refund"`
	Gen    int64 `json:"gen"`
}

// Kind names the job kind in River's tables.
func (pollArgs) Kind() string { return "refundkit_poll" }

// changeArgs delivers one status change to Options.OnChange.
type changeArgs struct {
	Observation int64 `json:"observation"`
}

// Kind names the job kind in River's tables.
func (changeArgs) Kind() string { return "refundkit_change" }

// newRiver builds the River client over the tracker's database. It is
// started only by Run.
func (t *Tracker) newRiver() (jobQueue, error) {
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &pollWorker{t: t}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &changeWorker{t: t}); err != nil {
		return nil, err
	}
	// SoftStopTimeout: once Run's context ends, River stops taking jobs
	// but lets the ones in flight finish (their contexts are not
	// cancelled) for up to a job's own time limit, as long as Run's Stop
	// waits. Without it River cancels the jobs of a Start context that
	// ends: a poll in flight at SIGTERM was abandoned unrecorded and asked
	// again by the next run.
	return newQueue(t.db, &river.Config{
		Queues:                      map[string]river.QueueConfig{queue: {MaxWorkers: t.opts.Concurrency}},
		Workers:                     workers,
		JobTimeout:                  t.opts.RescueAfter / 2,
		SoftStopTimeout:             t.opts.RescueAfter / 2,
		RescueStuckJobsAfter:        t.opts.RescueAfter,
		MaxAttempts:                 jobMaxAttempts,
		RetryPolicy:                 retryPolicy{},
		CompletedJobRetentionPeriod: completedRetention,
		FetchPollInterval:           250 * time.Millisecond,
		FetchCooldown:               2 * time.Millisecond,
		Logger:                      t.opts.Logger,
	})
}

// insertOpts places a job in the tracker's queue at the given time (now
// when zero).
func insertOpts(at time.Time) *river.InsertOpts {
	return &river.InsertOpts{Queue: queue, ScheduledAt: at, MaxAttempts: jobMaxAttempts}
}

// retryPolicy retries a failed job after 1s, 2s, 4s ... at most 5 minutes,
// with ±20% jitter: failures here are the database's or a crash's, which
// clear quickly.
type retryPolicy struct{}

// NextRetry implements river.ClientRetryPolicy.
func (retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	d := time.Second
	for i := 1; i < job.Attempt && d < 5*time.Minute; i++ {
		d *= 2
	}
	d = min(d, 5*time.Minute)
	return time.Now().Add(time.Duration(float64(d) * (0.8 + 0.4*rand.Float64())))
}

// inTx runs fn in one transaction, committing when it returns nil.
func (t *Tracker) inTx(ctx context.Context, fn func(tx dbTx) error) error {
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return classify(t.file, err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return classify(t.file, err)
	}
	return classify(t.file, tx.Commit())
}

// decodeArgs reads a job row's arguments.
func decodeArgs(j *rivertype.JobRow, v any) error {
	if err := json.Unmarshal(j.EncodedArgs, v); err != nil {
		return fmt.Errorf("job %d: %w", j.ID, err)
	}
	return nil
}
