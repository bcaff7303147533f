package inquiry_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// attemptTimeout is the per-attempt timeout TestAttemptTimeout's client
// runs with.
const attemptTimeout = 100 * time.Millisecond

// TestAttemptTimeout checks the per-attempt timeout (attempt_timeout.go,
// whose timers are pooled and reused): an attempt that outlives it ends
// with context.DeadlineExceeded and is retried, timers reused after many
// answered attempts still fire, and concurrent inquiries each keep their
// own deadline. The steps run in order against one server and client.
func TestAttemptTimeout(t *testing.T) {
	r := newAttemptTimeoutRig(t)
	for _, step := range []struct {
		name string
		run  func(*testing.T, *attemptTimeoutRig)
	}{
		{"every attempt times out", testEveryAttemptTimesOut},
		{"the retry after a timeout answers", testRetryAfterTimeoutAnswers},
		{"reused timers still fire", testReusedTimersStillFire},
		{"concurrent inquiries", testConcurrentAttemptTimeouts},
		{"the caller's shorter deadline wins", testCallerDeadlineWins},
	} {
		t.Run(step.name, func(t *testing.T) { step.run(t, r) })
	}
}

// attemptTimeoutRig is the server TestAttemptTimeout's steps share, which
// answers ZaloPay's success unless told to hang, and a client with a
// per-attempt timeout of attemptTimeout and three attempts.
type attemptTimeoutRig struct {
	hang  atomic.Int32 // how many of the next requests hang until canceled
	url   string
	retry inquiry.Option
	c     *inquiry.Client
}

func newAttemptTimeoutRig(t *testing.T) *attemptTimeoutRig {
	r := &attemptTimeoutRig{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body) // then the server sees the client go away
		if r.hang.Add(-1) >= 0 {
			<-req.Context().Done()
			return
		}
		_, _ = w.Write([]byte(zaloPayAnswer(1, 1, "ok", "ok")))
	}))
	t.Cleanup(srv.Close)
	r.url = srv.URL
	r.retry = inquiry.WithRetry(inquiry.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})
	r.c = newZaloPayClient(t, inquiry.ZaloPayConfig{}, inquiry.WithBaseURL(r.url), inquiry.WithTimeout(attemptTimeout), r.retry)
	return r
}

// inquire asks the rig's client about zaloPayRefundID and says how long
// it took.
func (r *attemptTimeoutRig) inquire(t *testing.T) (*refundkit.Result, time.Duration, error) {
	start := time.Now()
	res, err := r.c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
	return res, time.Since(start), err
}

func testEveryAttemptTimesOut(t *testing.T, r *attemptTimeoutRig) {
	r.hang.Store(3)
	res, took, err := r.inquire(t)
	assert.Nil(t, res)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	e := requireStubError(t, err, refundkit.CategoryTemporary, "")
	assert.Equal(t, 3, e.Attempts)
	assert.GreaterOrEqual(t, took, 3*attemptTimeout)
	assert.Less(t, took, 3*attemptTimeout+5*time.Second)
}

func testRetryAfterTimeoutAnswers(t *testing.T, r *attemptTimeoutRig) {
	r.hang.Store(1)
	res, took, err := r.inquire(t)
	require.NoError(t, err)
	assert.Equal(t, refundkit.StatusSucceeded, res.Status)
	assert.GreaterOrEqual(t, took, attemptTimeout)
}

func testReusedTimersStillFire(t *testing.T, r *attemptTimeoutRig) {
	r.hang.Store(0)
	for range 50 {
		_, _, err := r.inquire(t)
		require.NoError(t, err)
	}
	r.hang.Store(3)
	_, took, err := r.inquire(t)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.GreaterOrEqual(t, took, 3*attemptTimeout)
}

func testConcurrentAttemptTimeouts(t *testing.T, r *attemptTimeoutRig) {
	r.hang.Store(4) // four of the first attempts hang, and are retried
	var wg sync.WaitGroup
	var failed atomic.Int32
	for range 8 {
		wg.Go(func() {
			for range 5 {
				if _, _, err := r.inquire(t); err != nil {
					failed.Add(1)
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	assert.Zero(t, failed.Load())
}

func testCallerDeadlineWins(t *testing.T, r *attemptTimeoutRig) {
	r.hang.Store(1)
	long := newZaloPayClient(t, inquiry.ZaloPayConfig{}, inquiry.WithBaseURL(r.url), inquiry.WithTimeout(time.Hour), r.retry)
	ctx, cancel := context.WithTimeout(t.Context(), attemptTimeout)
	defer cancel()
	_, err := long.Inquire(ctx, refundkit.Query{RefundID: zaloPayRefundID})
	assert.True(t, errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil, "%v", err)
	assert.Equal(t, 1, requireStubError(t, err, refundkit.CategoryTemporary, "").Attempts)
}
