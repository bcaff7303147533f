package sign

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// vectors mirrors testdata/vectors.json: signatures computed outside this
// project (Python hmac and cryptography) with the keys in testdata/.
type vectors struct {
	ZaloPay struct {
		Key1      string `json:"key1"`
		AppID     int64  `json:"app_id"`
		MRefundID string `json:"m_refund_id"`
		Timestamp int64  `json:"timestamp"`
		HMACInput string `json:"hmac_input"`
		MAC       string `json:"mac"`
	} `json:"zalopay"`
	PayerMax struct {
		RequestBody  string `json:"request_body"`
		RequestSign  string `json:"request_sign_merchant_key"`
		ResponseBody string `json:"response_body"`
		ResponseSign string `json:"response_sign_platform_key"`
	} `json:"payermax"`
	AlphaPay struct {
		MerchantCode string          `json:"merchant_code"`
		Path         string          `json:"path"`
		Request      alphaPayMessage `json:"request"`
		Response     alphaPayMessage `json:"response"`
	} `json:"alphapay"`
	NewPay struct {
		RequestParams     json.RawMessage `json:"request_params"`
		RequestCanonical  string          `json:"request_canonical"`
		RequestSign       string          `json:"request_sign_merchant_key"`
		ResponseData      json.RawMessage `json:"response_data"`
		ResponseCanonical string          `json:"response_canonical"`
	} `json:"newpay"`
}

type alphaPayMessage struct {
	RequestTime     string `json:"Request-Time"`
	ResponseTime    string `json:"Response-Time"`
	Nonce           string `json:"Nonce"`
	Body            string `json:"body"`
	SignedContent   string `json:"signed_content"`
	SignatureB64    string `json:"signature_b64"`
	SignatureHeader string `json:"Signature_header"`
}

// testKeys are the throwaway keys of testdata/: the merchant signs requests,
// the platform plays the provider and signs responses.
type testKeys struct {
	merchant, platform       *PrivateKey
	merchantPub, platformPub *PublicKey
}

func loadVectors(t testing.TB) vectors {
	t.Helper()
	var v vectors
	require.NoError(t, json.Unmarshal(readTestdata(t, "vectors.json"), &v))
	return v
}

func loadKeys(t testing.TB) testKeys {
	t.Helper()
	var k testKeys
	var err error
	k.merchant, err = ReadPrivateKeyFile(filepath.Join("testdata", "merchant-private.pem"))
	require.NoError(t, err)
	k.platform, err = ReadPrivateKeyFile(filepath.Join("testdata", "platform-private.pem"))
	require.NoError(t, err)
	k.merchantPub, err = ReadPublicKeyFile(filepath.Join("testdata", "merchant-public.pem"))
	require.NoError(t, err)
	k.platformPub, err = ReadPublicKeyFile(filepath.Join("testdata", "platform-public.pem"))
	require.NoError(t, err)
	return k
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// eachByteFlipped calls fn with a copy of b in which byte i is changed, for
// every i. XOR 0x01 always gives a different byte and never merely changes
// the case of a letter.
func eachByteFlipped(b []byte, fn func(i int, changed []byte)) {
	for i := range b {
		c := append([]byte(nil), b...)
		c[i] ^= 0x01
		fn(i, c)
	}
}
