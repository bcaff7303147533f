package inquiry_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/stretchr/testify/assert"
)

// TestRetryAfter checks how a Retry-After header is read: seconds or an
// HTTP date within the retry policy's MaxDelay are waited for and retried;
// a longer one, including a number too large for any integer type, ends
// the retries at once with Error.RetryAfter saying how long the provider
// asked for (capped at a day). A value that is not a delay at all is
// ignored.
func TestRetryAfter(t *testing.T) {
	now := time.Date(2023, 4, 7, 10, 0, 0, 0, time.UTC)
	const day = 24 * time.Hour
	tests := []struct {
		name  string
		value string
		hits  int32
		want  time.Duration
	}{
		{"zero", "0", 3, 0},
		{"one minute", "60", 1, time.Minute},
		{"past the cap", "999999999", 1, day},
		{"too large for an int", "99999999999999999999999999", 1, day},
		{"too large, with a sign", "+99999999999999999999999999", 1, day},
		{"an HTTP date a minute ahead", now.Add(time.Minute).Format(http.TimeFormat), 1, time.Minute},
		{"an HTTP date in the past", now.Add(-time.Minute).Format(http.TimeFormat), 3, 0},
		{"negative", "-5", 3, 0},
		{"not a delay", "soon", 3, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stub := zaloPayStub(t, false, func(int) stubReply {
				return stubReply{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": tt.value}}
			})
			c := newZaloPayClient(t, inquiry.ZaloPayConfig{}, inquiry.WithBaseURL(stub.URL), stubRetry,
				inquiry.WithClock(func() time.Time { return now }))
			_, err := c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
			e := requireStubError(t, err, refundkit.CategoryRateLimited, "")
			assert.Equal(t, tt.hits, stub.hits.Load(), "attempts")
			assert.Equal(t, tt.want, e.RetryAfter)
			assert.EqualValues(t, tt.hits, e.Attempts)
		})
	}
}
