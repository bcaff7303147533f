package track

import (
	"fmt"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// Ref names a refund to track: the provider and the ids its inquiry takes
// (see refundkit.Query). Provider with RefundID and ProviderRefundID is the
// refund's identity: adding the same three again changes nothing.
type Ref struct {
	Provider         refundkit.Provider
	RefundID         string
	ProviderRefundID string
	// RefundRequestID is AlphaPay's optional refundRequestId. It is stored
	// with the refund when it is first added, but is not part of its
	// identity.
	RefundRequestID string
}

// Query returns the inquiry that asks about the refund.
func (r Ref) Query() refundkit.Query {
	return refundkit.Query{RefundID: r.RefundID, ProviderRefundID: r.ProviderRefundID, RefundRequestID: r.RefundRequestID}
}

// String formats the ref as "provider/refund_id" (with "/provider_refund_id"
// when set), for messages.
func (r Ref) String() string {
	s := string(r.Provider) + "/" + r.RefundID
	if r.ProviderRefundID != "" {
		s += "/" + r.ProviderRefundID
	}
	return s
}

// validate checks what can be checked without asking the provider, so that
// Add never stores a refund that no inquiry could ask about.
func (r Ref) validate() error {
	if !r.Provider.Valid() {
		return fmt.Errorf("%w: unknown provider %q", ErrInvalidRef, r.Provider)
	}
	// The provider's own rules, as its client checks a query before asking.
	if err := inquiry.CheckQuery(r.Provider, r.Query()); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalidRef, r, err)
	}
	return nil
}

// State is where a tracked refund is in its life.
type State string

// The states.
const (
	// StateActive: the refund will be polled again.
	StateActive State = "active"
	// StateFinal: the provider gave a final status (succeeded or failed).
	StateFinal State = "final"
	// StateStopped: the tracker gave up; Refund.StopReason says why.
	StateStopped State = "stopped"
)

// Stop reasons, beside an error category (auth, signature, invalid_request,
// not_found), which is the reason when that error stopped the refund.
const (
	// StopMaxAge: the refund was still not final when Policy.MaxAge had
	// passed since it was added.
	StopMaxAge = "max_age"
)

// Refund is one tracked refund as stored: its latest answer and where its
// polling stands.
type Refund struct {
	Ref
	// Status is the shared status of the latest answer; "" before the
	// first answer.
	Status         refundkit.Status
	ProviderStatus string
	// Amount is the latest answer's amount; nil when it had none.
	Amount   *refundkit.Money
	Verified bool
	// Attempts counts the polls made, answered or not.
	Attempts int
	// LastError is the category of the latest poll's error; "" when the
	// latest poll was answered.
	LastError refundkit.Category
	// AddedAt is when the refund was added; FirstSeen and LastSeen when it
	// was first and last observed (zero before any observation).
	AddedAt, FirstSeen, LastSeen time.Time
	// NextPoll is when the refund is due to be polled; zero when it will
	// not be.
	NextPoll time.Time
	// FinalAt is when the tracker observed the final status; zero before.
	FinalAt time.Time
	// StopReason says why the tracker stopped polling a refund that is not
	// final: an error category or StopMaxAge; "" otherwise.
	StopReason string
	// History lists every observation, oldest first. Only Get fills it in.
	History []Observation
}

// State reports where the refund is in its life.
func (r *Refund) State() State {
	switch {
	case r.Status.Final():
		return StateFinal
	case r.StopReason != "":
		return StateStopped
	}
	return StateActive
}

// Source says where an observation came from.
type Source string

// The sources.
const (
	SourceInquiry      Source = "inquiry"      // the tracker asked the provider
	SourceNotification Source = "notification" // the provider pushed it (see Tracker.RecordNotification)
)

// Observation is one answer (or failure to get one) about a refund.
type Observation struct {
	// ID is unique in the database and never reused.
	ID     int64
	At     time.Time
	Source Source
	// Status, ProviderStatus, Amount and Verified are the answer; Status is
	// "" when there was none (see ErrorCategory).
	Status         refundkit.Status
	ProviderStatus string
	Amount         *refundkit.Money
	Verified       bool
	// ErrorCategory and ErrorCode say why there was no answer.
	ErrorCategory refundkit.Category
	ErrorCode     string
	// Duration is how long the inquiry took.
	Duration time.Duration
	// Changed reports whether this observation changed the refund's status
	// (from PreviousStatus to Status).
	Changed        bool
	PreviousStatus refundkit.Status
	// Raw is the answer's body, when Options.KeepRaw is set; nil otherwise.
	Raw []byte
}

// Change is one status transition, as passed to Options.OnChange.
type Change struct {
	// ID identifies the transition for good: it is the ID of the
	// observation that made it. The hook may be called more than once for
	// one change (see Options.OnChange); de-duplicate on ID.
	ID       int64
	Ref      Ref
	From, To refundkit.Status
	// Observation is the observation that made the change.
	Observation Observation
}
