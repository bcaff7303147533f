package refundkit

// Status is the shared refund status every provider's answer maps onto. The
// mapping per provider is fixed in the package documentation and in
// docs/status-mapping.md; it is the contract tests check row by row.
//
// The zero value is not a status: a Result always carries one of the
// constants below.
type Status string

// The shared refund statuses.
const (
	// StatusSucceeded: the provider says the money went back (it may still
	// take days to reach a card).
	StatusSucceeded Status = "succeeded"
	// StatusPending: accepted, not final yet; ask again later.
	StatusPending Status = "pending"
	// StatusFailed: final; the refund did not happen.
	StatusFailed Status = "failed"
	// StatusUnknown: the provider answered with a value refundkit does not
	// recognise. The raw value is kept in Result.ProviderStatus. Never treat
	// it as failed: a false failure invites a second refund.
	StatusUnknown Status = "unknown"
)

// Valid reports whether s is one of the shared statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusSucceeded, StatusPending, StatusFailed, StatusUnknown:
		return true
	}
	return false
}

// Final reports whether s will not change any more (succeeded or failed).
func (s Status) Final() bool { return s == StatusSucceeded || s == StatusFailed }

// String returns the status name.
func (s Status) String() string { return string(s) }
