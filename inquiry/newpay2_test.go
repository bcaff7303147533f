package inquiry_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
)

const (
	newpay2AppID    = "3514d69403bc4ce1a8fafb6415a31018"
	newpay2MchID    = "876266cdc7154dd08a022fd1f2eace55"
	newpay2RefundID = "ORDERNORFD000000000A104"
)

// newpay2Harness runs the v2 client against a stub that checks each
// request's appId, mchId and signature (merchant key) as NewPay would.
func newpay2Harness(k testKeys, cfg func(*inquiry.NewPay2Config)) stubHarness {
	return stubHarness{
		serve: func(t *testing.T, answer func(int, []byte) stubReply) *providerStub {
			return newProviderStub(t, func(r *http.Request, body []byte) error {
				if r.URL.Path != "/beta/pay/uniQueryRefund" {
					t.Errorf("path %s", r.URL.Path)
				}
				return sign.NewPay2{PublicKey: k.merchantPublic}.VerifyJSON(body)
			}, answer)
		},
		client: func(t *testing.T, url string, opts ...inquiry.Option) refundkit.Inquirer {
			c := inquiry.NewPay2Config{AppID: newpay2AppID, MchID: newpay2MchID, PrivateKey: k.merchant, PublicKey: k.platformPublic}
			if cfg != nil {
				cfg(&c)
			}
			client, err := inquiry.New(c, append([]inquiry.Option{inquiry.WithBaseURL(url), stubRetry}, opts...)...)
			require.NoError(t, err)
			return client
		},
		query: refundkit.Query{RefundID: newpay2RefundID},
	}
}

// newpay2Answer is a success envelope around data, signed with key under
// nested unless unsigned.
func newpay2Answer(t *testing.T, key *sign.PrivateKey, nested sign.NewPay2Nested, data string) stubReply {
	t.Helper()
	if key != nil {
		signed, err := sign.NewPay2{PrivateKey: key, Nested: nested}.SignJSON([]byte(data))
		require.NoError(t, err)
		data = string(signed)
	}
	return stubReply{body: []byte(`{"success":true,"message":"success","code":"0","timestamp":1662528718641,"data":` + data + `}`)}
}

func newpay2Data(members string) string {
	return `{"mchRefundNo":"` + newpay2RefundID + `","newpayRefundNo":"202209078000000702","newpayOrderNo":"202209076000000321",` + members + `}`
}

func TestNewPay2Statuses(t *testing.T) {
	k := loadTestKeys(t)
	h := newpay2Harness(k, nil)
	amount := `"refundAmt":{"value":"50000","currency":"LAK"},"orderAmt":{"value":"100000","currency":"LAK"}`
	for _, tt := range []struct {
		status string // refundStatus as JSON, "" for none
		want   refundkit.Status
		raw    string
	}{
		{`"SUCCESS"`, refundkit.StatusSucceeded, "SUCCESS"},
		{`"PROCESSING"`, refundkit.StatusPending, "PROCESSING"},
		{`"FAIL"`, refundkit.StatusFailed, "FAIL"},
		{`" FAIL\t"`, refundkit.StatusFailed, " FAIL\t"},
		{`"FAILED"`, refundkit.StatusUnknown, "FAILED"},
		{`"fail"`, refundkit.StatusUnknown, "fail"},
		{`2`, refundkit.StatusUnknown, "2"}, // the page types it "int"
		{`null`, refundkit.StatusUnknown, ""},
		{``, refundkit.StatusUnknown, ""},
	} {
		t.Run(tt.status, func(t *testing.T) {
			members := amount
			if tt.status != "" {
				members += `,"refundStatus":` + tt.status
			}
			_, res, err := h.ask(t, h.query, stubAlways(newpay2Answer(t, k.platform, sign.NewPay2NestedJSON, newpay2Data(members))))
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Status)
			assert.Equal(t, tt.raw, res.ProviderStatus)
			assert.True(t, res.Verified)
			assert.Equal(t, "50000 LAK", res.Amount.String())
			assert.Equal(t, newpay2RefundID, res.MerchantRefundID)
			assert.Equal(t, "202209078000000702", res.ProviderRefundID)
			assert.Equal(t, "202209076000000321", res.ProviderOrderID)
		})
	}
}

// TestNewPay2Assumptions: each open question is one overridable setting.
func TestNewPay2Assumptions(t *testing.T) {
	k := loadTestKeys(t)
	data := newpay2Data(`"refundStatus":"SUCCESS","refundAmt":{"value":"150","currency":"USD"}`)
	t.Run("flattened objects", func(t *testing.T) {
		flat := newpay2Harness(k, func(c *inquiry.NewPay2Config) { c.Nested = sign.NewPay2NestedFlatten })
		_, res, err := flat.ask(t, flat.query, stubAlways(newpay2Answer(t, k.platform, sign.NewPay2NestedFlatten, data)))
		require.NoError(t, err)
		assert.True(t, res.Verified)
		// The default rule does not verify a flattened signature.
		def := newpay2Harness(k, nil)
		_, _, err = def.ask(t, def.query, stubAlways(newpay2Answer(t, k.platform, sign.NewPay2NestedFlatten, data)))
		requireStubError(t, err, refundkit.CategorySignature, "0")
	})
	t.Run("minor units", func(t *testing.T) {
		minor := newpay2Harness(k, func(c *inquiry.NewPay2Config) { c.MinorUnits = true })
		_, res, err := minor.ask(t, minor.query, stubAlways(newpay2Answer(t, k.platform, 0, data)))
		require.NoError(t, err)
		assert.Equal(t, "1.50 USD", res.Amount.String())
	})
	t.Run("success code", func(t *testing.T) {
		other := newpay2Harness(k, func(c *inquiry.NewPay2Config) { c.SuccessCode = "0000" })
		reply := newpay2Answer(t, k.platform, 0, data)
		reply.body = []byte(strings.Replace(string(reply.body), `"code":"0"`, `"code":"0000"`, 1))
		_, res, err := other.ask(t, other.query, stubAlways(reply))
		require.NoError(t, err)
		assert.Equal(t, refundkit.StatusSucceeded, res.Status)
	})
}

func TestNewPay2Errors(t *testing.T) {
	k := loadTestKeys(t)
	good := newpay2Data(`"refundStatus":"SUCCESS","refundAmt":{"value":"50000","currency":"LAK"}`)
	signedGood := newpay2Answer(t, k.platform, 0, good)
	raw := func(body string) stubReply { return stubReply{body: []byte(body)} }
	runStubErrors(t, newpay2Harness(k, nil), []stubErrorCase{
		{name: "not found", reply: raw(`{"success":false,"message":"no","code":"Z00051","timestamp":1}`), want: refundkit.CategoryNotFound, code: "Z00051"},
		{name: "busy", reply: raw(`{"success":false,"message":"busy","code":"E9999","timestamp":1}`), want: refundkit.CategoryTemporary, code: "E9999"},
		{name: "field illegal", reply: raw(`{"success":false,"code":"Z00077","timestamp":1}`), want: refundkit.CategoryInvalidRequest, code: "Z00077"},
		{name: "unknown code", reply: raw(`{"success":false,"code":"X1","timestamp":1}`), want: refundkit.CategoryInvalidResponse, code: "X1"},
		{name: "unsigned success", reply: newpay2Answer(t, nil, 0, good), want: refundkit.CategorySignature, code: "0", cause: sign.ErrMissingSignature},
		{name: "wrong key", reply: newpay2Answer(t, k.merchant, 0, good), want: refundkit.CategorySignature, code: "0", cause: sign.ErrInvalidSignature},
		{name: "status changed after signing", reply: raw(strings.Replace(string(signedGood.body), `"SUCCESS"`, `"FAIL"`, 1)),
			want: refundkit.CategorySignature, code: "0", cause: sign.ErrInvalidSignature},
		{name: "amount changed after signing", reply: raw(strings.Replace(string(signedGood.body), `"50000"`, `"90000"`, 1)),
			want: refundkit.CategorySignature, code: "0", cause: sign.ErrInvalidSignature},
		{name: "another refund", reply: newpay2Answer(t, k.platform, 0, strings.Replace(good, newpay2RefundID, "OTHER", 1)),
			want: refundkit.CategoryInvalidResponse},
		{name: "exponent amount", reply: newpay2Answer(t, k.platform, 0, strings.Replace(good, `"50000"`, `"5e4x"`, 1)),
			want: refundkit.CategoryInvalidResponse},
		{name: "success without data", reply: raw(`{"success":true,"code":"0","timestamp":1}`), want: refundkit.CategoryInvalidResponse},
		{name: "not JSON", reply: raw(`{"success":`), want: refundkit.CategoryInvalidResponse},
	})
}

func TestNewPay2Queries(t *testing.T) {
	k := loadTestKeys(t)
	h := newpay2Harness(k, nil)
	runStubBadQueries(t, h, map[string]refundkit.Query{
		"no id":              {},
		"refund request id":  {RefundID: newpay2RefundID, RefundRequestID: "RR"},
		"control character":  {RefundID: "R\n1"},
		"ambiguous & in id":  {RefundID: "R1&x=y"},
		"provider id with =": {ProviderRefundID: "T=1"},
	})
	// By newpayRefundNo alone: the answer must echo it.
	q := refundkit.Query{ProviderRefundID: "202209078000000702"}
	reply := newpay2Answer(t, k.platform, 0, newpay2Data(`"refundStatus":"PROCESSING"`))
	srv, res, err := h.ask(t, q, stubAlways(reply))
	require.NoError(t, err)
	assert.Equal(t, refundkit.StatusPending, res.Status)
	sent := string(srv.recorded()[0].body)
	assert.Contains(t, sent, `"newpayRefundNo":"202209078000000702"`)
	assert.NotContains(t, sent, "mchRefundNo")
	_, _, err = h.ask(t, refundkit.Query{ProviderRefundID: "OTHER"}, stubAlways(reply))
	requireStubError(t, err, refundkit.CategoryInvalidResponse, "")
}

func TestNewNewPay2Config(t *testing.T) {
	k := loadTestKeys(t)
	base := inquiry.NewPay2Config{AppID: newpay2AppID, MchID: newpay2MchID, PrivateKey: k.merchant, PublicKey: k.platformPublic}
	for name, change := range map[string]func(*inquiry.NewPay2Config){
		"no app id":       func(c *inquiry.NewPay2Config) { c.AppID = "" },
		"no mch id":       func(c *inquiry.NewPay2Config) { c.MchID = "" },
		"ambiguous mchId": func(c *inquiry.NewPay2Config) { c.MchID = "m&x=1" },
		"no private key":  func(c *inquiry.NewPay2Config) { c.PrivateKey = nil },
		"no public key":   func(c *inquiry.NewPay2Config) { c.PublicKey = nil },
		"unknown nested":  func(c *inquiry.NewPay2Config) { c.Nested = 7 },
		"bad code":        func(c *inquiry.NewPay2Config) { c.ErrorCodes = map[string]refundkit.Category{"X": "nope"} },
	} {
		t.Run(name, func(t *testing.T) {
			cfg := base
			change(&cfg)
			c, err := inquiry.New(cfg)
			assert.Nil(t, c)
			requireStubError(t, err, refundkit.CategoryInvalidRequest, "")
		})
	}
	var nilClient *inquiry.Client
	_, err := nilClient.Inquire(t.Context(), refundkit.Query{RefundID: "R1"})
	requireStubError(t, err, refundkit.CategoryInvalidRequest, "")
}
