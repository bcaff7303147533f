package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/providers"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr string // "" for success
		want    *config
	}{
		{name: "empty file configures nothing", yaml: "", want: newConfig(nil)},
		{name: "comments only", yaml: "# nothing yet\n", want: newConfig(nil)},
		{name: "all four", yaml: `
newpay:   {base_url: "https://np", app_id: a1, merchant_id: m1, private_key_file: k.pem, provider_public_key_file: p.pem}
payermax: {app_id: a2, merchant_no: "0202", private_key_file: k.pem, provider_public_key_file: p.pem}
zalopay:  {app_id: 2554, key1: secret}
alphapay: {merchant_code: CXVJIU, private_key_file: k.pem, provider_public_key_file: p.pem}
`, want: newConfig(map[refundkit.Provider]providers.Section{
			refundkit.NewPay:   &providers.NewPaySection{BaseURL: "https://np", AppID: "a1", MerchantID: "m1", PrivateKeyFile: "k.pem", ProviderPublicKeyFile: "p.pem"},
			refundkit.PayerMax: &providers.PayerMaxSection{AppID: "a2", MerchantNo: "0202", PrivateKeyFile: "k.pem", ProviderPublicKeyFile: "p.pem"},
			refundkit.ZaloPay:  &providers.ZaloPaySection{AppID: 2554, Key1: "secret"},
			refundkit.AlphaPay: &providers.AlphaPaySection{MerchantCode: "CXVJIU", PrivateKeyFile: "k.pem", ProviderPublicKeyFile: "p.pem"},
		})},
		{name: "numeric text keeps its digits", yaml: "payermax:\n  merchant_no: 0202\n", want: newConfig(map[refundkit.Provider]providers.Section{refundkit.PayerMax: &providers.PayerMaxSection{MerchantNo: "0202"}})},
		{name: "empty section", yaml: "zalopay:\n", want: newConfig(map[refundkit.Provider]providers.Section{refundkit.ZaloPay: &providers.ZaloPaySection{}})},
		{name: "unknown section", yaml: "newpay: {}\npaypal:\n  app_id: x\n", wantErr: `line 2: unknown section "paypal" (want ` + providerList() + `)`},
		{name: "unknown key", yaml: "newpay:\n  app_id: a\n  appid: b\n", wantErr: `line 3: unknown key "appid" in newpay (want base_url, app_id, merchant_id, private_key_file, provider_public_key_file, insecure_http)`},
		{name: "key of another section", yaml: "zalopay:\n  merchant_code: x\n", wantErr: `line 2: unknown key "merchant_code" in zalopay (want base_url, app_id, key1, insecure_http)`},
		{name: "repeated key", yaml: "alphapay:\n  merchant_code: a\n  merchant_code: b\n", wantErr: `line 3: "merchant_code" is already set on line 2`},
		{name: "repeated section", yaml: "zalopay: {}\nzalopay: {}\n", wantErr: `line 2: "zalopay" is already set on line 1`},
		{name: "wrong type", yaml: "zalopay:\n  app_id: twenty\n", wantErr: `line 2: zalopay.app_id: "twenty" is not a whole number`},
		{name: "list value", yaml: "newpay:\n  app_id: [a, b]\n", wantErr: "line 2: newpay.app_id must be a single value"},
		{name: "section not a mapping", yaml: "payermax: yes\n", wantErr: "line 1: payermax must be a mapping with the keys base_url, app_id, merchant_no, private_key_file, provider_public_key_file"},
		{name: "top level not a mapping", yaml: "- newpay\n", wantErr: "line 1: want a mapping with one section per provider"},
		{name: "not YAML", yaml: "newpay: {app_id: [\n", wantErr: "not valid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseConfig([]byte(tt.yaml))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestLoadConfig(t *testing.T) {
	t.Run("missing file named by the flag", func(t *testing.T) {
		_, err := loadConfig(filepath.Join(t.TempDir(), "nope.yaml"))
		require.Error(t, err)
		assert.Regexp(t, `^config file .*nope\.yaml does not exist$`, err.Error())
	})
	t.Run("missing file named by the environment", func(t *testing.T) {
		t.Setenv(configEnv, filepath.Join(t.TempDir(), "env.yaml"))
		_, err := loadConfig("")
		require.Error(t, err)
		assert.Regexp(t, `^config file .*env\.yaml does not exist$`, err.Error())
	})
	t.Run("no file at all", func(t *testing.T) {
		t.Setenv(configEnv, "")
		t.Chdir(t.TempDir())
		_, err := loadConfig("")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "no config file: pass --config FILE, set $REFUNDKIT_CONFIG, or create ./refundkit.yaml")
	})
	t.Run("errors name the file", func(t *testing.T) {
		path := writeFile(t, t.TempDir(), "bad.yaml", "newpay:\n  nonsense: 1\n")
		_, err := loadConfig(path)
		require.Error(t, err)
		assert.Equal(t, fmt.Sprintf(`config %s: line 2: unknown key "nonsense" in newpay (want base_url, app_id, merchant_id, private_key_file, provider_public_key_file, insecure_http)`, path), err.Error())
	})
	t.Run("relative key paths are relative to the config file", func(t *testing.T) {
		dir := t.TempDir()
		path := writeFile(t, dir, "c.yaml", "alphapay:\n  merchant_code: M\n  private_key_file: keys/m.pem\n  provider_public_key_file: /abs/p.pem\n")
		t.Chdir(t.TempDir()) // somewhere else entirely
		cfg, err := loadConfig(path)
		require.NoError(t, err)
		assert.Equal(t, filepath.Join(dir, "keys", "m.pem"), cfg.sections[refundkit.AlphaPay].(*providers.AlphaPaySection).PrivateKeyFile)
		assert.Equal(t, "/abs/p.pem", cfg.sections[refundkit.AlphaPay].(*providers.AlphaPaySection).ProviderPublicKeyFile)
	})
}

func TestConfigClients(t *testing.T) {
	e := newEnv(t, nil)
	f := e.files
	tests := []struct {
		name     string
		yaml     string
		provider refundkit.Provider
		wantErr  string
	}{
		{"newpay", fmt.Sprintf("newpay: {app_id: a, merchant_id: m, private_key_file: %s, provider_public_key_file: %s}", f.MerchantPrivate, f.PlatformPublic), refundkit.NewPay, ""},
		{"payermax without merchant_no", fmt.Sprintf("payermax: {app_id: a, private_key_file: %s, provider_public_key_file: %s}", f.MerchantPrivate, f.PlatformPublic), refundkit.PayerMax, ""},
		{"zalopay", "zalopay: {app_id: 1, key1: k}", refundkit.ZaloPay, ""},
		{"alphapay", fmt.Sprintf("alphapay: {merchant_code: M, private_key_file: %s, provider_public_key_file: %s}", f.MerchantPrivate, f.PlatformPublic), refundkit.AlphaPay, ""},
		{"no section", "zalopay: {app_id: 1, key1: k}", refundkit.NewPay, "has no newpay section"},
		{"missing keys", "newpay: {app_id: a}", refundkit.NewPay, "newpay: missing merchant_id, private_key_file, provider_public_key_file"},
		{"empty section", "zalopay:", refundkit.ZaloPay, "zalopay: missing app_id, key1"},
		{"negative app id", "zalopay: {app_id: -5, key1: k}", refundkit.ZaloPay, "zalopay: app_id -5 is not a positive number"},
		{"missing private key file", fmt.Sprintf("alphapay: {merchant_code: M, private_key_file: %s/none.pem, provider_public_key_file: %s}", e.dir, f.PlatformPublic),
			refundkit.AlphaPay, fmt.Sprintf("alphapay: private_key_file: %s/none.pem does not exist", e.dir)},
		{"missing public key file", fmt.Sprintf("payermax: {app_id: a, private_key_file: %s, provider_public_key_file: gone.pem}", f.MerchantPrivate),
			refundkit.PayerMax, "payermax: provider_public_key_file: " + filepath.Join(e.dir, "gone.pem") + " does not exist"},
		{"public key where the private key goes", fmt.Sprintf("newpay: {app_id: a, merchant_id: m, private_key_file: %s, provider_public_key_file: %s}", f.PlatformPublic, f.PlatformPublic),
			refundkit.NewPay, "newpay: private_key_file: sign:"},
		{"bad base url", fmt.Sprintf("alphapay: {base_url: 'ftp://x', merchant_code: M, private_key_file: %s, provider_public_key_file: %s}", f.MerchantPrivate, f.PlatformPublic),
			refundkit.AlphaPay, `alphapay: base URL "ftp://x" is not an absolute http(s) URL`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, e.dir, "c.yaml", tt.yaml)
			cfg, err := loadConfig(path)
			require.NoError(t, err)
			c, err := cfg.client(tt.provider)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Nil(t, c)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Contains(t, err.Error(), "config "+path)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.provider, c.Provider())
		})
	}

	t.Run("clients needs a provider", func(t *testing.T) {
		cfg, err := loadConfig(writeFile(t, e.dir, "empty.yaml", "# nothing\n"))
		require.NoError(t, err)
		_, err = cfg.clients()
		assert.ErrorContains(t, err, "configures no provider")
	})
}

func TestConfigRedactsKey1(t *testing.T) {
	z := providers.ZaloPaySection{AppID: 1, Key1: "very-secret-key1"}
	for _, s := range []string{fmt.Sprint(z), fmt.Sprintf("%v %+v %#v", z, z, z), fmt.Sprintf("%v", newConfig(map[refundkit.Provider]providers.Section{refundkit.ZaloPay: &z}))} {
		assert.NotContains(t, s, "very-secret-key1")
	}
}

func TestSimulatorConfigRoundTrips(t *testing.T) {
	e := newEnv(t, nil)
	raw, err := os.ReadFile(e.config)
	require.NoError(t, err)
	cfg, err := parseConfig(raw)
	require.NoError(t, err)
	assert.Equal(t, refundkit.Providers(), cfg.providers())
	assert.Equal(t, e.urls[refundkit.AlphaPay], cfg.sections[refundkit.AlphaPay].(*providers.AlphaPaySection).BaseURL)
	assert.Equal(t, e.files.MerchantPrivate, cfg.sections[refundkit.NewPay].(*providers.NewPaySection).PrivateKeyFile)
	assert.Equal(t, e.files.PlatformPublic, cfg.sections[refundkit.PayerMax].(*providers.PayerMaxSection).ProviderPublicKeyFile)
}
