package wrapper

import (
	"net"
	"net/url"
	"strings"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
)

// checkKeysAndCodes checks the configuration every RSA provider shares: a
// private key to sign with, a public key to verify with (unless
// verification is off), and a valid category for every ErrorCodes row.
func (c *core) checkKeysAndCodes(private *sign.PrivateKey, public *sign.PublicKey, codes map[string]refundkit.Category) error {
	switch {
	case private == nil:
		return c.invalidRequest("config: PrivateKey is missing")
	case public == nil && !c.opts.InsecureSkipVerify:
		return c.invalidRequest("config: PublicKey is missing (needed to verify answers)")
	}
	for code, cat := range codes {
		if cat.Err() == nil {
			return c.invalidRequest("config: ErrorCodes: %q has no valid category (%q)", code, cat)
		}
	}
	return nil
}

// baseURLOrDefault returns Options.BaseURL, or production when it is empty,
// after checking that it is an absolute http(s) URL: a bad one is a
// configuration error now, not a network error on every attempt.
func (c *core) baseURLOrDefault(production string) (*url.URL, error) {
	base := c.opts.BaseURL
	if base == "" {
		base = production
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, c.invalidRequest("config: base URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, c.invalidRequest("config: base URL %q is not an absolute http(s) URL", base)
	}
	if u.Scheme == "http" && !c.opts.InsecureHTTP && !isLoopback(u.Hostname()) {
		return nil, c.invalidRequest("config: base URL %q is plain http on a non-loopback host (use https, or WithInsecureHTTP for a test network)", base)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u, nil
}

// isLoopback reports whether host names this machine: localhost or a
// loopback IP address.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
