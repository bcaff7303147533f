package inquiry_test

import (
	"fmt"
	"testing"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/simulator"
)

// suite is what the harness knows of one provider beyond its descriptor:
// the cases its simulator can be asked about and how its answers behave
// under faults. Every provider in refundkit.Providers must have one; a
// provider's own test file registers it (see newpay2_suite_test.go).
type suite struct {
	// cases lists the provider's cases; see simCases.
	cases func() []simCase
	// errorsSigned: the provider signs its error answers too (AlphaPay).
	errorsSigned bool
	// errorsBare: the provider's error answers carry no signed part at all
	// (NewPay's have no data), so a bad-signature fault leaves them alone.
	errorsBare bool
	// echo returns the id the query asked about and the one the result
	// echoes; nil for a provider that echoes none (ZaloPay).
	echo func(q refundkit.Query, res *refundkit.Result) (asked, echoed string)
	// missingSignatureViolates: the spec requires the signature, so an
	// answer without one violates it (AlphaPay's Signature header).
	missingSignatureViolates bool
}

// suites holds every provider's suite, by provider; each provider's
// <provider>_suite_test.go registers its own from init.
var suites = map[refundkit.Provider]suite{}

// suiteOf returns p's suite, failing the test when p has none.
func suiteOf(t testing.TB, p refundkit.Provider) suite {
	s, ok := suites[p]
	if !ok {
		t.Fatalf("provider %s has no test suite: register one in its own _test.go file", p)
	}
	return s
}

// signed reports whether p's results are verified (its descriptor's
// Signed).
func signed(p refundkit.Provider) bool {
	d, err := providers.Lookup(p)
	return err == nil && d.Signed
}

// outcome is what one inquiry should end in: a status (with the provider's
// raw value) or an error category.
type outcome struct {
	status   refundkit.Status
	raw      string
	category refundkit.Category
}

func (o outcome) isError() bool { return o.category != "" }

func (o outcome) String() string {
	if o.isError() {
		return "error " + string(o.category)
	}
	return fmt.Sprintf("status %s (%q)", o.status, o.raw)
}

// failed and answered build outcomes.
func failed(c refundkit.Category) outcome { return outcome{category: c} }

func answered(s refundkit.Status, raw string) outcome { return outcome{status: s, raw: raw} }

// simCase is one kind of refund a simulator can be asked about, and what a
// correct client answers when no fault interferes. It is a template: each
// use gets its own refund ids from instance.
type simCase struct {
	name   string
	refund simulator.Refund // RefundID and the other ids are set by instance
	// unseeded asks about a refund the simulator does not hold.
	unseeded bool
	// byProviderID asks PayerMax by refundTradeNo alone.
	byProviderID bool
	// withRequestID also sends AlphaPay's refundRequestId.
	withRequestID bool
	want          outcome
}

// simInstance is a simCase made concrete: the refund to seed (nil when the
// case is unseeded), the query, and the id the simulator's FaultFunc sees.
type simInstance struct {
	refund *simulator.Refund
	query  refundkit.Query
	key    string
}

// instance gives the case the ids derived from id, which must be unique
// within one simulator and short (PayerMax ids are at most 64 characters,
// the mismatch suffix included).
func (c simCase) instance(id string) simInstance {
	r := c.refund
	r.RefundID, r.ProviderRefundID, r.RefundRequestID = id, "T"+id, "RR"+id
	in := simInstance{query: refundkit.Query{RefundID: id}, key: id}
	if c.byProviderID {
		in.query, in.key = refundkit.Query{ProviderRefundID: r.ProviderRefundID}, r.ProviderRefundID
	}
	if c.withRequestID {
		in.query.RefundRequestID = r.RefundRequestID
	}
	if !c.unseeded {
		in.refund = &r
	}
	return in
}

// inquiryKey is the id a FaultFunc sees for an inquiry: the refund id, or
// PayerMax's refundTradeNo when the inquiry gave only that.
func inquiryKey(q simulator.Inquiry) string {
	if q.RefundID != "" {
		return q.RefundID
	}
	return q.ProviderRefundID
}

// simCases lists, per provider, every documented status, an undocumented
// one, an unknown refund, and error codes of several categories (retryable
// ones included), as the simulator answers them.
func simCases(p refundkit.Provider) []simCase {
	s, ok := suites[p]
	if !ok {
		return nil
	}
	return s.cases()
}

// with returns a copy of base with status and code set.
func with(base simulator.Refund, status, code string) simulator.Refund {
	base.Status, base.Code = status, code
	return base
}
