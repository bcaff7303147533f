package providers

import (
	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/simulator"
)

// NewPaySection is the newpay section of the command's config file.
type NewPaySection struct {
	BaseURL               string `yaml:"base_url,omitempty"`
	AppID                 string `yaml:"app_id"`
	MerchantID            string `yaml:"merchant_id"`
	PrivateKeyFile        string `yaml:"private_key_file"`
	ProviderPublicKeyFile string `yaml:"provider_public_key_file"`
	InsecureHTTP          bool   `yaml:"insecure_http,omitempty"` // see InsecureHTTPKey
}

func init() {
	register(&Descriptor{
		Provider:   refundkit.NewPay,
		Title:      "NewPay",
		Query:      inquiry.NewPayQuery,
		Signed:     true,
		NewSection: func() Section { return new(NewPaySection) },
		DemoSection: func(url string, _ *simulator.Keys, files simulator.KeyFiles) Section {
			return &NewPaySection{BaseURL: url, AppID: simulator.DemoNewPayAppID, MerchantID: simulator.DemoNewPayMerchantID,
				PrivateKeyFile: files.MerchantPrivate, ProviderPublicKeyFile: files.PlatformPublic}
		},
		Notify: func(s Section, deliver notify.DeliverFunc, opts ...notify.Option) (*notify.Handler, error) {
			return sectionNotify(s.(*NewPaySection).sdkConfig, deliver, opts)
		},
		DemoNotify: func(keys *simulator.Keys, deliver notify.DeliverFunc) (*notify.Handler, error) {
			return notify.New(inquiry.NewPayConfig{AppID: simulator.DemoNewPayAppID, PublicKey: keys.Platform.Public}, deliver)
		},
		DemoClient: func(keys *simulator.Keys, opts ...inquiry.Option) (refundkit.Inquirer, error) {
			return inquirer(inquiry.New(inquiry.NewPayConfig{AppID: simulator.DemoNewPayAppID, MerchantID: simulator.DemoNewPayMerchantID,
				PrivateKey: keys.Merchant.Private, PublicKey: keys.Platform.Public}, opts...))
		},
	})
}

// Client builds the client the section describes.
func (s *NewPaySection) Client(opts ...inquiry.Option) (refundkit.Inquirer, error) {
	return sectionClient(endpoint{s.BaseURL, s.InsecureHTTP}, s.sdkConfig, opts)
}

// sdkConfig checks the section's keys and reads its key files: the
// configuration the inquiry client and the notification handler share.
func (s *NewPaySection) sdkConfig() (inquiry.NewPayConfig, error) {
	if err := required("app_id", s.AppID, "merchant_id", s.MerchantID,
		"private_key_file", s.PrivateKeyFile, "provider_public_key_file", s.ProviderPublicKeyFile); err != nil {
		return inquiry.NewPayConfig{}, err
	}
	priv, pub, err := readKeyPair(s.PrivateKeyFile, s.ProviderPublicKeyFile)
	return inquiry.NewPayConfig{AppID: s.AppID, MerchantID: s.MerchantID, PrivateKey: priv, PublicKey: pub}, err
}

// KeyFiles points at the section's key file paths.
func (s *NewPaySection) KeyFiles() []*string {
	return []*string{&s.PrivateKeyFile, &s.ProviderPublicKeyFile}
}
