package refundkit_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
)

// Ask PayerMax what happened to one refund. This is the program README.md
// shows under "Use the library", its main function being this body
// (TestREADMELibrarySnippet keeps the two the same). Beside a keys/
// directory written by "refundkit simulate --provider payermax --keys-dir
// keys", with PAYERMAX_BASE_URL=http://127.0.0.1:8080, it asks that
// simulator; here TestMain plays that part, in a scratch directory.
func Example() {
	ctx := context.Background()
	merchantKey, err := sign.ReadPrivateKeyFile("keys/merchant-private.pem")
	if err != nil {
		log.Fatal(err)
	}
	payermaxKey, err := sign.ReadPublicKeyFile("keys/platform-public.pem")
	if err != nil {
		log.Fatal(err)
	}
	client, err := inquiry.New(inquiry.PayerMaxConfig{
		AppID:      "a0dddd1f622243cb9aa1b676e808b5f8",
		MerchantNo: "02021382719993",
		PrivateKey: merchantKey, // signs every request
		PublicKey:  payermaxKey, // PayerMax's key: verifies every answer
	},
		inquiry.WithBaseURL(os.Getenv("PAYERMAX_BASE_URL")), // empty: PayerMax's production host
		inquiry.WithLogger(slog.Default()),
	)
	if err != nil {
		log.Fatal(err)
	}

	res, err := client.Inquire(ctx, refundkit.Query{RefundID: "demo-payermax-succeeded"})
	switch {
	case errors.Is(err, refundkit.ErrNotFound):
		fmt.Println("PayerMax does not know this refund")
	case err != nil:
		fmt.Println("no trustworthy answer:", refundkit.CategoryOf(err), err)
	case res.Status == refundkit.StatusSucceeded:
		fmt.Println("refunded", res.Amount, "verified:", res.Verified) // the digits PayerMax sent
	default:
		fmt.Println(res.Status, res.ProviderStatus)
	}
	// Output:
	// refunded 10000 IDR verified: true
}
