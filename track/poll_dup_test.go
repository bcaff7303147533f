package track_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/track"
)

// Should River run a rescued copy of a poll job beside its original (two
// workers, here two trackers on one database, working the same running
// job for the same generation), the poll is recorded once: one
// observation, one next poll.
//
// On PostgreSQL the test holds the job's row, so that the first copy to
// record waits at completing the job with its transaction open, and lets
// it go only once the second copy waits too: the second must then read the
// refund's generation after the first commits. Without the row lock that
// recordPoll takes first, the second reads the old generation and records
// the poll again. On SQLite, transactions are IMMEDIATE, so the second
// copy's transaction cannot begin before the first commits: the same
// outcome is checked there.
func TestRescuedPollRecordedOnce(t *testing.T) { eachDB(t, testRescuedPollRecordedOnce) }

func testRescuedPollRecordedOnce(t *testing.T, db backend) {
	s := newSims(t, refundkit.PayerMax)
	require.NoError(t, s.sim[refundkit.PayerMax].Seed(
		simulator.Refund{RefundID: "P-dup", Status: "REFUND_PENDING", Amount: "10.50", Currency: "USD"}))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dsn := db.dsn(t)
	opts := track.Options{Inquirers: s.clients, Policy: fastPolicy}
	workers := []*track.Tracker{openDSN(t, dsn, opts), openDSN(t, dsn, opts)}
	ref := track.Ref{Provider: refundkit.PayerMax, RefundID: "P-dup"}
	_, err := workers[0].Add(ctx, ref)
	require.NoError(t, err)
	jobs, args, err := track.PollJobs(ctx, workers[0])
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	job, err := track.MarkRunning(ctx, workers[0], jobs[0])
	require.NoError(t, err)

	release := holdJob(ctx, t, db, dsn, job.ID)
	errs := make(chan error, len(workers))
	for _, w := range workers {
		go func() { errs <- track.WorkPoll(ctx, w, job) }()
	}
	release()
	for range workers {
		require.NoError(t, <-errs)
	}

	got, err := workers[0].Get(ctx, ref)
	require.NoError(t, err)
	require.Len(t, got.History, 1, "the poll was recorded twice")
	require.Equal(t, refundkit.StatusPending, got.Status)
	_, next, err := track.PollJobs(ctx, workers[0], rivertype.JobStateAvailable, rivertype.JobStateScheduled)
	require.NoError(t, err)
	require.Equal(t, []track.PollJobArgs{{Refund: args[0].Refund, Gen: args[0].Gen + 1}}, next,
		"want exactly one next poll")
}

// openDSN opens a tracker on the existing database dsn.
func openDSN(t *testing.T, dsn string, opts track.Options) *track.Tracker {
	t.Helper()
	tr, err := track.Open(context.Background(), dsn, opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tr.Close() })
	return tr
}

// holdJob, on PostgreSQL, locks River's row of job id in a transaction of
// its own, and returns a function that waits until two other sessions wait
// for a lock, then releases it. On SQLite it holds nothing.
func holdJob(ctx context.Context, t *testing.T, db backend, dsn string, id int64) (release func()) {
	t.Helper()
	if db.name != "postgres" {
		return func() {}
	}
	hold, watch := pgConn(ctx, t, dsn), pgConn(ctx, t, dsn)
	tx, err := hold.Begin(ctx)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, `SELECT id FROM river_job WHERE id = $1 FOR UPDATE`, id)
	require.NoError(t, err)
	return func() {
		defer func() { require.NoError(t, tx.Rollback(ctx)) }()
		var waiting int
		for waiting < 2 {
			require.NoError(t, ctx.Err(), "the two copies never both waited: %d waiting", waiting)
			time.Sleep(5 * time.Millisecond)
			require.NoError(t, watch.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting))
		}
	}
}

// pgConn connects to dsn, closed when the test ends.
func pgConn(ctx context.Context, t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}
