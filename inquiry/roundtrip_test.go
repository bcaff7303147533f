package inquiry_test

import (
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// sendClients are the ways an attempt is sent: by the transport itself
// (the default client, or a caller's with neither Jar nor Timeout) or by
// http.Client.Do (a caller's with a Jar or a Timeout).
func sendClients(t *testing.T) map[string][]inquiry.Option {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return map[string][]inquiry.Option{
		"default":      nil,
		"plain client": {inquiry.WithHTTPClient(&http.Client{})},
		"with jar":     {inquiry.WithHTTPClient(&http.Client{Jar: jar})},
		"with timeout": {inquiry.WithHTTPClient(&http.Client{Timeout: time.Minute})},
	}
}

// TestSendWaysAlike: every way of sending answers alike. An answer is
// read the same, and a provider that cannot be reached is a temporary
// error wrapping the *url.Error that http.Client.Do returns, naming the
// method and the URL.
func TestSendWaysAlike(t *testing.T) {
	for name, opts := range sendClients(t) {
		t.Run(name, func(t *testing.T) {
			stub := zaloPayStub(t, false, zaloPayAlways(zaloPayAnswer(1, 1, "", "")))
			c := newZaloPayClient(t, inquiry.ZaloPayConfig{}, append(opts, inquiry.WithBaseURL(stub.URL))...)
			res, err := c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
			require.NoError(t, err)
			assert.Equal(t, refundkit.StatusSucceeded, res.Status)

			gone := stub.URL
			stub.Close()
			c = newZaloPayClient(t, inquiry.ZaloPayConfig{}, append(opts, inquiry.WithBaseURL(gone), stubRetry)...)
			_, err = c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
			requireStubError(t, err, refundkit.CategoryTemporary, "")
			var ue *url.Error
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, "Post", ue.Op)
			assert.True(t, strings.HasPrefix(ue.URL, gone+"/"), "URL %q", ue.URL)
		})
	}
}

// TestSendKeepsTheCallersJar: a caller's client with a cookie jar still
// sends its cookies, as http.Client.Do does.
func TestSendKeepsTheCallersJar(t *testing.T) {
	var cookie atomic.Value
	stub := newProviderStub(t, func(r *http.Request, body []byte) error {
		cookie.Store(r.Header.Get("Cookie"))
		return zaloPayCheck(false)(r, body)
	}, func(int, []byte) stubReply { return stubReply{body: []byte(zaloPayAnswer(1, 1, "", ""))} })
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	u, err := url.Parse(stub.URL)
	require.NoError(t, err)
	jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: "s1"}})
	c := newZaloPayClient(t, inquiry.ZaloPayConfig{}, inquiry.WithBaseURL(stub.URL), inquiry.WithHTTPClient(&http.Client{Jar: jar}))
	_, err = c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
	require.NoError(t, err)
	assert.Equal(t, "session=s1", cookie.Load())
}

// TestSendBrokenTransport: a caller's transport that breaks the
// RoundTripper contract gets a typed error, never a panic, as through
// http.Client.Do.
func TestSendBrokenTransport(t *testing.T) {
	for _, tc := range []struct {
		name string
		rt   roundTripFunc
		cat  refundkit.Category
	}{
		{"nil response, nil error", func(*http.Request) (*http.Response, error) { return nil, nil }, refundkit.CategoryTemporary},
		{"response without a body", func(*http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}}, nil
		}, refundkit.CategoryInvalidResponse},
		{"response and error", func(*http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody}, errors.New("broken")
		}, refundkit.CategoryTemporary},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newZaloPayClient(t, inquiry.ZaloPayConfig{}, inquiry.WithBaseURL("http://127.0.0.1:1"),
				inquiry.WithHTTPClient(&http.Client{Transport: tc.rt}), inquiry.WithRetry(inquiry.RetryPolicy{MaxAttempts: 1}))
			_, err := c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
			requireStubError(t, err, tc.cat, "")
		})
	}
}

// TestSendReadsDefaultTransportWhenSending: a caller's client without a
// Transport sends through http.DefaultTransport as it is at each attempt,
// as http.Client.Do does, so that a program (or a test's HTTP mock) that
// replaces it after the client was made is heard. Not parallel: it swaps
// a global.
func TestSendReadsDefaultTransportWhenSending(t *testing.T) {
	stub := zaloPayStub(t, false, zaloPayAlways(zaloPayAnswer(1, 1, "", "")))
	c := newZaloPayClient(t, inquiry.ZaloPayConfig{}, inquiry.WithBaseURL(stub.URL), inquiry.WithHTTPClient(&http.Client{}))
	var seen atomic.Int64
	was := http.DefaultTransport
	t.Cleanup(func() { http.DefaultTransport = was })
	http.DefaultTransport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen.Add(1)
		return was.RoundTrip(r)
	})
	_, err := c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
	require.NoError(t, err)
	assert.Equal(t, int64(1), seen.Load(), "the attempt went through the DefaultTransport of the time")
}
