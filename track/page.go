package track

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// MaxPage is the most refunds one Page returns.
const MaxPage = 1000

// Page returns up to limit refunds the filter selects (Filter.Limit is
// ignored), in the order they were added, starting after cursor ("" for
// the first page), without their history. next is the cursor of the
// following page, "" after the last one. A cursor is opaque; one that is
// not from Page is an ErrInvalidCursor error.
func (t *Tracker) Page(ctx context.Context, f Filter, cursor string, limit int) (refunds []*Refund, next string, err error) {
	var after int64
	if cursor != "" {
		if after, err = strconv.ParseInt(cursor, 36, 64); err != nil || after < 0 {
			return nil, "", fmt.Errorf("%w: %q", ErrInvalidCursor, cursor)
		}
	}
	limit = min(max(limit, 1), MaxPage)
	cond, args := f.where()
	q := `SELECT ` + refundColumns + ` FROM refundkit_refund WHERE ` + cond + ` AND id > ? ORDER BY id LIMIT ?`
	rows, err := t.db.QueryContext(ctx, q, append(args, after, limit+1)...)
	if err != nil {
		return nil, "", classify(t.file, fmt.Errorf("track: list: %w", err))
	}
	defer func() { _ = rows.Close() }()
	var last int64
	for rows.Next() {
		id, r, err := scanRefund(rows)
		if err != nil {
			return nil, "", fmt.Errorf("track: list: %w", err)
		}
		if len(refunds) == limit {
			next = strconv.FormatInt(last, 36)
			break
		}
		refunds, last = append(refunds, r), id
	}
	return refunds, next, classify(t.file, rows.Err())
}

// Ping checks that the database answers.
func (t *Tracker) Ping(ctx context.Context) error {
	return classify(t.file, t.db.PingContext(ctx))
}

// Backlog is what the queue holds, for monitoring.
type Backlog struct {
	// Jobs counts the River jobs of the tracker by state (available,
	// running, scheduled, retryable, ...); finished jobs are dropped soon
	// after they complete.
	Jobs map[string]int
	// Due counts active refunds, by provider, whose next poll is due;
	// Overdue those due since longer than the overdue threshold.
	Due, Overdue map[string]int
}

// Backlog counts the queue's jobs and the refunds due, as of now, and those
// due for longer than overdue.
func (t *Tracker) Backlog(ctx context.Context, now time.Time, overdue time.Duration) (Backlog, error) {
	b := Backlog{Jobs: map[string]int{}, Due: map[string]int{}, Overdue: map[string]int{}}
	err := t.countInto(ctx, b.Jobs, `SELECT state, COUNT(*) FROM river_job WHERE queue = ? GROUP BY state`, queue)
	if err == nil {
		err = t.countInto(ctx, b.Due, `SELECT provider, COUNT(*) FROM refundkit_refund WHERE next_poll_at <= ? GROUP BY provider`, micros(now))
	}
	if err == nil {
		err = t.countInto(ctx, b.Overdue, `SELECT provider, COUNT(*) FROM refundkit_refund WHERE next_poll_at <= ? GROUP BY provider`,
			micros(now.Add(-overdue)))
	}
	if err != nil {
		return Backlog{}, classify(t.file, fmt.Errorf("track: backlog: %w", err))
	}
	return b, nil
}

// countInto runs a "SELECT key, COUNT(*) ... GROUP BY key" query into m.
func (t *Tracker) countInto(ctx context.Context, m map[string]int, q string, args ...any) error {
	rows, err := t.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		m[k] = n
	}
	return rows.Err()
}
