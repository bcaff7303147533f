package wrapper

import (
	"net"
	"net/http"
	"time"
)

// defaultHTTPClient is used when the caller gives none. Its Timeout is left
// zero on purpose: each attempt gets its own deadline from Options.Timeout,
// and the caller's context deadline always wins.
var defaultHTTPClient = &http.Client{
	CheckRedirect: refuseRedirect,
	Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
	},
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
