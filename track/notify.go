package track

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/refundkit/refundkit"
)

// RecordNotification records a provider's push notification about a
// tracked refund, as an observation with source notification, and, unless
// the refund is already final, schedules an immediate confirming poll that
// replaces whatever poll was scheduled (any stop is lifted for that poll:
// the notification is new evidence). Both happen in one transaction. A
// burst of notifications schedules one poll: while a poll is due and not
// yet recorded, a further notification only adds its observation.
//
// A notification never changes the refund's status by itself [assumed]:
// the confirming inquiry does, so that a status is only ever taken from an
// answer the tracker asked for. res should be the verified notification in
// the shared vocabulary; its raw body is kept only under Options.KeepRaw.
// An untracked refund is ErrNotTracked.
func (t *Tracker) RecordNotification(ctx context.Context, ref Ref, res refundkit.Result) error {
	return t.recordNotification(ctx, ref, res, false)
}

// AddNotified is RecordNotification for a refund that may not be tracked
// yet: an untracked one is added, with the notification as its first
// observation and its first poll scheduled at once, in one transaction.
// (Add, then RecordNotification, would let a worker's first poll run, and
// be recorded, between the two.) A tracked one is as RecordNotification.
func (t *Tracker) AddNotified(ctx context.Context, ref Ref, res refundkit.Result) error {
	return t.recordNotification(ctx, ref, res, true)
}

func (t *Tracker) recordNotification(ctx context.Context, ref Ref, res refundkit.Result, add bool) error {
	if err := ref.validate(); err != nil {
		return err
	}
	now := t.now()
	obs := newObservation(now, SourceNotification, &res, nil, 0, t.opts.KeepRaw)
	err := t.inTx(ctx, func(tx dbTx) error {
		id, added, err := notifiedRefund(ctx, tx, ref, now, add)
		if err != nil {
			return err
		}
		if added { // new: its first poll, due now, is the confirming poll
			if err := insertObservation(ctx, tx, id, &obs); err != nil {
				return err
			}
			_, err = t.river.InsertTx(ctx, tx, pollArgs{Refund: id, Gen: 1}, insertOpts(time.Time{}))
			return err
		}
		return t.notifyTracked(ctx, tx, id, &obs, now)
	})
	if err != nil {
		return fmt.Errorf("track: record notification for %s: %w", ref, err)
	}
	return nil
}

// notifiedRefund finds ref's id; with add, an untracked ref is added
// (added is then true). Without add, an untracked ref is ErrNotTracked.
func notifiedRefund(ctx context.Context, tx dbTx, ref Ref, now time.Time, add bool) (id int64, added bool, err error) {
	for range 2 { // a refund added by another transaction between the two statements is found the second time
		err = tx.QueryRowContext(ctx, `SELECT id FROM refundkit_refund WHERE provider = ? AND refund_id = ? AND provider_refund_id = ?`,
			ref.Provider, ref.RefundID, ref.ProviderRefundID).Scan(&id)
		if !errors.Is(err, sql.ErrNoRows) {
			return id, false, err
		}
		if !add {
			return 0, false, fmt.Errorf("%w: %s", ErrNotTracked, ref)
		}
		err = tx.QueryRowContext(ctx, addRefundSQL, ref.Provider, ref.RefundID, ref.ProviderRefundID, ref.RefundRequestID, micros(now), micros(now)).Scan(&id)
		if !errors.Is(err, sql.ErrNoRows) {
			return id, err == nil, err
		}
	}
	return 0, false, fmt.Errorf("%w: %s (added and gone)", ErrNotTracked, ref)
}

// notifyTracked records obs for tracked refund id and, unless the refund
// is final or a poll is due already, schedules the confirming poll.
func (t *Tracker) notifyTracked(ctx context.Context, tx dbTx, id int64, obs *Observation, now time.Time) error {
	if err := lockRefund(ctx, tx, id); err != nil {
		return err
	}
	row, err := loadPollRow(ctx, tx, id)
	if err != nil {
		return err
	}
	obs.PreviousStatus = row.status
	if err := insertObservation(ctx, tx, id, obs); err != nil {
		return err
	}
	if row.status.Final() {
		return nil
	}
	// The clock is read again under the lock: another notification's
	// poll, scheduled while this one waited, is due by now.
	if due, err := pollDue(ctx, tx, id, t.now()); err != nil || due && row.stopReason == "" {
		return err // a poll is due already: it is the confirming poll
	}
	row.gen++
	if _, err := tx.ExecContext(ctx, `UPDATE refundkit_refund SET poll_gen = ?, next_poll_at = ?, stop_reason = '',
		last_seen_at = ?, first_seen_at = COALESCE(first_seen_at, ?) WHERE id = ?`,
		row.gen, micros(now), micros(now), micros(now), id); err != nil {
		return err
	}
	_, err = t.river.InsertTx(ctx, tx, pollArgs{Refund: id, Gen: row.gen}, insertOpts(time.Time{}))
	return err
}

// lockRefund takes refund id's row lock for the rest of the transaction,
// before its row is read: PostgreSQL's default isolation lets two
// transactions read the same poll generation and both schedule (or record)
// the same poll otherwise. SQLite writes one transaction at a time; the
// statement makes it a writer at once. A no-op UPDATE is the lock both
// dialects share (SQLite has no SELECT ... FOR UPDATE).
func lockRefund(ctx context.Context, tx dbTx, id int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE refundkit_refund SET poll_gen = poll_gen WHERE id = ?`, id)
	return err
}

// pollDue reports whether refund id's next poll is due at now.
func pollDue(ctx context.Context, tx dbTx, id int64, now time.Time) (bool, error) {
	var next sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT next_poll_at FROM refundkit_refund WHERE id = ?`, id).Scan(&next)
	return next.Valid && next.Int64 <= micros(now), err
}
