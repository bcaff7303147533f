package inquiry_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/simulator"
)

// TestContract runs every provider's every case (ZaloPay with JSON and with
// form-encoded requests) under every fault through the SDK, with the
// simulator's ValidatingTransport checking each request the SDK sends and
// each response it receives against the provider's spec.
// The SDK's requests never violate the spec; responses violate it exactly
// where a fault breaks the contract on purpose (see expectedViolations), and
// every request and every complete response was checked.
func TestContract(t *testing.T) {
	for _, v := range harnessVariants() {
		p := v.provider
		t.Run(v.name, func(t *testing.T) {
			h := newSimHarness(t, p, v.config)
			var totalRequests, totalResponses int64
			runMatrix(t, h, func(t *testing.T, r matrixRun) {
				wantResponses, wantViolations := 0, 0
				for i := range r.attempts {
					g := simulator.FaultNone
					if i == 0 {
						g = r.fault
					}
					if matrixModel.responded(g) {
						wantResponses++
						wantViolations += expectedViolations(p, g)
					}
				}
				reqs, resps := h.vt.Checked()
				assert.EqualValues(t, r.attempts, reqs, "requests checked")
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
			t.Logf("%s: %d requests and %d responses checked against the spec", v.name, totalRequests, totalResponses)
		})
	}
}
