package inquiry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
)

func ExampleClient_Inquire_newPay() {
	newpay := newpayExampleServer() // a stand-in for https://prod-openapi.newpay.la
	defer newpay.Close()

	merchantKey, err := sign.ReadPrivateKeyFile("../sign/testdata/merchant-private.pem")
	if err != nil {
		log.Fatal(err)
	}
	platformKey, err := sign.ReadPublicKeyFile("../sign/testdata/platform-public.pem")
	if err != nil {
		log.Fatal(err)
	}
	client, err := inquiry.New(inquiry.NewPayConfig{
		AppID:      "3514d69403bc4ce1a8fafb6415a31018",
		MerchantID: "876266cdc7154dd08a022fd1f2eace55",
		PrivateKey: merchantKey, // signs each request
		PublicKey:  platformKey, // verifies each answer
	}, inquiry.WithBaseURL(newpay.URL))
	if err != nil {
		log.Fatal(err)
	}

	res, err := client.Inquire(context.Background(), refundkit.Query{RefundID: "ORDERNORFD000000000A104"})
	switch {
	case errors.Is(err, refundkit.ErrNotFound):
		fmt.Println("NewPay does not know this refund")
	case err != nil:
		fmt.Println("no answer:", err)
	default:
		fmt.Println(res.Status, res.Amount, "verified:", res.Verified)
	}
	// Output: succeeded 50000 LAK verified: true
}

// newpayExampleServer plays NewPay with the test keys: it checks the
// request's signature and answers with the example response of NewPay's
// documentation, its data signed with the platform key.
func newpayExampleServer() *httptest.Server {
	merchant, err := sign.ReadPublicKeyFile("../sign/testdata/merchant-public.pem")
	if err != nil {
		log.Fatal(err)
	}
	platform, err := sign.ReadPrivateKeyFile("../sign/testdata/platform-private.pem")
	if err != nil {
		log.Fatal(err)
	}
	data, err := sign.NewPay{PrivateKey: platform}.SignJSON([]byte(newpayDocData))
	if err != nil {
		log.Fatal(err)
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if (sign.NewPay{PublicKey: merchant}).VerifyJSON(body) != nil {
			fmt.Fprint(w, `{"success":false,"code":"Z00007","message":"sign field verification failed"}`)
			return
		}
		fmt.Fprintf(w, newpayDocResponse, data)
	}))
}
