package providers

import (
	"fmt"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// ZaloPaySection is the zalopay section of the command's config file. It
// never prints key1.
type ZaloPaySection struct {
	BaseURL      string `yaml:"base_url,omitempty"`
	AppID        int64  `yaml:"app_id"`
	Key1         string `yaml:"key1"`
	InsecureHTTP bool   `yaml:"insecure_http,omitempty"` // see InsecureHTTPKey
}

func init() {
	register(&Descriptor{
		Provider:   refundkit.ZaloPay,
		Title:      "ZaloPay",
		Query:      inquiry.ZaloPayQuery,
		Signed:     false,
		NewSection: func() Section { return new(ZaloPaySection) },
		DemoSection: func(url string, keys *simulator.Keys, _ simulator.KeyFiles) Section {
			return &ZaloPaySection{BaseURL: url, AppID: simulator.DemoZaloPayAppID, Key1: keys.Key1}
		},
		DemoClient: func(keys *simulator.Keys, opts ...inquiry.Option) (refundkit.Inquirer, error) {
			return inquirer(inquiry.New(inquiry.ZaloPayConfig{AppID: simulator.DemoZaloPayAppID, Key1: sign.NewSecret(keys.Key1)}, opts...))
		},
	})
}

// String keeps key1 out of any printed form of the section.
func (s ZaloPaySection) String() string {
	return fmt.Sprintf("{base_url:%s app_id:%d key1:[redacted]}", s.BaseURL, s.AppID)
}

// GoString keeps key1 out of %#v too.
func (s ZaloPaySection) GoString() string { return s.String() }

// Client builds the ZaloPay client the section describes.
func (s *ZaloPaySection) Client(opts ...inquiry.Option) (refundkit.Inquirer, error) {
	return sectionClient(endpoint{s.BaseURL, s.InsecureHTTP}, s.sdkConfig, opts)
}

// sdkConfig checks the section's keys.
func (s *ZaloPaySection) sdkConfig() (inquiry.ZaloPayConfig, error) {
	var appID string
	if s.AppID != 0 {
		appID = fmt.Sprint(s.AppID)
	}
	if err := required("app_id", appID, "key1", s.Key1); err != nil {
		return inquiry.ZaloPayConfig{}, err
	}
	if s.AppID < 0 {
		return inquiry.ZaloPayConfig{}, fmt.Errorf("app_id %d is not a positive number", s.AppID)
	}
	return inquiry.ZaloPayConfig{AppID: s.AppID, Key1: sign.NewSecret(s.Key1)}, nil
}

// KeyFiles is empty: key1 is in the section itself.
func (s *ZaloPaySection) KeyFiles() []*string { return nil }
