package inquiry_test

import (
	"encoding/json"
	"testing"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
)

func init() {
	fuzzQueries[refundkit.NewPay2] = refundkit.Query{RefundID: "ORDERNORFD000000000A104"}
	fuzzStatusesAllowed[refundkit.NewPay2] = map[refundkit.Status][]string{
		refundkit.StatusSucceeded: {"SUCCESS"}, refundkit.StatusPending: {"PROCESSING"}, refundkit.StatusFailed: {"FAIL"},
	}
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
	for _, body := range bodies {
		for _, mode := range fuzzModes {
			f.Add(body, mode)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, mode uint8) {
		if fuzzSigning(mode) == fuzzSigned || fuzzSigning(mode) == fuzzForged {
			body = newpaySignData(body, signer, fuzzSigning(mode) == fuzzForged)
		}
		ft.ask(t, fuzzReply{status: fuzzStatus(mode), body: body}, func() bool {
			var env struct {
				Data json.RawMessage `json:"data"`
			}
			return json.Unmarshal(body, &env) == nil && verifier.VerifyJSON(env.Data) == nil
		})
	})
}
