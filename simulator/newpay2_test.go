package simulator_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// newpay2Asker asks a NewPay v2 simulator directly, as a client would.
type newpay2Asker struct {
	sim *simulator.Simulator
	url string
}

// newNewPay2Asker starts a demo NewPay v2 simulator holding refund R-1
// (NP-1 at NewPay), failed, of 7 USD.
func newNewPay2Asker(t *testing.T) newpay2Asker {
	t.Helper()
	sim, err := simulator.New(simulator.DemoConfig(testKeys(), fixedClock)[refundkit.NewPay2])
	require.NoError(t, err)
	require.NoError(t, sim.Seed(simulator.Refund{RefundID: "R-1", ProviderRefundID: "NP-1", Status: "FAIL", Amount: "7", Currency: "USD"}))
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return newpay2Asker{sim: sim, url: srv.URL + sim.Path()}
}

// ask sends body, signed with signer (unsigned if nil), and returns the
// answer's code and data.
func (n newpay2Asker) ask(t *testing.T, body map[string]any, signer *sign.PrivateKey) (code string, data json.RawMessage) {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	if signer != nil {
		raw, err = sign.NewPay2{PrivateKey: signer}.SignJSON(raw)
		require.NoError(t, err)
	}
	resp, err := http.Post(n.url, "application/json", bytes.NewReader(raw))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var env struct {
		Code string          `json:"code"`
		Data json.RawMessage `json:"data"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&env))
	return env.Code, env.Data
}

// newpay2IDs returns m with the demo app and merchant ids added.
func newpay2IDs(m map[string]any) map[string]any {
	out := map[string]any{"appId": simulator.DemoNewPay2AppID, "mchId": simulator.DemoNewPay2MchID}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// newpay2Signer picks the key that signs a request: the merchant's, the
// platform's (not the one the simulator checks with), or none.
type newpay2Signer func(k *simulator.Keys) *sign.PrivateKey

var (
	byMerchant newpay2Signer = func(k *simulator.Keys) *sign.PrivateKey { return k.Merchant.Private }
	byPlatform newpay2Signer = func(k *simulator.Keys) *sign.PrivateKey { return k.Platform.Private }
	noSigner   newpay2Signer = func(*simulator.Keys) *sign.PrivateKey { return nil }
)

// newpay2Refused are requests the NewPay v2 simulator refuses, and the code
// of each refusal.
var newpay2Refused = map[string]struct {
	body   map[string]any
	signer newpay2Signer
	want   string
}{
	"unknown refund":     {newpay2IDs(map[string]any{"mchRefundNo": "R-9"}), byMerchant, "Z00051"},
	"ids of two refunds": {newpay2IDs(map[string]any{"mchRefundNo": "R-1", "newpayRefundNo": "NP-9"}), byMerchant, "Z00051"},
	"no refund number":   {newpay2IDs(nil), byMerchant, "B11095"},
	"wrong app":          {map[string]any{"appId": "x", "mchId": simulator.DemoNewPay2MchID, "mchRefundNo": "R-1"}, byMerchant, "Z00003"},
	"wrong merchant":     {map[string]any{"appId": simulator.DemoNewPay2AppID, "mchId": "x", "mchRefundNo": "R-1"}, byMerchant, "Z00044"},
	"signed by another":  {newpay2IDs(map[string]any{"mchRefundNo": "R-1"}), byPlatform, "Z00007"},
	"unsigned":           {newpay2IDs(map[string]any{"mchRefundNo": "R-1"}), noSigner, "Z00005"},
}

// TestNewPay2Simulator asks the v2 simulator directly, as a client would,
// and checks its answers: identity and signature checks first, then the
// refund, signed so that the client's verifier accepts it, with faults
// where they live.
func TestNewPay2Simulator(t *testing.T) {
	k := testKeys()
	n := newNewPay2Asker(t)
	verifier := sign.NewPay2{PublicKey: k.Platform.Public}

	assert.Equal(t, "/beta/pay/uniQueryRefund", n.sim.Path())
	for _, q := range []map[string]any{{"mchRefundNo": "R-1"}, {"newpayRefundNo": "NP-1"}, {"mchRefundNo": "R-1", "newpayRefundNo": "NP-1"}} {
		code, data := n.ask(t, newpay2IDs(q), k.Merchant.Private)
		require.Equal(t, "0", code, "%v", q)
		require.NoError(t, verifier.VerifyJSON(data))
		assert.Contains(t, string(data), `"refundStatus":"FAIL"`)
		assert.Contains(t, string(data), `"refundAmt":{"currency":"USD","value":"7"}`)
	}
	for name, tc := range newpay2Refused {
		t.Run(name, func(t *testing.T) {
			code, data := n.ask(t, tc.body, tc.signer(k))
			assert.Equal(t, tc.want, code)
			assert.Empty(t, data)
		})
	}
	t.Run("faults", func(t *testing.T) { checkNewPay2Faults(t, n, verifier) })
	assert.Len(t, simulator.DemoRefunds("newpay2"), 4)
}

// checkNewPay2Faults switches on, one inquiry each, the faults that change
// a NewPay v2 answer's data, and checks what the verifier makes of it.
func checkNewPay2Faults(t *testing.T, n newpay2Asker, verifier sign.NewPay2) {
	t.Helper()
	q := newpay2IDs(map[string]any{"mchRefundNo": "R-1"})
	merchant := testKeys().Merchant.Private
	n.sim.Faults().Next(1, simulator.FaultBadSignature)
	_, data := n.ask(t, q, merchant)
	assert.ErrorIs(t, verifier.VerifyJSON(data), sign.ErrInvalidSignature)
	n.sim.Faults().Next(1, simulator.FaultMissingSignature)
	_, data = n.ask(t, q, merchant)
	assert.ErrorIs(t, verifier.VerifyJSON(data), sign.ErrMissingSignature)
	n.sim.Faults().Next(1, simulator.FaultMismatchedID)
	_, data = n.ask(t, q, merchant)
	require.NoError(t, verifier.VerifyJSON(data))
	assert.Contains(t, string(data), "R-1"+simulator.MismatchSuffix)
	n.sim.Faults().Next(1, simulator.FaultUnknownStatus)
	_, data = n.ask(t, q, merchant)
	assert.Contains(t, string(data), simulator.UnknownStatus("newpay2"))
}

// newpay2RequestCases are the requests TestRequests sends to the NewPay v2 simulator. The spec requires appId, mchId and sign, and neither refund number; the codes are NewPay's family codes.
var newpay2RequestCases = []requestCase{
	{name: "well-formed", code: "0"},
	{name: "no sign", o: reqOpts{unsigned: true}, code: "Z00005", specInvalid: true},
	{name: "no appId", o: reqOpts{body: delBody("appId")}, code: "Z00001", specInvalid: true},
	{name: "mchId a number", o: reqOpts{body: setBody("mchId", 7)}, code: "Z00021", specInvalid: true},
	{name: "mchRefundNo a number", o: reqOpts{body: setBody("mchRefundNo", 7)}, code: "Z00049", specInvalid: true},
	{name: "not JSON", o: reqOpts{raw: func([]byte) []byte { return []byte("{") }}, code: "B11095", specInvalid: true},
	{name: "no refund number", o: reqOpts{body: delBody("mchRefundNo")}, code: "B11095"},
	{name: "unknown appId", o: reqOpts{body: setBody("appId", "other")}, code: "Z00003"},
	{name: "unknown mchId", o: reqOpts{body: setBody("mchId", "other")}, code: "Z00044"},
	{name: "sign not base64", o: reqOpts{raw: replaceBody(`"sign":"`, `"sign":"!`)}, code: "Z00005"},
	{name: "signed with another key", o: reqOpts{keys: otherKeys()}, code: "Z00007"},
	{name: "body changed after signing", o: reqOpts{raw: replaceBody(seededID, seededID+"x")}, code: "Z00007"},
}

// newpay2StatusCases are the refunds TestStatuses seeds in the NewPay v2 simulator.
var newpay2StatusCases = []simulator.Refund{
	{RefundID: "np2-ok", ProviderRefundID: "202209078000000702", Status: "SUCCESS", Amount: "50000", Currency: "LAK"},
	{RefundID: "np2-processing", Status: "PROCESSING", Amount: "12345678901234.5678", Currency: "USD"},
	{RefundID: "np2-fail", Status: "FAIL", Amount: "0.10", Currency: "USD"},
	{RefundID: "np2-unknown", Status: "REFUNDED_TO_WALLET", Amount: "1", Currency: "LAK"},
}

// newpay2ErrorCases are the errors TestSeededErrorCodes seeds in the NewPay v2 simulator.
var newpay2ErrorCases = []errorCase{
	{simulator.Refund{Code: "E9999", Message: "unknown error"}, "E9999"},
	{simulator.Refund{Code: "Z00046"}, "Z00046"},
}

// NewPay v2, as the simulator tests speak it: signed JSON (data.sign's
// scheme over the whole request) naming the refund by mchRefundNo; answers
// sign only data, which keeps the refund's status and amount.
func init() {
	speak(refundkit.NewPay2, speaker{
		body: func(_ *env, id string, _ time.Time, _ reqOpts, _ http.Header) map[string]any {
			return map[string]any{"appId": simulator.DemoNewPay2AppID, "mchId": simulator.DemoNewPay2MchID, "mchRefundNo": id}
		},
		encode: func(t testing.TB, _ *env, body map[string]any, _ http.Header, keys *simulator.Keys, _ time.Time, o reqOpts) []byte {
			return signedJSON(t, body, o, sign.NewPay2{PrivateKey: keys.Merchant.Private}.SignJSON)
		},
		code:      func(a answer) string { return a.get("code") },
		rawStatus: func(a answer) string { return a.get("data", "refundStatus") },
		refundID:  func(a answer) string { return a.get("data", "mchRefundNo") },
		amount:    func(a answer) string { return a.get("data", "refundAmt", "value") },
		verify: func(a answer) error {
			return verifyNewPayData(a, sign.NewPay2{PublicKey: testKeys().Platform.Public}.VerifyJSON)
		},
		succeeded:    "SUCCESS",
		transition:   [2]string{"PROCESSING", "SUCCESS"},
		requestCases: newpay2RequestCases,
		statusCases:  newpay2StatusCases,
		checkStatus: func(t *testing.T, r simulator.Refund, a answer) {
			assert.Equal(t, "0", a.code(refundkit.NewPay2))
			assert.Equal(t, "true", a.get("success"))
			assert.Equal(t, r.Currency, a.get("data", "refundAmt", "currency"))
			assert.Equal(t, r.ProviderRefundID, a.get("data", "newpayRefundNo"))
			assert.True(t, strings.Contains(string(a.body), `"value":"`+r.Amount+`"`), "the amount's exact digits, as a string")
		},
		errorCases: newpay2ErrorCases,
		checkError: func(t *testing.T, r simulator.Refund, a answer) {
			assert.Equal(t, "false", a.get("success"))
			assert.Equal(t, cmp.Or(r.Message, "failed"), a.get("message"))
			assert.False(t, a.has("data"), "an error answer carries no data")
		},
		notFound: func(t *testing.T, a answer) {
			assert.Equal(t, "Z00051", a.code(refundkit.NewPay2))
			assert.Equal(t, "false", a.get("success"))
			assert.False(t, a.has("data"))
		},
	})
}
