package inquiry_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

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
