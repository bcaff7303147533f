package track

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/refundkit/refundkit"
)

// observationColumns are the columns scanObservation reads, in its order.
const observationColumns = `id, observed_at, source, status, provider_status, verified, amount, currency,
	error_category, error_code, duration_us, previous_status, changed, raw`

func scanObservation(s interface{ Scan(...any) error }) (Observation, error) {
	var (
		o                        Observation
		at, dur                  int64
		verified, changed        int
		amount, currency, errCat string
	)
	err := s.Scan(&o.ID, &at, &o.Source, &o.Status, &o.ProviderStatus, &verified, &amount, &currency,
		&errCat, &o.ErrorCode, &dur, &o.PreviousStatus, &changed, &o.Raw)
	o.At, o.Duration = fromMicros(at), time.Duration(dur)*time.Microsecond
	o.Verified, o.Changed = verified != 0, changed != 0
	o.Amount, o.ErrorCategory = money(amount, currency), refundkit.Category(errCat)
	return o, err
}

// history returns refund id's observations, oldest first.
func (t *Tracker) history(ctx context.Context, id int64) ([]Observation, error) {
	rows, err := t.db.QueryContext(ctx, `SELECT `+observationColumns+` FROM refundkit_observation WHERE refund = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	var out []Observation
	for rows.Next() {
		o, err := scanObservation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// newObservation turns one inquiry's outcome into an observation.
func newObservation(at time.Time, src Source, res *refundkit.Result, err error, dur time.Duration, keepRaw int) Observation {
	o := Observation{At: at, Source: src, Duration: dur}
	var raw []byte
	if err != nil {
		o.ErrorCategory = refundkit.CategoryOf(err)
		if o.ErrorCategory == "" {
			o.ErrorCategory = refundkit.CategoryTemporary // not from a refundkit client: assume it may heal
		}
		var e *refundkit.Error
		if errors.As(err, &e) {
			o.ErrorCode, raw = e.Code, e.Body
		}
	} else {
		o.Status, o.ProviderStatus, o.Amount, o.Verified, raw = res.Status, res.ProviderStatus, res.Amount, res.Verified, res.Raw
	}
	if keepRaw > 0 && len(raw) > 0 {
		o.Raw = append([]byte(nil), raw[:min(len(raw), keepRaw)]...)
	}
	return o
}

// insertObservation stores o for refund id inside tx and sets o.ID.
func insertObservation(ctx context.Context, tx dbTx, id int64, o *Observation) error {
	var amount, currency string
	if o.Amount != nil {
		amount, currency = o.Amount.Value(), o.Amount.Currency()
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO refundkit_observation
		(refund, observed_at, source, status, provider_status, verified, amount, currency,
		 error_category, error_code, duration_us, previous_status, changed, raw)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		id, micros(o.At), o.Source, o.Status, o.ProviderStatus, boolInt(o.Verified), amount, currency,
		o.ErrorCategory, o.ErrorCode, o.Duration.Microseconds(), o.PreviousStatus, boolInt(o.Changed), o.Raw).Scan(&o.ID)
	if err != nil {
		return fmt.Errorf("record observation: %w", err)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
