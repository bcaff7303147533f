package sign

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Run with: go test -bench . -benchmem -count 5 ./sign/
//
// BenchmarkSign/rsa-baseline is the floor: rsa.SignPKCS1v15 with a key parsed
// by crypto/x509, over sha256 of PayerMax's request body, the same input as
// BenchmarkSign/payermax. The other providers' inputs differ by a few dozen
// bytes, which costs SHA-256 nanoseconds against RSA's milliseconds.

func BenchmarkSign(b *testing.B) {
	v, k := loadVectors(b), loadKeys(b)
	body := []byte(v.PayerMax.RequestBody)
	newPayBody := []byte(`{"appId":"3514d69403bc4ce1a8fafb6415a31018","merchantId":"876266cdc7154dd08a022fd1f2eace55",` +
		`"refundOrderNo":"ORDERNORFD000000000A104","timestamp":1662528718000,"sign":""}`)
	ap := v.AlphaPay
	at := time.Date(2019, 5, 28, 12, 12, 12, 0, time.FixedZone("", 8*3600))
	bare, err := x509.ParsePKCS8PrivateKey(mustPEMBytes(b, readTestdata(b, "merchant-private.pem")))
	require.NoError(b, err)

	b.Run("rsa-baseline", func(b *testing.B) {
		loop(b, func() error {
			h := sha256.Sum256(body)
			_, err := rsa.SignPKCS1v15(nil, bare.(*rsa.PrivateKey), crypto.SHA256, h[:])
			return err
		})
	})
	b.Run("newpay", func(b *testing.B) {
		n := NewPay{PrivateKey: k.merchant}
		loop(b, func() error { _, err := n.SignJSON(newPayBody); return err })
	})
	b.Run("payermax", func(b *testing.B) {
		p := PayerMax{PrivateKey: k.merchant}
		loop(b, func() error { _, err := p.Sign(body); return err })
	})
	b.Run("alphapay", func(b *testing.B) {
		a := AlphaPay{MerchantCode: ap.MerchantCode, PrivateKey: k.merchant}
		reqBody := []byte(ap.Request.Body)
		loop(b, func() error { _, err := a.Sign("POST", ap.Path, reqBody, at, ap.Request.Nonce); return err })
	})
	b.Run("zalopay", func(b *testing.B) {
		z := ZaloPay{Key1: NewSecret(v.ZaloPay.Key1)}
		loop(b, func() error { _, err := z.MAC(v.ZaloPay.AppID, v.ZaloPay.MRefundID, v.ZaloPay.Timestamp); return err })
	})
}

// BenchmarkSignRatio alternates bare RSA and a provider's signer inside one
// loop and reports the median of the per-pair time ratios as x-baseline. Load
// on a shared machine then slows both sides of a pair alike, and the median
// ignores pairs a neighbour disturbed, so the ratio holds steady where
// separate ns/op figures drift by tens of percent.
func BenchmarkSignRatio(b *testing.B) {
	v, k := loadVectors(b), loadKeys(b)
	ap := v.AlphaPay
	at := time.Date(2019, 5, 28, 12, 12, 12, 0, time.FixedZone("", 8*3600))
	bare := k.merchant.key
	signers := []struct {
		name  string
		input []byte
		sign  func() error
	}{
		{"rsa-baseline", []byte(v.PayerMax.RequestBody), func() error { // A/A control: the noise floor
			h := sha256.Sum256([]byte(v.PayerMax.RequestBody))
			_, err := rsa.SignPKCS1v15(nil, bare, crypto.SHA256, h[:])
			return err
		}},
		{"newpay", []byte(v.NewPay.RequestCanonical), func() error {
			_, err := NewPay{PrivateKey: k.merchant}.SignJSON(v.NewPay.RequestParams)
			return err
		}},
		{"payermax", []byte(v.PayerMax.RequestBody), func() error {
			_, err := PayerMax{PrivateKey: k.merchant}.Sign([]byte(v.PayerMax.RequestBody))
			return err
		}},
		{"alphapay", []byte(ap.Request.SignedContent), func() error {
			_, err := AlphaPay{MerchantCode: ap.MerchantCode, PrivateKey: k.merchant}.Sign(
				"POST", ap.Path, []byte(ap.Request.Body), at, ap.Request.Nonce)
			return err
		}},
	}
	for _, s := range signers {
		b.Run(s.name, func(b *testing.B) {
			var ratios []float64
			for b.Loop() {
				t0 := time.Now()
				h := sha256.Sum256(s.input)
				if _, err := rsa.SignPKCS1v15(nil, bare, crypto.SHA256, h[:]); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if err := s.sign(); err != nil {
					b.Fatal(err)
				}
				ratios = append(ratios, float64(time.Since(t1))/float64(t1.Sub(t0)))
			}
			slices.Sort(ratios)
			b.ReportMetric(ratios[len(ratios)/2], "x-baseline")
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	v, k := loadVectors(b), loadKeys(b)
	body := []byte(v.PayerMax.ResponseBody)
	sig, err := strictStd.DecodeString(v.PayerMax.ResponseSign)
	require.NoError(b, err)
	bare, err := x509.ParsePKIXPublicKey(mustPEMBytes(b, readTestdata(b, "platform-public.pem")))
	require.NoError(b, err)
	ap := v.AlphaPay
	apHeader, apBody := responseHeader(ap.Response), []byte(ap.Response.Body)

	b.Run("rsa-baseline", func(b *testing.B) {
		loop(b, func() error {
			h := sha256.Sum256(body)
			return rsa.VerifyPKCS1v15(bare.(*rsa.PublicKey), crypto.SHA256, h[:], sig)
		})
	})
	b.Run("newpay", func(b *testing.B) {
		n := NewPay{PublicKey: k.platformPub}
		loop(b, func() error { return n.VerifyJSON(v.NewPay.ResponseData) })
	})
	b.Run("payermax", func(b *testing.B) {
		p := PayerMax{PublicKey: k.platformPub}
		loop(b, func() error { return p.Verify(body, v.PayerMax.ResponseSign) })
	})
	b.Run("alphapay", func(b *testing.B) {
		a := AlphaPay{MerchantCode: ap.MerchantCode, PublicKey: k.platformPub}
		loop(b, func() error { return a.VerifyResponse("POST", ap.Path, apHeader, apBody) })
	})
	b.Run("zalopay", func(b *testing.B) {
		z := ZaloPay{Key1: NewSecret(v.ZaloPay.Key1)}
		loop(b, func() error {
			return z.VerifyMAC(v.ZaloPay.AppID, v.ZaloPay.MRefundID, v.ZaloPay.Timestamp, v.ZaloPay.MAC)
		})
	})
}

// BenchmarkCanonical measures what each provider adds around the RSA call:
// building the signed bytes and parsing what carries the signature. It is
// the overhead BenchmarkSign compares with rsa-baseline, without RSA's noise.
func BenchmarkCanonical(b *testing.B) {
	v := loadVectors(b)
	ap := v.AlphaPay
	apBody := []byte(ap.Request.Body)
	b.Run("newpay", func(b *testing.B) {
		loop(b, func() error { _, err := parseFlatObject(v.NewPay.ResponseData); return err })
	})
	b.Run("alphapay", func(b *testing.B) {
		loop(b, func() error {
			AlphaPayContent("POST", ap.Path, ap.MerchantCode, ap.Request.RequestTime, ap.Request.Nonce, apBody)
			return nil
		})
	})
	b.Run("alphapay-header", func(b *testing.B) {
		loop(b, func() error { _, err := ParseAlphaPaySignatureHeader(ap.Response.SignatureHeader); return err })
	})
	b.Run("zalopay", func(b *testing.B) {
		loop(b, func() error {
			ZaloPayMACInput(v.ZaloPay.AppID, v.ZaloPay.MRefundID, v.ZaloPay.Timestamp)
			return nil
		})
	})
}

// loop runs fn for every iteration, failing on an error, and reports
// allocations.
func loop(b *testing.B, fn func() error) {
	b.ReportAllocs()
	for b.Loop() {
		if err := fn(); err != nil {
			b.Fatal(err)
		}
	}
}
