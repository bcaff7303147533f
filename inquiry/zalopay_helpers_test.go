package inquiry_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
	"github.com/stretchr/testify/require"
)

var zaloPayKey1 = sign.NewSecret("sdngKKJmqEMzvh5QQcdD2A9XBSKUNaYn") // ZaloPay's published sandbox key1

// zaloPayCheck is the stub's request check: the encoding expected, exactly
// the four fields, numbers as numbers, and a mac over them with key1.
func zaloPayCheck(form bool) func(r *http.Request, body []byte) error {
	return func(r *http.Request, body []byte) error {
		if r.Method != http.MethodPost || r.URL.Path != "/v2/query_refund" {
			return fmt.Errorf("%s %s", r.Method, r.URL.Path)
		}
		want := map[bool]string{false: "application/json", true: "application/x-www-form-urlencoded"}[form]
		if got := r.Header.Get("Content-Type"); got != want {
			return fmt.Errorf("Content-Type %q, want %q", got, want)
		}
		q, err := zaloPayFields(form, body)
		if err != nil {
			return err
		}
		return sign.ZaloPay{Key1: zaloPayKey1}.VerifyMAC(q.appID, q.refundID, q.timestamp, q.mac)
	}
}

type zaloPayRequest struct {
	appID, timestamp int64
	refundID, mac    string
}

// zaloPayFields reads a request body as ZaloPay does, from JSON or a form.
func zaloPayFields(form bool, body []byte) (zaloPayRequest, error) {
	fields := map[string]string{}
	if form {
		v, err := url.ParseQuery(string(body))
		if err != nil {
			return zaloPayRequest{}, err
		}
		for k, vs := range v {
			if len(vs) != 1 {
				return zaloPayRequest{}, fmt.Errorf("%s given %d times", k, len(vs))
			}
			fields[k] = vs[0]
		}
	} else {
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			return zaloPayRequest{}, err
		}
		for k, v := range m {
			if _, isNumber := v.(json.Number); isNumber != (k == "app_id" || k == "timestamp") {
				return zaloPayRequest{}, fmt.Errorf("%s has JSON type %T", k, v)
			}
			fields[k] = fmt.Sprint(v)
		}
	}
	if len(fields) != 4 {
		return zaloPayRequest{}, fmt.Errorf("want app_id, m_refund_id, timestamp and mac, got %s", body)
	}
	appID, err1 := strconv.ParseInt(fields["app_id"], 10, 64)
	ts, err2 := strconv.ParseInt(fields["timestamp"], 10, 64)
	return zaloPayRequest{appID: appID, timestamp: ts, refundID: fields["m_refund_id"], mac: fields["mac"]}, errors.Join(err1, err2)
}

// zaloPayStub plays ZaloPay, answering the n-th request with answer(n).
func zaloPayStub(t *testing.T, form bool, answer func(n int) stubReply) *providerStub {
	return newProviderStub(t, zaloPayCheck(form), func(n int, _ []byte) stubReply { return answer(n) })
}

// zaloPayAlways answers every request with body.
func zaloPayAlways(body string) func(int) stubReply {
	return func(int) stubReply { return stubReply{body: []byte(body)} }
}

// zaloPayAnswer is a ZaloPay answer body.
func zaloPayAnswer(returnCode, subReturnCode int, msg, subMsg string) string {
	b, _ := json.Marshal(map[string]any{"return_code": returnCode, "return_message": msg,
		"sub_return_code": subReturnCode, "sub_return_message": subMsg})
	return string(b)
}

func newZaloPayClient(t *testing.T, cfg inquiry.ZaloPayConfig, opts ...inquiry.Option) *inquiry.Client {
	t.Helper()
	if cfg.AppID == 0 {
		cfg.AppID = zaloPayAppID
	}
	if cfg.Key1.IsZero() {
		cfg.Key1 = zaloPayKey1
	}
	c, err := inquiry.New(cfg, opts...)
	require.NoError(t, err)
	return c
}

func zaloPayEncoding(form bool) string { return map[bool]string{false: "json", true: "form"}[form] }

// offlineTransport answers every request with body, without any network,
// and records the URLs asked for.
type offlineTransport struct {
	body string
	mu   sync.Mutex
	urls []string
}

func (o *offlineTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	o.mu.Lock()
	o.urls = append(o.urls, req.URL.String())
	o.mu.Unlock()
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Request: req,
		Body: io.NopCloser(strings.NewReader(o.body))}, nil
}
