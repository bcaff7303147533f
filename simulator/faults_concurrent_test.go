package simulator_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// TestConcurrentRandomFaults is the fault suite's pattern in small: a
// FaultFunc picks faults at random, records what each refund got, and every
// answer is checked against its record. Run with -race.
func TestConcurrentRandomFaults(t *testing.T) {
	pool := []simulator.Fault{simulator.FaultNone, simulator.FaultHTTP500, simulator.FaultRateLimit,
		simulator.FaultUnknownStatus, simulator.FaultMismatchedID, simulator.FaultBadSignature}
	for _, p := range spokenProviders {
		t.Run(string(p), func(t *testing.T) {
			e := newEnv(t, p)
			const n = 200
			for i := range n {
				r := faultRefund(p)
				r.RefundID = fmt.Sprintf("230407_2554_c%03d", i)
				r.ProviderRefundID, r.RefundRequestID = "", ""
				require.NoError(t, e.sim.Seed(r))
			}
			var got sync.Map // refund id -> fault
			e.sim.Faults().Func(func(q simulator.Inquiry) simulator.Fault {
				f := pool[int(q.Seq)%len(pool)]
				got.Store(q.RefundID, f)
				return f
			})
			var wg sync.WaitGroup
			errs := make(chan error, n)
			for i := range n {
				wg.Go(func() {
					id := fmt.Sprintf("230407_2554_c%03d", i)
					a, err := e.try(e.request(t, id, reqOpts{}))
					if err != nil {
						errs <- err
						return
					}
					f, _ := got.Load(id)
					if msg := agrees(p, id, f.(simulator.Fault), a); msg != "" {
						errs <- errors.New(msg)
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			var total int64
			for _, c := range e.sim.Faults().Counts() {
				total += c
			}
			assert.EqualValues(t, n, total)
			assert.Empty(t, e.responseViolations())
		})
	}
}

// try sends req and reads the answer, returning errors instead of failing
// the test (it runs on other goroutines).
func (e *env) try(req *http.Request) (answer, error) {
	resp, err := e.http.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, body: body}
	if err == nil && a.status == http.StatusOK {
		err = json.Unmarshal(body, &a.json)
	}
	return a, err
}

// agrees reports ("" for yes) whether an answer is what fault f makes of
// refund id.
func agrees(p refundkit.Provider, id string, f simulator.Fault, a answer) string {
	want := map[simulator.Fault]int{simulator.FaultHTTP500: 500, simulator.FaultRateLimit: 429}[f]
	if want == 0 {
		want = 200
	}
	if a.status != want {
		return fmt.Sprintf("%s: fault %s: HTTP %d", id, f, a.status)
	}
	if want != 200 {
		return ""
	}
	status, echo, verr := a.rawStatus(p), a.refundID(p), a.verify(p)
	sp := speakerOf(p)
	switch {
	case f == simulator.FaultUnknownStatus && status != simulator.UnknownStatus(p),
		f != simulator.FaultUnknownStatus && status != seededStatus(p):
		return fmt.Sprintf("%s: fault %s: status %q", id, f, status)
	case !sp.noEcho && f == simulator.FaultMismatchedID && echo != id+simulator.MismatchSuffix,
		!sp.noEcho && f != simulator.FaultMismatchedID && echo != id:
		return fmt.Sprintf("%s: fault %s: echoed id %q", id, f, echo)
	case (f == simulator.FaultBadSignature && !sp.unsigned) != (verr != nil):
		return fmt.Sprintf("%s: fault %s: verify: %v", id, f, verr)
	}
	return ""
}
