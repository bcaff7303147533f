package service_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// Every registered provider's refunds can be added, read and listed through
// the API, each request and answer checked against the service's spec (the
// env's transport): the spec names no provider list of its own to fall out
// of date. An unknown provider is a 400.
func TestAPIEveryProvider(t *testing.T) {
	e := newEnv(t, "")
	for _, p := range refundkit.Providers() {
		t.Run(string(p), func(t *testing.T) {
			f, ok := inquiry.QueryFieldsOf(p)
			require.True(t, ok)
			body, path := fmt.Sprintf(`{"provider":%q,"refund_id":"R-%s"}`, p, p), fmt.Sprintf("/v1/refunds/%s/R-%s", p, p)
			if f.RefundID == nil || !f.RefundID.Required && f.ProviderRefundID != nil { // by the provider's id alone
				body, path = fmt.Sprintf(`{"provider":%q,"provider_refund_id":"P-%s"}`, p, p), fmt.Sprintf("/v1/refunds/%s/-?provider_refund_id=P-%s", p, p)
			}
			status, answer := e.do(t, "POST", "/v1/refunds", testToken, jsonType, body)
			require.Equal(t, http.StatusOK, status, answer)
			require.JSONEq(t, `{"added":1,"known":0}`, answer)
			status, answer = e.do(t, "GET", path, testToken, "", "")
			require.Equal(t, http.StatusOK, status, answer)
			require.Contains(t, answer, fmt.Sprintf(`"provider":%q`, p))
			status, answer = e.do(t, "GET", "/v1/refunds?provider="+string(p), testToken, "", "")
			require.Equal(t, http.StatusOK, status, answer)
			require.Contains(t, answer, fmt.Sprintf(`"provider":%q`, p))
		})
	}
	status, answer := e.do(t, "POST", "/v1/refunds", testToken, jsonType, `{"provider":"stripe","refund_id":"R-1"}`)
	require.Equal(t, http.StatusBadRequest, status, answer)
}
