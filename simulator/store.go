package simulator

import (
	"errors"
	"fmt"
	"sync"
)

// Refund is one refund a simulator knows, in the provider's own raw terms:
// every value is written into the response exactly as given, so a test can
// seed precisely the answer it wants to see, odd values included. Which field
// lands where depends on the provider:
//
//	field             NewPay               PayerMax          ZaloPay             AlphaPay
//	RefundID          refundOrderNo        outRefundNo       m_refund_id         refundId
//	ProviderRefundID  newpayRefundOrderNo  refundTradeNo     -                   -
//	RefundRequestID   -                    -                 -                   refundRequestId
//	OrderID           orderNo              outTradeNo        -                   -
//	ProviderOrderID   newpayOrderNo        -                 -                   paymentId
//	TransactionID     tranNo               -                 -                   -
//	Status            tranStatus (*)       status            return_code         refundStatus
//	SubStatus         -                    -                 sub_return_code     result.resultStatus
//	Code              envelope code        code              -                   result.resultCode
//	Message           tranInfo / message   resultMsg / msg   return_message      result.resultMessage
//	SubMessage        -                    -                 sub_return_message  -
//	Amount            refundOrderAmt       refundAmount      -                   refund.refundAmount.value
//	Currency          currency             refundCurrency    -                   refund.refundAmount.currency
//	RefundTime        -                    refundFinishTime  -                   refundTime
//	Description       -                    -                 -                   refund.description
//
// (*) NewPay: Status "1" or "0" (any integer) is sent as tranStatus; "true"
// or "false" is sent as the undocumented refundSuccess boolean instead, with
// the string timestamp of NewPay's own published example.
//
// An empty Status leaves the status field out of the response. Amounts are
// text as the provider sends them: major units for NewPay ("50000") and
// PayerMax (written as a JSON number with exactly these digits, never through
// a float), minor units for AlphaPay ("100" is 1.00 CAD).
//
// Code is the provider's business code. Left empty it means the call
// succeeded ("0", APPLY_SUCCESS, SUCCESS); any other value makes every
// inquiry about this refund answer with that error code instead of the
// refund, which is how tests drive the provider's error codes. For AlphaPay,
// SubStatus (resultStatus) defaults to S; with U or F the code defaults to
// UNKNOWN_EXCEPTION or PROCESS_FAIL [assumed]. For ZaloPay, request-level
// and temporary errors are return codes: seed Status "2" with SubStatus
// "-32", or Status "-429".
type Refund struct {
	RefundID         string `json:"refund_id"`
	ProviderRefundID string `json:"provider_refund_id,omitempty"`
	RefundRequestID  string `json:"refund_request_id,omitempty"`
	OrderID          string `json:"order_id,omitempty"`
	ProviderOrderID  string `json:"provider_order_id,omitempty"`
	TransactionID    string `json:"transaction_id,omitempty"`
	Status           string `json:"status,omitempty"`
	SubStatus        string `json:"sub_status,omitempty"`
	Code             string `json:"code,omitempty"`
	Message          string `json:"message,omitempty"`
	SubMessage       string `json:"sub_message,omitempty"`
	Amount           string `json:"amount,omitempty"`
	Currency         string `json:"currency,omitempty"`
	RefundTime       string `json:"refund_time,omitempty"`
	Description      string `json:"description,omitempty"`

	// Transitions script later states: see Transition.
	Transitions []Transition `json:"transitions,omitempty"`
}

// Transition changes a refund's state after it has been inquired about a
// number of times, so that a test can watch a pending refund become final.
//
// After counts the inquiries answered in the previous state (the seeded one
// for the first transition): with After 2 the first two inquiries see the
// old state and the third sees the new one. Only inquiries the simulator
// answers from its store count; requests it rejects (bad signature, invalid
// body) and requests that a fault answers before the lookup (HTTP 500, 429,
// connection reset) do not. Non-empty fields replace the refund's; empty ones
// keep it.
type Transition struct {
	After      int    `json:"after"`
	Status     string `json:"status,omitempty"`
	SubStatus  string `json:"sub_status,omitempty"`
	Code       string `json:"code,omitempty"`
	Message    string `json:"message,omitempty"`
	SubMessage string `json:"sub_message,omitempty"`
	RefundTime string `json:"refund_time,omitempty"`
}

// ErrDuplicateRefund is returned (wrapped) by Seed when a refund id is
// already in the store.
var ErrDuplicateRefund = errors.New("simulator: duplicate refund id")

// ErrInvalidRefund is returned (wrapped) by Seed when a refund cannot be
// represented in the provider's response (for example a NewPay status that is
// neither an integer nor a boolean).
var ErrInvalidRefund = errors.New("simulator: invalid refund")

// store is the in-memory refund store of one simulator. It is safe for
// concurrent use; each lookup is one short critical section.
type store struct {
	mu         sync.Mutex
	byID       map[string]*entry
	byProvider map[string]*entry
}

type entry struct {
	refund    Refund
	inquiries int
}

func newStore() *store {
	return &store{byID: make(map[string]*entry), byProvider: make(map[string]*entry)}
}

// put adds refunds, all or none.
func (s *store) put(refunds []Refund) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := make(map[string]bool, len(refunds))
	for _, r := range refunds {
		if r.RefundID == "" {
			return fmt.Errorf("%w: empty refund id", ErrInvalidRefund)
		}
		if _, dup := s.byID[r.RefundID]; dup || seen[r.RefundID] {
			return fmt.Errorf("%w: %q", ErrDuplicateRefund, r.RefundID)
		}
		seen[r.RefundID] = true
		for i, t := range r.Transitions {
			if t.After < 0 {
				return fmt.Errorf("%w: %q: transition %d: negative After", ErrInvalidRefund, r.RefundID, i)
			}
		}
	}
	for _, r := range refunds {
		r.Transitions = append([]Transition(nil), r.Transitions...)
		e := &entry{refund: r}
		s.byID[r.RefundID] = e
		if r.ProviderRefundID != "" {
			s.byProvider[r.ProviderRefundID] = e
		}
	}
	return nil
}

// lookup is what an inquiry asks the store: at least one of refundID and
// providerRefundID, and optionally requestID. Every non-empty field must
// match the same refund.
type lookup struct {
	refundID         string
	providerRefundID string
	requestID        string
}

// inquire finds the refund, counts the inquiry and returns the refund's state
// as of this inquiry (transitions applied), or false if no refund matches.
func (s *store) inquire(q lookup) (Refund, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.find(q)
	if e == nil {
		return Refund{}, false
	}
	r := e.state()
	e.inquiries++
	return r, true
}

func (s *store) find(q lookup) *entry {
	var e *entry
	if q.refundID != "" {
		e = s.byID[q.refundID]
	} else if q.providerRefundID != "" {
		e = s.byProvider[q.providerRefundID]
	}
	if e == nil ||
		(q.providerRefundID != "" && e.refund.ProviderRefundID != q.providerRefundID) ||
		(q.requestID != "" && e.refund.RefundRequestID != q.requestID) {
		return nil
	}
	return e
}

// get returns a refund's current state and how many inquiries it answered,
// without counting an inquiry.
func (s *store) get(refundID string) (Refund, int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.byID[refundID]
	if e == nil {
		return Refund{}, 0, false
	}
	return e.state(), e.inquiries, true
}

// ids returns the id of every refund in the store.
func (s *store) ids() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.byID))
	for id := range s.byID {
		out = append(out, id)
	}
	return out
}

// remove deletes a refund; it reports whether there was one.
func (s *store) remove(refundID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.byID[refundID]
	if e == nil {
		return false
	}
	delete(s.byID, refundID)
	if p := e.refund.ProviderRefundID; p != "" && s.byProvider[p] == e {
		delete(s.byProvider, p)
	}
	return true
}

// state applies the transitions due after e.inquiries answered inquiries.
// The caller holds the store's lock.
func (e *entry) state() Refund {
	r := e.refund
	due := 0
	for _, t := range e.refund.Transitions {
		due += t.After
		if e.inquiries < due {
			break
		}
		r.Status = override(r.Status, t.Status)
		r.SubStatus = override(r.SubStatus, t.SubStatus)
		r.Code = override(r.Code, t.Code)
		r.Message = override(r.Message, t.Message)
		r.SubMessage = override(r.SubMessage, t.SubMessage)
		r.RefundTime = override(r.RefundTime, t.RefundTime)
	}
	r.Transitions = nil
	return r
}

func override(old, v string) string {
	if v != "" {
		return v
	}
	return old
}

// states returns the refund's seeded state and the state after each of its
// transitions, in order, so that a provider can check every status value a
// refund will ever answer with.
func (r Refund) states() []Refund {
	out := make([]Refund, 0, 1+len(r.Transitions))
	e := entry{refund: r}
	out = append(out, e.state())
	for _, t := range r.Transitions {
		e.inquiries += t.After
		out = append(out, e.state())
	}
	return out
}
