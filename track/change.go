package track

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/riverqueue/river"
)

// changeWorker delivers one committed status change to Options.OnChange.
// River retries it when the hook fails, and after a crash: delivery is at
// least once.
type changeWorker struct {
	river.WorkerDefaults[changeArgs]
	t *Tracker
}

// Work loads the change and calls the hook.
func (w *changeWorker) Work(ctx context.Context, job *river.Job[changeArgs]) error {
	hook := w.t.opts.OnChange
	if hook == nil {
		return nil // recorded by a tracker with a hook, worked by one without
	}
	c, err := w.t.change(ctx, job.Args.Observation)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return classify(w.t.file, err)
	}
	if err := hook(ctx, c); err != nil {
		return fmt.Errorf("track: change hook for change %d: %w", c.ID, err)
	}
	return nil
}

// change loads the change that observation id made.
func (t *Tracker) change(ctx context.Context, id int64) (Change, error) {
	var c Change
	var refund int64
	row := t.db.QueryRowContext(ctx, `SELECT refund, `+observationColumns+` FROM refundkit_observation WHERE id = ?`, id)
	o, err := scanObservation(scanFunc(func(dest ...any) error { return row.Scan(append([]any{&refund}, dest...)...) }))
	if err != nil {
		return c, err
	}
	err = t.db.QueryRowContext(ctx, `SELECT provider, refund_id, provider_refund_id, refund_request_id FROM refundkit_refund WHERE id = ?`, refund).
		Scan(&c.Ref.Provider, &c.Ref.RefundID, &c.Ref.ProviderRefundID, &c.Ref.RefundRequestID)
	c.ID, c.From, c.To, c.Observation = o.ID, o.PreviousStatus, o.Status, o
	return c, err
}

// scanFunc adapts a function to the Scan interface.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }
