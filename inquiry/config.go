package inquiry

import (
	"maps"
	"net"
	"net/url"
	"strings"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
)

// checkKeys checks the keys every RSA provider needs: a private key to sign
// with, and a public key to verify with unless verification is off.
func (c *core) checkKeys(private *sign.PrivateKey, public *sign.PublicKey) error {
	switch {
	case private == nil:
		return c.invalidRequest("config: PrivateKey is missing")
	case public == nil && !c.opts.InsecureSkipVerify:
		return c.invalidRequest("config: PublicKey is missing (needed to verify answers)")
	}
	return nil
}

// setCodes builds the client's table of error codes: the built-in tables,
// then the caller's overrides on top, each override checked for a valid
// category. It runs once, in the constructor.
func (c *core) setCodes(overrides map[string]refundkit.Category, builtins ...map[string]refundkit.Category) error {
	c.codes = make(map[string]refundkit.Category)
	for _, t := range builtins {
		maps.Copy(c.codes, t)
	}
	for code, cat := range overrides {
		if cat.Err() == nil {
			return c.invalidRequest("config: ErrorCodes: %q has no valid category (%q)", code, cat)
		}
		c.codes[code] = cat
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
