package inquiry_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
)

func init() {
	fuzzProvider(refundkit.PayerMax, FuzzPayerMaxResponse, refundkit.Query{RefundID: "R1642411016202"}, map[refundkit.Status][]string{
		refundkit.StatusSucceeded: {"REFUND_SUCCESS"}, refundkit.StatusPending: {"REFUND_PENDING"},
		refundkit.StatusFailed: {"REFUND_FAILED"},
	})
}

func FuzzPayerMaxResponse(f *testing.F) {
	ft := newFuzzTarget(f, refundkit.PayerMax)
	v := loadFuzzVectors(f)
	signer := sign.PayerMax{PrivateKey: ft.keys.platform}
	verifier := sign.PayerMax{PublicKey: ft.keys.platformPublic}
	require.NoError(f, verifier.Verify([]byte(v.PayerMax.ResponseBody), v.PayerMax.ResponseSign))
	f.Add([]byte(v.PayerMax.ResponseBody), v.PayerMax.ResponseSign, uint8(fuzzAsGiven)) // verifies as it is
	const data = `"outRefundNo":"R1642411016202","refundAmount":12345678901234.5678,"refundCurrency":"USD"`
	bodies := append(specExamples(f, refundkit.PayerMax), []byte(v.PayerMax.ResponseBody),
		[]byte(`{"code":"APPLY_SUCCESS","msg":"","data":{`+data+`,"status":"REFUND_PENDING\t"}}`),
		[]byte(`{"code":"APPLY_SUCCESS","msg":"","data":{`+data+`,"status":"REFUND_FAILED","resultMsg":"rejected"}}`),
		[]byte(`{"code":"APPLY_SUCCESS","msg":"","data":{`+data+`,"status":"REFUND_REVIEWING"}}`),
		[]byte(`{"code":"APPLY_SUCCESS","msg":"","data":{"outRefundNo":"R1","outRefundNo":"R1642411016202","status":"REFUND_SUCCESS"}}`),
		[]byte(`{"code":"APPLY_SUCCESS","msg":"","data":{"outRefundNo":"R1642411016202","refundAmount":1e400,"refundCurrency":"USD","status":"REFUND_SUCCESS"}}`),
		[]byte(`{"code":"APPLY_SUCCESS","msg":"","data":{"outRefundNo":"R1642411016202","refundAmount":-1,"refundCurrency":"USD","status":"REFUND_SUCCESS"}}`),
		[]byte(`{"code":" APPLY_SUCCESS ","msg":"","data":null}`),
		[]byte(`{"code":"ORDER_NOT_EXIST","msg":"Refund order does not exist."}`),
		[]byte(`{"code":"TOO_MANY_REQUEST","msg":"slow down"}`),
		[]byte(`{"code":"NEW_CODE","msg":"?"}`),
		[]byte(`{"code":1,"msg":"x"}`), []byte(`null`), []byte(`{`))
	for _, body := range bodies {
		for _, mode := range fuzzModes {
			f.Add(body, "", mode)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, sig string, mode uint8) {
		if s := fuzzSigning(mode); s == fuzzSigned || s == fuzzForged {
			var err error
			sig, err = signer.Sign(body)
			require.NoError(t, err)
			if s == fuzzForged {
				sig = flipBit(sig)
			}
		}
		reply := fuzzReply{status: fuzzStatus(mode), body: body, header: http.Header{}}
		if sig != "" {
			reply.header.Set(sign.PayerMaxSignatureHeader, sig)
		}
		ft.ask(t, reply, func() bool { return verifier.Verify(body, sig) == nil })
	})
}
