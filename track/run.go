package track

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/refundkit/refundkit"
)

// RunOptions say how long Run works and how it reports.
type RunOptions struct {
	// Once makes Run return when every refund that was due when it started
	// has been polled once, instead of when every refund is final or
	// stopped.
	Once bool
	// KeepRunning makes Run work until ctx ends, as a service does: it
	// waits for new refunds when none is active, and rides out a database
	// outage (River reconnects) instead of returning its error.
	KeepRunning bool
	// Progress, when set, is called about every ProgressEvery (default 1s)
	// while Run works, and once at the end.
	Progress      func(Progress)
	ProgressEvery time.Duration
}

// Progress is a snapshot of the database while Run works.
type Progress struct {
	Total   int // refunds tracked
	Active  int // refunds still to be polled
	Final   int // refunds with a final status
	Stopped int // refunds the tracker gave up on (see Refund.StopReason)
	Due     int // active refunds whose next poll is due now
}

// Run works the polls until every refund is final or stopped (or, with
// Once, until every refund due at the start has been polled), then stops
// gracefully, letting the polls in flight finish. When ctx ends first it
// also stops gracefully and returns ctx's error; the refunds it did not get
// to stay scheduled for the next Run. It needs an Inquirer for every
// provider with active refunds.
//
// On SQLite, only one Run works a database file at a time: a second one
// fails with ErrBusy. A Run that was killed leaves nothing half-done: polls
// it had in flight are scheduled again by the next Run. On PostgreSQL any
// number of Runs, in any number of processes, share the work: River hands
// each poll to one of them, and the polls of a Run that was killed are
// taken up by the others once RescueAfter has passed.
func (t *Tracker) Run(ctx context.Context, ro RunOptions) error {
	if !t.shared {
		unlock, err := lockRun(t.file)
		if err != nil {
			return err
		}
		defer unlock()
	}
	if err := t.checkClients(ctx); err != nil {
		return err
	}
	if !t.shared {
		if err := t.recover(ctx); err != nil {
			return err
		}
	}
	start := t.now()
	if err := t.river.Start(ctx); err != nil {
		return fmt.Errorf("track: start: %w", err)
	}
	werr := t.wait(ctx, ro, start)
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.opts.RescueAfter/2)
	defer cancel()
	if err := t.river.Stop(stopCtx); err != nil {
		_ = t.river.StopAndCancel(context.WithoutCancel(ctx))
	}
	if ro.Progress != nil {
		if p, err := t.progress(context.WithoutCancel(ctx), time.Now()); err == nil {
			ro.Progress(p)
		}
	}
	return werr
}

// progress counts the refunds by state.
func (t *Tracker) progress(ctx context.Context, now time.Time) (Progress, error) {
	var p Progress
	var active, final, due sql.NullInt64
	err := t.db.QueryRowContext(ctx, `SELECT COUNT(*),
		SUM(CASE WHEN next_poll_at IS NOT NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN status IN ('succeeded', 'failed') THEN 1 ELSE 0 END),
		SUM(CASE WHEN next_poll_at <= ? THEN 1 ELSE 0 END) FROM refundkit_refund`, micros(now)).Scan(&p.Total, &active, &final, &due)
	if err != nil {
		return p, classify(t.file, fmt.Errorf("track: progress: %w", err))
	}
	p.Active, p.Final, p.Due = int(active.Int64), int(final.Int64), int(due.Int64)
	p.Stopped = p.Total - p.Active - p.Final
	return p, nil
}

// checkClients refuses to run while active refunds of a provider without a
// client would never be polled.
func (t *Tracker) checkClients(ctx context.Context) error {
	rows, err := t.db.QueryContext(ctx, `SELECT DISTINCT provider FROM refundkit_refund WHERE next_poll_at IS NOT NULL`)
	if err != nil {
		return classify(t.file, fmt.Errorf("track: run: %w", err))
	}
	defer func() { _ = rows.Close() }()
	var missing []string
	for rows.Next() {
		var p refundkit.Provider
		if err := rows.Scan(&p); err != nil {
			return err
		}
		if t.clients[p] == nil {
			missing = append(missing, string(p))
		}
	}
	if err := rows.Err(); err != nil {
		return classify(t.file, err)
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return fmt.Errorf("%w: %s has active refunds of %s", ErrNoClient, t.file, strings.Join(missing, ", "))
	}
	return nil
}

// recover prepares the database after a run that ended without stopping
// (a crash, SIGKILL), while this run holds the run lock and so knows no
// other is working:
//
//   - each poll job left running by it is replaced by a new poll due now
//     (the old job, once River's rescuer retries it, is stale and does
//     nothing), so that no refund waits RescueAfter for its poll;
//   - its River leadership claim is dropped, so that this run's River
//     client is elected at once instead of after the claim expires.
func (t *Tracker) recover(ctx context.Context) error {
	res, err := t.river.JobList(ctx, river.NewJobListParams().Kinds(pollArgs{}.Kind()).
		States(rivertype.JobStateRunning).First(10_000))
	if err != nil {
		return classify(t.file, fmt.Errorf("track: recover: %w", err))
	}
	for _, j := range res.Jobs {
		if err := t.replacePoll(ctx, j); err != nil {
			return classify(t.file, fmt.Errorf("track: recover: %w", err))
		}
	}
	if _, err := t.db.ExecContext(ctx, `DELETE FROM river_leader`); err != nil {
		return classify(t.file, fmt.Errorf("track: recover: %w", err))
	}
	return nil
}

// replacePoll schedules a new poll, due now, for the refund of the orphaned
// poll job j, if j is still the refund's current poll.
func (t *Tracker) replacePoll(ctx context.Context, j *rivertype.JobRow) error {
	var args pollArgs
	if err := decodeArgs(j, &args); err != nil {
		return err
	}
	return t.inTx(ctx, func(tx dbTx) error {
		row, err := loadPollRow(ctx, tx, args.Refund)
		if errors.Is(err, sql.ErrNoRows) || err == nil && (row.gen != args.Gen || row.done()) {
			return nil
		}
		if err != nil {
			return err
		}
		now := t.now()
		if _, err := tx.ExecContext(ctx, `UPDATE refundkit_refund SET poll_gen = ?, next_poll_at = ? WHERE id = ?`,
			row.gen+1, micros(now), row.id); err != nil {
			return err
		}
		_, err = t.river.InsertTx(ctx, tx, pollArgs{Refund: row.id, Gen: row.gen + 1}, insertOpts(time.Time{}))
		return err
	})
}
