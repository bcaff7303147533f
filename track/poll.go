package track

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/refundkit/refundkit"
)

// pollRow is what a poll reads and rewrites of a refund's row.
type pollRow struct {
	id                          int64
	ref                         Ref
	status                      refundkit.Status
	providerStatus              string
	amount, currency            string
	verified                    bool
	attempts, answers, notFound int
	errorsInRow                 int
	lastError                   refundkit.Category
	addedAt                     time.Time
	firstSeen                   sql.NullInt64
	stopReason                  string
	gen                         int64
}

// done reports whether the refund needs no more polls.
func (r *pollRow) done() bool { return r.status.Final() || r.stopReason != "" }

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) row
}

func loadPollRow(ctx context.Context, q querier, id int64) (*pollRow, error) {
	r := &pollRow{id: id}
	var verified int
	var added int64
	err := q.QueryRowContext(ctx, `SELECT provider, refund_id, provider_refund_id, refund_request_id, status, provider_status,
		amount, currency, verified, attempts, answers, not_found, errors_in_row, last_error, added_at, first_seen_at,
		stop_reason, poll_gen FROM refundkit_refund WHERE id = ?`, id).Scan(
		&r.ref.Provider, &r.ref.RefundID, &r.ref.ProviderRefundID, &r.ref.RefundRequestID, &r.status, &r.providerStatus,
		&r.amount, &r.currency, &verified, &r.attempts, &r.answers, &r.notFound, &r.errorsInRow, &r.lastError, &added, &r.firstSeen,
		&r.stopReason, &r.gen)
	r.verified, r.addedAt = verified != 0, fromMicros(added)
	return r, err
}

// pollWorker works poll jobs: one inquiry, then one transaction that
// records it, schedules the next poll and completes the job.
type pollWorker struct {
	river.WorkerDefaults[pollArgs]
	t *Tracker
}

// Work polls the refund the job names, unless the job is stale (the
// refund's generation moved on, or it needs no more polls).
func (w *pollWorker) Work(ctx context.Context, job *river.Job[pollArgs]) error {
	t := w.t
	row, err := loadPollRow(ctx, t.db, job.Args.Refund)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (row.gen != job.Args.Gen || row.done()) {
		return nil // nothing to do: River marks the job completed
	}
	if err != nil {
		return classify(t.file, err)
	}
	client := t.clients[row.ref.Provider]
	if client == nil {
		return river.JobSnooze(time.Minute) // Run refuses to start without every provider's client
	}
	if err := t.waitTurn(ctx, row.ref.Provider); err != nil {
		return err // stopping, or the database failed: the job is retried
	}
	start := time.Now()
	res, ierr := client.Inquire(ctx, row.ref.Query())
	dur := time.Since(start)
	if errors.Is(ctx.Err(), context.Canceled) {
		return ctx.Err() // stopping: the job is retried, nothing was recorded
	}
	obs := newObservation(t.now(), SourceInquiry, res, ierr, dur, t.opts.KeepRaw)
	var retryAfter time.Duration
	if e := (*refundkit.Error)(nil); errors.As(ierr, &e) {
		retryAfter = e.RetryAfter
	}
	// The job's own deadline may have passed during the inquiry (which then
	// failed as temporary): record that all the same.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := t.inTx(wctx, func(tx dbTx) error { return t.recordPoll(wctx, tx, job, &obs, retryAfter) }); err != nil {
		return err
	}
	t.notePolled()
	return nil
}

// recordPoll writes one poll's observation and its consequences inside tx,
// and completes the job in the same transaction.
func (t *Tracker) recordPoll(ctx context.Context, tx dbTx, job *river.Job[pollArgs], obs *Observation, retryAfter time.Duration) error {
	// Lock the row before reading its generation: should River run a rescued
	// copy of this job beside a slow original (PostgreSQL, a short
	// RescueAfter), the second to commit sees the generation the first moved
	// on and records nothing, instead of recording the same poll twice.
	if err := lockRefund(ctx, tx, job.Args.Refund); err != nil {
		return err
	}
	row, err := loadPollRow(ctx, tx, job.Args.Refund)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (row.gen != job.Args.Gen || row.done()) {
		return t.river.completeTx(ctx, tx, job) // superseded while the inquiry ran
	}
	if err != nil {
		return err
	}
	pr := progress{addedAt: row.addedAt, answers: row.answers, notFound: row.notFound}
	row.attempts++
	row.lastError = obs.ErrorCategory
	switch obs.ErrorCategory {
	case "":
		obs.PreviousStatus, obs.Changed = row.status, obs.Status != row.status
		row.status, row.providerStatus, row.verified = obs.Status, obs.ProviderStatus, obs.Verified
		row.amount, row.currency = "", ""
		if obs.Amount != nil {
			row.amount, row.currency = obs.Amount.Value(), obs.Amount.Currency()
		}
		row.answers++
		row.errorsInRow = 0
	case refundkit.CategoryNotFound:
		row.notFound++
		row.errorsInRow = 0
	default:
		row.errorsInRow++
		pr.errorsInRow = row.errorsInRow
	}
	d := t.policyFor(row.ref.Provider).decide(obs.At, pr, obs.Status, obs.ErrorCategory, retryAfter)
	if err := insertObservation(ctx, tx, row.id, obs); err != nil {
		return err
	}
	row.stopReason = d.stop
	if !d.next.IsZero() {
		row.gen++
		if _, err := t.river.InsertTx(ctx, tx, pollArgs{Refund: row.id, Gen: row.gen}, insertOpts(d.next)); err != nil {
			return err
		}
	}
	var finalAt time.Time
	if d.final {
		finalAt = obs.At
	}
	if err := updateAfterPoll(ctx, tx, row, obs.At, d.next, finalAt); err != nil {
		return err
	}
	if obs.Changed && t.opts.OnChange != nil {
		if _, err := t.river.InsertTx(ctx, tx, changeArgs{Observation: obs.ID}, insertOpts(time.Time{})); err != nil {
			return err
		}
	}
	return t.river.completeTx(ctx, tx, job)
}

// updateAfterPoll writes row back after a poll observed at at.
func updateAfterPoll(ctx context.Context, tx dbTx, row *pollRow, at, next, finalAt time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE refundkit_refund SET status = ?, provider_status = ?, amount = ?, currency = ?,
		verified = ?, attempts = ?, answers = ?, not_found = ?, errors_in_row = ?, last_error = ?,
		first_seen_at = COALESCE(first_seen_at, ?), last_seen_at = ?, next_poll_at = ?, final_at = ?,
		stop_reason = ?, poll_gen = ? WHERE id = ?`,
		row.status, row.providerStatus, row.amount, row.currency, boolInt(row.verified), row.attempts, row.answers,
		row.notFound, row.errorsInRow, row.lastError, micros(at), micros(at), nullMicros(next), nullMicros(finalAt),
		row.stopReason, row.gen, row.id)
	return err
}
