package inquiry_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// TestResponseBodyLimit reads answers around the size limit, with and
// without a Content-Length (the client reads a known length into a buffer
// of that size, an unknown one into a growing buffer), and one whose
// Content-Length promises more than arrives.
func TestResponseBodyLimit(t *testing.T) {
	const limit = 2000
	answer := func(size int) []byte { // a ZaloPay answer padded with spaces to size bytes
		b := []byte(`{"return_code":1,"return_message":"ok","sub_return_code":1,"sub_return_message":"ok"}`)
		return append(b, bytes.Repeat([]byte(" "), size-len(b))...)
	}
	tests := []struct {
		name    string
		size    int
		chunked bool // no Content-Length
		short   int  // bytes promised by Content-Length but never sent
		want    refundkit.Category
	}{
		{name: "small", size: 100},
		{name: "at the limit", size: limit},
		{name: "one byte over", size: limit + 1, want: refundkit.CategoryInvalidResponse},
		{name: "far over", size: 4 * limit, want: refundkit.CategoryInvalidResponse},
		{name: "chunked, small", size: 100, chunked: true},
		{name: "chunked, several reads", size: limit, chunked: true},
		{name: "chunked, one byte over", size: limit + 1, chunked: true, want: refundkit.CategoryInvalidResponse},
		{name: "cut short", size: 500, short: 10, want: refundkit.CategoryTemporary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				body := answer(tt.size)
				if !tt.chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(body)+tt.short))
				}
				for len(body) > 0 { // in pieces, so that the client reads more than once
					n := min(len(body), 300)
					_, _ = w.Write(body[:n])
					w.(http.Flusher).Flush()
					body = body[n:]
				}
			}))
			t.Cleanup(srv.Close)
			c := newZaloPayClient(t, inquiry.ZaloPayConfig{}, inquiry.WithBaseURL(srv.URL),
				inquiry.WithMaxResponseBytes(limit), inquiry.WithRetry(inquiry.RetryPolicy{MaxAttempts: 1}))
			res, err := c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
			if tt.want == "" {
				require.NoError(t, err)
				assert.Equal(t, refundkit.StatusSucceeded, res.Status)
				assert.Len(t, res.Raw, tt.size)
				return
			}
			assert.Nil(t, res)
			assert.Equal(t, tt.want, refundkit.CategoryOf(err), "%v", err)
		})
	}
}
