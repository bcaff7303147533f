package sign

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
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
		b.ReportAllocs()
		for b.Loop() {
			h := sha256.Sum256(body)
			if _, err := rsa.SignPKCS1v15(nil, bare.(*rsa.PrivateKey), crypto.SHA256, h[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("newpay", func(b *testing.B) {
		n := NewPay{PrivateKey: k.merchant}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := n.SignJSON(newPayBody); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("payermax", func(b *testing.B) {
		p := PayerMax{PrivateKey: k.merchant}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.Sign(body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("alphapay", func(b *testing.B) {
		a := AlphaPay{MerchantCode: ap.MerchantCode, PrivateKey: k.merchant}
		reqBody := []byte(ap.Request.Body)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := a.Sign("POST", ap.Path, reqBody, at, ap.Request.Nonce); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("zalopay", func(b *testing.B) {
		z := ZaloPay{Key1: NewSecret(v.ZaloPay.Key1)}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := z.MAC(v.ZaloPay.AppID, v.ZaloPay.MRefundID, v.ZaloPay.Timestamp); err != nil {
				b.Fatal(err)
			}
		}
	})
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
		b.ReportAllocs()
		for b.Loop() {
			h := sha256.Sum256(body)
			if err := rsa.VerifyPKCS1v15(bare.(*rsa.PublicKey), crypto.SHA256, h[:], sig); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("newpay", func(b *testing.B) {
		n := NewPay{PublicKey: k.platformPub}
		b.ReportAllocs()
		for b.Loop() {
			if err := n.VerifyJSON(v.NewPay.ResponseData); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("payermax", func(b *testing.B) {
		p := PayerMax{PublicKey: k.platformPub}
		b.ReportAllocs()
		for b.Loop() {
			if err := p.Verify(body, v.PayerMax.ResponseSign); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("alphapay", func(b *testing.B) {
		a := AlphaPay{MerchantCode: ap.MerchantCode, PublicKey: k.platformPub}
		b.ReportAllocs()
		for b.Loop() {
			if err := a.VerifyResponse("POST", ap.Path, apHeader, apBody); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("zalopay", func(b *testing.B) {
		z := ZaloPay{Key1: NewSecret(v.ZaloPay.Key1)}
		b.ReportAllocs()
		for b.Loop() {
			if err := z.VerifyMAC(v.ZaloPay.AppID, v.ZaloPay.MRefundID, v.ZaloPay.Timestamp, v.ZaloPay.MAC); err != nil {
				b.Fatal(err)
			}
		}
	})
}
