package inquiry_test

import (
	"errors"
	"fmt"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// faultModel says what a correct client makes of each simulator fault.
type faultModel struct {
	// slowTimesOut is set when FaultSlow waits longer than the client's
	// per-attempt timeout; otherwise a slow answer is just an answer.
	slowTimesOut bool
	// maxAttempts is the client's RetryPolicy.MaxAttempts.
	maxAttempts int
}

// simAttempt is what one attempt of an inquiry met: the fault the simulator
// injected, and whether the attempt ran out of time (its context's deadline
// ended the exchange).
type simAttempt struct {
	fault    simulator.Fault
	timedOut bool
}

// attempts turns faults into attempts that did not time out.
func attempts(faults ...simulator.Fault) []simAttempt {
	as := make([]simAttempt, len(faults))
	for i, f := range faults {
		as[i] = simAttempt{fault: f}
	}
	return as
}

// attempt returns what one attempt of an inquiry about c ends in when the
// simulator injects fault f into it, per the simulator's documentation of
// each fault and the inquiry rules (docs/status-mapping.md, the README's assumptions).
// An attempt that timed out is a temporary failure, whatever its fault.
func (m faultModel) attempt(p refundkit.Provider, c simCase, a simAttempt) outcome {
	signed, st := signed(p), suites[p]
	if a.timedOut {
		return failed(refundkit.CategoryTemporary)
	}
	switch f := a.fault; f {
	case simulator.FaultHTTP500, simulator.FaultTruncated, simulator.FaultConnReset:
		return failed(refundkit.CategoryTemporary) // no complete answer: transient
	case simulator.FaultRateLimit:
		return failed(refundkit.CategoryRateLimited)
	case simulator.FaultOversized:
		return failed(refundkit.CategoryInvalidResponse)
	case simulator.FaultSlow:
		if m.slowTimesOut {
			return failed(refundkit.CategoryTemporary)
		}
	case simulator.FaultBadSignature:
		// Every signed answer must verify; NewPay's error answers carry no
		// data, so nothing there is signed or corrupted.
		if signed && !(st.errorsBare && c.want.isError()) {
			return failed(refundkit.CategorySignature)
		}
	case simulator.FaultMissingSignature:
		// Error answers may come unsigned, except from AlphaPay, which
		// signs every answer.
		if signed && (!c.want.isError() || st.errorsSigned) {
			return failed(refundkit.CategorySignature)
		}
	case simulator.FaultUnknownStatus:
		if !c.want.isError() {
			return answered(refundkit.StatusUnknown, simulator.UnknownStatus(p))
		}
	case simulator.FaultMismatchedID:
		// ZaloPay echoes no id; error answers are left alone.
		if st.echo != nil && !c.want.isError() {
			return failed(refundkit.CategoryInvalidResponse)
		}
	}
	return c.want
}

// inquiry returns what an inquiry ends in whose attempts met as, in order
// (attempts beyond as meet no fault), and how many attempts it should have
// made: a retryable error is retried until the attempts run out. (A 429 is
// retried because the suites' simulators send Retry-After: 0; one longer
// than the policy's MaxDelay would end the retries.)
func (m faultModel) inquiry(p refundkit.Provider, c simCase, as []simAttempt) (outcome, int) {
	var o outcome
	for i := 0; ; i++ {
		a := simAttempt{fault: simulator.FaultNone}
		if i < len(as) {
			a = as[i]
		}
		o = m.attempt(p, c, a)
		if !o.isError() || !o.category.Retryable() || i+1 >= m.maxAttempts {
			return o, i + 1
		}
	}
}

// check reports how res and err differ from the outcome o of an inquiry to
// provider p about query q, or nil when they agree.
func (o outcome) check(p refundkit.Provider, q refundkit.Query, res *refundkit.Result, err error) error {
	if o.isError() {
		var e *refundkit.Error
		switch {
		case res != nil:
			return fmt.Errorf("want %v, got %s (%q) and error %v", o, res.Status, res.ProviderStatus, err)
		case !errors.As(err, &e):
			return fmt.Errorf("want %v, got %T %v", o, err, err)
		case e.Category != o.category || !errors.Is(err, o.category.Err()) || e.Provider != p:
			return fmt.Errorf("want %v, got %v", o, err)
		}
		return nil
	}
	switch {
	case err != nil || res == nil:
		return fmt.Errorf("want %v, got error %v", o, err)
	case res.Status != o.status || res.ProviderStatus != o.raw:
		return fmt.Errorf("want %v, got status %s (%q)", o, res.Status, res.ProviderStatus)
	case res.Provider != p || res.Verified != signed(p) || len(res.Raw) == 0:
		return fmt.Errorf("want %v from %s, verified; got provider %s, verified %v, %d raw bytes",
			o, p, res.Provider, res.Verified, len(res.Raw))
	}
	if id, echo := echoedID(p, q, res); id != echo {
		return fmt.Errorf("want %v about %q, got an answer about %q", o, id, echo)
	}
	return nil
}

// echoedID returns the id the query asked about and the one the result
// echoes, for the providers that echo one.
func echoedID(p refundkit.Provider, q refundkit.Query, res *refundkit.Result) (asked, echoed string) {
	if echo := suites[p].echo; echo != nil {
		return echo(q, res)
	}
	return "", ""
}

// expectedViolations is how many spec violations one response with fault f
// makes: only a fault that breaks the contract on purpose counts. AlphaPay's
// spec requires the Signature header on every answer; the other specs leave
// their signatures optional (PayerMax's header) or free (NewPay's data.sign),
// and every other fault keeps the body well-formed (oversized adds JSON white
// space; unknown statuses are open strings or integers; a truncated body is
// never validated).
func expectedViolations(p refundkit.Provider, f simulator.Fault) int {
	if suites[p].missingSignatureViolates && f == simulator.FaultMissingSignature {
		return 1
	}
	return 0
}

// responded reports whether an attempt with fault f gets a complete HTTP
// response for the validating transport to check.
func (m faultModel) responded(f simulator.Fault) bool {
	switch f {
	case simulator.FaultTruncated, simulator.FaultConnReset:
		return false
	case simulator.FaultSlow:
		return !m.slowTimesOut
	}
	return true
}
