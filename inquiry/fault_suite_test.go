package inquiry_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/simulator"
)

var faultSeed = flag.Uint64("fault-seed", 20240301, "seed of the fault suite's random faults")

// The fault suite's settings. A slow answer waits far longer than the
// per-attempt timeout, which is in turn far longer than a normal attempt
// takes on a loaded 2-core machine under -race, so that only FaultSlow
// times out.
const (
	suiteInquiries        = 2400 // inquiries in all, shared by the providers; a quarter with -short
	suiteWorkers          = 4    // concurrent inquiries per provider
	suiteAttemptTimeout   = 1 * time.Second
	suiteSlowDelay        = 5 * time.Second // the handler returns as soon as the client gives up
	suiteRetryAfter       = 0               // sent as "0": within stubRetry's MaxDelay, so 429s are retried
	suiteNoneWeight       = 3               // FaultNone is this many times as likely as each fault
	suiteAttemptsPerQuery = 3               // stubRetry's MaxAttempts
)

// suiteInquiry is one inquiry of the fault suite and what came of it.
type suiteInquiry struct {
	c        simCase
	in       simInstance
	res      *refundkit.Result
	err      error
	panicked any
}

// suiteProvider is one provider's part of the suite.
type suiteProvider struct {
	h         *simHarness
	plan      *faultPlan
	inquiries []suiteInquiry
}

// TestFaultSuite asks every provider's simulator thousands of questions,
// concurrently, with a fault chosen at random for every attempt (HTTP 500,
// 429 with Retry-After, slow past the per-attempt timeout, truncated,
// oversized, bad or missing signature, unknown status, mismatched id,
// connection reset, or none). From the faults each inquiry's requests
// actually got, faultModel computes what the inquiry must end in, retries
// included; every inquiry must end there: no wrong status, no wrong error
// category, no panic, and no goroutine left once the servers are closed.
// The traffic is contract-checked too: the only spec violations are those
// of AlphaPay answers without a Signature header.
//
// The faults are reproducible: -fault-seed picks them.
func TestFaultSuite(t *testing.T) {
	// The total stays the same as providers are added, so that the suite's
	// load (and its two-minute bound) does not grow with the registry.
	perProvider := suiteInquiries / len(refundkit.Providers())
	if testing.Short() {
		perProvider /= 4
	}
	before := runtime.NumGoroutine()
	rng := rand.New(rand.NewPCG(*faultSeed, 0x9e3779b97f4a7c15))
	model := faultModel{slowTimesOut: true, maxAttempts: suiteAttemptsPerQuery}

	var suites []*suiteProvider
	for _, p := range refundkit.Providers() {
		suites = append(suites, newSuiteProvider(t, p, rng, perProvider))
	}
	start := time.Now()
	runSuites(t, suites)
	elapsed := time.Since(start)

	for _, s := range suites {
		s.h.close()
	}
	requireGoroutinesBack(t, before)

	total := newSuiteCounts()
	for _, s := range suites {
		p := s.h.provider
		got := s.check(t, model)
		total.add(got)
		t.Logf("%s: %v", p, got)
		s.checkCounted(t, got)
	}
	assert.Zero(t, total.wrong, "wrong answers")
	assert.LessOrEqual(t, total.timeouts, total.attempts/10, "attempts that timed out without FaultSlow")
	assert.Zero(t, total.panics, "panics")
	summary := fmt.Sprintf("fault suite (seed %d, %s): %v", *faultSeed, elapsed.Round(time.Millisecond), total)
	t.Log(summary)
	fmt.Println(summary)
}

// newSuiteProvider starts p's harness under a fault plan and plans n
// inquiries about cases of p drawn with rng, their refunds seeded.
func newSuiteProvider(t *testing.T, p refundkit.Provider, rng *rand.Rand, n int) *suiteProvider {
	t.Helper()
	plan := newFaultPlan()
	s := &suiteProvider{plan: plan, h: newSimHarness(t, p, harnessConfig{
		opts:      []inquiry.Option{inquiry.WithTimeout(suiteAttemptTimeout)},
		transport: plan.transport,
		handler:   plan.handler,
	})}
	faults := s.h.sim.Faults()
	faults.SetSlowDelay(suiteSlowDelay)
	faults.SetRetryAfter(suiteRetryAfter)
	faults.Func(s.plan.pick)
	cases := simCases(p)
	for i := range n {
		c := cases[rng.IntN(len(cases))]
		in := c.instance(fmt.Sprintf("f%05d", i))
		if in.refund != nil {
			require.NoError(t, s.h.sim.Seed(*in.refund))
		}
		s.plan.plan(rng, in.key)
		s.inquiries = append(s.inquiries, suiteInquiry{c: c, in: in})
	}
	return s
}

// runSuites makes every planned inquiry, suiteWorkers at a time per
// provider, all providers at once, within five minutes.
func runSuites(t *testing.T, suites []*suiteProvider) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	for _, s := range suites {
		var next atomic.Int64
		for range suiteWorkers {
			wg.Go(func() {
				for i := int(next.Add(1) - 1); i < len(s.inquiries); i = int(next.Add(1) - 1) {
					s.inquiries[i].run(ctx, s.h.client)
				}
			})
		}
	}
	wg.Wait()
}

// checkCounted checks got, the provider's counts, against its simulator
// and validating transport: what the plan recorded is what the simulator
// counted, every fault was injected, every request was contract-checked,
// and the only spec violations are the expected missing signatures.
func (s *suiteProvider) checkCounted(t *testing.T, got suiteCounts) {
	t.Helper()
	p := s.h.provider
	counted := map[simulator.Fault]int{}
	for f, n := range s.h.sim.Faults().Counts() {
		counted[f] = int(n)
	}
	assert.Equal(t, got.faults, counted, "%s: faults recorded by the FaultFunc and counted by the simulator", p)
	for _, f := range simulator.Faults() {
		assert.Positive(t, got.faults[f], "%s: fault %s was never injected", p, f)
	}

	reqs, resps := s.h.vt.Checked()
	assert.EqualValues(t, got.attempts, reqs, "%s: every request was contract-checked", p)
	assert.Positive(t, resps)
	vs := s.h.vt.Violations()
	assert.Equal(t, expectedViolations(p, simulator.FaultMissingSignature)*s.missingSignatures(), len(vs),
		"%s: spec violations", p)
	for _, v := range vs {
		if !assert.True(t, v.Response && strings.Contains(v.Err.Error(), "Signature"), "%s: unexpected violation %v", p, v) {
			break
		}
	}
}

// run makes the inquiry, catching a panic.
func (q *suiteInquiry) run(ctx context.Context, c refundkit.Inquirer) {
	defer func() { q.panicked = recover() }()
	q.res, q.err = c.Inquire(context.WithValue(ctx, suiteKeyCtx{}, q.in.key), q.in.query)
}

// check compares every inquiry with what the model makes of what its
// attempts met, reports the first few that differ, and counts.
func (s *suiteProvider) check(t *testing.T, model faultModel) suiteCounts {
	t.Helper()
	p := s.h.provider
	counts := newSuiteCounts()
	for _, q := range s.inquiries {
		as, problem := s.plan.attempts(q.in.key)
		counts.inquiries++
		counts.attempts += len(as)
		for _, a := range as {
			if a.fault != "" {
				counts.faults[a.fault]++
			}
			if a.timedOut && a.fault != simulator.FaultSlow {
				counts.timeouts++
			}
		}
		if q.res != nil {
			counts.statuses[q.res.Status]++
		}
		if c := refundkit.CategoryOf(q.err); c != "" {
			counts.errors[c]++
		}

		want, n := model.inquiry(p, q.c, as)
		switch {
		case q.panicked != nil:
			counts.panics++
			problem = fmt.Errorf("panic: %v", q.panicked)
		case problem != nil:
		case len(as) != n:
			problem = fmt.Errorf("made %d attempts, want %d", len(as), n)
		default:
			problem = want.check(p, q.in.query, q.res, q.err)
		}
		if problem != nil {
			counts.wrong++
			if counts.wrong <= 10 {
				t.Errorf("%s %s (%s), attempts %v: %v", p, q.in.key, q.c.name, as, problem)
			}
		}
	}
	return counts
}

// missingSignatures counts the attempts that got FaultMissingSignature and
// received the whole answer, which the validating transport then checked.
func (s *suiteProvider) missingSignatures() int {
	n := 0
	for _, q := range s.inquiries {
		as, _ := s.plan.attempts(q.in.key)
		for _, a := range as {
			if a.fault == simulator.FaultMissingSignature && !a.timedOut {
				n++
			}
		}
	}
	return n
}

// requireGoroutinesBack waits up to two seconds for the goroutine count to
// fall back to before, and fails if it does not.
func requireGoroutinesBack(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	require.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left behind")
}
