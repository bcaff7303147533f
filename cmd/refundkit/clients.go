package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"strings"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/wrapper"
)

// client builds the SDK client of provider p from its section of the file:
// required keys checked, key files read. opts come after the section's
// base_url, so they win.
func (c *config) client(p refundkit.Provider, opts ...wrapper.Option) (refundkit.Inquirer, error) {
	var (
		cl  refundkit.Inquirer
		err error
	)
	switch {
	case !c.has(p):
		return nil, fmt.Errorf("config %s has no %s section", c.path, p)
	case p == refundkit.NewPay:
		cl, err = c.NewPay.client(opts)
	case p == refundkit.PayerMax:
		cl, err = c.PayerMax.client(opts)
	case p == refundkit.ZaloPay:
		cl, err = c.ZaloPay.client(opts)
	case p == refundkit.AlphaPay:
		cl, err = c.AlphaPay.client(opts)
	}
	if err != nil {
		return nil, &rephrased{msg: fmt.Sprintf("config %s: %s: %s", c.path, p, causeText(err)), err: err}
	}
	return cl, nil
}

// clients builds a client for every provider the file configures; a file
// that configures none is an error.
func (c *config) clients(opts ...wrapper.Option) (map[refundkit.Provider]refundkit.Inquirer, error) {
	ps := c.providers()
	if len(ps) == 0 {
		return nil, fmt.Errorf("config %s configures no provider (want a section for %s)", c.path, providerList())
	}
	out := make(map[refundkit.Provider]refundkit.Inquirer, len(ps))
	for _, p := range ps {
		cl, err := c.client(p, opts...)
		if err != nil {
			return nil, err
		}
		out[p] = cl
	}
	return out, nil
}

func (s *newPayConfig) client(opts []wrapper.Option) (refundkit.Inquirer, error) {
	opts, err := withBaseURL(refundkit.NewPay, s.BaseURL, s.InsecureHTTP, opts)
	if err != nil {
		return nil, err
	}
	cfg, err := s.sdkConfig()
	if err != nil {
		return nil, err
	}
	return inquirer(wrapper.NewNewPay(cfg, opts...))
}

// sdkConfig checks the section's keys and reads its key files: the
// configuration the inquiry client and the notification handler share.
func (s *newPayConfig) sdkConfig() (wrapper.NewPayConfig, error) {
	if err := required("app_id", s.AppID, "merchant_id", s.MerchantID,
		"private_key_file", s.PrivateKeyFile, "provider_public_key_file", s.ProviderPublicKeyFile); err != nil {
		return wrapper.NewPayConfig{}, err
	}
	priv, pub, err := readKeyPair(s.PrivateKeyFile, s.ProviderPublicKeyFile)
	return wrapper.NewPayConfig{AppID: s.AppID, MerchantID: s.MerchantID, PrivateKey: priv, PublicKey: pub}, err
}

func (s *payerMaxConfig) client(opts []wrapper.Option) (refundkit.Inquirer, error) {
	opts, err := withBaseURL(refundkit.PayerMax, s.BaseURL, s.InsecureHTTP, opts)
	if err != nil {
		return nil, err
	}
	cfg, err := s.sdkConfig()
	if err != nil {
		return nil, err
	}
	return inquirer(wrapper.NewPayerMax(cfg, opts...))
}

// sdkConfig checks the section's keys and reads its key files.
func (s *payerMaxConfig) sdkConfig() (wrapper.PayerMaxConfig, error) {
	if err := required("app_id", s.AppID,
		"private_key_file", s.PrivateKeyFile, "provider_public_key_file", s.ProviderPublicKeyFile); err != nil {
		return wrapper.PayerMaxConfig{}, err
	}
	priv, pub, err := readKeyPair(s.PrivateKeyFile, s.ProviderPublicKeyFile)
	return wrapper.PayerMaxConfig{AppID: s.AppID, MerchantNo: s.MerchantNo, PrivateKey: priv, PublicKey: pub}, err
}

func (s *zaloPayConfig) client(opts []wrapper.Option) (refundkit.Inquirer, error) {
	opts, err := withBaseURL(refundkit.ZaloPay, s.BaseURL, s.InsecureHTTP, opts)
	if err != nil {
		return nil, err
	}
	var appID string
	if s.AppID != 0 {
		appID = fmt.Sprint(s.AppID)
	}
	if err := required("app_id", appID, "key1", s.Key1); err != nil {
		return nil, err
	}
	if s.AppID < 0 {
		return nil, fmt.Errorf("app_id %d is not a positive number", s.AppID)
	}
	return inquirer(wrapper.NewZaloPay(wrapper.ZaloPayConfig{AppID: s.AppID, Key1: sign.NewSecret(s.Key1)},
		opts...))
}

func (s *alphaPayConfig) client(opts []wrapper.Option) (refundkit.Inquirer, error) {
	opts, err := withBaseURL(refundkit.AlphaPay, s.BaseURL, s.InsecureHTTP, opts)
	if err != nil {
		return nil, err
	}
	cfg, err := s.sdkConfig()
	if err != nil {
		return nil, err
	}
	return inquirer(wrapper.NewAlphaPay(cfg, opts...))
}

// sdkConfig checks the section's keys and reads its key files.
func (s *alphaPayConfig) sdkConfig() (wrapper.AlphaPayConfig, error) {
	if err := required("merchant_code", s.MerchantCode,
		"private_key_file", s.PrivateKeyFile, "provider_public_key_file", s.ProviderPublicKeyFile); err != nil {
		return wrapper.AlphaPayConfig{}, err
	}
	priv, pub, err := readKeyPair(s.PrivateKeyFile, s.ProviderPublicKeyFile)
	return wrapper.AlphaPayConfig{MerchantCode: s.MerchantCode, PrivateKey: priv, PublicKey: pub}, err
}

// inquirer returns c as an Inquirer, or a nil one (not a nil *T in an
// interface) when err is set.
func inquirer[T refundkit.Inquirer](c T, err error) (refundkit.Inquirer, error) {
	if err != nil {
		return nil, err
	}
	return c, nil
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

// withBaseURL puts the section's base_url, if any, and its insecure_http
// before opts, after checking what the SDK would report less clearly for a
// command-line user: a base_url without a scheme, and plain http to
// another machine without insecure_http.
func withBaseURL(p refundkit.Provider, baseURL string, insecure bool, opts []wrapper.Option) ([]wrapper.Option, error) {
	var pre []wrapper.Option
	if insecure {
		pre = append(pre, wrapper.WithInsecureHTTP())
	}
	if baseURL != "" {
		if !strings.Contains(baseURL, "://") {
			return nil, fmt.Errorf("base_url %q has no scheme: write it whole, such as https://%s (or http:// for a simulator)", baseURL, baseURL)
		}
		u, err := url.Parse(baseURL)
		if err == nil && u.Scheme == "http" && !insecure && !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("base_url %q is plain http to another machine: use https, or for a test network set %s: true in the %s section (never for a real provider)",
				baseURL, insecureHTTPKey, p)
		}
		pre = append(pre, wrapper.WithBaseURL(baseURL))
	}
	return append(pre, opts...), nil
}

// isLoopback reports whether host names this machine, as the SDK decides
// where plain http is allowed without insecure_http.
func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}
