package inquiry_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
)

func ExampleClient_Inquire_payerMax() {
	payermax := payermaxExampleServer() // a stand-in for inquiry.PayerMaxProductionURL
	defer payermax.Close()

	merchantKey, err := sign.ReadPrivateKeyFile("../sign/testdata/merchant-private.pem")
	if err != nil {
		log.Fatal(err)
	}
	payermaxKey, err := sign.ReadPublicKeyFile("../sign/testdata/platform-public.pem")
	if err != nil {
		log.Fatal(err)
	}
	client, err := inquiry.New(inquiry.PayerMaxConfig{
		AppID:      "a0dddd1f622243cb9aa1b676e808b5f8",
		MerchantNo: "02021382719993",
		PrivateKey: merchantKey, // signs each request
		PublicKey:  payermaxKey, // verifies each answer
	}, inquiry.WithBaseURL(payermax.URL))
	if err != nil {
		log.Fatal(err)
	}

	// Ask by the merchant's refund number (outRefundNo); PayerMax's own
	// (refundTradeNo) goes in ProviderRefundID.
	res, err := client.Inquire(context.Background(), refundkit.Query{RefundID: "R1642411016202"})
	if err != nil {
		fmt.Println("no answer:", refundkit.CategoryOf(err))
		return
	}
	fmt.Println(res.Status, res.ProviderStatus)
	fmt.Println(res.Amount.Value(), res.Amount.Currency())
	fmt.Println(res.ProviderRefundID, res.Verified)
	// Output:
	// pending REFUND_PENDING
	// 12345678901234.5678 USD
	// 20220117091657TI790000055087 true
}

// payermaxExampleServer plays PayerMax with the test keys: it checks the
// request's sign header and answers with a refund in progress, signed with
// the platform key.
func payermaxExampleServer() *httptest.Server {
	merchant, err := sign.ReadPublicKeyFile("../sign/testdata/merchant-public.pem")
	if err != nil {
		log.Fatal(err)
	}
	platform, err := sign.ReadPrivateKeyFile("../sign/testdata/platform-private.pem")
	if err != nil {
		log.Fatal(err)
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		answer := `{"code":"SIGN_VERIFY_FAILED","msg":"Sign verify failed."}`
		if (sign.PayerMax{PublicKey: merchant}).Verify(body, r.Header.Get(sign.PayerMaxSignatureHeader)) == nil {
			answer = `{"code":"APPLY_SUCCESS","msg":"Success.","data":{"outRefundNo":"R1642411016202",` +
				`"refundTradeNo":"20220117091657TI790000055087","refundAmount":12345678901234.5678,` +
				`"refundCurrency":"USD","outTradeNo":"P1642410680681","status":"REFUND_PENDING"}}`
		}
		sig, err := sign.PayerMax{PrivateKey: platform}.Sign([]byte(answer))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set(sign.PayerMaxSignatureHeader, sig)
		fmt.Fprint(w, answer)
	}))
}
