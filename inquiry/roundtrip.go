package inquiry

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// directTransport returns the RoundTripper that [core.do] may call itself
// instead of c.Do, or nil when c must be used. http.Client.Do would add
// nothing to an attempt but its cost (six allocations: a copy of the
// header and a closure kept for redirects, a copy of the URL, the list of
// requests) when the client has no cookie jar and no Timeout of its own,
// because signed requests follow no redirect (refuseRedirect). With a Jar
// or a Timeout, Do runs as before.
func directTransport(c *http.Client) http.RoundTripper {
	if c.Jar != nil || c.Timeout > 0 {
		return nil
	}
	if c.Transport == nil {
		return defaultTransport{}
	}
	return c.Transport
}

// defaultTransport sends through http.DefaultTransport as it is at each
// attempt, as http.Client.Do reads it: a program, or a test's HTTP mock,
// may replace it after a client was made.
type defaultTransport struct{}

// RoundTrip sends req through http.DefaultTransport.
func (defaultTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return http.DefaultTransport.RoundTrip(req)
}

// do sends one attempt's request: through the transport itself when
// directTransport allows it (and the URL carries no user info, for which
// Do would add a basic-auth header), otherwise through the client. Both
// ways answer alike: an error is a *url.Error naming the method and URL,
// as Do's, and a response always has a body.
func (c *core) do(req *http.Request) (*http.Response, error) {
	if c.direct == nil || req.URL.User != nil {
		return c.opts.HTTPClient.Do(req)
	}
	resp, err := c.direct.RoundTrip(req)
	if err == nil && resp == nil {
		err = fmt.Errorf("http: RoundTripper implementation (%T) returned a nil *Response with a nil error", c.direct)
	}
	if err != nil {
		if resp != nil && resp.Body != nil { // a RoundTripper breaking its contract: Do ignores the response too
			_ = resp.Body.Close()
		}
		return nil, &url.Error{Op: req.Method[:1] + strings.ToLower(req.Method[1:]), URL: req.URL.String(), Err: err}
	}
	if resp.Body == nil {
		resp.Body = http.NoBody
	}
	return resp, nil
}
