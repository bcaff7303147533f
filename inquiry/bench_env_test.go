package inquiry_test

// The environment BenchmarkInquire, BenchmarkBaseline and TestBaseline run
// in: the pre-signed servers, each answering every request with the same
// bytes, signed once with the platform key, so that the server costs next
// to nothing and what is measured is the client; and the SDK's client for
// each, through the *http.Client the baselines (baseline_test.go) use too.

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
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

// baselined lists the providers with a hand-written floor
// (baseline_<provider>_test.go, and presignedAnswer, benchEnv.sdk and
// benchEnv.baseline); BenchmarkInquire,
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
// test key through package sign, exactly as the provider would send it
// (each in its baseline_<provider>_test.go).
func presignedAnswer(tb testing.TB, k testKeys, p refundkit.Provider) presigned {
	tb.Helper()
	switch p {
	case refundkit.NewPay:
		return presignedNewPay(tb, k)
	case refundkit.PayerMax:
		return presignedPayerMax(tb, k)
	case refundkit.ZaloPay:
		return presignedZaloPay()
	case refundkit.AlphaPay:
		return presignedAlphaPay(tb, k)
	case refundkit.NewPay2:
		return presignedNewPay2(tb, k)
	}
	tb.Fatalf("no answer for provider %q", p)
	return presigned{}
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
