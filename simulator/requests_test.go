package simulator_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// requestCase is one request a provider should answer with code.
type requestCase struct {
	name string
	o    reqOpts
	code string
	// specInvalid: the request does not match the spec, so the validating
	// transport must flag it too.
	specInvalid bool
	// unverifiable: the answer is signed for another identity than the
	// client's, so the client cannot verify it.
	unverifiable bool
}

func setBody(k string, v any) func(map[string]any) {
	return func(m map[string]any) { m[k] = v }
}

func delBody(k string) func(map[string]any) {
	return func(m map[string]any) { delete(m, k) }
}

func setHeader(k, v string) func(http.Header) {
	return func(h http.Header) { h.Set(k, v) }
}

func delHeader(k string) func(http.Header) {
	return func(h http.Header) { h.Del(k) }
}

func replaceBody(old, repl string) func([]byte) []byte {
	return func(b []byte) []byte { return []byte(strings.Replace(string(b), old, repl, 1)) }
}

const seededID = "230407_2554_seeded"

func TestRequests(t *testing.T) {
	for _, p := range spokenProviders {
		t.Run(string(p), func(t *testing.T) {
			for _, tc := range speakerOf(p).requestCases {
				t.Run(tc.name, func(t *testing.T) {
					e := newEnv(t, p)
					require.NoError(t, e.sim.Seed(simulator.Refund{RefundID: seededID, Status: seededStatus(p)}))
					a := e.do(t, e.request(t, seededID, tc.o))
					require.Equal(t, http.StatusOK, a.status, "providers answer errors with HTTP 200")
					assert.Equal(t, tc.code, a.code(p), "body: %s", a.body)
					if !tc.unverifiable {
						require.NoError(t, a.verify(p), "every answer is signed where the provider signs")
					}
					accepted := e.sim.Faults().Count(simulator.FaultNone) == 1
					assert.Equal(t, accepted, e.sim.Stats().Rejected == 0)
					_, n, _ := e.sim.Refund(seededID)
					assert.Equal(t, accepted, n == 1, "only accepted inquiries count")

					assert.Empty(t, e.responseViolations(), "every answer matches the spec")
					assert.Equal(t, tc.specInvalid, len(e.vt.Violations()) > 0,
						"the validating transport agrees on what is malformed: %v", e.vt.Violations())
				})
			}
		})
	}
}

// seededStatus is a success status in provider p's terms.
func seededStatus(p refundkit.Provider) string { return speakerOf(p).succeeded }

func TestAlphaPayRejectionSignedForTheCallersMerchantCode(t *testing.T) {
	e := newEnv(t, refundkit.AlphaPay)
	a := e.do(t, e.request(t, "x", reqOpts{header: setHeader("Merchant-Code", "OTHER")}))
	assert.Equal(t, "ACCESS_DENIED", a.code(refundkit.AlphaPay))
	err := sign.AlphaPay{MerchantCode: "OTHER", PublicKey: testKeys().Platform.Public}.
		VerifyResponse(http.MethodPost, e.sim.Path(), a.header, a.body)
	require.NoError(t, err)
}

func TestOversizedRequestBody(t *testing.T) {
	for _, p := range spokenProviders {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel() // net/http lingers 500ms before closing a connection with unread body
			e := newEnv(t, p)
			req := e.request(t, "x", reqOpts{raw: func([]byte) []byte { return []byte(strings.Repeat(" ", 100<<10)) }})
			resp, err := e.srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.EqualValues(t, 1, e.sim.Stats().Rejected)
		})
	}
}
