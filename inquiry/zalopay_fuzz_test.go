package inquiry_test

import (
	"testing"

	"github.com/refundkit/refundkit"
)

func init() {
	fuzzProvider(refundkit.ZaloPay, FuzzZaloPayResponse, refundkit.Query{RefundID: "230407_2554_13221300383"}, map[refundkit.Status][]string{
		refundkit.StatusSucceeded: {"1"}, refundkit.StatusPending: {"3"}, refundkit.StatusFailed: {"2"},
	})
}

func FuzzZaloPayResponse(f *testing.F) {
	ft := newFuzzTarget(f, refundkit.ZaloPay)
	bodies := append(specExamples(f, refundkit.ZaloPay),
		[]byte(`{"return_code":3,"return_message":"processing","sub_return_code":3}`),
		[]byte(`{"return_code":2,"sub_return_code":-3,"sub_return_message":"refund rejected"}`),
		[]byte(`{"return_code":2,"sub_return_code":-401,"sub_return_message":"m_refund_id does not exist"}`),
		[]byte(`{"return_code":2,"sub_return_code":-32}`),
		[]byte(`{"return_code":1,"sub_return_code":-101}`),
		[]byte(`{"return_code":-429,"return_message":"rate limit"}`),
		[]byte(`{"return_code":-7}`), []byte(`{"return_code":9}`),
		[]byte(`{"return_code":1.5}`), []byte(`{"return_code":"1"}`), []byte(`{"return_code":1e2}`),
		[]byte(`{"return_code":2,"return_code":1}`), []byte(`{}`), []byte(`1`))
	for _, body := range bodies {
		for _, mode := range fuzzModes {
			f.Add(body, mode)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, mode uint8) {
		ft.ask(t, fuzzReply{status: fuzzStatus(mode), body: body}, nil)
	})
}
