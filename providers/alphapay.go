package providers

import (
	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/simulator"
)

// AlphaPaySection is the alphapay section of the command's config file.
type AlphaPaySection struct {
	BaseURL               string `yaml:"base_url,omitempty"`
	MerchantCode          string `yaml:"merchant_code"`
	PrivateKeyFile        string `yaml:"private_key_file"`
	ProviderPublicKeyFile string `yaml:"provider_public_key_file"`
	InsecureHTTP          bool   `yaml:"insecure_http,omitempty"` // see InsecureHTTPKey
}

func init() {
	register(&Descriptor{
		Provider: refundkit.AlphaPay,
		Title:    "AlphaPay",
		Query:    inquiry.AlphaPayQuery,
		Signed:   true,
		// refundId, the inquiry's id, is AlphaPay's own.
		ProviderRefundIDFirst: true,
		NewSection:            func() Section { return new(AlphaPaySection) },
		DemoSection: func(url string, _ *simulator.Keys, files simulator.KeyFiles) Section {
			return &AlphaPaySection{BaseURL: url, MerchantCode: simulator.DemoAlphaPayMerchant,
				PrivateKeyFile: files.MerchantPrivate, ProviderPublicKeyFile: files.PlatformPublic}
		},
		Notify: func(s Section, deliver notify.DeliverFunc, opts ...notify.Option) (*notify.Handler, error) {
			return sectionNotify(s.(*AlphaPaySection).sdkConfig, deliver, opts)
		},
		DemoNotify: func(keys *simulator.Keys, deliver notify.DeliverFunc) (*notify.Handler, error) {
			return notify.New(inquiry.AlphaPayConfig{MerchantCode: simulator.DemoAlphaPayMerchant, PublicKey: keys.Platform.Public}, deliver)
		},
		DemoClient: func(keys *simulator.Keys, opts ...inquiry.Option) (refundkit.Inquirer, error) {
			return inquirer(inquiry.New(inquiry.AlphaPayConfig{MerchantCode: simulator.DemoAlphaPayMerchant,
				PrivateKey: keys.Merchant.Private, PublicKey: keys.Platform.Public}, opts...))
		},
	})
}

// Client builds the client the section describes.
func (s *AlphaPaySection) Client(opts ...inquiry.Option) (refundkit.Inquirer, error) {
	return sectionClient(endpoint{s.BaseURL, s.InsecureHTTP}, s.sdkConfig, opts)
}

// sdkConfig checks the section's keys and reads its key files: the
// configuration the inquiry client and the notification handler share.
func (s *AlphaPaySection) sdkConfig() (inquiry.AlphaPayConfig, error) {
	if err := required("merchant_code", s.MerchantCode,
		"private_key_file", s.PrivateKeyFile, "provider_public_key_file", s.ProviderPublicKeyFile); err != nil {
		return inquiry.AlphaPayConfig{}, err
	}
	priv, pub, err := readKeyPair(s.PrivateKeyFile, s.ProviderPublicKeyFile)
	return inquiry.AlphaPayConfig{MerchantCode: s.MerchantCode, PrivateKey: priv, PublicKey: pub}, err
}

// KeyFiles points at the section's key file paths.
func (s *AlphaPaySection) KeyFiles() []*string {
	return []*string{&s.PrivateKeyFile, &s.ProviderPublicKeyFile}
}
