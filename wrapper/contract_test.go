package wrapper_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/simulator"
)

// contractFaults is FaultNone followed by every fault.
func contractFaults() []simulator.Fault {
	return append([]simulator.Fault{simulator.FaultNone}, simulator.Faults()...)
}

// contractModel is the fault model of the contract matrix: a slow answer
// arrives well within the client's timeout, so that it too is checked.
var contractModel = faultModel{slowTimesOut: false, maxAttempts: 3}

// runMatrix asks h's simulator about every case of its provider, once per
// fault, with the fault injected into the first attempt only. It requires
// each inquiry to end as the model says, then calls check with n, the
// number of attempts the inquiry must have taken.
func runMatrix(t *testing.T, h *simHarness, check func(t *testing.T, c simCase, f simulator.Fault, n int)) {
	t.Helper()
	h.sim.Faults().SetSlowDelay(5 * time.Millisecond)
	h.sim.Faults().SetRetryAfter(0) // within stubRetry's MaxDelay, so the client retries
	n := 0
	for _, c := range simCases(h.provider) {
		t.Run(c.name, func(t *testing.T) {
			for _, f := range contractFaults() {
				t.Run(string(f), func(t *testing.T) {
					n++
					in := c.instance(fmt.Sprintf("c%04d", n))
					if in.refund != nil {
						require.NoError(t, h.sim.Seed(*in.refund))
					}
					h.vt.Reset()
					h.sim.Faults().Next(1, f)
					res, err := h.client.Inquire(t.Context(), in.query)

					want, n := contractModel.inquiry(h.provider, c, attempts(f))
					require.NoError(t, want.check(h.provider, in.query, res, err))
					check(t, c, f, n)
				})
			}
		})
	}
}

// TestContract runs every provider's every case (ZaloPay with JSON and with
// form-encoded requests) under every fault through
// the SDK, with the simulator's ValidatingTransport checking each request
// the SDK sends and each response it receives against the provider's spec.
// The SDK's requests never violate the spec; responses violate it exactly
// where a fault breaks the contract on purpose (see expectedViolations), and
// every request and every complete response was checked.
func TestContract(t *testing.T) {
	for _, v := range harnessVariants() {
		p := v.provider
		t.Run(v.name, func(t *testing.T) {
			h := newSimHarness(t, p, v.config)
			var totalRequests, totalResponses int64
			runMatrix(t, h, func(t *testing.T, _ simCase, f simulator.Fault, n int) {
				wantResponses, wantViolations := 0, 0
				for i := range n {
					g := simulator.FaultNone
					if i == 0 {
						g = f
					}
					if contractModel.responded(g) {
						wantResponses++
						wantViolations += expectedViolations(p, g)
					}
				}
				reqs, resps := h.vt.Checked()
				assert.EqualValues(t, n, reqs, "requests checked")
				assert.EqualValues(t, wantResponses, resps, "responses checked")
				totalRequests += reqs
				totalResponses += resps

				vs := h.vt.Violations()
				require.Len(t, vs, wantViolations, "violations: %v", vs)
				for _, v := range vs {
					assert.True(t, v.Response, "the SDK sent a request that violates the spec: %v", v)
					assert.Equal(t, 200, v.Status)
					assert.Contains(t, v.Err.Error(), "Signature", "only the missing Signature header may violate: %v", v)
				}
			})
			assert.Positive(t, totalRequests)
			assert.Positive(t, totalResponses)
			t.Logf("%s: %d requests and %d responses checked against the spec", p, totalRequests, totalResponses)
		})
	}
}
