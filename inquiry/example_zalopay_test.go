package inquiry_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
)

func ExampleClient_Inquire_zaloPay() {
	// A stand-in for ZaloPay, answering as ZaloPay does when a refund to a
	// card has succeeded. Leave WithBaseURL out to reach ZaloPay's
	// production host, or pass inquiry.ZaloPaySandboxURL.
	zalopay := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"return_code":1,"return_message":"Giao dịch thành công",`+
			`"sub_return_code":-101,"sub_return_message":"Refund succeeded; card holders receive the money in 3-5 working days"}`)
	}))
	defer zalopay.Close()

	client, err := inquiry.New(inquiry.ZaloPayConfig{
		AppID: 2554,
		Key1:  sign.NewSecret("sdngKKJmqEMzvh5QQcdD2A9XBSKUNaYn"), // ZaloPay's published sandbox key1
	}, inquiry.WithBaseURL(zalopay.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := client.Inquire(context.Background(), refundkit.Query{RefundID: "230407_2554_13221300383"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, "return_code", res.ProviderStatus, "sub_return_code", res.ProviderCode)
	fmt.Println(res.ProviderMessage)
	// ZaloPay does not sign its answers: the result relies on TLS alone.
	fmt.Println("verified:", res.Verified, "amount:", res.Amount)
	// Output:
	// succeeded return_code 1 sub_return_code -101
	// Refund succeeded; card holders receive the money in 3-5 working days
	// verified: false amount: <nil>
}
