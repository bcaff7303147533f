package inquiry_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
)

func init() {
	fuzzProvider(refundkit.NewPay, FuzzNewPayResponse, refundkit.Query{RefundID: "ORDERNORFD000000000A104"}, map[refundkit.Status][]string{
		refundkit.StatusSucceeded: {"1", "true"}, refundkit.StatusFailed: {"0", "false"},
	})
}

func FuzzNewPayResponse(f *testing.F) {
	ft := newFuzzTarget(f, refundkit.NewPay)
	v := loadFuzzVectors(f)
	signer := sign.NewPay{PrivateKey: ft.keys.platform}
	verifier := sign.NewPay{PublicKey: ft.keys.platformPublic}
	envelope := func(data string) []byte {
		return []byte(`{"success":true,"message":"success","data":` + data + `,"code":"0","timestamp":1662528718641}`)
	}
	vector := envelope(string(v.NewPay.ResponseData))
	require.NoError(f, verifier.VerifyJSON(v.NewPay.ResponseData))
	f.Add(vector, uint8(fuzzAsGiven)) // verifies as it is
	bodies := append(specExamples(f, refundkit.NewPay), vector,
		envelope(`{"appId":"3514d69403bc4ce1a8fafb6415a31018","tranStatus":0,"refundOrderNo":"ORDERNORFD000000000A104"}`),
		envelope(`{"appId":"3514d69403bc4ce1a8fafb6415a31018","tranStatus":9,"refundSuccess":true,"refundOrderNo":"ORDERNORFD000000000A104"}`),
		envelope(`{"appId":"3514d69403bc4ce1a8fafb6415a31018","refundSuccess":false,"refundOrderNo":"ORDERNORFD000000000A104","refundOrderAmt":"1e3","currency":"LAK"}`),
		envelope(`{"appId":"3514d69403bc4ce1a8fafb6415a31018","tranStatus":1,"refundOrderNo":"x","refundOrderNo":"ORDERNORFD000000000A104"}`),
		envelope(`{"appId":"3514d69403bc4ce1a8fafb6415a31018","tranStatus":1,"refundOrderNo":"ORDERNORFD000000000A104","refundOrderAmt":"50000","currency":null}`),
		[]byte(`{"success":false,"message":"order information does not exist","code":"Z00051","timestamp":1}`),
		[]byte(`{"success":true,"message":"","code":"E9999","timestamp":"1"}`),
		[]byte(`{"success":true,"code":"0","data":null}`),
		[]byte(`{"success":true,"code":"0","data":[]}`),
		[]byte(`[]`), []byte(``), []byte(`{"success":true,"code":"0","data":{"sign":"x"}}`))
	fuzzNewPayFamily(f, ft, bodies, signer, verifier)
}

// newpaySignData returns body with its data object signed in place, as
// NewPay (v1 or v2, by signer) signs it (and the signature then corrupted if forge), or body
// unchanged if it has no data object to sign.
func newpaySignData(body []byte, signer interface{ SignJSON([]byte) ([]byte, error) }, forge bool) []byte {
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(body, &env) != nil || len(env.Data) == 0 || env.Data[0] != '{' {
		return body
	}
	signed, err := signer.SignJSON(env.Data)
	if err != nil {
		return body
	}
	if forge {
		var d map[string]any
		if json.Unmarshal(signed, &d) == nil {
			if s, ok := d["sign"].(string); ok {
				signed = bytes.Replace(signed, []byte(s), []byte(flipBit(s)), 1)
			}
		}
	}
	return bytes.Replace(body, env.Data, signed, 1)
}

// fuzzNewPayFamily adds bodies as seeds in every mode and fuzzes ft with
// them NewPay's way (v1 or v2, by signer and verifier): the data object is
// signed in place, and a reply verifies when its data does.
func fuzzNewPayFamily(f *testing.F, ft *fuzzTarget, bodies [][]byte,
	signer interface{ SignJSON([]byte) ([]byte, error) }, verifier interface{ VerifyJSON([]byte) error }) {
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
