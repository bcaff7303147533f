package inquiry_test

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// simHarness is one provider's simulator on an httptest server, with the
// matching inquiry client pointed at it. The client's transport is the
// simulator's ValidatingTransport, so every request the SDK sends and every
// response it receives is checked against the provider's spec.
type simHarness struct {
	provider  refundkit.Provider
	sim       *simulator.Simulator
	srv       *httptest.Server
	vt        *simulator.ValidatingTransport
	transport *http.Transport // under vt; closed with the harness
	client    refundkit.Inquirer
	keys      testKeys
	key1      string // ZaloPay's key1, fresh for every harness

	closeOnce sync.Once
}

// harnessConfig changes how newSimHarness builds the client.
type harnessConfig struct {
	// opts are appended to the client's options (base URL, HTTP client,
	// stubRetry), so they win.
	opts []inquiry.Option
	// transport, if set, wraps the HTTP transport under the validating
	// transport, for a test that watches the traffic.
	transport func(http.RoundTripper) http.RoundTripper
	// handler, if set, wraps the simulator.
	handler func(http.Handler) http.Handler
	// zaloPayForm makes the ZaloPay client send form-encoded bodies.
	zaloPayForm bool
}

// newSimHarness starts p's simulator with the test keys and the demo
// identities, and builds the inquiry client for it. The harness is closed
// when the test ends.
func newSimHarness(t testing.TB, p refundkit.Provider, hc harnessConfig) *simHarness {
	t.Helper()
	suiteOf(t, p)
	h := &simHarness{provider: p, keys: loadTestKeys(t), key1: rand.Text()}
	keys := &simulator.Keys{
		Merchant: simulator.KeyPair{Private: h.keys.merchant, Public: h.keys.merchantPublic},
		Platform: simulator.KeyPair{Private: h.keys.platform, Public: h.keys.platformPublic},
		Key1:     h.key1,
	}
	var err error
	h.sim, err = simulator.New(p, simulator.DemoConfig(keys, nil))
	require.NoError(t, err)
	var handler http.Handler = h.sim
	if hc.handler != nil {
		handler = hc.handler(handler)
	}
	h.srv = httptest.NewServer(handler)
	h.transport = http.DefaultTransport.(*http.Transport).Clone()
	h.transport.MaxIdleConnsPerHost = 64
	t.Cleanup(h.close)

	var base http.RoundTripper = h.transport
	if hc.transport != nil {
		base = hc.transport(base)
	}
	h.vt, err = simulator.NewValidatingTransport(base, p)
	require.NoError(t, err)
	opts := append([]inquiry.Option{inquiry.WithBaseURL(h.srv.URL), inquiry.WithHTTPClient(&http.Client{Transport: h.vt}), stubRetry}, hc.opts...)
	h.client, err = newSimClient(p, h.keys, h.key1, hc.zaloPayForm, opts)
	require.NoError(t, err)
	return h
}

// close stops the server (waiting for its handlers) and drops the client's
// idle connections, so that no goroutine of the harness is left. It may be
// called more than once.
func (h *simHarness) close() {
	h.closeOnce.Do(func() {
		h.srv.Close()
		h.transport.CloseIdleConnections()
	})
}

// newSimClient builds p's client with the credentials DemoConfig expects:
// its descriptor's demo client, or ZaloPay's sending forms.
func newSimClient(p refundkit.Provider, k testKeys, key1 string, zaloPayForm bool, opts []inquiry.Option) (refundkit.Inquirer, error) {
	if zaloPayForm {
		return inquiry.New(inquiry.ZaloPayConfig{AppID: simulator.DemoZaloPayAppID, Key1: sign.NewSecret(key1), FormEncoded: true}, opts...)
	}
	keys := &simulator.Keys{
		Merchant: simulator.KeyPair{Private: k.merchant, Public: k.merchantPublic},
		Platform: simulator.KeyPair{Private: k.platform, Public: k.platformPublic},
		Key1:     key1,
	}
	return providers.DemoClient(p, keys, opts...)
}

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

// suites holds every provider's suite, by provider.
var suites = map[refundkit.Provider]suite{
	refundkit.NewPay: {cases: func() []simCase { return builtinSimCases(refundkit.NewPay) }, errorsBare: true,
		echo: func(q refundkit.Query, res *refundkit.Result) (string, string) {
			return q.RefundID, res.MerchantRefundID
		}},
	refundkit.PayerMax: {cases: func() []simCase { return builtinSimCases(refundkit.PayerMax) },
		echo: func(q refundkit.Query, res *refundkit.Result) (string, string) {
			if q.RefundID == "" {
				return q.ProviderRefundID, res.ProviderRefundID
			}
			return q.RefundID, res.MerchantRefundID
		}},
	refundkit.ZaloPay: {cases: func() []simCase { return builtinSimCases(refundkit.ZaloPay) }},
	refundkit.AlphaPay: {cases: func() []simCase { return builtinSimCases(refundkit.AlphaPay) }, errorsSigned: true, missingSignatureViolates: true,
		echo: func(q refundkit.Query, res *refundkit.Result) (string, string) {
			return q.RefundID, res.ProviderRefundID
		}},
}

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

// builtinSimCases are the cases of the first four providers.
func builtinSimCases(p refundkit.Provider) []simCase {
	const (
		succeeded = refundkit.StatusSucceeded
		pending   = refundkit.StatusPending
		fail      = refundkit.StatusFailed
		unknown   = refundkit.StatusUnknown
	)
	switch p {
	case refundkit.NewPay:
		base := simulator.Refund{Amount: "50000", Currency: "LAK", OrderID: "ORDERNO000000000A104",
			ProviderOrderID: "202209076000000321", TransactionID: "00012022090700000037"}
		return []simCase{
			{name: "succeeded", refund: with(base, "1", ""), want: answered(succeeded, "1")},
			{name: "failed", refund: with(base, "0", ""), want: answered(fail, "0")},
			{name: "refundSuccess true", refund: with(base, "true", ""), want: answered(succeeded, "true")},
			{name: "refundSuccess false", refund: with(base, "false", ""), want: answered(fail, "false")},
			{name: "undocumented status", refund: with(base, "7", ""), want: answered(unknown, "7")},
			{name: "not found", unseeded: true, want: failed(refundkit.CategoryNotFound)},
			{name: "E9999 busy", refund: with(base, "1", "E9999"), want: failed(refundkit.CategoryTemporary)},
			{name: "Z00046 whitelist", refund: with(base, "1", "Z00046"), want: failed(refundkit.CategoryAuth)},
		}
	case refundkit.PayerMax:
		base := simulator.Refund{Amount: "12345678901234.5678", Currency: "USD", OrderID: "P1642410680681",
			RefundTime: "2022-01-17T09:20:11.123+00:00"}
		return []simCase{
			{name: "succeeded", refund: with(base, "REFUND_SUCCESS", ""), want: answered(succeeded, "REFUND_SUCCESS")},
			{name: "pending", refund: with(base, "REFUND_PENDING", ""), want: answered(pending, "REFUND_PENDING")},
			{name: "pending with a tab", refund: with(base, "REFUND_PENDING\t", ""), want: answered(pending, "REFUND_PENDING\t")},
			{name: "failed", refund: with(base, "REFUND_FAILED", ""), want: answered(fail, "REFUND_FAILED")},
			{name: "undocumented status", refund: with(base, "REFUND_REVIEWING", ""), want: answered(unknown, "REFUND_REVIEWING")},
			{name: "by refundTradeNo", refund: with(base, "REFUND_SUCCESS", ""), byProviderID: true, want: answered(succeeded, "REFUND_SUCCESS")},
			{name: "not found", unseeded: true, want: failed(refundkit.CategoryNotFound)},
			{name: "SYSTEM_ERROR", refund: with(base, "", "SYSTEM_ERROR"), want: failed(refundkit.CategoryTemporary)},
			{name: "TOO_MANY_REQUEST", refund: with(base, "", "TOO_MANY_REQUEST"), want: failed(refundkit.CategoryRateLimited)},
			{name: "MERCHANT_APP_INVALID", refund: with(base, "", "MERCHANT_APP_INVALID"), want: failed(refundkit.CategoryAuth)},
		}
	case refundkit.ZaloPay:
		return []simCase{
			{name: "succeeded", refund: simulator.Refund{Status: "1", SubStatus: "1"}, want: answered(succeeded, "1")},
			{name: "pending", refund: simulator.Refund{Status: "3", SubStatus: "3"}, want: answered(pending, "3")},
			{name: "failed", refund: simulator.Refund{Status: "2", SubStatus: "-3", SubMessage: "refund rejected"}, want: answered(fail, "2")},
			{name: "undocumented status", refund: simulator.Refund{Status: "4", SubStatus: "4"}, want: answered(unknown, "4")},
			{name: "not found", unseeded: true, want: failed(refundkit.CategoryInvalidRequest)},
			{name: "rate limited", refund: simulator.Refund{Status: "-429"}, want: failed(refundkit.CategoryRateLimited)},
			{name: "system error", refund: simulator.Refund{Status: "2", SubStatus: "-32"}, want: failed(refundkit.CategoryTemporary)},
			{name: "illegal app", refund: simulator.Refund{Status: "-402"}, want: failed(refundkit.CategoryAuth)},
		}
	case refundkit.AlphaPay:
		base := simulator.Refund{Amount: "100", Currency: "CAD", ProviderOrderID: "P2019052800001",
			RefundTime: "2019-05-28T12:15:02+08:00", Description: "damaged item"}
		resultU := base
		resultU.SubStatus = "U"
		errorF := func(code string) simulator.Refund { r := base; r.SubStatus, r.Code = "F", code; return r }
		return []simCase{
			{name: "succeeded", refund: with(base, "SUCCESS", ""), want: answered(succeeded, "SUCCESS")},
			{name: "pending", refund: with(base, "REFUND_IN_PROCESS", ""), want: answered(pending, "REFUND_IN_PROCESS")},
			{name: "failed", refund: with(base, "FAILED", ""), want: answered(fail, "FAILED")},
			{name: "undocumented status", refund: with(base, "REFUND_REVERSED", ""), want: answered(unknown, "REFUND_REVERSED")},
			{name: "resultStatus U", refund: resultU, want: answered(pending, "U")},
			{name: "with refundRequestId", refund: with(base, "SUCCESS", ""), withRequestID: true, want: answered(succeeded, "SUCCESS")},
			{name: "not found", unseeded: true, want: failed(refundkit.CategoryNotFound)},
			{name: "SYSTEM_ERROR", refund: errorF("SYSTEM_ERROR"), want: failed(refundkit.CategoryTemporary)},
			{name: "REQUEST_TRAFFIC_EXCEED_LIMIT", refund: errorF("REQUEST_TRAFFIC_EXCEED_LIMIT"), want: failed(refundkit.CategoryRateLimited)},
			{name: "ACCESS_DENIED", refund: errorF("ACCESS_DENIED"), want: failed(refundkit.CategoryAuth)},
		}
	}
	return nil
}

// with returns a copy of base with status and code set.
func with(base simulator.Refund, status, code string) simulator.Refund {
	base.Status, base.Code = status, code
	return base
}

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

// harnessVariant is one way of talking to one provider.
type harnessVariant struct {
	name     string
	provider refundkit.Provider
	config   harnessConfig
}

// harnessVariants lists every provider, and ZaloPay a second time with
// form-encoded requests.
func harnessVariants() []harnessVariant {
	var vs []harnessVariant
	for _, p := range refundkit.Providers() {
		vs = append(vs, harnessVariant{name: string(p), provider: p})
	}
	return append(vs, harnessVariant{name: "zalopay-form", provider: refundkit.ZaloPay, config: harnessConfig{zaloPayForm: true}})
}

// matrixFaults is FaultNone followed by every fault.
func matrixFaults() []simulator.Fault {
	return append([]simulator.Fault{simulator.FaultNone}, simulator.Faults()...)
}

// matrixModel is the fault model of runMatrix: a slow answer arrives well
// within the client's timeout, so that it too is checked.
var matrixModel = faultModel{slowTimesOut: false, maxAttempts: 3}

// matrixRun is one inquiry of runMatrix: the case, the fault its first
// attempt got, the number of attempts it must have taken, and what it
// returned.
type matrixRun struct {
	c        simCase
	fault    simulator.Fault
	attempts int
	res      *refundkit.Result
	err      error
}

// runMatrix asks h's simulator about every case of its provider, once per
// fault (FaultNone included), with the fault injected into the first
// attempt only, each in a subtest. It requires each inquiry to end as the
// model says, then calls check.
func runMatrix(t *testing.T, h *simHarness, check func(t *testing.T, r matrixRun)) {
	t.Helper()
	h.sim.Faults().SetSlowDelay(5 * time.Millisecond)
	h.sim.Faults().SetRetryAfter(0) // within stubRetry's MaxDelay, so the client retries
	n := 0
	for _, c := range simCases(h.provider) {
		t.Run(c.name, func(t *testing.T) {
			for _, f := range matrixFaults() {
				t.Run(string(f), func(t *testing.T) {
					n++
					in := c.instance(fmt.Sprintf("c%04d", n))
					if in.refund != nil {
						require.NoError(t, h.sim.Seed(*in.refund))
					}
					h.vt.Reset()
					h.sim.Faults().Next(1, f)
					res, err := h.client.Inquire(t.Context(), in.query)

					want, n := matrixModel.inquiry(h.provider, c, attempts(f))
					require.NoError(t, want.check(h.provider, in.query, res, err))
					check(t, matrixRun{c: c, fault: f, attempts: n, res: res, err: err})
				})
			}
		})
	}
}
