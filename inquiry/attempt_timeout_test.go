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

// TestAttemptTimeout checks the per-attempt timeout (attempt_timeout.go,
// whose timers are pooled and reused): an attempt that outlives it ends
// with context.DeadlineExceeded and is retried, timers reused after many
// answered attempts still fire, and concurrent inquiries each keep their
// own deadline.
func TestAttemptTimeout(t *testing.T) {
	const timeout = 100 * time.Millisecond
	var hang atomic.Int32 // how many of the next requests hang until canceled
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // then the server sees the client go away
		if hang.Add(-1) >= 0 {
			<-r.Context().Done()
			return
		}
		_, _ = w.Write([]byte(zaloPayAnswer(1, 1, "ok", "ok")))
	}))
	t.Cleanup(srv.Close)
	retry := inquiry.WithRetry(inquiry.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})
	c := newZaloPayClient(t, inquiry.ZaloPayConfig{}, inquiry.WithBaseURL(srv.URL), inquiry.WithTimeout(timeout), retry)
	inquire := func() (*refundkit.Result, time.Duration, error) {
		start := time.Now()
		res, err := c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
		return res, time.Since(start), err
	}

	t.Run("every attempt times out", func(t *testing.T) {
		hang.Store(3)
		res, took, err := inquire()
		assert.Nil(t, res)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		e := requireStubError(t, err, refundkit.CategoryTemporary, "")
		assert.Equal(t, 3, e.Attempts)
		assert.GreaterOrEqual(t, took, 3*timeout)
		assert.Less(t, took, 3*timeout+5*time.Second)
	})
	t.Run("the retry after a timeout answers", func(t *testing.T) {
		hang.Store(1)
		res, took, err := inquire()
		require.NoError(t, err)
		assert.Equal(t, refundkit.StatusSucceeded, res.Status)
		assert.GreaterOrEqual(t, took, timeout)
	})
	t.Run("reused timers still fire", func(t *testing.T) {
		hang.Store(0)
		for range 50 {
			_, _, err := inquire()
			require.NoError(t, err)
		}
		hang.Store(3)
		_, took, err := inquire()
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.GreaterOrEqual(t, took, 3*timeout)
	})
	t.Run("concurrent inquiries", func(t *testing.T) {
		hang.Store(4) // four of the first attempts hang, and are retried
		var wg sync.WaitGroup
		var failed atomic.Int32
		for range 8 {
			wg.Go(func() {
				for range 5 {
					if _, _, err := inquire(); err != nil {
						failed.Add(1)
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
		assert.Zero(t, failed.Load())
	})
	t.Run("the caller's shorter deadline wins", func(t *testing.T) {
		hang.Store(1)
		long := newZaloPayClient(t, inquiry.ZaloPayConfig{}, inquiry.WithBaseURL(srv.URL), inquiry.WithTimeout(time.Hour), retry)
		ctx, cancel := context.WithTimeout(t.Context(), timeout)
		defer cancel()
		_, err := long.Inquire(ctx, refundkit.Query{RefundID: zaloPayRefundID})
		assert.True(t, errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil, "%v", err)
		assert.Equal(t, 1, requireStubError(t, err, refundkit.CategoryTemporary, "").Attempts)
	})
}
