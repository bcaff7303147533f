package inquiry

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// defaultHTTPClient is used when the caller gives none. Its Timeout is left
// zero on purpose: each attempt gets its own deadline from Options.Timeout,
// and the caller's context deadline always wins.
var defaultHTTPClient = &http.Client{
	CheckRedirect: refuseRedirect,
	Transport: &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    32,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  30 * time.Second,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: DefaultMaxResponseHeaderBytes,
	},
}

// headerLimitError reports whether err is net/http's refusal of HTTP/1
// response headers past Transport.MaxResponseHeaderBytes. net/http has no
// typed error for it, so its message is matched, here only. Over HTTP/2
// the cap holds too, but the refusal is a connection error like any other
// and is reported as a network failure, as it would be should the HTTP/1
// wording change.
func headerLimitError(err error) bool {
	return err != nil && strings.Contains(err.Error(), "server response headers exceeded")
}

// prototype returns the request a generated NewXRequestWithBody function
// built, once, when the client was made: [core.send] copies it for every
// attempt. The generated XWithBody methods would rebuild it on each call
// from the server URL, parsing URLs three times (15 allocations, about
// 1.3µs, more than everything else a ZaloPay inquiry does besides HTTP);
// built once, the method, URL and fixed headers are still exactly what the
// generated code writes from the spec.
func (c *core) prototype(req *http.Request, err error) (*http.Request, error) {
	if err != nil {
		return nil, c.invalidRequest("config: build request: %w", err)
	}
	return req, nil
}

// header returns a new header for one attempt, holding the prototype's
// fixed headers; the backend's encode step adds the attempt's own. The value
// slices are the prototype's, shared: nothing changes one in place
// (Header.Set replaces a slice, and each is capped at its length, so an Add
// copies), so a per-attempt map is all that must be new.
func (c *core) header() http.Header {
	h := make(http.Header, len(c.proto.Header)+4)
	for k, v := range c.proto.Header {
		h[k] = v[:len(v):len(v)]
	}
	return h
}

// exchange is one attempt's request and answer in one allocation: the
// request sent, the reader of its body and the response read.
type exchange struct {
	req  http.Request
	body bytes.Reader
	resp response
}

// send makes one attempt: a shallow copy of the prototype bound to ctx,
// carrying body (with GetBody, as http.NewRequest sets it for a bytes
// reader, so that net/http can resend it on a dead idle connection) and the
// header h, sent by [core.do]. The copy shares the
// prototype's URL, which net/http only reads; its header is h, the
// attempt's own. (http.Request.Clone would deep-copy URL and header too.)
// The body stays an io.NopCloser around a *bytes.Reader: net/http knows
// that shape is in memory and writes headers and body in one go.
func (c *core) send(ctx context.Context, x *exchange, body []byte, h http.Header) (*http.Response, error) {
	x.req = *c.proto.WithContext(ctx)
	x.req.Header = h
	x.req.ContentLength = int64(len(body))
	x.body.Reset(body)
	x.req.Body = io.NopCloser(&x.body)
	x.req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return c.do(&x.req)
}

// readBody reads r to its end, but no more than limit+1 bytes, so that a
// body over limit shows as longer than limit. A body whose length is known
// (length, from Content-Length, or -1) and within limit is read into a
// buffer of that size, with one byte to spare for the read that finds the
// end; any other starts at 512 bytes and grows, as io.ReadAll does.
func readBody(r io.Reader, length, limit int64) ([]byte, error) {
	size := int64(512)
	if length >= 0 && length <= limit {
		size = length + 1
	}
	b := make([]byte, 0, size)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):min(int64(cap(b)), limit+1)])
		b = b[:len(b)+n]
		switch {
		case err == io.EOF:
			return b, nil
		case err != nil:
			return b, err
		case int64(len(b)) > limit:
			return b, nil
		}
	}
}

// refuseRedirect stops the client at a redirect: a signed request must never
// be re-sent, headers and all, to a host it was not signed for. The 3xx
// answer itself comes back and is reported as an invalid response.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// withoutRedirects returns a shallow copy of c that follows no redirects. The
// caller's client is left as it was; its Transport, Jar and Timeout are
// shared.
func withoutRedirects(c *http.Client) *http.Client {
	cp := *c
	cp.CheckRedirect = refuseRedirect
	return &cp
}
