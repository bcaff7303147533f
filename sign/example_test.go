package sign_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/refundkit/refundkit/sign"
)

func ExampleZaloPay_MAC() {
	z := sign.ZaloPay{Key1: sign.NewSecret("sdngKKJmqEMzvh5QQcdD2A9XBSKUNaYn")} // ZaloPay's sandbox key1
	at := time.UnixMilli(1680848533635)

	mac, err := z.MAC(2554, "230407_2554_13221300383", at.UnixMilli())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sign.ZaloPayMACInput(2554, "230407_2554_13221300383", at.UnixMilli()))
	fmt.Println(mac)
	fmt.Println(z) // the key never prints
	// Output:
	// 2554|230407_2554_13221300383|1680848533635
	// 3c48fefef8a0a63347f632e1efa09a9b8842eab07c409eb9a3539fb4fea85c65
	// {sign.Secret(redacted)}
}

func ExampleNewPayCanonical() {
	canonical, err := sign.NewPayCanonical(map[string]any{
		"appId":         "3514d69403bc4ce1a8fafb6415a31018",
		"merchantId":    "876266cdc7154dd08a022fd1f2eace55",
		"refundOrderNo": "ORDERNORFD000000000A104",
		"timestamp":     sign.NewPay{}.Timestamp(time.UnixMilli(1662528718000)),
		"tranAbbr":      nil, // null: left out
		"sign":          "",  // the signature itself: left out
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(canonical)
	// Output:
	// appId=3514d69403bc4ce1a8fafb6415a31018&merchantId=876266cdc7154dd08a022fd1f2eace55&refundOrderNo=ORDERNORFD000000000A104&timestamp=1662528718000
}

// NewPay signs inside the JSON body: marshal it, then let SignJSON set sign.
// The receiving side verifies the raw data object before decoding it.
func ExampleNewPay_SignJSON() {
	merchant, err := sign.ReadPrivateKeyFile("testdata/merchant-private.pem")
	if err != nil {
		log.Fatal(err)
	}
	merchantPub, err := sign.ReadPublicKeyFile("testdata/merchant-public.pem")
	if err != nil {
		log.Fatal(err)
	}
	body := []byte(`{"appId":"3514d69403bc4ce1a8fafb6415a31018","merchantId":"876266cdc7154dd08a022fd1f2eace55",` +
		`"refundOrderNo":"ORDERNORFD000000000A104","timestamp":1662528718000,"sign":""}`)

	signed, err := sign.NewPay{PrivateKey: merchant}.SignJSON(body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(signed[bytes.Index(signed, []byte(`"sign"`)):][:24]) + "…")

	verifier := sign.NewPay{PublicKey: merchantPub}
	fmt.Println(verifier.VerifyJSON(signed))
	forged := bytes.Replace(signed, []byte("A104"), []byte("A105"), 1)
	fmt.Println(errors.Is(verifier.VerifyJSON(forged), sign.ErrInvalidSignature))
	// Output:
	// "sign":"Up3Ui96sl0ZkxaP5…
	// <nil>
	// true
}

// A generated client signs PayerMax requests through the editor; the body is
// read with GetBody and left for the transport to send.
func ExamplePayerMax_RequestEditor() {
	merchant, err := sign.ReadPrivateKeyFile("testdata/merchant-private.pem")
	if err != nil {
		log.Fatal(err)
	}
	body := `{"version":"1.1","keyVersion":"1","requestTime":"2022-01-17T07:01:23.737+00:00",` +
		`"appId":"a0dddd1f622243cb9aa1b676e808b5f8","merchantNo":"02021382719993","data":{"outRefundNo":"R1642411016202"}}`
	req, err := http.NewRequest(http.MethodPost, "https://pay-gate.payermax.com/aggregate-pay/api/gateway/refundQuery",
		strings.NewReader(body))
	if err != nil {
		log.Fatal(err)
	}

	edit := sign.PayerMax{PrivateKey: merchant}.RequestEditor() // pass to RefundQueryWithBody(…, edit)
	if err := edit(context.Background(), req); err != nil {
		log.Fatal(err)
	}
	fmt.Println(req.Header.Get(sign.PayerMaxSignatureHeader))
	// Output:
	// tN9AYuxWtZ7FFx/Lat7oJtRpVCRuGSPn4EAJ0UY/z23Tl7tcAGx9SGI7nZDhtQNG5UrkUFTFPDMH5lc3YfpNjRsT5Ndh78jFa+Oqc9Mg3R2mLq+r7cCbWwKhysTNEHkJ3XTj7Ii637bvY9ank3Y3QMSnOSTDPFU5Rd4jxdZzvIz39dtONgRu3Fhq3+NqxeJAcZCbbPjpzcaiGKb9N/ffoFs2sBdt1lAjiWL1bQtpxCr5Juy9xvjKw6ht1ax5nnvxDJALhEFXMnrQmkgQZqRKjUAC9y1INIBBPuerWVV0lOElzH7WSSbh2nBHgFMpw/OSJoaOxr1oVRmmQB1ehQt7Ew==
}

func ExampleAlphaPaySignatureHeader_String() {
	h := sign.AlphaPaySignatureHeader{KeyVersion: "1", Signature: []byte{0xfb, 0xff, 0x3e, 0x00, 0x10}}
	fmt.Println(h)
	// Output:
	// algorithm=RS256,keyVersion=1,signature=%2B%2F8%2BABA%3D
}

func ExampleParseAlphaPaySignatureHeader() {
	// The documentation's spelling, with spaces after the commas.
	h, err := sign.ParseAlphaPaySignatureHeader("algorithm=RS256, keyVersion=1, signature=%2B%2F8%2BABA%3D")
	fmt.Println(h.KeyVersion, h.Signature, err)

	_, err = sign.ParseAlphaPaySignatureHeader("algorithm=HS256,keyVersion=1,signature=%2B%2F8%2BABA%3D")
	fmt.Println(err)
	fmt.Println(errors.Is(err, sign.ErrInvalidSignature))
	// Output:
	// 1 [251 255 62 0 16] <nil>
	// sign: malformed signature: alphapay: Signature header: algorithm is not RS256
	// true
}

// AlphaPay signs method, path, three headers and the body; Sign takes the time
// and nonce, so the result is reproducible.
func ExampleAlphaPay_Sign() {
	merchant, err := sign.ReadPrivateKeyFile("testdata/merchant-private.pem")
	if err != nil {
		log.Fatal(err)
	}
	client := sign.AlphaPay{MerchantCode: "CXVJIU", PrivateKey: merchant}
	at := time.Date(2019, 5, 28, 12, 12, 12, 0, time.FixedZone("CST", 8*3600))
	body := []byte(`{"refundId":"7b46758a-464c-42e8-b8ff-cbe779c2299f"}`)

	h, err := client.Sign(http.MethodPost, "/api/v2.0/payments/inquiryRefund", body, at, "b111bcf0dfb54d4e8bae68c293d85e2e")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\n%s.%s.%s.%s\n", "POST /api/v2.0/payments/inquiryRefund", h.MerchantCode, h.Time, h.Nonce, body)
	fmt.Println(h.Signature[:60] + "…")
	// Output:
	// POST /api/v2.0/payments/inquiryRefund
	// CXVJIU.2019-05-28T12:12:12+08:00.b111bcf0dfb54d4e8bae68c293d85e2e.{"refundId":"7b46758a-464c-42e8-b8ff-cbe779c2299f"}
	// algorithm=RS256,keyVersion=1,signature=JINgkKT2y49uRRxzuuj4u…
}

// A verifier fails closed: AlphaPay's own SDK skips verification when the
// headers are missing; this one refuses the response.
func ExampleAlphaPay_VerifyResponse() {
	platformPub, err := sign.ReadPublicKeyFile("testdata/platform-public.pem")
	if err != nil {
		log.Fatal(err)
	}
	client := sign.AlphaPay{MerchantCode: "CXVJIU", PublicKey: platformPub}

	err = client.VerifyResponse(http.MethodPost, "/api/v2.0/payments/inquiryRefund", http.Header{}, []byte(`{"refundStatus":"SUCCESS"}`))
	fmt.Println(err)
	fmt.Println(errors.Is(err, sign.ErrMissingSignature))
	// Output:
	// sign: missing signature: alphapay: no time header
	// true
}
