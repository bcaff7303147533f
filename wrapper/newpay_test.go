package wrapper_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/wrapper"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// providerStub stands in for a provider over loopback HTTP. It checks every
// request with check (which verifies the request signature, so a passing
// test proves the client signs what it sends), records it, and answers the
// n-th request (from 1) with answer.
type providerStub struct {
	*httptest.Server
	hits atomic.Int32

	mu       sync.Mutex
	requests []stubRequest
}

type stubRequest struct {
	path   string
	header http.Header
	body   []byte
}

type stubReply struct {
	status int // 0 means 200
	header map[string]string
	body   []byte
}

func newProviderStub(t *testing.T, check func(r *http.Request, body []byte) error, answer func(n int, body []byte) stubReply) *providerStub {
	t.Helper()
	s := &providerStub{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.hits.Add(1))
		body, err := io.ReadAll(r.Body)
		if err == nil {
			err = check(r, body)
		}
		s.mu.Lock()
		s.requests = append(s.requests, stubRequest{path: r.URL.Path, header: r.Header.Clone(), body: body})
		s.mu.Unlock()
		if err != nil {
			t.Errorf("request %d rejected by the stub: %v", n, err)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		reply := answer(n, body)
		for k, v := range reply.header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(cmp.Or(reply.status, http.StatusOK))
		_, _ = w.Write(reply.body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *providerStub) recorded() []stubRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// stubRetry retries three times with almost no wait.
var stubRetry = wrapper.WithRetry(wrapper.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})

// stubClock starts at start and moves on by one millisecond every time
// it is read, so every attempt gets a new timestamp.
func stubClock(start time.Time) func() time.Time {
	var n atomic.Int64
	return func() time.Time { return start.Add(time.Duration(n.Add(1)-1) * time.Millisecond) }
}

// requireStubError asserts that err is a *refundkit.Error of category cat
// with provider code code, matching the category's sentinel.
func requireStubError(t *testing.T, err error, cat refundkit.Category, code string) *refundkit.Error {
	t.Helper()
	require.Error(t, err)
	var e *refundkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, cat, e.Category, "error: %v", err)
	assert.ErrorIs(t, err, cat.Err())
	assert.Equal(t, code, e.Code)
	return e
}

const (
	newpayAppID      = "3514d69403bc4ce1a8fafb6415a31018"
	newpayMerchantID = "876266cdc7154dd08a022fd1f2eace55"
	newpayRefundID   = "ORDERNORFD000000000A104"
	newpayPath       = "/api/open/converge/pay/v1/queryRefund"
)

// newpayDocResponse is the response example of NewPay's "Inquiry Refund"
// page as published (field order, tranAbbr null, the undocumented
// refundSuccess, code and a string timestamp after data), with data.sign
// left empty for the test to fill with the platform test key.
const newpayDocResponse = `{
    "success": true,
    "message": "success",
    "data": %s,
    "code": "0",
    "timestamp": "1662528718641"
}`

const newpayDocData = `{
        "appId": "3514d69403bc4ce1a8fafb6415a31018",
        "sign": "",
        "tranAbbr": null,
        "tranNo": "00012022090700000037",
        "refundSuccess": true,
        "refundOrderAmt": "50000",
        "payMethod": 1,
        "currency": "LAK",
        "orderNo": "ORDERNO000000000A104",
        "newpayOrderNo": "202209076000000321",
        "refundOrderNo": "ORDERNORFD000000000A104",
        "newpayRefundOrderNo": "202209078000000702"
    }`

// newpaySigned returns the flat JSON object data with its sign member set
// by key (the platform's, to play NewPay).
func newpaySigned(t testing.TB, key *sign.PrivateKey, data string) []byte {
	t.Helper()
	signed, err := sign.NewPay{PrivateKey: key}.SignJSON([]byte(data))
	require.NoError(t, err)
	return signed
}

// newpayEnvelope wraps data in a successful answer with a numeric timestamp.
func newpayEnvelope(data []byte) []byte {
	return fmt.Appendf(nil, `{"success":true,"code":"0","message":"success","timestamp":1662528718641,"data":%s}`, data)
}

// newpayRefund is a data object about newpayRefundID with the given extra
// members (without braces), unsigned.
func newpayRefund(members string) string {
	return `{"appId":"` + newpayAppID + `","refundOrderNo":"` + newpayRefundID + `","orderNo":"ORDERNO000000000A104",` +
		`"newpayOrderNo":"202209076000000321","newpayRefundOrderNo":"202209078000000702","tranNo":"00012022090700000037"` +
		strings.TrimSuffix(","+members, ",") + `}`
}

// newpayStub is a NewPay stand-in that checks each request as NewPay would:
// method, path, headers, the exact field set, the credentials and the
// request signature (with the merchant's public key).
func newpayStub(t *testing.T, k testKeys, path string, answer func(n int, body []byte) stubReply) *providerStub {
	verifier := sign.NewPay{PublicKey: k.merchantPublic}
	return newProviderStub(t, func(r *http.Request, body []byte) error {
		var req map[string]any
		switch {
		case r.Method != http.MethodPost:
			return fmt.Errorf("method %s", r.Method)
		case r.URL.Path != path:
			return fmt.Errorf("path %s", r.URL.Path)
		case r.Header.Get("version") != "1.0":
			return fmt.Errorf("version header %q", r.Header.Get("version"))
		case r.Header.Get("Content-Type") != "application/json":
			return fmt.Errorf("content type %q", r.Header.Get("Content-Type"))
		case json.Unmarshal(body, &req) != nil:
			return fmt.Errorf("body is not a JSON object: %s", body)
		case len(req) != 5 || req["appId"] != newpayAppID || req["merchantId"] != newpayMerchantID ||
			req["refundOrderNo"] == nil || req["timestamp"] == nil:
			return fmt.Errorf("unexpected body %s", body)
		}
		return verifier.VerifyJSON(body)
	}, answer)
}

// newpayAlways answers every request with the same 200 body.
func newpayAlways(body []byte) func(int, []byte) stubReply {
	return func(int, []byte) stubReply { return stubReply{body: body} }
}

func newpayConfig(k testKeys) wrapper.NewPayConfig {
	return wrapper.NewPayConfig{AppID: newpayAppID, MerchantID: newpayMerchantID, PrivateKey: k.merchant, PublicKey: k.platformPublic}
}

func newNewPayClient(t *testing.T, cfg wrapper.NewPayConfig, url string, opts ...wrapper.Option) *wrapper.NewPay {
	t.Helper()
	c, err := wrapper.NewNewPay(cfg, append([]wrapper.Option{wrapper.WithBaseURL(url), stubRetry}, opts...)...)
	require.NoError(t, err)
	return c
}

func TestNewPayStatuses(t *testing.T) {
	k := loadTestKeys(t)
	lak := func(v string) *refundkit.Money { m, _ := refundkit.ParseMoney(v, "LAK"); return &m }
	usd := func(v string) *refundkit.Money { m, _ := refundkit.ParseMoney(v, "USD"); return &m }
	tests := []struct {
		name       string
		data       string // unsigned; signed by the platform key in the test
		want       refundkit.Status
		wantRaw    string
		wantAmount *refundkit.Money
	}{
		{"tranStatus 1", newpayRefund(`"tranStatus":1,"tranInfo":"ok","refundOrderAmt":"50000","currency":"LAK","payMethod":1`),
			refundkit.StatusSucceeded, "1", lak("50000")},
		{"tranStatus 0", newpayRefund(`"tranStatus":0,"tranInfo":"declined","refundOrderAmt":"50000","currency":"LAK"`),
			refundkit.StatusFailed, "0", lak("50000")},
		{"refundSuccess true", newpayRefund(`"refundSuccess":true,"refundOrderAmt":"7","currency":"LAK"`),
			refundkit.StatusSucceeded, "true", lak("7")},
		{"refundSuccess false", newpayRefund(`"refundSuccess":false,"refundOrderAmt":"7","currency":"LAK"`),
			refundkit.StatusFailed, "false", lak("7")},
		{"tranStatus wins over refundSuccess", newpayRefund(`"tranStatus":0,"refundSuccess":true`),
			refundkit.StatusFailed, "0", nil},
		{"unknown tranStatus", newpayRefund(`"tranStatus":7,"refundOrderAmt":"50000","currency":"LAK"`),
			refundkit.StatusUnknown, "7", lak("50000")},
		{"negative tranStatus", newpayRefund(`"tranStatus":-1`), refundkit.StatusUnknown, "-1", nil},
		{"no status field", newpayRefund(`"refundOrderAmt":"50000","currency":"LAK"`),
			refundkit.StatusUnknown, "", lak("50000")},
		{"null status fields", newpayRefund(`"tranStatus":null,"refundSuccess":null`), refundkit.StatusUnknown, "", nil},
		{"USD with cents kept exactly", newpayRefund(`"tranStatus":1,"refundOrderAmt":"12.50","currency":"USD","payMethod":4`),
			refundkit.StatusSucceeded, "1", usd("12.50")},
		{"long amount kept exactly", newpayRefund(`"tranStatus":1,"refundOrderAmt":"12345678901234567890.0001","currency":"USD"`),
			refundkit.StatusSucceeded, "1", usd("12345678901234567890.0001")},
		// A member the generated type does not know, odd spacing and escapes:
		// verification must run over the bytes received, not a re-encoding.
		{"undocumented member and odd formatting", `{ "refundOrderNo" : "` + newpayRefundID + `" , "tranStatus" : 1 ,` +
			` "tranInfo":"caf\u00e9 \"ok\"", "extraField":"x", "refundOrderAmt":"50000", "currency":"LAK" }`,
			refundkit.StatusSucceeded, "1", lak("50000")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := newpayEnvelope(newpaySigned(t, k.platform, tt.data))
			srv := newpayStub(t, k, newpayPath, newpayAlways(body))
			res, err := newNewPayClient(t, newpayConfig(k), srv.URL).Inquire(t.Context(), refundkit.Query{RefundID: newpayRefundID})
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Status)
			assert.Equal(t, tt.wantRaw, res.ProviderStatus)
			assert.Equal(t, tt.wantAmount, res.Amount)
			assert.True(t, res.Verified)
			assert.Equal(t, refundkit.NewPay, res.Provider)
			assert.Equal(t, "0", res.ProviderCode)
			assert.Equal(t, "success", res.ProviderMessage)
			assert.Equal(t, newpayRefundID, res.MerchantRefundID)
			assert.True(t, res.RefundedAt.IsZero())
			assert.Equal(t, body, res.Raw)
			assert.Equal(t, int32(1), srv.hits.Load())
		})
	}
}

func TestNewPayDocExample(t *testing.T) {
	k := loadTestKeys(t)
	body := fmt.Appendf(nil, newpayDocResponse, newpaySigned(t, k.platform, newpayDocData))
	srv := newpayStub(t, k, newpayPath, newpayAlways(body))
	res, err := newNewPayClient(t, newpayConfig(k), srv.URL).Inquire(t.Context(), refundkit.Query{RefundID: newpayRefundID})
	require.NoError(t, err)
	amount, err := refundkit.ParseMoney("50000", "LAK")
	require.NoError(t, err)
	assert.Equal(t, &refundkit.Result{
		Provider:         refundkit.NewPay,
		Status:           refundkit.StatusSucceeded,
		ProviderStatus:   "true",
		ProviderCode:     "0",
		ProviderMessage:  "success",
		MerchantRefundID: "ORDERNORFD000000000A104",
		ProviderRefundID: "202209078000000702",
		MerchantOrderID:  "ORDERNO000000000A104",
		ProviderOrderID:  "202209076000000321",
		Amount:           &amount,
		Verified:         true,
		Raw:              body,
	}, res)
}

func TestNewPayErrorCodes(t *testing.T) {
	k := loadTestKeys(t)
	// Every code in newpay.md and status-mapping.md, with the category the
	// mapping (and, for the "illegal" codes, the lead's decision) gives it.
	tests := []struct {
		code string
		want refundkit.Category
	}{
		{"E9999", refundkit.CategoryTemporary},
		{"E9008", refundkit.CategoryNotFound},
		{"Z00051", refundkit.CategoryNotFound},
		{"Z00007", refundkit.CategoryAuth},
		{"Z00005", refundkit.CategoryAuth},
		{"Z00046", refundkit.CategoryAuth},
		{"Z01012", refundkit.CategoryAuth},
		{"Z00003", refundkit.CategoryAuth},
		{"Z00044", refundkit.CategoryAuth},
		{"Z00001", refundkit.CategoryInvalidRequest},
		{"Z00021", refundkit.CategoryInvalidRequest},
		{"Z00004", refundkit.CategoryInvalidRequest},
		{"Z00049", refundkit.CategoryInvalidRequest},
		{"B11095", refundkit.CategoryInvalidRequest},
		{"Z99999", refundkit.CategoryInvalidResponse}, // a code we have no row for
	}
	for _, tt := range tests {
		for shape, member := range map[string]string{"null data": `"data":null`, "unsigned data": `"data":{}`, "no data": `"timestamp":"1662528718641"`} {
			t.Run(tt.code+"/"+shape, func(t *testing.T) {
				body := fmt.Appendf(nil, `{"success":false,"code":%q,"message":"nope %s",%s}`, tt.code, tt.code, member)
				srv := newpayStub(t, k, newpayPath, newpayAlways(body))
				_, err := newNewPayClient(t, newpayConfig(k), srv.URL).Inquire(t.Context(), refundkit.Query{RefundID: newpayRefundID})
				e := requireStubError(t, err, tt.want, tt.code)
				assert.Equal(t, "nope "+tt.code, e.Message)
				assert.Equal(t, http.StatusOK, e.HTTPStatus)
				assert.Equal(t, body, e.Body)
				wantHits := int32(1)
				if tt.want.Retryable() {
					wantHits = 3
				}
				assert.Equal(t, wantHits, srv.hits.Load())
			})
		}
	}
}

func TestNewPayErrorCodeOverride(t *testing.T) {
	k := loadTestKeys(t)
	srv := newpayStub(t, k, newpayPath, newpayAlways([]byte(`{"success":false,"code":"Z00001","message":"appId illegal"}`)))
	cfg := newpayConfig(k)
	cfg.ErrorCodes = map[string]refundkit.Category{"Z00001": refundkit.CategoryAuth}
	_, err := newNewPayClient(t, cfg, srv.URL).Inquire(t.Context(), refundkit.Query{RefundID: newpayRefundID})
	requireStubError(t, err, refundkit.CategoryAuth, "Z00001")
}

func TestNewPaySignatureFailures(t *testing.T) {
	k := loadTestKeys(t)
	good := newpaySigned(t, k.platform, newpayRefund(`"tranStatus":1,"refundOrderAmt":"50000","currency":"LAK"`))
	tests := []struct {
		name  string
		body  []byte
		cause error
		code  string
	}{
		{"signed with the wrong key",
			newpayEnvelope(newpaySigned(t, k.merchant, newpayRefund(`"tranStatus":1`))), sign.ErrInvalidSignature, "0"},
		{"amount changed after signing",
			newpayEnvelope(bytes.Replace(good, []byte(`"50000"`), []byte(`"90000"`), 1)), sign.ErrInvalidSignature, "0"},
		{"status changed after signing",
			newpayEnvelope(bytes.Replace(good, []byte(`"tranStatus":1`), []byte(`"tranStatus":0`), 1)), sign.ErrInvalidSignature, "0"},
		{"member added after signing",
			newpayEnvelope(bytes.Replace(good, []byte(`{`), []byte(`{"refundSuccess":false,`), 1)), sign.ErrInvalidSignature, "0"},
		{"sign not base64", newpayEnvelope([]byte(newpayRefund(`"tranStatus":1,"sign":"!!!"`))), sign.ErrInvalidSignature, "0"},
		{"sign missing", newpayEnvelope([]byte(newpayRefund(`"tranStatus":1`))), sign.ErrMissingSignature, "0"},
		{"sign null", newpayEnvelope([]byte(newpayRefund(`"tranStatus":1,"sign":null`))), sign.ErrMissingSignature, "0"},
		{"sign empty", newpayEnvelope([]byte(newpayRefund(`"tranStatus":1,"sign":""`))), sign.ErrMissingSignature, "0"},
		// An object NewPay's canonical form cannot cover is never trusted.
		{"nested object in data",
			newpayEnvelope([]byte(newpayRefund(`"tranStatus":1,"nested":{"a":1},"sign":"AAAA"`))), sign.ErrInvalidSignature, "0"},
		{"error answer with a bad signature",
			fmt.Appendf(nil, `{"success":false,"code":"Z00051","message":"no","data":%s}`,
				bytes.Replace(good, []byte(`"50000"`), []byte(`"1"`), 1)), sign.ErrInvalidSignature, "Z00051"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newpayStub(t, k, newpayPath, newpayAlways(tt.body))
			res, err := newNewPayClient(t, newpayConfig(k), srv.URL).Inquire(t.Context(), refundkit.Query{RefundID: newpayRefundID})
			assert.Nil(t, res)
			requireStubError(t, err, refundkit.CategorySignature, tt.code)
			assert.ErrorIs(t, err, tt.cause)
			assert.Equal(t, int32(1), srv.hits.Load(), "a signature failure is not retried")
		})
	}
}

func TestNewPayInvalidResponses(t *testing.T) {
	k := loadTestKeys(t)
	signed := func(members string) []byte { return newpayEnvelope(newpaySigned(t, k.platform, newpayRefund(members))) }
	otherRefund := newpaySigned(t, k.platform, strings.Replace(newpayRefund(`"tranStatus":1`), newpayRefundID, "ORDERNORFD000000000A105", 1))
	noRefundNo := newpaySigned(t, k.platform, `{"tranStatus":1,"refundOrderAmt":"1","currency":"LAK"}`)
	tests := []struct {
		name string
		body []byte
		code string
	}{
		{"refund id mismatch", newpayEnvelope(otherRefund), ""},
		{"refund id missing", newpayEnvelope(noRefundNo), ""},
		{"malformed JSON", []byte(`{"success":true,"code":"0","data":{`), ""},
		{"not an object", []byte(`["success"]`), ""},
		{"success without data", []byte(`{"success":true,"code":"0","message":"success"}`), ""},
		{"success with null data", []byte(`{"success":true,"code":"0","data":null}`), ""},
		{"success with string data", []byte(`{"success":true,"code":"0","data":"ok"}`), ""},
		{"success flag missing", fmt.Appendf(nil, `{"code":"0","data":%s}`, newpaySigned(t, k.platform, newpayRefund(`"tranStatus":1`))), "0"},
		{"success false with code 0", []byte(`{"success":false,"code":"0","message":"?"}`), "0"},
		{"success true with an error code", []byte(`{"success":true,"code":"Z77777","message":"?"}`), "Z77777"},
		{"success as a string", []byte(`{"success":"true","code":"0","data":{}}`), ""},
		{"tranStatus as a string", signed(`"tranStatus":"1"`), ""},
		{"exponent amount", signed(`"tranStatus":1,"refundOrderAmt":"5e4","currency":"LAK"`), ""},
		{"negative amount", signed(`"tranStatus":1,"refundOrderAmt":"-50000","currency":"LAK"`), ""},
		{"amount with separators", signed(`"tranStatus":1,"refundOrderAmt":"50,000","currency":"LAK"`), ""},
		{"empty amount", signed(`"tranStatus":1,"refundOrderAmt":"","currency":"LAK"`), ""},
		{"lower-case currency", signed(`"tranStatus":1,"refundOrderAmt":"50000","currency":"lak"`), ""},
		{"amount without currency", signed(`"tranStatus":1,"refundOrderAmt":"50000"`), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newpayStub(t, k, newpayPath, newpayAlways(tt.body))
			res, err := newNewPayClient(t, newpayConfig(k), srv.URL).Inquire(t.Context(), refundkit.Query{RefundID: newpayRefundID})
			assert.Nil(t, res)
			e := requireStubError(t, err, refundkit.CategoryInvalidResponse, tt.code)
			assert.Equal(t, tt.body, e.Body)
			assert.Equal(t, int32(1), srv.hits.Load())
		})
	}
}

func TestNewPayOversizedBody(t *testing.T) {
	k := loadTestKeys(t)
	body := newpayEnvelope(newpaySigned(t, k.platform, newpayRefund(`"tranStatus":1,"tranInfo":"`+strings.Repeat("x", 4096)+`"`)))
	srv := newpayStub(t, k, newpayPath, newpayAlways(body))
	c := newNewPayClient(t, newpayConfig(k), srv.URL, wrapper.WithMaxResponseBytes(1024))
	_, err := c.Inquire(t.Context(), refundkit.Query{RefundID: newpayRefundID})
	requireStubError(t, err, refundkit.CategoryInvalidResponse, "")
}

func TestNewPayHTTPFailuresAndRetries(t *testing.T) {
	k := loadTestKeys(t)
	ok := newpayEnvelope(newpaySigned(t, k.platform, newpayRefund(`"tranStatus":1`)))
	tests := []struct {
		name     string
		replies  []stubReply // the last one repeats
		want     refundkit.Category
		wantHits int32
	}{
		{"500 every time", []stubReply{{status: 500, body: []byte("oops")}}, refundkit.CategoryTemporary, 3},
		{"429 every time", []stubReply{{status: 429, header: map[string]string{"Retry-After": "0"}}}, refundkit.CategoryRateLimited, 3},
		{"503 then success", []stubReply{{status: 503}, {body: ok}}, "", 2},
		{"E9999 then success", []stubReply{{body: []byte(`{"success":false,"code":"E9999","message":"busy"}`)}, {body: ok}}, "", 2},
		{"401", []stubReply{{status: 401}}, refundkit.CategoryAuth, 1},
		{"404", []stubReply{{status: 404}}, refundkit.CategoryInvalidRequest, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newpayStub(t, k, newpayPath, func(n int, _ []byte) stubReply {
				return tt.replies[min(n, len(tt.replies))-1]
			})
			start := time.UnixMilli(1662528718641)
			c := newNewPayClient(t, newpayConfig(k), srv.URL, wrapper.WithClock(stubClock(start)))
			res, err := c.Inquire(t.Context(), refundkit.Query{RefundID: newpayRefundID})
			if tt.want == "" {
				require.NoError(t, err)
				assert.Equal(t, refundkit.StatusSucceeded, res.Status)
			} else {
				e := requireStubError(t, err, tt.want, "")
				assert.Positive(t, e.HTTPStatus)
			}
			assert.Equal(t, tt.wantHits, srv.hits.Load())
			// Every attempt is signed afresh, with a new timestamp.
			var stamps, signs []string
			for _, r := range srv.recorded() {
				var req struct {
					Timestamp json.Number `json:"timestamp"`
					Sign      string      `json:"sign"`
				}
				require.NoError(t, json.Unmarshal(r.body, &req))
				stamps, signs = append(stamps, req.Timestamp.String()), append(signs, req.Sign)
			}
			assert.Len(t, slices.Compact(slices.Clone(stamps)), len(stamps), "timestamps %v", stamps)
			assert.Len(t, slices.Compact(slices.Clone(signs)), len(signs))
			assert.Equal(t, "1662528718641", stamps[0])
		})
	}
}

func TestNewPayRequest(t *testing.T) {
	k := loadTestKeys(t)
	ok := newpayEnvelope(newpaySigned(t, k.platform, newpayRefund(`"tranStatus":1`)))
	at := time.Date(2022, 9, 7, 5, 31, 58, 641e6, time.UTC)
	srv := newpayStub(t, k, newpayPath, newpayAlways(ok))
	c := newNewPayClient(t, newpayConfig(k), srv.URL, wrapper.WithClock(func() time.Time { return at }))
	_, err := c.Inquire(t.Context(), refundkit.Query{RefundID: newpayRefundID})
	require.NoError(t, err)
	reqs := srv.recorded()
	require.Len(t, reqs, 1)
	var got map[string]any
	d := json.NewDecoder(bytes.NewReader(reqs[0].body))
	d.UseNumber()
	require.NoError(t, d.Decode(&got))
	assert.NotEmpty(t, got["sign"])
	delete(got, "sign")
	assert.Equal(t, map[string]any{
		"appId":         newpayAppID,
		"merchantId":    newpayMerchantID,
		"refundOrderNo": newpayRefundID,
		"timestamp":     json.Number("1662528718641"),
	}, got)
}

func TestNewPayPath(t *testing.T) {
	k := loadTestKeys(t)
	ok := newpayEnvelope(newpaySigned(t, k.platform, newpayRefund(`"tranStatus":1`)))
	tests := []struct {
		name, prefix, path, want string
	}{
		{"default path", "", "", newpayPath},
		{"default path under a prefix", "/gw", "", "/gw" + newpayPath},
		{"configured path", "", "/api/open/converge/pay/v1/refundQuery", "/api/open/converge/pay/v1/refundQuery"},
		{"configured path under a prefix", "/gw/", "/v1/q", "/gw/v1/q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newpayStub(t, k, tt.want, newpayAlways(ok))
			cfg := newpayConfig(k)
			cfg.Path = tt.path
			res, err := newNewPayClient(t, cfg, srv.URL+tt.prefix).Inquire(t.Context(), refundkit.Query{RefundID: newpayRefundID})
			require.NoError(t, err)
			assert.Equal(t, refundkit.StatusSucceeded, res.Status)
		})
	}
}

func TestNewPayInsecureSkipVerify(t *testing.T) {
	k := loadTestKeys(t)
	unsigned := newpayEnvelope([]byte(newpayRefund(`"tranStatus":1,"refundOrderAmt":"50000","currency":"LAK"`)))
	srv := newpayStub(t, k, newpayPath, newpayAlways(unsigned))
	cfg := newpayConfig(k)
	cfg.PublicKey = nil
	res, err := newNewPayClient(t, cfg, srv.URL, wrapper.WithInsecureSkipVerify()).
		Inquire(t.Context(), refundkit.Query{RefundID: newpayRefundID})
	require.NoError(t, err)
	assert.Equal(t, refundkit.StatusSucceeded, res.Status)
	assert.False(t, res.Verified)
}

func TestNewPayInvalidQueries(t *testing.T) {
	k := loadTestKeys(t)
	tests := []struct {
		name string
		q    refundkit.Query
	}{
		{"empty", refundkit.Query{}},
		{"control character", refundkit.Query{RefundID: "R1\n"}},
		{"invalid UTF-8", refundkit.Query{RefundID: "R\xff"}},
		{"provider refund id", refundkit.Query{RefundID: newpayRefundID, ProviderRefundID: "202209078000000702"}},
		{"refund request id", refundkit.Query{RefundID: newpayRefundID, RefundRequestID: "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newpayStub(t, k, newpayPath, newpayAlways(nil))
			_, err := newNewPayClient(t, newpayConfig(k), srv.URL).Inquire(t.Context(), tt.q)
			requireStubError(t, err, refundkit.CategoryInvalidRequest, "")
			assert.Zero(t, srv.hits.Load())
		})
	}
}

func TestNewNewPayConfig(t *testing.T) {
	k := loadTestKeys(t)
	tests := []struct {
		name string
		edit func(*wrapper.NewPayConfig)
		opts []wrapper.Option
	}{
		{"no app id", func(c *wrapper.NewPayConfig) { c.AppID = "" }, nil},
		{"no merchant id", func(c *wrapper.NewPayConfig) { c.MerchantID = "" }, nil},
		{"control character in app id", func(c *wrapper.NewPayConfig) { c.AppID = "a\tb" }, nil},
		{"no private key", func(c *wrapper.NewPayConfig) { c.PrivateKey = nil }, nil},
		{"no public key", func(c *wrapper.NewPayConfig) { c.PublicKey = nil }, nil},
		{"relative path", func(c *wrapper.NewPayConfig) { c.Path = "queryRefund" }, nil},
		{"error code without a category", func(c *wrapper.NewPayConfig) {
			c.ErrorCodes = map[string]refundkit.Category{"Z00001": "bogus"}
		}, nil},
		{"relative base URL", func(*wrapper.NewPayConfig) {}, []wrapper.Option{wrapper.WithBaseURL("prod-openapi.newpay.la")}},
		{"bad base URL", func(*wrapper.NewPayConfig) {}, []wrapper.Option{wrapper.WithBaseURL("https://%zz")}},
		{"ftp base URL", func(*wrapper.NewPayConfig) {}, []wrapper.Option{wrapper.WithBaseURL("ftp://newpay.la")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := newpayConfig(k)
			tt.edit(&cfg)
			c, err := wrapper.NewNewPay(cfg, tt.opts...)
			assert.Nil(t, c)
			requireStubError(t, err, refundkit.CategoryInvalidRequest, "")
		})
	}
	t.Run("valid", func(t *testing.T) {
		c, err := wrapper.NewNewPay(newpayConfig(k))
		require.NoError(t, err)
		assert.Equal(t, refundkit.NewPay, c.Provider())
	})
}

func TestNewPayContextCanceled(t *testing.T) {
	k := loadTestKeys(t)
	srv := newpayStub(t, k, newpayPath, newpayAlways([]byte(`{"success":false,"code":"E9999"}`)))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := newNewPayClient(t, newpayConfig(k), srv.URL).Inquire(ctx, refundkit.Query{RefundID: newpayRefundID})
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled))
}
