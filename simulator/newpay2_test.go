package simulator_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// TestNewPay2Simulator asks the v2 simulator directly, as a client would,
// and checks its answers: identity and signature checks first, then the
// refund, signed so that the client's verifier accepts it, with faults
// where they live.
func TestNewPay2Simulator(t *testing.T) {
	k := testKeys()
	sim, err := simulator.New("newpay2", simulator.DemoConfig(k, fixedClock))
	require.NoError(t, err)
	require.NoError(t, sim.Seed(simulator.Refund{RefundID: "R-1", ProviderRefundID: "NP-1", Status: "FAIL", Amount: "7", Currency: "USD"}))
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	verifier := sign.NewPay2{PublicKey: k.Platform.Public}

	ask := func(t *testing.T, body map[string]any, signer *sign.PrivateKey) (code string, data json.RawMessage) {
		t.Helper()
		raw, err := json.Marshal(body)
		require.NoError(t, err)
		if signer != nil {
			raw, err = sign.NewPay2{PrivateKey: signer}.SignJSON(raw)
			require.NoError(t, err)
		}
		resp, err := http.Post(srv.URL+sim.Path(), "application/json", bytes.NewReader(raw))
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
	ids := func(m map[string]any) map[string]any {
		out := map[string]any{"appId": simulator.DemoNewPay2AppID, "mchId": simulator.DemoNewPay2MchID}
		for k, v := range m {
			out[k] = v
		}
		return out
	}

	assert.Equal(t, "/beta/pay/uniQueryRefund", sim.Path())
	for _, q := range []map[string]any{{"mchRefundNo": "R-1"}, {"newpayRefundNo": "NP-1"}, {"mchRefundNo": "R-1", "newpayRefundNo": "NP-1"}} {
		code, data := ask(t, ids(q), k.Merchant.Private)
		require.Equal(t, "0", code, "%v", q)
		require.NoError(t, verifier.VerifyJSON(data))
		assert.Contains(t, string(data), `"refundStatus":"FAIL"`)
		assert.Contains(t, string(data), `"refundAmt":{"currency":"USD","value":"7"}`)
	}
	for name, tc := range map[string]struct {
		body   map[string]any
		signer *sign.PrivateKey
		want   string
	}{
		"unknown refund":     {ids(map[string]any{"mchRefundNo": "R-9"}), k.Merchant.Private, "Z00051"},
		"ids of two refunds": {ids(map[string]any{"mchRefundNo": "R-1", "newpayRefundNo": "NP-9"}), k.Merchant.Private, "Z00051"},
		"no refund number":   {ids(nil), k.Merchant.Private, "B11095"},
		"wrong app":          {map[string]any{"appId": "x", "mchId": simulator.DemoNewPay2MchID, "mchRefundNo": "R-1"}, k.Merchant.Private, "Z00003"},
		"wrong merchant":     {map[string]any{"appId": simulator.DemoNewPay2AppID, "mchId": "x", "mchRefundNo": "R-1"}, k.Merchant.Private, "Z00044"},
		"signed by another":  {ids(map[string]any{"mchRefundNo": "R-1"}), k.Platform.Private, "Z00007"},
		"unsigned":           {ids(map[string]any{"mchRefundNo": "R-1"}), nil, "Z00005"},
	} {
		t.Run(name, func(t *testing.T) {
			code, data := ask(t, tc.body, tc.signer)
			assert.Equal(t, tc.want, code)
			assert.Empty(t, data)
		})
	}

	t.Run("faults", func(t *testing.T) {
		q := ids(map[string]any{"mchRefundNo": "R-1"})
		sim.Faults().Next(1, simulator.FaultBadSignature)
		_, data := ask(t, q, k.Merchant.Private)
		assert.ErrorIs(t, verifier.VerifyJSON(data), sign.ErrInvalidSignature)
		sim.Faults().Next(1, simulator.FaultMissingSignature)
		_, data = ask(t, q, k.Merchant.Private)
		assert.ErrorIs(t, verifier.VerifyJSON(data), sign.ErrMissingSignature)
		sim.Faults().Next(1, simulator.FaultMismatchedID)
		_, data = ask(t, q, k.Merchant.Private)
		require.NoError(t, verifier.VerifyJSON(data))
		assert.Contains(t, string(data), "R-1"+simulator.MismatchSuffix)
		sim.Faults().Next(1, simulator.FaultUnknownStatus)
		_, data = ask(t, q, k.Merchant.Private)
		assert.Contains(t, string(data), simulator.UnknownStatus("newpay2"))
	})
	assert.Len(t, simulator.DemoRefunds("newpay2"), 4)
}
