package simulator

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/refundkit/refundkit"
)

// SetPushDeviation applies contract fault f (one of ContractFaults) to
// every refund notification s pushes from now on, on top of any push fault;
// FaultNone turns it off. It fails when s is not pushing (see SetPush) or f
// is not a contract fault.
//
// Unlike an inquiry answer, a notification is deviated after it is signed:
// a deviation of a member or header the signature covers therefore also
// breaks the signature, and a merchant's handler refuses the notification
// as forged. The contract check names the member either way.
func (s *Simulator) SetPushDeviation(f Fault) error {
	if f != FaultNone && !isContractFault(f) {
		return fmt.Errorf("simulator: %q is not a contract fault", f)
	}
	st := s.pushing()
	if st == nil {
		return fmt.Errorf("simulator: %s is not pushing notifications (call SetPush first)", s.provider)
	}
	st.mu.Lock()
	st.deviation = f
	st.mu.Unlock()
	return nil
}

func isContractFault(f Fault) bool {
	for _, g := range ContractFaults() {
		if f == g {
			return true
		}
	}
	return false
}

// DeviatedNotificationMember names what contract fault f changes in the
// refund notifications provider p pushes, as DeviatedMember does for its
// inquiry answers: a JSON pointer into the body, or "header Name"; "" when
// f changes nothing that has a name, or p pushes no notification.
func DeviatedNotificationMember(p refundkit.Provider, f Fault) string {
	if _, ok := registry[p]; !ok || (f == FaultUndeclaredMember && registry[p].pushDeviations == nil) {
		return ""
	}
	if f == FaultUndeclaredMember {
		return "/" + UndeclaredMember
	}
	return registry[p].pushDeviations[f]
}

// deviationNow is the contract fault to apply to the next notification.
func (st *pushState) deviationNow() Fault {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.deviation
}

// deviateNotification applies contract fault f to a built notification:
// its body (returned, and set as req's) or its headers.
func deviateNotification(p refundkit.Provider, req *http.Request, body []byte, f Fault) ([]byte, error) {
	if f == "" || f == FaultNone {
		return body, nil
	}
	if f == FaultWrongContentType {
		req.Header.Set("Content-Type", DeviatedContentType)
		return body, nil
	}
	ptr := DeviatedNotificationMember(p, f)
	if name, ok := strings.CutPrefix(ptr, headerPrefix); ok {
		req.Header.Del(name)
		return body, nil
	}
	out, err := deviateAt(body, ptr, f)
	if err != nil {
		return nil, fmt.Errorf("simulator: %s notification: %w", p, err)
	}
	req.Body = io.NopCloser(bytes.NewReader(out))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(out)), nil }
	req.ContentLength = int64(len(out))
	return out, nil
}
