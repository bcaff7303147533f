package simulator_test

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"

	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// A PayerMax simulator with one seeded refund, served by httptest and asked
// about it with a request signed the way PayerMax wants. The answer is
// signed with the platform key and keeps every digit of the amount.
func Example() {
	keys, err := simulator.GenerateKeys()
	if err != nil {
		log.Fatal(err)
	}
	sim, err := simulator.New(simulator.PayerMaxConfig{
		AppID:       "app-1",
		MerchantKey: keys.Merchant.Public,  // checks the requests' sign header
		PlatformKey: keys.Platform.Private, // signs the answers
	})
	if err != nil {
		log.Fatal(err)
	}
	err = sim.Seed(simulator.Refund{
		RefundID: "R1001", ProviderRefundID: "T2001",
		Status: "REFUND_SUCCESS", Amount: "12345678901234.5678", Currency: "USD",
	})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	defer srv.Close()

	body := []byte(`{"version":"1.1","keyVersion":"1","requestTime":"` + time.Now().Format(sign.PayerMaxTimeLayout) +
		`","appId":"app-1","data":{"outRefundNo":"R1001"}}`)
	sig, err := sign.PayerMax{PrivateKey: keys.Merchant.Private}.Sign(body)
	if err != nil {
		log.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, srv.URL+sim.Path(), bytes.NewReader(body))
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("sign", sig)
	resp, err := srv.Client().Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	err = sign.PayerMax{PublicKey: keys.Platform.Public}.Verify(answer, resp.Header.Get("sign"))
	fmt.Println("signature verified:", err == nil)
	fmt.Println(string(answer))
	// Output:
	// signature verified: true
	// {"code":"APPLY_SUCCESS","msg":"Success.","data":{"outRefundNo":"R1001","refundTradeNo":"T2001","refundAmount":12345678901234.5678,"refundCurrency":"USD","status":"REFUND_SUCCESS"}}
}

// Faults for the next request only: a ZaloPay simulator answers once with
// HTTP 429, then normally; its pending refund succeeds after two answers.
func ExampleInjector_Next() {
	sim, err := simulator.New(simulator.ZaloPayConfig{AppID: 2554, Key1: "example-key1"})
	if err != nil {
		log.Fatal(err)
	}
	err = sim.Seed(simulator.Refund{
		RefundID: "230407_2554_1", Status: "3", // processing
		Transitions: []simulator.Transition{{After: 2, Status: "1"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	defer srv.Close()
	sim.Faults().Next(1, simulator.FaultRateLimit)

	for range 4 {
		ts := time.Now().UnixMilli()
		mac, err := sign.ZaloPay{Key1: sign.NewSecret("example-key1")}.MAC(2554, "230407_2554_1", ts)
		if err != nil {
			log.Fatal(err)
		}
		body := `{"app_id":2554,"m_refund_id":"230407_2554_1","timestamp":` + strconv.FormatInt(ts, 10) + `,"mac":"` + mac + `"}`
		resp, err := http.Post(srv.URL+sim.Path(), "application/json", bytes.NewReader([]byte(body)))
		if err != nil {
			log.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"), string(bytes.TrimSpace(answer)))
	}
	fmt.Println("rate limited:", sim.Faults().Count(simulator.FaultRateLimit))
	// Output:
	// 429 1 simulator: injected rate limit
	// 200  {"return_code":3,"return_message":"","sub_return_code":3,"sub_return_message":""}
	// 200  {"return_code":3,"return_message":"","sub_return_code":3,"sub_return_message":""}
	// 200  {"return_code":1,"return_message":"","sub_return_code":1,"sub_return_message":""}
	// rate limited: 1
}
