package service_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/service"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
	apispec "github.com/refundkit/refundkit/specs/service"
	"github.com/refundkit/refundkit/track"
)

const testToken = "test-token-0123456789abcdef"

var (
	keysOnce sync.Once
	keys     *simulator.Keys
)

func testKeys(t testing.TB) *simulator.Keys {
	keysOnce.Do(func() {
		var err error
		keys, err = simulator.GenerateKeys()
		require.NoError(t, err)
	})
	require.NotNil(t, keys)
	return keys
}

// env is a service on a tracker on SQLite, a PayerMax simulator behind
// its inquiries, and a client whose every answer is checked against the
// service's OpenAPI spec.
type env struct {
	sim     *simulator.Simulator
	tr      *track.Tracker
	url     string
	client  *http.Client
	metrics *service.Metrics
}

func newEnv(t *testing.T, dsn string) *env {
	t.Helper()
	k := testKeys(t)
	sim, err := simulator.New(simulator.DemoConfig(k, nil)[refundkit.PayerMax])
	require.NoError(t, err)
	simSrv := httptest.NewServer(sim)
	t.Cleanup(simSrv.Close)
	cfg := inquiry.PayerMaxConfig{AppID: simulator.DemoPayerMaxAppID, MerchantNo: simulator.DemoPayerMaxMerchantNo,
		PrivateKey: k.Merchant.Private, PublicKey: k.Platform.Public}
	inq, err := inquiry.New(cfg, inquiry.WithBaseURL(simSrv.URL), inquiry.WithRetry(inquiry.NoRetry()))
	require.NoError(t, err)
	if dsn == "" {
		dsn = filepath.Join(t.TempDir(), "refundkit.db")
	}
	m := service.NewMetrics(prometheus.NewRegistry())
	tr, err := track.Open(context.Background(), dsn, track.Options{Inquirers: []refundkit.Inquirer{m.Instrument(inq)},
		Policy: track.Policy{Ladder: []time.Duration{200 * time.Millisecond}, Jitter: -1, BackoffInitial: 200 * time.Millisecond, BackoffMax: time.Second}})
	require.NoError(t, err)
	t.Cleanup(func() { _ = tr.Close() })
	h, err := notify.New(cfg, service.Deliver(tr))
	require.NoError(t, err)
	svc, err := service.New(service.Config{Tracker: tr, Token: testToken, Notify: []*notify.Handler{h}, Metrics: m,
		MaxBodyBytes: 64 << 10, Timeout: 5 * time.Second})
	require.NoError(t, err)
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	return &env{sim: sim, tr: tr, url: srv.URL, metrics: m,
		client: &http.Client{Transport: &specCheck{t: t, next: http.DefaultTransport, router: apiRouter(t, srv.URL)}}}
}

// do sends one request, with the token unless token is "-", and returns
// the status and body.
func (e *env) do(t *testing.T, method, path, token, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	require.NoError(t, err)
	if token != "-" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := e.client.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// apiRouter routes requests by the service's spec, served at url.
func apiRouter(t *testing.T, url string) routers.Router {
	doc, err := openapi3.NewLoader().LoadFromData(apispec.Spec)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	doc.Servers = openapi3.Servers{{URL: url}}
	r, err := legacy.NewRouter(doc)
	require.NoError(t, err)
	return r
}

// specCheck fails the test when an answer of a route the spec describes
// does not conform to it: status, content type and body.
type specCheck struct {
	t      *testing.T
	next   http.RoundTripper
	router routers.Router
}

func (c *specCheck) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	route, params, ferr := c.router.FindRoute(req)
	if ferr != nil {
		c.t.Logf("%s %s: not in the spec (%v): answer not checked", req.Method, req.URL.Path, ferr)
		return resp, nil // not an API route: nothing to check against
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if verr := openapi3filter.ValidateResponse(req.Context(), in.SetBodyBytes(body)); verr != nil {
		c.t.Errorf("%s %s: answer %d does not conform to the spec: %v\n%s", req.Method, req.URL.Path, resp.StatusCode, verr, body)
	}
	return resp, nil
}

// payermaxNotification is a PayerMax refund notification, signed with the
// simulator's platform key.
func payermaxNotification(t *testing.T, refundID, status string) (http.Header, string) {
	body := fmt.Sprintf(`{"code":"APPLY_SUCCESS","msg":"","keyVersion":"1","appId":"%s","merchantNo":"%s",`+
		`"notifyTime":"%s","notifyType":"REFUND","data":{"outRefundNo":"%s","refundTradeNo":"T-%s","outTradeNo":"O-%s",`+
		`"refundAmount":10.50,"refundCurrency":"USD","status":"%s"}}`,
		simulator.DemoPayerMaxAppID, simulator.DemoPayerMaxMerchantNo, time.Now().UTC().Format("2006-01-02T15:04:05.000-07:00"),
		refundID, refundID, refundID, status)
	sig, err := sign.PayerMax{PrivateKey: testKeys(t).Platform.Private}.Sign([]byte(body))
	require.NoError(t, err)
	return http.Header{"Sign": {sig}, "Content-Type": {"application/json"}}, body
}
