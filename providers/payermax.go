package providers

import (
	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/simulator"
)

// PayerMaxSection is the payermax section of the command's config file.
// merchant_no is optional.
type PayerMaxSection struct {
	BaseURL               string `yaml:"base_url,omitempty"`
	AppID                 string `yaml:"app_id"`
	MerchantNo            string `yaml:"merchant_no,omitempty"`
	PrivateKeyFile        string `yaml:"private_key_file"`
	ProviderPublicKeyFile string `yaml:"provider_public_key_file"`
	InsecureHTTP          bool   `yaml:"insecure_http,omitempty"` // see InsecureHTTPKey
}

func init() {
	register(&Descriptor{
		Provider:   refundkit.PayerMax,
		Title:      "PayerMax",
		Query:      inquiry.PayerMaxQuery,
		Signed:     true,
		NewSection: func() Section { return new(PayerMaxSection) },
		DemoSection: func(url string, _ *simulator.Keys, files simulator.KeyFiles) Section {
			return &PayerMaxSection{BaseURL: url, AppID: simulator.DemoPayerMaxAppID, MerchantNo: simulator.DemoPayerMaxMerchantNo,
				PrivateKeyFile: files.MerchantPrivate, ProviderPublicKeyFile: files.PlatformPublic}
		},
		Notify: func(s Section, deliver notify.DeliverFunc, opts ...notify.Option) (*notify.Handler, error) {
			return sectionNotify(s.(*PayerMaxSection).sdkConfig, deliver, opts)
		},
		DemoNotify: func(keys *simulator.Keys, deliver notify.DeliverFunc) (*notify.Handler, error) {
			return notify.New(inquiry.PayerMaxConfig{AppID: simulator.DemoPayerMaxAppID,
				MerchantNo: simulator.DemoPayerMaxMerchantNo, PublicKey: keys.Platform.Public}, deliver)
		},
		DemoClient: func(keys *simulator.Keys, opts ...inquiry.Option) (refundkit.Inquirer, error) {
			return inquirer(inquiry.New(inquiry.PayerMaxConfig{AppID: simulator.DemoPayerMaxAppID, MerchantNo: simulator.DemoPayerMaxMerchantNo,
				PrivateKey: keys.Merchant.Private, PublicKey: keys.Platform.Public}, opts...))
		},
	})
}

// Client builds the client the section describes.
func (s *PayerMaxSection) Client(opts ...inquiry.Option) (refundkit.Inquirer, error) {
	return sectionClient(endpoint{s.BaseURL, s.InsecureHTTP}, s.sdkConfig, opts)
}

// sdkConfig checks the section's keys and reads its key files: the
// configuration the inquiry client and the notification handler share.
func (s *PayerMaxSection) sdkConfig() (inquiry.PayerMaxConfig, error) {
	if err := required("app_id", s.AppID,
		"private_key_file", s.PrivateKeyFile, "provider_public_key_file", s.ProviderPublicKeyFile); err != nil {
		return inquiry.PayerMaxConfig{}, err
	}
	priv, pub, err := readKeyPair(s.PrivateKeyFile, s.ProviderPublicKeyFile)
	return inquiry.PayerMaxConfig{AppID: s.AppID, MerchantNo: s.MerchantNo, PrivateKey: priv, PublicKey: pub}, err
}

// KeyFiles points at the section's key file paths.
func (s *PayerMaxSection) KeyFiles() []*string {
	return []*string{&s.PrivateKeyFile, &s.ProviderPublicKeyFile}
}
