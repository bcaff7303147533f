package simulator

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/internal/jsonspan"
)

func TestWrongType(t *testing.T) {
	for raw, want := range map[string]string{
		`"0"`: `0`, `"APPLY_SUCCESS"`: `0`, `"12.5"`: `12.5`, `"NaN"`: `0`, `"1 2"`: `0`,
		`1`: `"1"`, `true`: `"true"`, `null`: `"null"`,
	} {
		kind := map[byte]byte{'"': 's', 't': 'b', 'n': 'z'}[raw[0]]
		if kind == 0 {
			kind = 'n'
		}
		got := wrongType([]byte(raw), jsonspan.Kind(kind))
		assert.Equal(t, want, string(got), raw)
		assert.True(t, json.Valid(got))
	}
}

func TestDeviateBody(t *testing.T) {
	body := []byte(`{"code":"APPLY_SUCCESS","msg":"Success."}`)
	out, err := deviateBody(refundkit.PayerMax, body, FaultMissingRequired)
	require.NoError(t, err)
	assert.JSONEq(t, `{"code":"APPLY_SUCCESS"}`, string(out))
	out, err = deviateBody(refundkit.PayerMax, body, FaultUndeclaredMember)
	require.NoError(t, err)
	assert.JSONEq(t, `{"simulatorUndeclared":"added by the simulator","code":"APPLY_SUCCESS","msg":"Success."}`, string(out))
	out, err = deviateBody(refundkit.PayerMax, body, FaultOversized)
	require.NoError(t, err)
	assert.Equal(t, body, out, "not a contract fault")
	_, err = deviateBody(refundkit.NewPay, body, FaultMissingRequired)
	assert.Error(t, err, "no /success to remove")
	assert.Equal(t, "", DeviatedMember(refundkit.ZaloPay, FaultMissingRequired))
	assert.Equal(t, "", DeviatedMember(refundkit.ZaloPay, FaultHTTP500))
	assert.Len(t, ContractFaults(), numContractFaults)
	for _, f := range ContractFaults() {
		assert.NotContains(t, Faults(), f)
		assert.True(t, f.Valid())
	}
}
