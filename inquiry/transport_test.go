package inquiry_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestResponseHeadersBounded checks that the response headers are capped
// as the body is: by default the client's own transport refuses more than
// DefaultMaxResponseHeaderBytes of them, and a caller's client that sets
// http.Transport.MaxResponseHeaderBytes gets the same error. Either way it
// is an invalid response, not retried, not a network failure.
func TestResponseHeadersBounded(t *testing.T) {
	ok := zaloPayAnswer(1, 1, "ok", "ok")
	own := &http.Client{Transport: &http.Transport{MaxResponseHeaderBytes: 4 << 10}}
	tests := []struct {
		name    string
		header  int // bytes of padding header
		opts    []inquiry.Option
		wantErr bool
	}{
		{"small headers, default client", 1 << 10, nil, false},
		{"headers just under the cap, default client", inquiry.DefaultMaxResponseHeaderBytes - 1<<10, nil, false},
		{"headers past the cap, default client", inquiry.DefaultMaxResponseHeaderBytes + 1<<10, nil, true},
		{"headers past the cap, caller's client", 8 << 10, []inquiry.Option{inquiry.WithHTTPClient(own)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pad := strings.Repeat("x", tt.header)
			stub := zaloPayStub(t, false, func(int) stubReply {
				return stubReply{header: map[string]string{"X-Pad": pad}, body: []byte(ok)}
			})
			opts := append([]inquiry.Option{inquiry.WithBaseURL(stub.URL), stubRetry,
				inquiry.WithTimeout(5 * time.Second)}, tt.opts...)
			c := newZaloPayClient(t, inquiry.ZaloPayConfig{}, opts...)
			res, err := c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
			if !tt.wantErr {
				require.NoError(t, err)
				assert.Equal(t, refundkit.StatusSucceeded, res.Status)
				return
			}
			assert.Nil(t, res)
			e := requireStubError(t, err, refundkit.CategoryInvalidResponse, "")
			assert.Contains(t, e.Error(), "headers")
			assert.Equal(t, int32(1), stub.hits.Load(), "attempts")
		})
	}
}

// TestConnectionFailureAttempts checks that a provider that cannot be
// reached is a temporary error saying how many attempts were made.
func TestConnectionFailureAttempts(t *testing.T) {
	stub := zaloPayStub(t, false, func(int) stubReply { return stubReply{} })
	url := stub.URL
	stub.Close() // nothing listens there any more
	c := newZaloPayClient(t, inquiry.ZaloPayConfig{}, inquiry.WithBaseURL(url), stubRetry)
	_, err := c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
	e := requireStubError(t, err, refundkit.CategoryTemporary, "")
	assert.Equal(t, 3, e.Attempts)
	assert.Zero(t, e.HTTPStatus)
}
