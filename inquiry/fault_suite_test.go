package inquiry_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"runtime"
	"slices"
	"strconv"
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

// faultPlan chooses each attempt's fault in advance, from a seeded PCG, and
// records what each attempt of each inquiry met: on the simulator's side,
// the fault it got (FaultFunc); on the client's side, whether it ran out of
// time. Its transport numbers each inquiry's attempts in headers, and its
// handler serves one request of an inquiry at a time, so that the FaultFunc
// knows exactly which attempt it serves, even when an attempt that timed out
// is still being answered as the next begins.
type faultPlan struct {
	mu      sync.Mutex
	planned map[string][]simulator.Fault // by inquiry key, one per possible attempt
	got     map[string][]simulator.Fault // by inquiry key and attempt; "" for none served
	sent    map[string][]sentAttempt     // by inquiry key and attempt
	serving map[string]int               // the attempt the simulator is serving, by inquiry key
	locks   map[string]*sync.Mutex       // one request of an inquiry at a time
}

// sentAttempt is the client's side of one attempt.
type sentAttempt struct {
	timedOut bool  // the attempt's deadline ended the exchange
	err      error // the transport or body-read error, if any
}

// The headers faultPlan's transport adds to each request, and the context
// key that carries an inquiry's key to it.
const (
	suiteInquiryHeader = "X-Fault-Suite-Inquiry"
	suiteAttemptHeader = "X-Fault-Suite-Attempt"
)

type suiteKeyCtx struct{}

func newFaultPlan() *faultPlan {
	return &faultPlan{planned: map[string][]simulator.Fault{}, got: map[string][]simulator.Fault{},
		sent: map[string][]sentAttempt{}, serving: map[string]int{}, locks: map[string]*sync.Mutex{}}
}

// plan draws the faults of the attempts of the inquiry with key.
func (fp *faultPlan) plan(rng *rand.Rand, key string) {
	pool := simulator.Faults()
	faults := make([]simulator.Fault, suiteAttemptsPerQuery)
	for i := range faults {
		n := rng.IntN(len(pool) + suiteNoneWeight)
		faults[i] = simulator.FaultNone
		if n < len(pool) {
			faults[i] = pool[n]
		}
	}
	fp.planned[key] = faults
	fp.locks[key] = new(sync.Mutex)
}

// pick is the simulator's FaultFunc: it serves the planned fault of the
// attempt being served, and records it. An attempt beyond the plan (a client
// retrying too often) gets FaultNone, recorded too, so that the suite sees
// it.
func (fp *faultPlan) pick(q simulator.Inquiry) simulator.Fault {
	key := inquiryKey(q)
	fp.mu.Lock()
	defer fp.mu.Unlock()
	n := fp.serving[key]
	f := simulator.FaultNone
	if planned := fp.planned[key]; n < len(planned) {
		f = planned[n]
	}
	got := fp.got[key]
	for len(got) <= n {
		got = append(got, "")
	}
	got[n] = f
	fp.got[key] = got
	return f
}

// handler serves the attempts of each inquiry one at a time, telling pick
// which attempt it serves.
func (fp *faultPlan) handler(sim http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get(suiteInquiryHeader)
		n, err := strconv.Atoi(r.Header.Get(suiteAttemptHeader))
		fp.mu.Lock()
		lock := fp.locks[key]
		fp.mu.Unlock()
		if lock == nil || err != nil {
			http.Error(w, "fault suite: request of no planned inquiry", http.StatusBadRequest)
			return
		}
		lock.Lock()
		defer lock.Unlock()
		fp.mu.Lock()
		fp.serving[key] = n
		fp.mu.Unlock()
		sim.ServeHTTP(w, r)
	})
}

// transport numbers the attempts of each inquiry (its key comes in the
// request's context) and records how each ended.
func (fp *faultPlan) transport(base http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		key, _ := req.Context().Value(suiteKeyCtx{}).(string)
		fp.mu.Lock()
		n := len(fp.sent[key])
		fp.sent[key] = append(fp.sent[key], sentAttempt{})
		fp.mu.Unlock()
		out := req.Clone(req.Context())
		out.Header.Set(suiteInquiryHeader, key)
		out.Header.Set(suiteAttemptHeader, strconv.Itoa(n))
		ended := func(err error) {
			fp.mu.Lock()
			fp.sent[key][n] = sentAttempt{err: err, timedOut: errors.Is(err, context.DeadlineExceeded) || req.Context().Err() != nil}
			fp.mu.Unlock()
		}
		resp, err := base.RoundTrip(out)
		if err != nil {
			ended(err)
			return nil, err
		}
		resp.Body = &watchedBody{ReadCloser: resp.Body, failed: ended}
		return resp, nil
	})
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// watchedBody reports the first read error other than io.EOF.
type watchedBody struct {
	io.ReadCloser
	failed func(error)
	once   sync.Once
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		b.once.Do(func() { b.failed(err) })
	}
	return n, err
}

// attempts returns what each attempt of the inquiry with key met, and a
// description of the first attempt the record cannot explain: one that
// reached no fault yet did not run out of time.
func (fp *faultPlan) attempts(key string) ([]simAttempt, error) {
	sent, got := fp.sent[key], fp.got[key]
	as := make([]simAttempt, len(sent))
	for i, a := range sent {
		as[i].timedOut = a.timedOut
		if i < len(got) {
			as[i].fault = got[i]
		}
		if as[i].fault == "" && !a.timedOut {
			return as, fmt.Errorf("attempt %d reached no fault and did not time out: %v", i+1, a.err)
		}
	}
	return as, nil
}

// suiteInquiry is one inquiry of the fault suite and what came of it.
type suiteInquiry struct {
	c        simCase
	in       simInstance
	res      *refundkit.Result
	err      error
	panicked any
}

// suiteCounts tallies one provider's run (or all of them).
type suiteCounts struct {
	inquiries, attempts, wrong, panics int
	timeouts                           int // attempts timed out without FaultSlow: the machine was busy
	faults                             map[simulator.Fault]int
	statuses                           map[refundkit.Status]int
	errors                             map[refundkit.Category]int
}

func newSuiteCounts() suiteCounts {
	return suiteCounts{faults: map[simulator.Fault]int{}, statuses: map[refundkit.Status]int{}, errors: map[refundkit.Category]int{}}
}

func (s *suiteCounts) add(o suiteCounts) {
	s.inquiries += o.inquiries
	s.attempts += o.attempts
	s.wrong += o.wrong
	s.panics += o.panics
	s.timeouts += o.timeouts
	for k, v := range o.faults {
		s.faults[k] += v
	}
	for k, v := range o.statuses {
		s.statuses[k] += v
	}
	for k, v := range o.errors {
		s.errors[k] += v
	}
}

func (s suiteCounts) String() string {
	return fmt.Sprintf("%d inquiries, %d attempts (%d retries); faults: %s; other timeouts: %d; statuses: %s; errors: %s; wrong answers = %d, panics = %d",
		s.inquiries, s.attempts, s.attempts-s.inquiries, tally(s.faults), s.timeouts, tally(s.statuses), tally(s.errors), s.wrong, s.panics)
}

// tally formats counts as "k=v ..." in key order.
func tally[K ~string](m map[K]int) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, " ")
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
		for i := range perProvider {
			c := cases[rng.IntN(len(cases))]
			in := c.instance(fmt.Sprintf("f%05d", i))
			if in.refund != nil {
				require.NoError(t, s.h.sim.Seed(*in.refund))
			}
			s.plan.plan(rng, in.key)
			s.inquiries = append(s.inquiries, suiteInquiry{c: c, in: in})
		}
		suites = append(suites, s)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	start := time.Now()
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

		// What the plan recorded is what the simulator counted.
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
	assert.Zero(t, total.wrong, "wrong answers")
	assert.LessOrEqual(t, total.timeouts, total.attempts/10, "attempts that timed out without FaultSlow")
	assert.Zero(t, total.panics, "panics")
	summary := fmt.Sprintf("fault suite (seed %d, %s): %v", *faultSeed, elapsed.Round(time.Millisecond), total)
	t.Log(summary)
	fmt.Println(summary)
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
