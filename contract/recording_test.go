package contract_test

import (
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/contract"
)

// TestRecordingRedacts records a form-encoded ZaloPay exchange whose
// answer quotes the refund id in its message: the mac is redacted, the ids
// pseudonymised everywhere (the app id stays a number), the rest kept
// byte for byte, and the recording replays to the answer's status.
func TestRecordingRedacts(t *testing.T) {
	const refundID = "230407_2554_R1642411016202"
	ex := contract.Exchange{
		Provider: refundkit.ZaloPay, Method: http.MethodPost, URL: "https://sb-openapi.zalopay.vn/v2/query_refund",
		Request: contract.Message{Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body: []byte("app_id=2554&m_refund_id=" + refundID + "&timestamp=1680848000000&mac=3c48fefef8a0a63347f632e1efa09a9b8842eab07c409eb9a3539fb4fea85c65")},
		Status: 200,
		Response: contract.Message{Header: http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer t0ken-t0ken"}},
			Body: []byte(`{"return_code":3,"return_message":"refund ` + refundID + ` is processing","sub_return_code":3}`)},
	}
	rec, err := contract.NewRecording(ex, refundkit.Query{RefundID: refundID}, time.Date(2023, 4, 7, 6, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, "app_id=90001&m_refund_id=redacted-2&timestamp=1680848000000&mac=REDACTED", rec.Request.Body)
	assert.Equal(t, `{"return_code":3,"return_message":"refund redacted-2 is processing","sub_return_code":3}`, rec.Response.Body)
	assert.Equal(t, []string{contract.Redacted}, rec.Response.Header["Authorization"])
	assert.Equal(t, "redacted-2", rec.Query.RefundID)
	assert.Equal(t, []string{"request /app_id", "request /m_refund_id", "request /mac", "response header Authorization"}, rec.Redacted)
	assert.Equal(t, contract.Outcome{Status: refundkit.StatusPending, ProviderStatus: "3", ProviderCode: "3"}, rec.Expect)

	dir := t.TempDir()
	path, err := rec.WriteFile(dir)
	require.NoError(t, err)
	again, err := rec.WriteFile(dir)
	require.NoError(t, err)
	assert.NotEqual(t, path, again, "a recording never overwrites another")
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	for _, secret := range []string{refundID, "3c48fefef8a0", "t0ken", "2554"} {
		assert.NotContains(t, string(raw), secret)
	}
	back, err := contract.ReadRecording(path)
	require.NoError(t, err)
	assert.Equal(t, rec.Expect, contract.OutcomeOf(contract.Replay(back)))
}

func TestRecordingRefuses(t *testing.T) {
	_, err := contract.NewRecording(contract.Exchange{Provider: refundkit.PayerMax, Err: errors.New("reset")}, refundkit.Query{}, time.Now())
	assert.Error(t, err, "no response to record")
	bad := t.TempDir() + "/bad.json"
	require.NoError(t, os.WriteFile(bad, []byte(`{"provider":"nopay"}`), 0o600))
	_, err = contract.ReadRecording(bad)
	assert.ErrorContains(t, err, "unknown provider")
	_, err = contract.ReadRecording(strings.TrimSuffix(bad, ".json") + "-missing.json")
	assert.Error(t, err)
}
