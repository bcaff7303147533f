package inquiry_test

// This file holds the floor that BenchmarkInquire is measured against (see
// bench_test.go and BENCHMARKS.md): each provider's refund inquiry written
// by hand with the standard library alone. A baseline does what the SDK does
// on the success path, and no more: the same signing (crypto/rsa and
// crypto/hmac called directly), one net/http exchange through the same
// *http.Client to the same loopback server, the same response verification
// over the exact bytes received, a decode into a small struct, the echo
// check and the status. No generated code, options, retries, typed errors
// or exact money.
//
// It also holds the pre-signed servers both run against: each answers every
// request with the same bytes, signed once with the platform key, so that
// the server costs next to nothing and what is measured is the client.

import (
	"bytes"
	"cmp"
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// benchRefundID is the one refund every benchmark asks about; every
// pre-signed answer echoes it.
const benchRefundID = "R1642411016202"

// The credentials the pre-signed answers, the SDK clients and the baselines
// share. The servers check none of them.
const (
	benchNewPayAppID      = "3514d69403bc4ce1a8fafb6415a31018"
	benchNewPayMerchantID = "876266cdc7154dd08a022fd1f2eace55"
	benchPayerMaxAppID    = "a0dddd1f622243cb9aa1b676e808b5f8"
	benchPayerMaxMerchant = "02021382719993"
	benchZaloPayAppID     = 2554
	benchZaloPayKey1      = "sdngKKJmqEMzvh5QQcdD2A9XBSKUNaYn"
	benchAlphaPayMerchant = "CXVJIU"
	benchAlphaPayPath     = "/api/v2.0/payments/inquiryRefund"
)

// benchAlphaPayTime is the pre-signed AlphaPay answer's Response-Time, and
// the SDK client's clock.
var benchAlphaPayTime = time.Date(2019, 5, 28, 12, 12, 13, 0, time.FixedZone("", 8*3600))

// benchPaths are the providers' inquiry paths, below the server's root.
var benchPaths = map[refundkit.Provider]string{
	refundkit.NewPay:   "/api/open/converge/pay/v1/queryRefund",
	refundkit.PayerMax: "/aggregate-pay/api/gateway/refundQuery",
	refundkit.ZaloPay:  "/v2/query_refund",
	refundkit.AlphaPay: benchAlphaPayPath,
	refundkit.NewPay2:  benchNewPay2Path,
}

// baselined lists the providers with a hand-written floor in this file
// (presignedAnswer, benchEnv.sdk, benchEnv.baseline); BenchmarkInquire,
// BenchmarkBaseline and TestBaseline measure these. A provider gains a row
// by being added to each.
var baselined = []refundkit.Provider{refundkit.NewPay, refundkit.PayerMax, refundkit.ZaloPay, refundkit.AlphaPay, refundkit.NewPay2}

// presigned is one provider's canned answer about benchRefundID: a refund
// that succeeded, for 10000 in the currency's unit the provider uses.
type presigned struct {
	header http.Header
	body   []byte
}

// presignedAnswer builds provider p's answer, signed with the platform's
// test key through package sign, exactly as the provider would send it.
func presignedAnswer(tb testing.TB, k testKeys, p refundkit.Provider) presigned {
	tb.Helper()
	a := presigned{header: http.Header{"Content-Type": {"application/json"}}}
	switch p {
	case refundkit.NewPay:
		data, err := sign.NewPay{PrivateKey: k.platform}.SignJSON([]byte(`{"appId":"` + benchNewPayAppID +
			`","refundOrderNo":"` + benchRefundID + `","orderNo":"ORDERNO000000000A104","newpayOrderNo":"202209076000000321",` +
			`"newpayRefundOrderNo":"202209078000000702","tranNo":"00012022090700000037","refundOrderAmt":"10000",` +
			`"currency":"LAK","tranStatus":1}`))
		require.NoError(tb, err)
		a.body = fmt.Appendf(nil, `{"success":true,"code":"0","message":"success","timestamp":1662528718641,"data":%s}`, data)
	case refundkit.PayerMax:
		a.body = []byte(`{"code":"APPLY_SUCCESS","msg":"Success.","data":{"outRefundNo":"` + benchRefundID +
			`","refundTradeNo":"20220117091657TI790000055087","outTradeNo":"P1642410680681","refundAmount":10000,` +
			`"refundCurrency":"IDR","status":"REFUND_SUCCESS","refundFinishTime":"2022-01-17T09:20:11.123+00:00"}}`)
		sig, err := sign.PayerMax{PrivateKey: k.platform}.Sign(a.body)
		require.NoError(tb, err)
		a.header.Set(sign.PayerMaxSignatureHeader, sig)
	case refundkit.ZaloPay: // unsigned, as ZaloPay sends it
		a.body = []byte(`{"return_code":1,"return_message":"Giao dịch thành công","sub_return_code":1,` +
			`"sub_return_message":"Giao dịch thành công"}`)
	case refundkit.AlphaPay:
		a.body = []byte(`{"paymentId":"P2019052800001","refundRequestId":"RR-1001","refundId":"` + benchRefundID +
			`","refundTime":"2019-05-28T12:15:02+08:00","refundStatus":"SUCCESS","refund":{"refundAmount":` +
			`{"value":"10000","currency":"CAD"},"description":"damaged item"},"result":{"resultStatus":"S",` +
			`"resultCode":"SUCCESS","resultMessage":"success"}}`)
		h, err := sign.AlphaPay{MerchantCode: benchAlphaPayMerchant, PrivateKey: k.platform}.
			Sign(http.MethodPost, benchAlphaPayPath, a.body, benchAlphaPayTime, "e2a9b3c1d4f5a6b7c8d9e0f1a2b3c4d5")
		require.NoError(tb, err)
		h.SetResponse(a.header)
	case refundkit.NewPay2: // baseline_newpay2_test.go
		a = presignedNewPay2(tb, k)
	default:
		tb.Fatalf("no answer for provider %q", p)
	}
	return a
}

// servePresigned starts a loopback server answering every request with a.
// It drains the request so the connection stays reusable and checks nothing
// else.
func servePresigned(tb testing.TB, a presigned) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		h := w.Header()
		for name, v := range a.header {
			h[name] = v
		}
		_, _ = w.Write(a.body)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// benchEnv is one pre-signed server per provider and the *http.Client
// that the SDK clients and the baselines share: enough idle connections per
// host that no exchange, sequential or concurrent, dials anew.
type benchEnv struct {
	keys testKeys
	http *http.Client
	urls map[refundkit.Provider]string
}

func newBenchEnv(tb testing.TB) *benchEnv {
	tb.Helper()
	transport := &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 256, IdleConnTimeout: time.Minute}
	tb.Cleanup(transport.CloseIdleConnections)
	e := &benchEnv{keys: loadTestKeys(tb), http: &http.Client{Transport: transport}, urls: map[refundkit.Provider]string{}}
	for _, p := range baselined {
		e.urls[p] = servePresigned(tb, presignedAnswer(tb, e.keys, p)).URL
	}
	return e
}

// sdk returns the SDK's client for p, with default options but the shared
// *http.Client and the pre-signed server's URL.
func (e *benchEnv) sdk(tb testing.TB, p refundkit.Provider, extra ...inquiry.Option) refundkit.Inquirer {
	tb.Helper()
	opts := append([]inquiry.Option{inquiry.WithHTTPClient(e.http), inquiry.WithBaseURL(e.urls[p])}, extra...)
	k := e.keys
	var c refundkit.Inquirer
	var err error
	switch p {
	case refundkit.NewPay:
		c, err = inquiry.New(inquiry.NewPayConfig{AppID: benchNewPayAppID, MerchantID: benchNewPayMerchantID,
			PrivateKey: k.merchant, PublicKey: k.platformPublic}, opts...)
	case refundkit.PayerMax:
		c, err = inquiry.New(inquiry.PayerMaxConfig{AppID: benchPayerMaxAppID, MerchantNo: benchPayerMaxMerchant,
			PrivateKey: k.merchant, PublicKey: k.platformPublic}, opts...)
	case refundkit.ZaloPay:
		c, err = inquiry.New(inquiry.ZaloPayConfig{AppID: benchZaloPayAppID, Key1: sign.NewSecret(benchZaloPayKey1)}, opts...)
	case refundkit.AlphaPay:
		// The answer was signed once, at benchAlphaPayTime: the client's
		// clock stays there so that it remains fresh.
		c, err = inquiry.New(inquiry.AlphaPayConfig{MerchantCode: benchAlphaPayMerchant,
			PrivateKey: k.merchant, PublicKey: k.platformPublic},
			append(opts, inquiry.WithClock(func() time.Time { return benchAlphaPayTime }))...)
	case refundkit.NewPay2:
		c, err = inquiry.New(inquiry.NewPay2Config{AppID: benchNewPay2AppID, MchID: benchNewPay2MchID,
			PrivateKey: k.merchant, PublicKey: k.platformPublic}, opts...)
	default:
		tb.Fatalf("no client for provider %q", p)
	}
	require.NoError(tb, err)
	return c
}

// baselineResult is what a baseline reads from an answer: what the SDK's
// refundkit.Result carries, in plain fields (the amount as the provider
// wrote it, not as exact money).
type baselineResult struct {
	status                             refundkit.Status
	providerStatus, code, message      string
	merchantRefundID, providerRefundID string
	merchantOrderID, providerOrderID   string
	amount, currency                   string
	refundedAt                         time.Time
}

// baselineInquirer is one provider's inquiry by hand.
type baselineInquirer interface {
	inquire(ctx context.Context, refundID string) (baselineResult, error)
}

// baseline returns the hand-written inquiry for p, against the same server
// through the same *http.Client as the SDK's, with keys parsed by
// crypto/x509 straight from the PEM files.
func (e *benchEnv) baseline(tb testing.TB, p refundkit.Provider) baselineInquirer {
	tb.Helper()
	h := baselineHTTP{client: e.http, url: e.urls[p] + benchPaths[p]}
	if p != refundkit.ZaloPay {
		h.key, h.pub = baselineKeys(tb)
	}
	switch p {
	case refundkit.NewPay:
		return &baselineNewPay{baselineHTTP: h}
	case refundkit.PayerMax:
		return &baselinePayerMax{baselineHTTP: h}
	case refundkit.ZaloPay:
		return &baselineZaloPay{baselineHTTP: h, key1: []byte(benchZaloPayKey1)}
	case refundkit.AlphaPay:
		return &baselineAlphaPay{baselineHTTP: h}
	case refundkit.NewPay2:
		return &baselineNewPay2{baselineHTTP: h}
	}
	tb.Fatalf("no baseline for provider %q", p)
	return nil
}

// baselineKeys reads the merchant's private key (to sign requests) and the
// platform's public key (to verify answers) with crypto/x509 alone.
func baselineKeys(tb testing.TB) (*rsa.PrivateKey, *rsa.PublicKey) {
	tb.Helper()
	der := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("..", "sign", "testdata", name))
		require.NoError(tb, err)
		block, _ := pem.Decode(data)
		require.NotNil(tb, block, name)
		return block.Bytes
	}
	priv, err := x509.ParsePKCS8PrivateKey(der("merchant-private.pem"))
	require.NoError(tb, err)
	pub, err := x509.ParsePKIXPublicKey(der("platform-public.pem"))
	require.NoError(tb, err)
	return priv.(*rsa.PrivateKey), pub.(*rsa.PublicKey)
}

// baselineHTTP is what every baseline shares: one POST through net/http,
// and the RSA keys of the three RSA providers.
type baselineHTTP struct {
	client *http.Client
	url    string
	key    *rsa.PrivateKey
	pub    *rsa.PublicKey
}

// post sends body with the given header name/value pairs and returns the
// answer's header and body, read in full up to 1 MiB. Any status but 200 is
// an error.
func (h *baselineHTTP) post(ctx context.Context, body []byte, header ...string) (http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("baseline: HTTP %d", resp.StatusCode)
	}
	return resp.Header, raw, nil
}

// sign returns the SHA256withRSA (PKCS#1 v1.5) signature of msg, in
// standard base64.
func (h *baselineHTTP) sign(msg []byte) (string, error) {
	sum := sha256.Sum256(msg)
	sig, err := rsa.SignPKCS1v15(nil, h.key, crypto.SHA256, sum[:])
	return base64.StdEncoding.EncodeToString(sig), err
}

// verify checks a standard-base64 SHA256withRSA signature over msg.
func (h *baselineHTTP) verify(msg []byte, signature string) error {
	if signature == "" {
		return errors.New("baseline: no signature")
	}
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(msg)
	return rsa.VerifyPKCS1v15(h.pub, crypto.SHA256, sum[:], sig)
}

// baselineEcho fails when an answer is about another refund.
func baselineEcho(got, want string) error {
	if got != want {
		return fmt.Errorf("baseline: answer is about %q, not %q", got, want)
	}
	return nil
}

// baselineNewPay signs the canonical k=v string of the request's four
// fields (already in byte order) into the body's sign member, and verifies
// data.sign over the canonical string of the answer's data members.
type baselineNewPay struct{ baselineHTTP }

func (n *baselineNewPay) inquire(ctx context.Context, refundID string) (baselineResult, error) {
	ts := time.Now().UnixMilli()
	sig, err := n.sign([]byte("appId=" + benchNewPayAppID + "&merchantId=" + benchNewPayMerchantID +
		"&refundOrderNo=" + refundID + "&timestamp=" + strconv.FormatInt(ts, 10)))
	if err != nil {
		return baselineResult{}, err
	}
	body, err := json.Marshal(struct {
		AppID         string `json:"appId"`
		MerchantID    string `json:"merchantId"`
		RefundOrderNo string `json:"refundOrderNo"`
		Timestamp     int64  `json:"timestamp"`
		Sign          string `json:"sign"`
	}{benchNewPayAppID, benchNewPayMerchantID, refundID, ts, sig})
	if err != nil {
		return baselineResult{}, err
	}
	_, raw, err := n.post(ctx, body, "Content-Type", "application/json", "version", "1.0")
	if err != nil {
		return baselineResult{}, err
	}
	var env struct {
		Success bool            `json:"success"`
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return baselineResult{}, err
	}
	if !env.Success || env.Code != "0" {
		return baselineResult{}, fmt.Errorf("baseline: newpay code %q", env.Code)
	}
	canonical, dataSig, err := baselineNewPayCanonical(env.Data)
	if err != nil {
		return baselineResult{}, err
	}
	if err := n.verify(canonical, dataSig); err != nil {
		return baselineResult{}, err
	}
	var d struct {
		RefundOrderNo       string `json:"refundOrderNo"`
		NewpayRefundOrderNo string `json:"newpayRefundOrderNo"`
		OrderNo             string `json:"orderNo"`
		NewpayOrderNo       string `json:"newpayOrderNo"`
		RefundOrderAmt      string `json:"refundOrderAmt"`
		Currency            string `json:"currency"`
		TranStatus          *int   `json:"tranStatus"`
	}
	if err := json.Unmarshal(env.Data, &d); err != nil {
		return baselineResult{}, err
	}
	if err := baselineEcho(d.RefundOrderNo, refundID); err != nil {
		return baselineResult{}, err
	}
	res := baselineResult{status: refundkit.StatusUnknown, code: env.Code, message: env.Message,
		merchantRefundID: d.RefundOrderNo, providerRefundID: d.NewpayRefundOrderNo,
		merchantOrderID: d.OrderNo, providerOrderID: d.NewpayOrderNo, amount: d.RefundOrderAmt, currency: d.Currency}
	if d.TranStatus != nil {
		res.providerStatus = strconv.Itoa(*d.TranStatus)
		switch *d.TranStatus {
		case 1:
			res.status = refundkit.StatusSucceeded
		case 0:
			res.status = refundkit.StatusFailed
		}
	}
	return res, nil
}

// baselineNewPayCanonical returns the canonical string of a flat data
// object (members but sign and nulls, sorted, strings unquoted, numbers as
// written) and its sign member.
func baselineNewPayCanonical(data []byte) ([]byte, string, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return nil, "", err
	}
	names := make([]string, 0, len(members))
	for name, v := range members {
		if name != "sign" && string(v) != "null" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var b []byte
	for i, name := range names {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(append(b, name...), '=')
		v := members[name]
		if v[0] != '"' {
			b = append(b, v...)
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, "", err
		}
		b = append(b, s...)
	}
	var sig string
	if err := json.Unmarshal(members["sign"], &sig); err != nil {
		return nil, "", err
	}
	return b, sig, nil
}

// baselinePayerMax signs the exact body into the sign header and verifies
// the answer's sign header over its exact body.
type baselinePayerMax struct{ baselineHTTP }

func (p *baselinePayerMax) inquire(ctx context.Context, refundID string) (baselineResult, error) {
	type data struct {
		OutRefundNo string `json:"outRefundNo"`
	}
	body, err := json.Marshal(struct {
		AppID       string `json:"appId"`
		Data        data   `json:"data"`
		KeyVersion  string `json:"keyVersion"`
		MerchantNo  string `json:"merchantNo"`
		RequestTime string `json:"requestTime"`
		Version     string `json:"version"`
	}{benchPayerMaxAppID, data{refundID}, "1", benchPayerMaxMerchant,
		time.Now().UTC().Format("2006-01-02T15:04:05.000Z07:00"), "1.1"})
	if err != nil {
		return baselineResult{}, err
	}
	sig, err := p.sign(body)
	if err != nil {
		return baselineResult{}, err
	}
	header, raw, err := p.post(ctx, body, "Content-Type", "application/json", "sign", sig)
	if err != nil {
		return baselineResult{}, err
	}
	if err := p.verify(raw, header.Get("sign")); err != nil {
		return baselineResult{}, err
	}
	var out struct {
		Code string `json:"code"`
		Msg  string `json:"msg"`
		Data struct {
			OutRefundNo      string      `json:"outRefundNo"`
			RefundTradeNo    string      `json:"refundTradeNo"`
			OutTradeNo       string      `json:"outTradeNo"`
			Status           string      `json:"status"`
			ResultMsg        string      `json:"resultMsg"`
			RefundAmount     json.Number `json:"refundAmount"`
			RefundCurrency   string      `json:"refundCurrency"`
			RefundFinishTime string      `json:"refundFinishTime"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return baselineResult{}, err
	}
	if out.Code != "APPLY_SUCCESS" {
		return baselineResult{}, fmt.Errorf("baseline: payermax code %q", out.Code)
	}
	if err := baselineEcho(out.Data.OutRefundNo, refundID); err != nil {
		return baselineResult{}, err
	}
	d := out.Data
	res := baselineResult{status: refundkit.StatusUnknown, providerStatus: d.Status, code: out.Code,
		message: cmp.Or(d.ResultMsg, out.Msg), merchantRefundID: d.OutRefundNo, providerRefundID: d.RefundTradeNo,
		merchantOrderID: d.OutTradeNo, amount: d.RefundAmount.String(), currency: d.RefundCurrency}
	switch d.Status {
	case "REFUND_SUCCESS":
		res.status = refundkit.StatusSucceeded
	case "REFUND_PENDING":
		res.status = refundkit.StatusPending
	case "REFUND_FAILED":
		res.status = refundkit.StatusFailed
	}
	res.refundedAt, _ = time.Parse(time.RFC3339Nano, d.RefundFinishTime)
	return res, nil
}

// baselineZaloPay puts the HMAC-SHA256 mac of app_id|m_refund_id|timestamp
// into the body; the answer is unsigned.
type baselineZaloPay struct {
	baselineHTTP
	key1 []byte
}

func (z *baselineZaloPay) inquire(ctx context.Context, refundID string) (baselineResult, error) {
	ts := time.Now().UnixMilli()
	m := hmac.New(sha256.New, z.key1)
	m.Write([]byte(strconv.Itoa(benchZaloPayAppID) + "|" + refundID + "|" + strconv.FormatInt(ts, 10)))
	body, err := json.Marshal(struct {
		AppID     int64  `json:"app_id"`
		MRefundID string `json:"m_refund_id"`
		Timestamp int64  `json:"timestamp"`
		Mac       string `json:"mac"`
	}{benchZaloPayAppID, refundID, ts, hex.EncodeToString(m.Sum(nil))})
	if err != nil {
		return baselineResult{}, err
	}
	_, raw, err := z.post(ctx, body, "Content-Type", "application/json")
	if err != nil {
		return baselineResult{}, err
	}
	var out struct {
		ReturnCode       *int   `json:"return_code"`
		ReturnMessage    string `json:"return_message"`
		SubReturnCode    int    `json:"sub_return_code"`
		SubReturnMessage string `json:"sub_return_message"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return baselineResult{}, err
	}
	if out.ReturnCode == nil || *out.ReturnCode < 0 {
		return baselineResult{}, fmt.Errorf("baseline: zalopay error %d", out.SubReturnCode)
	}
	res := baselineResult{status: refundkit.StatusUnknown, providerStatus: strconv.Itoa(*out.ReturnCode),
		code: strconv.Itoa(out.SubReturnCode), message: cmp.Or(out.SubReturnMessage, out.ReturnMessage)}
	switch *out.ReturnCode {
	case 1:
		res.status = refundkit.StatusSucceeded
	case 2:
		res.status = refundkit.StatusFailed
	case 3:
		res.status = refundkit.StatusPending
	}
	return res, nil
}

// baselineAlphaPay signs "POST path\nmerchant.time.nonce.body" into the
// Signature header and verifies the answer's Signature over the same shape
// with its Response-Time and Nonce.
type baselineAlphaPay struct{ baselineHTTP }

func baselineAlphaPayContent(at, nonce string, body []byte) []byte {
	return append([]byte("POST "+benchAlphaPayPath+"\n"+benchAlphaPayMerchant+"."+at+"."+nonce+"."), body...)
}

func (a *baselineAlphaPay) inquire(ctx context.Context, refundID string) (baselineResult, error) {
	body, err := json.Marshal(struct {
		RefundID string `json:"refundId"`
	}{refundID})
	if err != nil {
		return baselineResult{}, err
	}
	var n [16]byte
	_, _ = rand.Read(n[:])
	nonce, at := hex.EncodeToString(n[:]), time.Now().Format(time.RFC3339)
	sig, err := a.sign(baselineAlphaPayContent(at, nonce, body))
	if err != nil {
		return baselineResult{}, err
	}
	header, raw, err := a.post(ctx, body, "Content-Type", "application/json; charset=UTF-8", "Accept", "application/json",
		"Merchant-Code", benchAlphaPayMerchant, "Request-Time", at, "Nonce", nonce,
		"Signature", "algorithm=RS256,keyVersion=1,signature="+url.QueryEscape(sig))
	if err != nil {
		return baselineResult{}, err
	}
	respTime, respNonce := header.Get("Response-Time"), header.Get("Nonce")
	if respTime == "" || respNonce == "" {
		return baselineResult{}, errors.New("baseline: alphapay answer is not signed")
	}
	var respSig string
	for part := range strings.SplitSeq(header.Get("Signature"), ",") {
		name, value, _ := strings.Cut(part, "=")
		switch {
		case name == "algorithm" && value != "RS256":
			return baselineResult{}, fmt.Errorf("baseline: alphapay algorithm %q", value)
		case name == "signature":
			if respSig, err = url.QueryUnescape(value); err != nil {
				return baselineResult{}, err
			}
		}
	}
	if err := a.verify(baselineAlphaPayContent(respTime, respNonce, raw), respSig); err != nil {
		return baselineResult{}, err
	}
	var out struct {
		RefundID        string `json:"refundId"`
		RefundRequestID string `json:"refundRequestId"`
		PaymentID       string `json:"paymentId"`
		RefundStatus    string `json:"refundStatus"`
		RefundTime      string `json:"refundTime"`
		Refund          struct {
			RefundAmount struct {
				Value    string `json:"value"`
				Currency string `json:"currency"`
			} `json:"refundAmount"`
		} `json:"refund"`
		Result struct {
			ResultStatus  string `json:"resultStatus"`
			ResultCode    string `json:"resultCode"`
			ResultMessage string `json:"resultMessage"`
		} `json:"result"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return baselineResult{}, err
	}
	if err := baselineEcho(out.RefundID, refundID); err != nil {
		return baselineResult{}, err
	}
	res := baselineResult{status: refundkit.StatusUnknown, providerStatus: out.RefundStatus,
		code: out.Result.ResultCode, message: out.Result.ResultMessage,
		merchantRefundID: out.RefundRequestID, providerRefundID: out.RefundID, providerOrderID: out.PaymentID,
		amount: out.Refund.RefundAmount.Value, currency: out.Refund.RefundAmount.Currency}
	switch {
	case out.Result.ResultStatus == "F":
		return baselineResult{}, errors.New("baseline: alphapay resultStatus F")
	case out.Result.ResultStatus == "U" || out.RefundStatus == "REFUND_IN_PROCESS":
		res.status = refundkit.StatusPending
	case out.RefundStatus == "SUCCESS":
		res.status = refundkit.StatusSucceeded
	case out.RefundStatus == "FAILED":
		res.status = refundkit.StatusFailed
	}
	res.refundedAt, _ = time.Parse(time.RFC3339, out.RefundTime)
	return res, nil
}

// TestBaseline checks that the floor is honest: against the pre-signed
// servers each baseline reads the answer the SDK reads, and it rejects an
// answer whose signed bytes were changed, as the SDK does. So it really
// signs, sends, verifies and decodes, and the benchmarks compare like with
// like.
func TestBaseline(t *testing.T) {
	e := newBenchEnv(t)
	for _, p := range baselined {
		t.Run(string(p), func(t *testing.T) {
			got, err := e.baseline(t, p).inquire(t.Context(), benchRefundID)
			require.NoError(t, err)
			assert.Equal(t, refundkit.StatusSucceeded, got.status)

			res, err := e.sdk(t, p).Inquire(t.Context(), refundkit.Query{RefundID: benchRefundID})
			require.NoError(t, err)
			assert.Equal(t, p != refundkit.ZaloPay, res.Verified)
			sdk := baselineResult{status: res.Status, providerStatus: res.ProviderStatus, code: res.ProviderCode,
				message: res.ProviderMessage, merchantRefundID: res.MerchantRefundID, providerRefundID: res.ProviderRefundID,
				merchantOrderID: res.MerchantOrderID, providerOrderID: res.ProviderOrderID, refundedAt: res.RefundedAt}
			if res.Amount != nil {
				exp := 0
				if p == refundkit.AlphaPay {
					exp = 2 // AlphaPay writes minor units: 10000 is 100.00 CAD
				}
				sdk.amount, err = res.Amount.MinorUnits(exp)
				require.NoError(t, err)
				sdk.currency = res.Amount.Currency()
			}
			assert.Equal(t, sdk, got, "the baseline reads what the SDK reads")
			if p == refundkit.ZaloPay {
				return // unsigned: nothing to tamper with
			}

			// One digit of the amount changed after signing.
			a := presignedAnswer(t, e.keys, p)
			a.body = bytes.Replace(a.body, []byte("10000"), []byte("10001"), 1)
			forged := &benchEnv{keys: e.keys, http: e.http, urls: map[refundkit.Provider]string{p: servePresigned(t, a).URL}}
			_, err = forged.baseline(t, p).inquire(t.Context(), benchRefundID)
			require.ErrorIs(t, err, rsa.ErrVerification, "the baseline must verify the answer")
			_, err = forged.sdk(t, p).Inquire(t.Context(), refundkit.Query{RefundID: benchRefundID})
			require.ErrorIs(t, err, refundkit.ErrSignature)
		})
	}
}
