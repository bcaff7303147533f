package inquiry_test

import (
	"testing"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
)

func init() {
	fuzzProvider(refundkit.NewPay2, FuzzNewPay2Response, refundkit.Query{RefundID: "ORDERNORFD000000000A104"}, map[refundkit.Status][]string{
		refundkit.StatusSucceeded: {"SUCCESS"}, refundkit.StatusPending: {"PROCESSING"}, refundkit.StatusFailed: {"FAIL"},
	})
}

// FuzzNewPay2Response feeds NewPay v2 answers, signed, forged or as given,
// under every HTTP status, to the client: the checks every fuzz target
// shares (fuzzTarget.ask) hold for each.
func FuzzNewPay2Response(f *testing.F) {
	ft := newFuzzTarget(f, refundkit.NewPay2)
	signer := sign.NewPay2{PrivateKey: ft.keys.platform}
	verifier := sign.NewPay2{PublicKey: ft.keys.platformPublic}
	envelope := func(data string) []byte {
		return []byte(`{"success":true,"message":"success","code":"0","timestamp":1662528718641,"data":` + data + `}`)
	}
	bodies := append(specExamples(f, refundkit.NewPay2),
		envelope(`{"mchRefundNo":"ORDERNORFD000000000A104","refundStatus":"SUCCESS","refundAmt":{"value":"50000","currency":"LAK"}}`),
		envelope(`{"mchRefundNo":"ORDERNORFD000000000A104","refundStatus":"FAIL","orderAmt":{"value":"1","currency":"USD"}}`),
		envelope(`{"mchRefundNo":"ORDERNORFD000000000A104","refundStatus":2}`),
		envelope(`{"mchRefundNo":"ORDERNORFD000000000A104","refundStatus":" PROCESSING "}`),
		envelope(`{"mchRefundNo":"other","refundStatus":"SUCCESS"}`),
		envelope(`{"mchRefundNo":"ORDERNORFD000000000A104","refundStatus":"SUCCESS","refundAmt":{"value":"5e4","currency":"LAK"}}`),
		envelope(`{"mchRefundNo":"ORDERNORFD000000000A104","refundAmt":{"value":{"x":1}}}`),
		[]byte(`{"success":false,"message":"order information does not exist","code":"Z00051","timestamp":1}`),
		[]byte(`{"success":true,"code":"0","data":null}`), []byte(`[]`), []byte(``))
	fuzzNewPayFamily(f, ft, bodies, signer, verifier)
}
