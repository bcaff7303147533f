package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/track"
)

const jsonType = "application/json"

func TestAPIAddGetList(t *testing.T) {
	e := newEnv(t, "")
	status, body := e.do(t, "POST", "/v1/refunds", testToken, jsonType, `{"provider":"payermax","refund_id":"R-1"}`)
	require.Equal(t, http.StatusOK, status, body)
	require.JSONEq(t, `{"added":1,"known":0}`, body)

	var batch strings.Builder
	batch.WriteString(`{"refunds":[`)
	for i := range 25 {
		fmt.Fprintf(&batch, `{"provider":"payermax","refund_id":"B-%02d"},`, i)
	}
	batch.WriteString(`{"provider":"payermax","refund_id":"R-1"}]}`)
	status, body = e.do(t, "POST", "/v1/refunds", testToken, jsonType+"; charset=utf-8", batch.String())
	require.Equal(t, http.StatusOK, status, body)
	require.JSONEq(t, `{"added":25,"known":1}`, body)

	status, body = e.do(t, "GET", "/v1/refunds/payermax/R-1", testToken, "", "")
	require.Equal(t, http.StatusOK, status, body)
	var r struct {
		RefundID string `json:"refund_id"`
		State    string `json:"state"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &r))
	require.Equal(t, "R-1", r.RefundID)
	require.Equal(t, "active", r.State)

	// Pages of 10 over 26 refunds: 10, 10, 6, in the order added.
	var ids []string
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 4)
		status, body = e.do(t, "GET", "/v1/refunds?provider=payermax&status=not-asked&limit=10&cursor="+cursor, testToken, "", "")
		require.Equal(t, http.StatusOK, status, body)
		var page struct {
			Refunds []struct {
				RefundID string `json:"refund_id"`
			} `json:"refunds"`
			NextCursor string `json:"next_cursor"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &page))
		for _, rf := range page.Refunds {
			ids = append(ids, rf.RefundID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	require.Len(t, ids, 26)
	require.Equal(t, "R-1", ids[0])
	require.Equal(t, "B-24", ids[25])

	status, body = e.do(t, "GET", "/v1/refunds?status=final", testToken, "", "")
	require.Equal(t, http.StatusOK, status, body)
	require.JSONEq(t, `{"refunds":[]}`, body)
	status, body = e.do(t, "GET", "/v1/refunds?due=true&limit=1", testToken, "", "")
	require.Equal(t, http.StatusOK, status, body)
	require.Contains(t, body, `"next_cursor"`)
}

func TestAPIRefusals(t *testing.T) {
	e := newEnv(t, "")
	big := `{"refunds":[` + strings.Repeat(`{"provider":"payermax","refund_id":"X"},`, 2000) + `{"provider":"payermax","refund_id":"Y"}]}`
	tests := []struct {
		name, method, path, token, ctype, body string
		status                                 int
		code                                   string
	}{
		{"no token", "POST", "/v1/refunds", "-", jsonType, `{"provider":"payermax","refund_id":"R"}`, 401, "unauthorized"},
		{"wrong token", "GET", "/v1/refunds", "not-the-token-at-all", "", "", 401, "unauthorized"},
		{"token prefix", "GET", "/v1/refunds", testToken[:10], "", "", 401, "unauthorized"},
		{"unknown route needs a token too", "GET", "/v1/secret", "-", "", "", 401, "unauthorized"},
		{"oversized body", "POST", "/v1/refunds", testToken, jsonType, big, 413, "too_large"},
		{"malformed JSON", "POST", "/v1/refunds", testToken, jsonType, `{"provider":"payermax",`, 400, "invalid_json"},
		{"not JSON", "POST", "/v1/refunds", testToken, jsonType, `provider=payermax`, 400, "invalid_json"},
		{"two values", "POST", "/v1/refunds", testToken, jsonType, `{"provider":"payermax","refund_id":"A"} {}`, 400, "invalid_json"},
		{"unknown field", "POST", "/v1/refunds", testToken, jsonType, `{"provider":"payermax","refundId":"A"}`, 400, "invalid_json"},
		{"wrong type", "POST", "/v1/refunds", testToken, jsonType, `{"provider":"payermax","refund_id":7}`, 400, "invalid_json"},
		{"no content type", "POST", "/v1/refunds", testToken, "", `{"provider":"payermax","refund_id":"A"}`, 415, "unsupported_media_type"},
		{"unknown provider", "POST", "/v1/refunds", testToken, jsonType, `{"provider":"stripe","refund_id":"A"}`, 400, "invalid_refund"},
		{"empty batch", "POST", "/v1/refunds", testToken, jsonType, `{"refunds":[]}`, 400, "invalid_refund"},
		{"one and a batch", "POST", "/v1/refunds", testToken, jsonType, `{"provider":"payermax","refund_id":"A","refunds":[]}`, 400, "invalid_refund"},
		{"bad limit", "GET", "/v1/refunds?limit=5000", testToken, "", "", 400, "invalid_parameter"},
		{"bad cursor", "GET", "/v1/refunds?cursor=!!", testToken, "", "", 400, "invalid_parameter"},
		{"bad status", "GET", "/v1/refunds?status=done", testToken, "", "", 400, "invalid_parameter"},
		{"not tracked", "GET", "/v1/refunds/payermax/nope", testToken, "", "", 404, "not_found"},
		{"unknown provider path", "GET", "/v1/refunds/stripe/x", testToken, "", "", 400, "invalid_parameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := e.do(t, tt.method, tt.path, tt.token, tt.ctype, tt.body)
			require.Equal(t, tt.status, status, body)
			var got struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			require.NoError(t, json.Unmarshal([]byte(body), &got), body)
			require.Equal(t, tt.code, got.Error.Code, body)
			require.NotEmpty(t, got.Error.Message)
			require.NotContains(t, body, testToken, "an answer never quotes the token")
			require.Less(t, len(body), 300, "an answer never quotes the body")
		})
	}
	counts, err := e.tr.Counts(context.Background(), track.Filter{})
	require.NoError(t, err)
	require.Empty(t, counts, "no refused request added anything")
}

func TestHealthAndMetrics(t *testing.T) {
	e := newEnv(t, "")
	status, body := e.do(t, "GET", "/healthz", "-", "", "")
	require.Equal(t, http.StatusOK, status, body)
	require.JSONEq(t, `{"status":"ok"}`, body)
	require.NoError(t, e.sim.Seed(simulator.Refund{RefundID: "M-1", Status: "REFUND_SUCCESS", Amount: "1", Currency: "USD"}))
	status, _ = e.do(t, "POST", "/v1/refunds", testToken, jsonType, `{"provider":"payermax","refund_id":"M-1"}`)
	require.Equal(t, http.StatusOK, status)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, e.tr.Run(ctx, track.RunOptions{}))
	status, body = e.do(t, "GET", "/metrics", "-", "", "")
	require.Equal(t, http.StatusOK, status)
	for _, want := range []string{
		`refundkit_inquiries_total{outcome="succeeded",provider="payermax"} 1`,
		`refundkit_inquiry_duration_seconds_count{provider="payermax"} 1`,
		`refundkit_queue_jobs{state=`,
		`refundkit_refunds_due{provider="payermax"} 0`,
		`refundkit_refunds_overdue{provider="payermax"} 0`,
		`refundkit_backlog_up 1`,
	} {
		require.Contains(t, body, want)
	}
	require.NoError(t, e.tr.Close())
	status, body = e.do(t, "GET", "/healthz", "-", "", "")
	require.Equal(t, http.StatusServiceUnavailable, status, body)
	require.JSONEq(t, `{"status":"unavailable"}`, body)
}
