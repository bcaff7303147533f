package track

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/refundkit/refundkit"
)

// AddResult counts what Add did.
type AddResult struct {
	Added int // new refunds, each with its first poll scheduled now
	Known int // refunds already tracked, left as they were
}

// Add starts tracking refunds, all in one transaction: either every new
// refund is stored with its first poll scheduled (due at once), or, on any
// error, none is. A refund already tracked (same provider, refund id and
// provider refund id) is left exactly as it is. Every ref is checked before
// anything is written; an invalid one is an ErrInvalidRef error naming it.
func (t *Tracker) Add(ctx context.Context, refs ...Ref) (AddResult, error) {
	var res AddResult
	for i, r := range refs {
		if err := r.validate(); err != nil {
			return res, fmt.Errorf("refund %d: %w", i+1, err)
		}
	}
	now := t.now()
	err := t.inTx(ctx, func(tx dbTx) error {
		res = AddResult{}
		jobs := make([]river.InsertManyParams, 0, min(len(refs), 1000))
		for _, r := range refs {
			var id int64
			err := tx.QueryRowContext(ctx, addRefundSQL, r.Provider, r.RefundID, r.ProviderRefundID, r.RefundRequestID, micros(now), micros(now)).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				res.Known++
				continue
			}
			if err != nil {
				return fmt.Errorf("add %s: %w", r, err)
			}
			res.Added++
			jobs = append(jobs, river.InsertManyParams{Args: pollArgs{Refund: id, Gen: 1}, InsertOpts: insertOpts(time.Time{})})
			if len(jobs) == cap(jobs) {
				if _, err := t.river.InsertManyTx(ctx, tx, jobs); err != nil {
					return err
				}
				jobs = jobs[:0]
			}
		}
		if len(jobs) > 0 {
			_, err := t.river.InsertManyTx(ctx, tx, jobs)
			return err
		}
		return nil
	})
	if err != nil {
		return AddResult{}, fmt.Errorf("track: add: %w", err)
	}
	return res, nil
}

// addRefundSQL stores one new refund, returning its id; no row when it is
// already tracked.
const addRefundSQL = `INSERT INTO refundkit_refund
	(provider, refund_id, provider_refund_id, refund_request_id, added_at, next_poll_at, poll_gen)
	VALUES (?, ?, ?, ?, ?, ?, 1)
	ON CONFLICT (provider, refund_id, provider_refund_id) DO NOTHING RETURNING id`

// refundColumns are the columns scanRefund reads, in its order.
const refundColumns = `id, provider, refund_id, provider_refund_id, refund_request_id, status, provider_status,
	amount, currency, verified, attempts, last_error, added_at, first_seen_at, last_seen_at, next_poll_at,
	final_at, stop_reason`

// scanRefund reads one row of refundColumns.
func scanRefund(s interface{ Scan(...any) error }) (int64, *Refund, error) {
	var (
		id                                 int64
		r                                  Refund
		amount, currency, lastErr          string
		verified                           int
		added                              int64
		firstSeen, lastSeen, next, finalAt sql.NullInt64
	)
	err := s.Scan(&id, &r.Provider, &r.RefundID, &r.ProviderRefundID, &r.RefundRequestID, &r.Status, &r.ProviderStatus,
		&amount, &currency, &verified, &r.Attempts, &lastErr, &added, &firstSeen, &lastSeen, &next, &finalAt, &r.StopReason)
	if err != nil {
		return 0, nil, err
	}
	r.Amount = money(amount, currency)
	r.Verified = verified != 0
	r.LastError = refundkit.Category(lastErr)
	r.AddedAt, r.FirstSeen, r.LastSeen = fromMicros(added), nullTime(firstSeen), nullTime(lastSeen)
	r.NextPoll, r.FinalAt = nullTime(next), nullTime(finalAt)
	return id, &r, nil
}

// Get returns a tracked refund with its full history, oldest observation
// first; ErrNotTracked when the database does not hold it.
func (t *Tracker) Get(ctx context.Context, ref Ref) (*Refund, error) {
	row := t.db.QueryRowContext(ctx, `SELECT `+refundColumns+` FROM refundkit_refund
		WHERE provider = ? AND refund_id = ? AND provider_refund_id = ?`, ref.Provider, ref.RefundID, ref.ProviderRefundID)
	id, r, err := scanRefund(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s", ErrNotTracked, ref)
	}
	if err != nil {
		return nil, classify(t.file, fmt.Errorf("track: get %s: %w", ref, err))
	}
	if r.History, err = t.history(ctx, id); err != nil {
		return nil, classify(t.file, fmt.Errorf("track: get %s: %w", ref, err))
	}
	return r, nil
}

// Filter selects refunds for List and Each. Zero fields select everything.
type Filter struct {
	Provider refundkit.Provider
	// Status selects by the latest answer's status; use the Status
	// constants, or NotAsked for refunds with no answer yet.
	Status refundkit.Status
	State  State
	// DueBy selects active refunds whose next poll is due at or before it.
	DueBy time.Time
	// Limit caps the rows returned; 0 means no limit.
	Limit int
}

// NotAsked is the Filter.Status of refunds that have no answer yet.
const NotAsked refundkit.Status = "-"

// where renders the filter as an SQL condition and its arguments.
func (f Filter) where() (string, []any) {
	conds, args := []string{"1 = 1"}, []any{}
	if f.Provider != "" {
		conds, args = append(conds, "provider = ?"), append(args, f.Provider)
	}
	switch f.Status {
	case "":
	case NotAsked:
		conds = append(conds, "status = ''")
	default:
		conds, args = append(conds, "status = ?"), append(args, f.Status)
	}
	if f.State != "" {
		conds = append(conds, stateSQL+" = ?")
		args = append(args, f.State)
	}
	if !f.DueBy.IsZero() {
		conds, args = append(conds, "next_poll_at <= ?"), append(args, micros(f.DueBy))
	}
	return strings.Join(conds, " AND "), args
}

// stateSQL computes a refund's State in SQL.
const stateSQL = `(CASE WHEN status IN ('succeeded', 'failed') THEN 'final' WHEN stop_reason <> '' THEN 'stopped' ELSE 'active' END)`

// Each calls fn for every refund the filter selects, in the order they were
// added, without their history, holding only one at a time. fn must not call
// the Tracker: the database connection is busy until Each returns.
func (t *Tracker) Each(ctx context.Context, f Filter, fn func(*Refund) error) error {
	cond, args := f.where()
	q := `SELECT ` + refundColumns + ` FROM refundkit_refund WHERE ` + cond + ` ORDER BY id`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := t.db.QueryContext(ctx, q, args...)
	if err != nil {
		return classify(t.file, fmt.Errorf("track: list: %w", err))
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		_, r, err := scanRefund(rows)
		if err != nil {
			return fmt.Errorf("track: list: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return classify(t.file, rows.Err())
}

// List returns the refunds the filter selects, in the order they were
// added, without their history. Use Each for many.
func (t *Tracker) List(ctx context.Context, f Filter) ([]*Refund, error) {
	var out []*Refund
	err := t.Each(ctx, f, func(r *Refund) error { out = append(out, r); return nil })
	return out, err
}

// Count is how many refunds of one provider are in one state and status.
type Count struct {
	Provider refundkit.Provider
	State    State
	Status   refundkit.Status // "" for refunds not answered yet
	N        int
}

// Counts counts the refunds the filter selects by provider, state and
// status (Limit is ignored).
func (t *Tracker) Counts(ctx context.Context, f Filter) ([]Count, error) {
	cond, args := f.where()
	rows, err := t.db.QueryContext(ctx, `SELECT provider, `+stateSQL+`, status, COUNT(*) FROM refundkit_refund
		WHERE `+cond+` GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, args...)
	if err != nil {
		return nil, classify(t.file, fmt.Errorf("track: count: %w", err))
	}
	defer func() { _ = rows.Close() }()
	var out []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Provider, &c.State, &c.Status, &c.N); err != nil {
			return nil, fmt.Errorf("track: count: %w", err)
		}
		out = append(out, c)
	}
	return out, classify(t.file, rows.Err())
}

func micros(t time.Time) int64      { return t.UnixMicro() }
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// nullMicros stores a zero time as NULL.
func nullMicros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return micros(t)
}

func nullTime(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return fromMicros(n.Int64)
}

// money rebuilds a stored amount; nil when none was stored (or, which the
// tracker never writes, one that does not parse).
func money(value, currency string) *refundkit.Money {
	if value == "" {
		return nil
	}
	m, err := refundkit.ParseMoney(value, currency)
	if err != nil {
		return nil
	}
	return &m
}
