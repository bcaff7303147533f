package inquiry_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

func init() {
	fuzzProvider(refundkit.AlphaPay, FuzzAlphaPayResponse, refundkit.Query{RefundID: "7b46758a-464c-42e8-b8ff-cbe779c2299f"}, map[refundkit.Status][]string{
		refundkit.StatusSucceeded: {"SUCCESS"}, refundkit.StatusPending: {"REFUND_IN_PROCESS"},
		refundkit.StatusFailed: {"FAILED"},
	})
	fuzzUndecided[refundkit.AlphaPay] = func(body []byte) bool { return alphaPayResultStatus(body) == "U" }
}

// alphaPayResultStatus reads result.resultStatus from an AlphaPay body,
// trimmed; "" if it has none.
func alphaPayResultStatus(body []byte) string {
	var out struct {
		Result struct {
			ResultStatus string `json:"resultStatus"`
		} `json:"result"`
	}
	if json.Unmarshal(body, &out) != nil {
		return ""
	}
	return strings.TrimSpace(out.Result.ResultStatus)
}

func FuzzAlphaPayResponse(f *testing.F) {
	ft := newFuzzTarget(f, refundkit.AlphaPay)
	v := loadFuzzVectors(f)
	path := v.AlphaPay.Path
	signer := sign.AlphaPay{MerchantCode: simulator.DemoAlphaPayMerchant, PrivateKey: ft.keys.platform}
	verifier := sign.AlphaPay{MerchantCode: simulator.DemoAlphaPayMerchant, PublicKey: ft.keys.platformPublic}
	r := v.AlphaPay.Response
	require.NoError(f, verifier.Verify(http.MethodPost, path, r.ResponseTime, r.Nonce, r.Signature, []byte(r.Body)))
	f.Add([]byte(r.Body), r.ResponseTime, r.Nonce, r.Signature, uint8(fuzzAsGiven)) // verifies as it is
	const ids = `"refundId":"7b46758a-464c-42e8-b8ff-cbe779c2299f"`
	bodies := append(specExamples(f, refundkit.AlphaPay), []byte(r.Body),
		[]byte(`{`+ids+`,"refundStatus":"REFUND_IN_PROCESS","result":{"resultStatus":"S"}}`),
		[]byte(`{`+ids+`,"refundStatus":" FAILED ","result":{"resultStatus":"S"}}`),
		[]byte(`{`+ids+`,"refundStatus":"REFUND_REVERSED","result":{"resultStatus":"S"}}`),
		[]byte(`{`+ids+`,"result":{"resultStatus":"U","resultCode":"UNKNOWN_EXCEPTION"}}`),
		[]byte(`{`+ids+`,"refundStatus":"FAILED","result":{"resultStatus":"U"}}`),
		[]byte(`{`+ids+`,"refundStatus":"SUCCESS","result":{"resultStatus":"X"}}`),
		[]byte(`{`+ids+`,"refundStatus":"SUCCESS","refund":{"refundAmount":{"value":"100","currency":"JPY"}},"result":{"resultStatus":"S"}}`),
		[]byte(`{`+ids+`,"refundStatus":"SUCCESS","refund":{"refundAmount":{"value":"1.5","currency":"CAD"}},"result":{"resultStatus":"S"}}`),
		[]byte(`{`+ids+`,"refundStatus":"SUCCESS","refund":{"refundAmount":{"value":"100","currency":"XXX"}},"result":{"resultStatus":"S"}}`),
		[]byte(`{"refundId":"other",`+ids+`,"refundStatus":"SUCCESS","result":{"resultStatus":"S"}}`),
		[]byte(`{"refundStatus":"SUCCESS","result":{"resultStatus":"S"}}`),
		[]byte(`{"result":{"resultStatus":"F","resultCode":"REFUND_NOT_EXIST"}}`),
		[]byte(`{"result":{"resultStatus":"F","resultCode":"SOMETHING_NEW"}}`),
		[]byte(`{"result":null}`), []byte(`"S"`))
	for _, body := range bodies {
		for _, mode := range fuzzModes {
			f.Add(body, "", "", "", mode)
		}
	}
	f.Add([]byte(r.Body), r.ResponseTime, r.Nonce, "algorithm=RS256, keyVersion=1, signature="+r.Signature[len("algorithm=RS256,keyVersion=1,signature="):], uint8(fuzzAsGiven))
	f.Add([]byte(r.Body), r.ResponseTime, r.Nonce, "algorithm=RS512,keyVersion=1,signature=AAAA", uint8(fuzzAsGiven))
	f.Fuzz(func(t *testing.T, body []byte, respTime, nonce, signature string, mode uint8) {
		reply := fuzzReply{status: fuzzStatus(mode), body: body, header: http.Header{}}
		if s := fuzzSigning(mode); s == fuzzSigned || s == fuzzForged {
			h, err := signer.Sign(http.MethodPost, path, body, time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC), "5f0e8c1d2b3a49c7a6e5d4c3b2a19080")
			require.NoError(t, err)
			if s == fuzzForged {
				parsed, err := sign.ParseAlphaPaySignatureHeader(h.Signature)
				require.NoError(t, err)
				parsed.Signature[len(parsed.Signature)/2] ^= 1
				h.Signature = parsed.String()
			}
			h.SetResponse(reply.header)
		} else {
			for name, v := range map[string]string{sign.AlphaPayHeaderResponseTime: respTime, sign.AlphaPayHeaderNonce: nonce, sign.AlphaPayHeaderSignature: signature} {
				if v != "" {
					reply.header.Set(name, v)
				}
			}
		}
		ft.ask(t, reply, func() bool {
			return verifier.VerifyResponse(http.MethodPost, path, reply.header, body) == nil &&
				isHexNonce(reply.header.Get(sign.AlphaPayHeaderNonce))
		})
	})
}

// isHexNonce reports whether s has the shape of an AlphaPay nonce, 32 hex
// characters, written out here rather than borrowed from sign.
func isHexNonce(s string) bool {
	ok, _ := regexp.MatchString(`^[0-9a-fA-F]{32}$`, s)
	return ok
}
