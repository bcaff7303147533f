package main

import (
	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/track"
)

// refundJSON is a refund in the JSON of track status and track show.
type refundJSON struct {
	Provider         string            `json:"provider"`
	RefundID         string            `json:"refund_id"`
	ProviderRefundID string            `json:"provider_refund_id,omitempty"`
	State            string            `json:"state"`
	Status           string            `json:"status"`
	ProviderStatus   string            `json:"provider_status"`
	Amount           *refundkit.Money  `json:"amount"`
	Verified         bool              `json:"verified"`
	Attempts         int               `json:"attempts"`
	AddedAt          string            `json:"added_at"`
	NextPoll         string            `json:"next_poll_at,omitempty"`
	FinalAt          string            `json:"final_at,omitempty"`
	StopReason       string            `json:"stop_reason,omitempty"`
	History          []observationJSON `json:"history,omitempty"`
}

// observationJSON is one observation in a refundJSON's history.
type observationJSON struct {
	ID             int64            `json:"id"`
	At             string           `json:"at"`
	Source         string           `json:"source"`
	Status         string           `json:"status,omitempty"`
	ProviderStatus string           `json:"provider_status,omitempty"`
	Amount         *refundkit.Money `json:"amount,omitempty"`
	Verified       bool             `json:"verified"`
	ErrorCategory  string           `json:"error_category,omitempty"`
	ErrorCode      string           `json:"error_code,omitempty"`
	DurationMS     float64          `json:"duration_ms"`
	Changed        bool             `json:"changed"`
	PreviousStatus string           `json:"previous_status,omitempty"`
}

// toRefundJSON is r, with its history, in its JSON form.
func toRefundJSON(r *track.Refund) refundJSON {
	j := refundJSON{Provider: string(r.Provider), RefundID: r.RefundID, ProviderRefundID: r.ProviderRefundID, State: string(r.State()),
		Status: string(r.Status), ProviderStatus: r.ProviderStatus, Amount: r.Amount, Verified: r.Verified, Attempts: r.Attempts,
		AddedAt: rfc3339(r.AddedAt), NextPoll: rfc3339(r.NextPoll), FinalAt: rfc3339(r.FinalAt), StopReason: r.StopReason}
	for _, o := range r.History {
		j.History = append(j.History, observationJSON{ID: o.ID, At: rfc3339(o.At), Source: string(o.Source), Status: string(o.Status),
			ProviderStatus: o.ProviderStatus, Amount: o.Amount, Verified: o.Verified, ErrorCategory: string(o.ErrorCategory),
			ErrorCode: o.ErrorCode, DurationMS: float64(o.Duration.Microseconds()) / 1000, Changed: o.Changed, PreviousStatus: string(o.PreviousStatus)})
	}
	return j
}
