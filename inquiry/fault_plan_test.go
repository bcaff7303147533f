package inquiry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"

	"github.com/refundkit/refundkit/simulator"
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
