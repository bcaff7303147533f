package track

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertest"
	"github.com/riverqueue/river/rivertype"
)

// Hooks for package track_test: they drive River's jobs by hand, as River's
// own fetch and executor would, so that a test can run one job twice at
// once (a rescued copy beside its original).

// PollJobArgs is a poll job's arguments: the refund's row id and the poll
// generation the job was scheduled for.
type PollJobArgs = pollArgs

// PollJobs returns every poll job on t's database, in the given states
// (every state when none), oldest first, with their arguments.
func PollJobs(ctx context.Context, t *Tracker, states ...rivertype.JobState) ([]*rivertype.JobRow, []PollJobArgs, error) {
	p := river.NewJobListParams().Kinds(pollArgs{}.Kind()).First(10_000)
	if len(states) > 0 {
		p = p.States(states...)
	}
	res, err := t.river.JobList(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	args := make([]PollJobArgs, len(res.Jobs))
	for i, j := range res.Jobs {
		if err := decodeArgs(j, &args[i]); err != nil {
			return nil, nil, err
		}
	}
	return res.Jobs, args, nil
}

// MarkRunning sets job to running in the database, as River's fetch does
// when a worker takes it, and returns it so.
func MarkRunning(ctx context.Context, t *Tracker, job *rivertype.JobRow) (*rivertype.JobRow, error) {
	if _, err := t.db.ExecContext(ctx, `UPDATE river_job SET state = 'running', attempt = attempt + 1 WHERE id = ?`, job.ID); err != nil {
		return nil, err
	}
	j := *job
	j.State, j.Attempt = rivertype.JobStateRunning, job.Attempt+1
	return &j, nil
}

// WorkPoll runs t's poll worker on job, with t's River client in the
// context, as River's executor runs it.
func WorkPoll(ctx context.Context, t *Tracker, job *rivertype.JobRow) error {
	var args pollArgs
	if err := decodeArgs(job, &args); err != nil {
		return err
	}
	switch q := t.river.(type) {
	case riverQueue[pgx.Tx, *riverpgxv5.Driver]:
		ctx = rivertest.WorkContext(ctx, q.Client)
	case riverQueue[*sql.Tx, *riversqlite.Driver]:
		ctx = rivertest.WorkContext(ctx, q.Client)
	default:
		return fmt.Errorf("track: unknown queue %T", t.river)
	}
	return (&pollWorker{t: t}).Work(ctx, &river.Job[pollArgs]{JobRow: job, Args: args})
}
