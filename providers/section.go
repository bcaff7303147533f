package providers

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"strings"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/sign"
)

// What every section of the command's config file shares: base_url,
// insecure_http, and the RSA providers' key files.

// InsecureHTTPKey is the section key that, set to true, lets a section's
// base_url be plain http:// on a host other than this machine, such as a
// simulator on a test network (inquiry.WithInsecureHTTP). Never against a
// real provider: the requests carry credentials, and ZaloPay's answers are
// protected by TLS alone. Plain http to localhost or a loopback address
// needs no key.
const InsecureHTTPKey = "insecure_http"

// endpoint is the part of every section that says where the provider is:
// its base_url and insecure_http keys. (Each section spells the two fields
// out, base_url first and insecure_http last, so that its keys are listed
// in that order.)
type endpoint struct {
	BaseURL      string
	InsecureHTTP bool
}

// options puts the section's base_url, if any, and its insecure_http
// before opts, after checking what the SDK would report less clearly for a
// command-line user: a base_url without a scheme, and plain http to
// another machine without insecure_http.
func (e endpoint) options(p refundkit.Provider, opts []inquiry.Option) ([]inquiry.Option, error) {
	var pre []inquiry.Option
	if e.InsecureHTTP {
		pre = append(pre, inquiry.WithInsecureHTTP())
	}
	if e.BaseURL != "" {
		if !strings.Contains(e.BaseURL, "://") {
			return nil, fmt.Errorf("base_url %q has no scheme: write it whole, such as https://%s (or http:// for a simulator)", e.BaseURL, e.BaseURL)
		}
		u, err := url.Parse(e.BaseURL)
		if err == nil && u.Scheme == "http" && !e.InsecureHTTP && !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("base_url %q is plain http to another machine: use https, or for a test network set %s: true in the %s section (never for a real provider)",
				e.BaseURL, InsecureHTTPKey, p)
		}
		pre = append(pre, inquiry.WithBaseURL(e.BaseURL))
	}
	return append(pre, opts...), nil
}

// isLoopback reports whether host names this machine, as the SDK decides
// where plain http is allowed without insecure_http.
func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}

// required reports every key, given as key/value pairs, whose value is
// empty.
func required(pairs ...string) error {
	var missing []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			missing = append(missing, pairs[i])
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	return nil
}

// readKeyPair reads the merchant's private key and the provider's public
// key, naming the config key and the file in any error.
func readKeyPair(privateFile, publicFile string) (*sign.PrivateKey, *sign.PublicKey, error) {
	priv, err := sign.ReadPrivateKeyFile(privateFile)
	if err != nil {
		return nil, nil, keyFileError("private_key_file", privateFile, err)
	}
	pub, err := sign.ReadPublicKeyFile(publicFile)
	if err != nil {
		return nil, nil, keyFileError("provider_public_key_file", publicFile, err)
	}
	return priv, pub, nil
}

func keyFileError(key, file string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %s does not exist", key, file)
	}
	return fmt.Errorf("%s: %w", key, err)
}

// sectionClient builds a section's client: the section's endpoint options
// before opts (checked first), then the configuration config builds from
// the section's keys. Every provider's Section.Client is this.
func sectionClient[C inquiry.Config](e endpoint, config func() (C, error), opts []inquiry.Option) (refundkit.Inquirer, error) {
	var zero C // names its provider, for the endpoint's messages
	opts, err := e.options(zero.Provider(), opts)
	if err != nil {
		return nil, err
	}
	cfg, err := config()
	if err != nil {
		return nil, err
	}
	return inquirer(inquiry.New(cfg, opts...))
}

// sectionNotify builds a section's notification handler from the
// configuration its client is built from, keys and all.
func sectionNotify[C inquiry.Config](config func() (C, error), deliver notify.DeliverFunc, opts []notify.Option) (*notify.Handler, error) {
	cfg, err := config()
	if err != nil {
		return nil, err
	}
	return notify.New(cfg, deliver, opts...)
}
