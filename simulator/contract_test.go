package simulator_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

const payermaxPath = "/aggregate-pay/api/gateway/refundQuery"

// goodPayerMaxRequest is a request that matches PayerMax's spec (the
// transport checks shape, not signatures).
func goodPayerMaxRequest(t *testing.T, base string) *http.Request {
	t.Helper()
	body := `{"version":"1.1","keyVersion":"1","requestTime":"2022-01-17T07:01:23.737+00:00","appId":"a","data":{"outRefundNo":"R1"}}`
	req, err := http.NewRequest(http.MethodPost, base+payermaxPath, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("sign", "c2lnbmF0dXJl")
	return req
}

// fixedServer answers every request with status and body, counting hits.
func fixedServer(t *testing.T, status int, body string, hits *atomic.Int64) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// goodPayerMaxAnswer is an answer that matches PayerMax's spec.
const goodPayerMaxAnswer = `{"code":"APPLY_SUCCESS","msg":"Success.","data":{"outRefundNo":"R1","refundAmount":12345678901234.5678,"status":"REFUND_SUCCESS"}}`

// transportCase is an exchange through the validating transport: the
// answer the server gives, an edit to goodPayerMaxRequest, and which side
// of the exchange violates the spec ("", "request" or "response").
type transportCase struct {
	name      string
	status    int
	body      string
	edit      func(*http.Request)
	violation string
}

var transportCases = []transportCase{
	{name: "good exchange", status: 200, body: goodPayerMaxAnswer},
	{name: "error answer", status: 200, body: `{"code":"SYSTEM_ERROR","msg":"busy"}`},
	{name: "HTTP 500 without a body schema", status: 500, body: "oops"},
	{name: "code is a number", status: 200, body: `{"code":1,"msg":"x"}`, violation: "response"},
	{name: "msg missing", status: 200, body: `{"code":"APPLY_SUCCESS"}`, violation: "response"},
	{name: "amount is a string", status: 200, body: `{"code":"APPLY_SUCCESS","msg":"","data":{"refundAmount":"1.00"}}`, violation: "response"},
	{name: "response not JSON", status: 200, body: `<html>`, violation: "response"},
	{name: "request without sign header", status: 200, body: goodPayerMaxAnswer, edit: func(r *http.Request) { r.Header.Del("sign") }, violation: "request"},
	{name: "request to another path", status: 200, body: goodPayerMaxAnswer, edit: func(r *http.Request) { r.URL.Path = "/other" }, violation: "request"},
	{name: "request with GET", status: 200, body: goodPayerMaxAnswer, edit: func(r *http.Request) { r.Method = http.MethodGet }, violation: "request"},
}

func TestValidatingTransport(t *testing.T) {
	for _, tt := range transportCases {
		t.Run(tt.name, func(t *testing.T) {
			for _, strict := range []bool{false, true} {
				t.Run("strict="+strconv.FormatBool(strict), func(t *testing.T) {
					checkTransportCase(t, tt, strict)
				})
			}
		})
	}
}

// checkTransportCase sends tt's exchange through a validating transport,
// strict (FailOnViolation) or not, and checks the violations it records,
// what it sends in strict mode, and that the client reads the exact answer.
func checkTransportCase(t *testing.T, tt transportCase, strict bool) {
	t.Helper()
	var hits atomic.Int64
	srv := fixedServer(t, tt.status, tt.body, &hits)
	var opts []simulator.ContractOption
	if strict {
		opts = append(opts, simulator.FailOnViolation())
	}
	vt, err := simulator.NewValidatingTransport(nil, refundkit.PayerMax, opts...)
	require.NoError(t, err)
	req := goodPayerMaxRequest(t, srv.URL)
	if tt.edit != nil {
		tt.edit(req)
	}
	resp, err := (&http.Client{Transport: vt}).Do(req)

	vs := vt.Violations()
	if tt.violation == "" {
		require.NoError(t, err)
		require.Empty(t, vs)
	} else {
		require.Len(t, vs, 1, "%v", vs)
		assert.Equal(t, tt.violation == "response", vs[0].Response)
		assert.Equal(t, refundkit.PayerMax, vs[0].Provider)
		assert.Contains(t, vs[0].String(), "payermax: ")
	}
	if strict && tt.violation != "" {
		require.ErrorIs(t, err, simulator.ErrContractViolation)
		assert.EqualValues(t, map[string]int64{"request": 0, "response": 1}[tt.violation], hits.Load(),
			"a violating request is not sent in strict mode")
		return
	}
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, tt.body, string(got), "the client reads the exact body")
	assert.Equal(t, tt.status, resp.StatusCode)
	reqs, resps := vt.Checked()
	assert.EqualValues(t, 1, reqs)
	assert.EqualValues(t, 1, resps)
}

func TestValidatingTransportPassesReadErrorsThrough(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		_, _ = io.WriteString(w, `{"code":`)
	}))
	defer srv.Close()
	vt, err := simulator.NewValidatingTransport(srv.Client().Transport, refundkit.PayerMax, simulator.FailOnViolation())
	require.NoError(t, err)
	resp, err := (&http.Client{Transport: vt}).Do(goodPayerMaxRequest(t, srv.URL))
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, `{"code":`, string(got), "the bytes before the failure arrive")
	assert.Empty(t, vt.Violations())
	_, resps := vt.Checked()
	assert.Zero(t, resps, "an incomplete response is not validated")
}

func TestValidatingTransportKeepsRequestBody(t *testing.T) {
	var seen []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"code":"APPLY_SUCCESS","msg":""}`)
	}))
	defer srv.Close()
	vt, err := simulator.NewValidatingTransport(srv.Client().Transport, refundkit.PayerMax)
	require.NoError(t, err)
	req := goodPayerMaxRequest(t, srv.URL)
	want, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	// A body without GetBody is read once and forwarded as it was.
	req.Body, req.GetBody = io.NopCloser(bytes.NewReader(want)), nil
	resp, err := (&http.Client{Transport: vt}).Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, want, seen)
	assert.Empty(t, vt.Violations())
	vt.Reset()
	reqs, _ := vt.Checked()
	assert.Zero(t, reqs)
}

func TestValidatingTransportUnknownProvider(t *testing.T) {
	vt, err := simulator.NewValidatingTransport(nil, "acme")
	require.Error(t, err)
	assert.Nil(t, vt)
}
