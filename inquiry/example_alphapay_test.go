package inquiry_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
)

func ExampleClient_Inquire_alphaPay() {
	// The merchant's key signs requests; AlphaPay's public key verifies
	// answers. These are refundkit's throwaway test keys.
	merchantKey, err := sign.ReadPrivateKeyFile("../sign/testdata/merchant-private.pem")
	if err != nil {
		fmt.Println(err)
		return
	}
	providerKey, err := sign.ReadPrivateKeyFile("../sign/testdata/platform-private.pem")
	if err != nil {
		fmt.Println(err)
		return
	}

	// A stand-in for AlphaPay that signs its answer as AlphaPay does. Leave
	// WithBaseURL out to reach AlphaPay's CAD host, or pass
	// inquiry.AlphaPayUSDURL for a USD account.
	signer := sign.AlphaPay{MerchantCode: "CXVJIU", PrivateKey: providerKey}
	alphapay := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := []byte(`{"paymentId":"P2019052800001","refundRequestId":"RR-1001",` +
			`"refundId":"7b46758a-464c-42e8-b8ff-cbe779c2299f","refundTime":"2019-05-28T12:15:02+08:00",` +
			`"refundStatus":"SUCCESS","refund":{"refundAmount":{"value":"100","currency":"CAD"}},` +
			`"result":{"resultCode":"SUCCESS","resultMessage":"success","resultStatus":"S"}}`)
		h, err := signer.Sign(r.Method, r.URL.Path, body, time.Now(), sign.RandomNonce())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		h.SetResponse(w.Header())
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer alphapay.Close()

	client, err := inquiry.New(inquiry.AlphaPayConfig{
		MerchantCode: "CXVJIU",
		PrivateKey:   merchantKey,
		PublicKey:    providerKey.Public(),
	}, inquiry.WithBaseURL(alphapay.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := client.Inquire(context.Background(), refundkit.Query{
		RefundID:        "7b46758a-464c-42e8-b8ff-cbe779c2299f", // AlphaPay's refund id
		RefundRequestID: "RR-1001",                              // optional: the merchant's, checked against the answer
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.ProviderStatus, res.Amount) // "100" minor units are 1.00 CAD
	fmt.Println("refunded at", res.RefundedAt.UTC().Format(time.RFC3339), "verified:", res.Verified)
	// Output:
	// succeeded SUCCESS 1.00 CAD
	// refunded at 2019-05-28T04:15:02Z verified: true
}
