package simulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// faultRefund is the refund every fault test asks about.
func faultRefund(p refundkit.Provider) simulator.Refund {
	r := simulator.Refund{RefundID: "230407_2554_fault", RefundRequestID: "RR-9", ProviderRefundID: "T9",
		Status: seededStatus(p), Amount: "100", Currency: "USD"}
	if speakerOf(p).noAmount {
		r.Amount, r.Currency = "", ""
	}
	return r
}

// TestFaultsObservable switches each fault on for one request and checks
// what a client sees at the HTTP level.
func TestFaultsObservable(t *testing.T) {
	for _, p := range spokenProviders {
		t.Run(string(p), func(t *testing.T) {
			for _, f := range simulator.Faults() {
				t.Run(string(f), func(t *testing.T) {
					e := newEnv(t, p)
					r := faultRefund(p)
					require.NoError(t, e.sim.Seed(r))
					e.sim.Faults().SetSlowDelay(20 * time.Millisecond)
					e.sim.Faults().Next(1, f)
					checkFault(t, e, f, r)
					assert.EqualValues(t, 1, e.sim.Faults().Count(f))

					// The fault was for one request only.
					a := e.inquire(t, r.RefundID)
					assert.Equal(t, http.StatusOK, a.status)
					assert.Equal(t, r.Status, a.rawStatus(p))
					require.NoError(t, a.verify(p))
					assert.EqualValues(t, 1, e.sim.Faults().Count(simulator.FaultNone))
				})
			}
		})
	}
}

// checkFault asks about r, with fault f switched on, and checks what the
// client sees: the transport faults here, an answer's in checkFaultAnswer.
func checkFault(t *testing.T, e *env, f simulator.Fault, r simulator.Refund) {
	t.Helper()
	req := e.request(t, r.RefundID, reqOpts{})
	start := time.Now()
	resp, err := e.http.Do(req)
	if f == simulator.FaultConnReset {
		require.Error(t, err, "the connection is reset before any response")
		return
	}
	require.NoError(t, err)
	defer resp.Body.Close()
	body, readErr := io.ReadAll(resp.Body)
	if f == simulator.FaultTruncated {
		require.ErrorIs(t, readErr, io.ErrUnexpectedEOF)
		assert.Less(t, int64(len(body)), resp.ContentLength)
		return
	}
	require.NoError(t, readErr)
	a := answer{status: resp.StatusCode, header: resp.Header, body: body}
	switch f {
	case simulator.FaultHTTP500:
		assert.Equal(t, http.StatusInternalServerError, a.status)
		_, n, _ := e.sim.Refund(r.RefundID)
		assert.Zero(t, n, "a 500 is answered before the lookup")
		return
	case simulator.FaultRateLimit:
		assert.Equal(t, http.StatusTooManyRequests, a.status)
		assert.Equal(t, "1", a.header.Get("Retry-After"))
		return
	}
	require.Equal(t, http.StatusOK, a.status)
	require.NoError(t, json.Unmarshal(body, &a.json))
	checkFaultAnswer(t, e, f, r, a, time.Since(start))
}

// checkFaultAnswer checks the HTTP 200 answer a to an inquiry about r that
// fault f changed, which took elapsed, and that the faults that keep the
// answer well-formed keep it within the spec.
func checkFaultAnswer(t *testing.T, e *env, f simulator.Fault, r simulator.Refund, a answer, elapsed time.Duration) {
	t.Helper()
	p := e.p
	verr := a.verify(p)
	sp := speakerOf(p)
	unsigned := sp.unsigned
	switch f {
	case simulator.FaultSlow:
		assert.GreaterOrEqual(t, elapsed, 20*time.Millisecond)
		assert.Equal(t, r.Status, a.rawStatus(p))
		require.NoError(t, verr)
	case simulator.FaultOversized:
		assert.Greater(t, len(a.body), 1<<20)
		assert.True(t, json.Valid(a.body), "still valid JSON")
		require.NoError(t, verr, "still correctly signed")
		assert.Equal(t, r.Status, a.rawStatus(p))
	case simulator.FaultBadSignature:
		if unsigned {
			require.NoError(t, verr)
		} else {
			require.ErrorIs(t, verr, sign.ErrInvalidSignature)
			require.NotErrorIs(t, verr, sign.ErrMalformedSignature, "well-formed, just wrong")
		}
		assert.Equal(t, r.Status, a.rawStatus(p))
	case simulator.FaultMissingSignature:
		if unsigned {
			require.NoError(t, verr)
		} else {
			require.ErrorIs(t, verr, sign.ErrMissingSignature)
		}
	case simulator.FaultUnknownStatus:
		assert.Equal(t, simulator.UnknownStatus(p), a.rawStatus(p))
		require.NoError(t, verr)
	case simulator.FaultMismatchedID:
		if !sp.noEcho {
			assert.Equal(t, r.RefundID+simulator.MismatchSuffix, a.refundID(p))
		}
		require.NoError(t, verr)
	default:
		t.Fatalf("no check for fault %s", f)
	}
	// Faults that keep the answer well-formed keep it within the spec,
	// where the spec does not require the signature.
	wantViolations := f == simulator.FaultMissingSignature && sp.signatureInSpec
	assert.Equal(t, wantViolations, len(e.responseViolations()) > 0, "%v", e.vt.Violations())
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{{0, "0"}, {time.Second, "1"}, {1500 * time.Millisecond, "2"}, {30 * time.Second, "30"}}
	e := newEnv(t, refundkit.PayerMax)
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			e.sim.Faults().SetRetryAfter(tt.d)
			e.sim.Faults().Next(1, simulator.FaultRateLimit)
			a := e.inquire(t, "x")
			assert.Equal(t, http.StatusTooManyRequests, a.status)
			assert.Equal(t, tt.want, a.header.Get("Retry-After"))
		})
	}
}

// TestSlowHonoursContext: a client that gives up ends the handler at once,
// so nothing is left running (httptest.Server.Close waits for handlers).
func TestSlowHonoursContext(t *testing.T) {
	e := newEnv(t, refundkit.ZaloPay)
	e.sim.Faults().SetSlowDelay(time.Minute)
	e.sim.Faults().Always(simulator.FaultSlow)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := e.http.Do(e.request(t, "x", reqOpts{}).WithContext(ctx))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	start := time.Now()
	e.srv.Close()
	assert.Less(t, time.Since(start), 5*time.Second, "the slow handler returned when the client left")
}

func TestInjectorPrecedence(t *testing.T) {
	e := newEnv(t, refundkit.PayerMax)
	require.NoError(t, e.sim.Seed(simulator.Refund{RefundID: "a", Status: "REFUND_SUCCESS"}, simulator.Refund{RefundID: "b", Status: "REFUND_SUCCESS"}))
	in := e.sim.Faults()
	statusOf := func(id string) int { return e.inquire(t, id).status }

	in.Always(simulator.FaultRateLimit)
	in.Next(2, simulator.FaultHTTP500)
	in.Next(1, simulator.FaultNone)
	assert.Equal(t, []int{500, 500, 200, 429}, []int{statusOf("a"), statusOf("a"), statusOf("a"), statusOf("a")})

	var seqs []uint64
	in.Func(func(q simulator.Inquiry) simulator.Fault {
		seqs = append(seqs, q.Seq)
		assert.Equal(t, refundkit.PayerMax, q.Provider)
		if q.RefundID == "b" {
			return simulator.FaultHTTP500
		}
		return simulator.Fault("no such fault") // counts as none
	})
	assert.Equal(t, []int{200, 500}, []int{statusOf("a"), statusOf("b")})
	assert.Equal(t, []uint64{5, 6}, seqs)
	in.Next(1, simulator.FaultRateLimit)
	assert.Equal(t, 429, statusOf("b"), "the Next queue comes before the func")

	in.Clear()
	assert.Equal(t, 200, statusOf("b"))
	assert.Equal(t, map[simulator.Fault]int64{
		simulator.FaultNone: 3, simulator.FaultHTTP500: 3, simulator.FaultRateLimit: 2,
	}, in.Counts())
	in.Reset()
	assert.Empty(t, in.Counts())

	assert.Panics(t, func() { in.Always("no such fault") })
	assert.Panics(t, func() { in.Next(1, "no such fault") })
	assert.True(t, simulator.FaultNone.Valid())
	assert.False(t, simulator.Fault("x").Valid())
	assert.Len(t, simulator.Faults(), 10)
}

func TestFaultsSkipRejectedRequests(t *testing.T) {
	e := newEnv(t, refundkit.NewPay)
	e.sim.Faults().Always(simulator.FaultHTTP500)
	a := e.do(t, e.request(t, "x", reqOpts{keys: otherKeys()}))
	assert.Equal(t, http.StatusOK, a.status)
	assert.Equal(t, "Z00007", a.code(refundkit.NewPay))
	assert.Empty(t, e.sim.Faults().Counts())
}

func TestTransitionsCountOnlyAnsweredInquiries(t *testing.T) {
	e := newEnv(t, refundkit.PayerMax)
	require.NoError(t, e.sim.Seed(simulator.Refund{RefundID: "t", Status: "REFUND_PENDING",
		Transitions: []simulator.Transition{{After: 1, Status: "REFUND_SUCCESS"}}}))
	e.sim.Faults().Next(2, simulator.FaultHTTP500)
	e.sim.Faults().Next(1, simulator.FaultUnknownStatus)
	var got []string
	for range 4 {
		a := e.inquire(t, "t")
		got = append(got, fmt.Sprint(a.status, a.rawStatus(refundkit.PayerMax)))
	}
	assert.Equal(t, []string{"500", "500", "200" + simulator.UnknownStatus(refundkit.PayerMax), "200REFUND_SUCCESS"}, got)
}
