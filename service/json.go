package service

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/track"
)

// refundInput is one refund to add (RefundInput in the spec).
type refundInput struct {
	Provider         refundkit.Provider `json:"provider"`
	RefundID         string             `json:"refund_id,omitempty"`
	ProviderRefundID string             `json:"provider_refund_id,omitempty"`
	RefundRequestID  string             `json:"refund_request_id,omitempty"`
}

// addRequest is one refund, or a batch (RefundInput or RefundBatch): the
// fields of both, told apart by whether "refunds" is present.
type addRequest struct {
	refundInput
	Refunds *[]refundInput `json:"refunds,omitempty"`
}

type addResult struct {
	Added int `json:"added"`
	Known int `json:"known"`
}

type moneyJSON struct {
	Value    string `json:"value"`
	Currency string `json:"currency"`
}

type refundJSON struct {
	Provider         refundkit.Provider `json:"provider"`
	RefundID         string             `json:"refund_id"`
	ProviderRefundID string             `json:"provider_refund_id,omitempty"`
	RefundRequestID  string             `json:"refund_request_id,omitempty"`
	State            track.State        `json:"state"`
	Status           refundkit.Status   `json:"status"`
	ProviderStatus   string             `json:"provider_status,omitempty"`
	Amount           *moneyJSON         `json:"amount"`
	Verified         bool               `json:"verified"`
	Attempts         int                `json:"attempts"`
	LastError        refundkit.Category `json:"last_error,omitempty"`
	StopReason       string             `json:"stop_reason,omitempty"`
	AddedAt          time.Time          `json:"added_at"`
	FirstSeen        *time.Time         `json:"first_seen"`
	LastSeen         *time.Time         `json:"last_seen"`
	NextPoll         *time.Time         `json:"next_poll"`
	FinalAt          *time.Time         `json:"final_at"`
	History          []observationJSON  `json:"history,omitempty"`
}

type observationJSON struct {
	ID             int64              `json:"id"`
	At             time.Time          `json:"at"`
	Source         track.Source       `json:"source"`
	Status         refundkit.Status   `json:"status"`
	ProviderStatus string             `json:"provider_status,omitempty"`
	Amount         *moneyJSON         `json:"amount"`
	Verified       bool               `json:"verified"`
	ErrorCategory  refundkit.Category `json:"error_category,omitempty"`
	ErrorCode      string             `json:"error_code,omitempty"`
	DurationMS     float64            `json:"duration_ms"`
	Changed        bool               `json:"changed"`
	PreviousStatus refundkit.Status   `json:"previous_status"`
}

type pageJSON struct {
	Refunds    []refundJSON `json:"refunds"`
	NextCursor string       `json:"next_cursor,omitempty"`
}

func toRefundJSON(r *track.Refund) refundJSON {
	out := refundJSON{Provider: r.Provider, RefundID: r.RefundID, ProviderRefundID: r.ProviderRefundID,
		RefundRequestID: r.RefundRequestID, State: r.State(), Status: r.Status, ProviderStatus: r.ProviderStatus,
		Amount: toMoney(r.Amount), Verified: r.Verified, Attempts: r.Attempts, LastError: r.LastError,
		StopReason: r.StopReason, AddedAt: r.AddedAt, FirstSeen: timePtr(r.FirstSeen), LastSeen: timePtr(r.LastSeen),
		NextPoll: timePtr(r.NextPoll), FinalAt: timePtr(r.FinalAt)}
	for _, o := range r.History {
		// Raw bodies are never served: they may hold personal data.
		out.History = append(out.History, observationJSON{ID: o.ID, At: o.At, Source: o.Source, Status: o.Status,
			ProviderStatus: o.ProviderStatus, Amount: toMoney(o.Amount), Verified: o.Verified,
			ErrorCategory: o.ErrorCategory, ErrorCode: o.ErrorCode, DurationMS: float64(o.Duration.Microseconds()) / 1000,
			Changed: o.Changed, PreviousStatus: o.PreviousStatus})
	}
	return out
}

func toMoney(m *refundkit.Money) *moneyJSON {
	if m == nil {
		return nil
	}
	return &moneyJSON{Value: m.Value(), Currency: m.Currency()}
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// errorJSON is the body of every error answer (Error in the spec).
type errorJSON struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func jsonBody(code, message string) ([]byte, error) {
	var e errorJSON
	e.Error.Code, e.Error.Message = code, message
	return json.Marshal(e)
}

// writeError answers status with a JSON error. message must never quote a
// secret or the request body.
func writeError(w http.ResponseWriter, status int, code, message string) {
	b, _ := jsonBody(code, message)
	writeRaw(w, status, b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", "could not encode the answer")
		return
	}
	writeRaw(w, status, b)
}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
