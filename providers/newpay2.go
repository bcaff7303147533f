package providers

import (
	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/simulator"
)

// NewPay2Section is the newpay2 section of the command's config file.
type NewPay2Section struct {
	BaseURL               string `yaml:"base_url,omitempty"`
	AppID                 string `yaml:"app_id"`
	MchID                 string `yaml:"mch_id"`
	PrivateKeyFile        string `yaml:"private_key_file"`
	ProviderPublicKeyFile string `yaml:"provider_public_key_file"`
	InsecureHTTP          bool   `yaml:"insecure_http,omitempty"` // see InsecureHTTPKey
}

// NewPay v2 publishes no refund callback format, so its descriptor has no
// notification handler.
func init() {
	register(&Descriptor{
		Provider:   refundkit.NewPay2,
		Title:      "NewPay v2",
		Query:      inquiry.NewPay2Query,
		Signed:     true,
		NewSection: func() Section { return new(NewPay2Section) },
		DemoSection: func(url string, _ *simulator.Keys, files simulator.KeyFiles) Section {
			return &NewPay2Section{BaseURL: url, AppID: simulator.DemoNewPay2AppID, MchID: simulator.DemoNewPay2MchID,
				PrivateKeyFile: files.MerchantPrivate, ProviderPublicKeyFile: files.PlatformPublic}
		},
		DemoClient: func(keys *simulator.Keys, opts ...inquiry.Option) (refundkit.Inquirer, error) {
			return inquirer(inquiry.New(inquiry.NewPay2Config{AppID: simulator.DemoNewPay2AppID, MchID: simulator.DemoNewPay2MchID,
				PrivateKey: keys.Merchant.Private, PublicKey: keys.Platform.Public}, opts...))
		},
	})
}

// Client builds the NewPay v2 client the section describes.
func (s *NewPay2Section) Client(opts ...inquiry.Option) (refundkit.Inquirer, error) {
	return sectionClient(endpoint{s.BaseURL, s.InsecureHTTP}, s.sdkConfig, opts)
}

// sdkConfig checks the section's keys and reads its key files.
func (s *NewPay2Section) sdkConfig() (inquiry.NewPay2Config, error) {
	if err := required("app_id", s.AppID, "mch_id", s.MchID,
		"private_key_file", s.PrivateKeyFile, "provider_public_key_file", s.ProviderPublicKeyFile); err != nil {
		return inquiry.NewPay2Config{}, err
	}
	priv, pub, err := readKeyPair(s.PrivateKeyFile, s.ProviderPublicKeyFile)
	return inquiry.NewPay2Config{AppID: s.AppID, MchID: s.MchID, PrivateKey: priv, PublicKey: pub}, err
}

// KeyFiles points at the section's key file paths.
func (s *NewPay2Section) KeyFiles() []*string {
	return []*string{&s.PrivateKeyFile, &s.ProviderPublicKeyFile}
}
