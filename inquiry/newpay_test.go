package inquiry_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	newpayAppID      = "3514d69403bc4ce1a8fafb6415a31018"
	newpayMerchantID = "876266cdc7154dd08a022fd1f2eace55"
	newpayRefundID   = "ORDERNORFD000000000A104"
	newpayPath       = "/api/open/converge/pay/v1/queryRefund"
)

func TestNewPayStatuses(t *testing.T) {
	k := loadTestKeys(t)
	h := newpayHarness(k, nil)
	money := func(v, cur string) *refundkit.Money {
		m, err := refundkit.ParseMoney(v, cur)
		require.NoError(t, err)
		return &m
	}
	tests := []struct {
		name       string
		data       string // unsigned; signed by the platform key in the test
		want       refundkit.Status
		wantRaw    string
		wantAmount *refundkit.Money
	}{
		{"tranStatus 1", newpayRefund(`"tranStatus":1,"tranInfo":"ok","refundOrderAmt":"50000","currency":"LAK","payMethod":1`),
			refundkit.StatusSucceeded, "1", money("50000", "LAK")},
		{"tranStatus 0", newpayRefund(`"tranStatus":0,"tranInfo":"declined","refundOrderAmt":"50000","currency":"LAK"`),
			refundkit.StatusFailed, "0", money("50000", "LAK")},
		{"refundSuccess true", newpayRefund(`"refundSuccess":true,"refundOrderAmt":"7","currency":"LAK"`),
			refundkit.StatusSucceeded, "true", money("7", "LAK")},
		{"refundSuccess false", newpayRefund(`"refundSuccess":false,"refundOrderAmt":"7","currency":"LAK"`),
			refundkit.StatusFailed, "false", money("7", "LAK")},
		{"tranStatus wins over refundSuccess", newpayRefund(`"tranStatus":0,"refundSuccess":true`),
			refundkit.StatusFailed, "0", nil},
		{"unknown tranStatus", newpayRefund(`"tranStatus":7,"refundOrderAmt":"50000","currency":"LAK"`),
			refundkit.StatusUnknown, "7", money("50000", "LAK")},
		{"negative tranStatus", newpayRefund(`"tranStatus":-1`), refundkit.StatusUnknown, "-1", nil},
		{"no status field", newpayRefund(`"refundOrderAmt":"50000","currency":"LAK"`),
			refundkit.StatusUnknown, "", money("50000", "LAK")},
		{"null status fields", newpayRefund(`"tranStatus":null,"refundSuccess":null`), refundkit.StatusUnknown, "", nil},
		{"USD with cents kept exactly", newpayRefund(`"tranStatus":1,"refundOrderAmt":"12.50","currency":"USD","payMethod":4`),
			refundkit.StatusSucceeded, "1", money("12.50", "USD")},
		{"exponent amount written out exactly", newpayRefund(`"tranStatus":1,"refundOrderAmt":"5.0E+4","currency":"LAK"`),
			refundkit.StatusSucceeded, "1", money("50000", "LAK")},
		{"long amount kept exactly", newpayRefund(`"tranStatus":1,"refundOrderAmt":"12345678901234567890.0001","currency":"USD"`),
			refundkit.StatusSucceeded, "1", money("12345678901234567890.0001", "USD")},
		// A member the generated type does not know, odd spacing and escapes:
		// verification must run over the bytes received, not a re-encoding.
		{"undocumented member and odd formatting", `{ "refundOrderNo" : "` + newpayRefundID + `" , "tranStatus" : 1 ,` +
			` "tranInfo":"caf\u00e9 \"ok\"", "extraField":"x", "refundOrderAmt":"50000", "currency":"LAK" }`,
			refundkit.StatusSucceeded, "1", money("50000", "LAK")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply := newpaySignedReply(t, k, tt.data)
			srv, res, err := h.ask(t, h.query, stubAlways(reply))
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
			assert.Equal(t, reply.body, res.Raw)
			assert.Equal(t, int32(1), srv.hits.Load())
		})
	}
}

func TestNewPayDocExample(t *testing.T) {
	k := loadTestKeys(t)
	h := newpayHarness(k, nil)
	body := fmt.Appendf(nil, newpayDocResponse, newpaySigned(t, k.platform, newpayDocData))
	_, res, err := h.ask(t, h.query, stubAlways(stubReply{body: body}))
	require.NoError(t, err)
	amount, err := refundkit.ParseMoney("50000", "LAK")
	require.NoError(t, err)
	assert.Equal(t, &refundkit.Result{Source: refundkit.SourceInquiry,
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
	// Every code in specs/newpay.yaml and docs/status-mapping.md, with the category the
	// mapping (and, for the "illegal" codes, refundkit's decision) gives it.
	codes := []struct {
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
		{"Z00037", refundkit.CategoryInvalidRequest},  // the "Z000xx field illegal" family, no row of its own
		{"Z99999", refundkit.CategoryInvalidResponse}, // a code we have no row for
	}
	shapes := []struct{ name, member string }{
		{"null data", `"data":null`}, {"unsigned data", `"data":{"tranStatus":1}`}, {"no data", `"timestamp":"1662528718641"`},
	}
	var cases []stubErrorCase
	for _, c := range codes {
		for _, sh := range shapes {
			body := fmt.Appendf(nil, `{"success":false,"code":%q,"message":"nope %s",%s}`, c.code, c.code, sh.member)
			cases = append(cases, stubErrorCase{name: c.code + "/" + sh.name, reply: stubReply{body: body},
				want: c.want, code: c.code, msg: "nope " + c.code})
		}
	}
	runStubErrors(t, newpayHarness(k, nil), cases)

	t.Run("override", func(t *testing.T) {
		h := newpayHarness(k, func(c *inquiry.NewPayConfig) {
			c.ErrorCodes = map[string]refundkit.Category{"Z00001": refundkit.CategoryAuth}
		})
		_, _, err := h.ask(t, h.query, stubAlways(stubReply{body: []byte(`{"success":false,"code":"Z00001","message":"appId illegal"}`)}))
		requireStubError(t, err, refundkit.CategoryAuth, "Z00001")
	})
}

func TestNewPaySignatureFailures(t *testing.T) {
	k := loadTestKeys(t)
	good := newpaySigned(t, k.platform, newpayRefund(`"tranStatus":1,"refundOrderAmt":"50000","currency":"LAK"`))
	tampered := func(old, new string) stubReply {
		return stubReply{body: newpayEnvelope(bytes.Replace(good, []byte(old), []byte(new), 1))}
	}
	unsigned := func(members string) stubReply {
		return stubReply{body: newpayEnvelope([]byte(newpayRefund(members)))}
	}
	errorWithBadSign := fmt.Appendf(nil, `{"success":false,"code":"Z00051","message":"no","data":%s}`,
		bytes.Replace(good, []byte(`"50000"`), []byte(`"1"`), 1))
	sig := refundkit.CategorySignature
	runStubErrors(t, newpayHarness(k, nil), []stubErrorCase{
		{name: "signed with the wrong key", reply: stubReply{body: newpayEnvelope(newpaySigned(t, k.merchant, newpayRefund(`"tranStatus":1`)))},
			want: sig, code: "0", cause: sign.ErrInvalidSignature},
		{name: "amount changed after signing", reply: tampered(`"50000"`, `"90000"`), want: sig, code: "0", cause: sign.ErrInvalidSignature},
		{name: "status changed after signing", reply: tampered(`"tranStatus":1`, `"tranStatus":0`), want: sig, code: "0", cause: sign.ErrInvalidSignature},
		{name: "member added after signing", reply: tampered(`{`, `{"refundSuccess":false,`), want: sig, code: "0", cause: sign.ErrInvalidSignature},
		{name: "sign not base64", reply: unsigned(`"tranStatus":1,"sign":"!!!"`), want: sig, code: "0", cause: sign.ErrInvalidSignature},
		{name: "sign missing", reply: unsigned(`"tranStatus":1`), want: sig, code: "0", cause: sign.ErrMissingSignature},
		{name: "sign null", reply: unsigned(`"tranStatus":1,"sign":null`), want: sig, code: "0", cause: sign.ErrMissingSignature},
		{name: "sign empty", reply: unsigned(`"tranStatus":1,"sign":""`), want: sig, code: "0", cause: sign.ErrMissingSignature},
		// An object NewPay's canonical form cannot cover is never trusted.
		{name: "nested object in data", reply: unsigned(`"tranStatus":1,"nested":{"a":1},"sign":"AAAA"`),
			want: sig, code: "0", cause: sign.ErrInvalidSignature},
		// One signature must never cover two readings: a value with & or =
		// could split into other members of the canonical string.
		{name: "& in a value", reply: unsigned(`"tranStatus":1,"tranInfo":"ok\u0026tranStatus=0","sign":"AAAA"`),
			want: sig, code: "0", cause: sign.ErrAmbiguousCanonical},
		{name: "error answer with a bad signature", reply: stubReply{body: errorWithBadSign},
			want: sig, code: "Z00051", cause: sign.ErrInvalidSignature},
	})
}

func TestNewPayInvalidResponses(t *testing.T) {
	k := loadTestKeys(t)
	signed := func(members string) stubReply { return newpaySignedReply(t, k, newpayRefund(members)) }
	raw := func(body string) stubReply { return stubReply{body: []byte(body)} }
	otherRefund := strings.Replace(newpayRefund(`"tranStatus":1`), newpayRefundID, "ORDERNORFD000000000A105", 1)
	otherApp := strings.Replace(newpayRefund(`"tranStatus":1`), newpayAppID, "another-merchants-app", 1)
	bad := refundkit.CategoryInvalidResponse
	runStubErrors(t, newpayHarness(k, nil), []stubErrorCase{
		{name: "refund id mismatch", reply: newpaySignedReply(t, k, otherRefund), want: bad},
		{name: "another app's signed answer", reply: newpaySignedReply(t, k, otherApp), want: bad},
		{name: "refund id missing", reply: newpaySignedReply(t, k, `{"tranStatus":1,"refundOrderAmt":"1","currency":"LAK"}`), want: bad},
		{name: "malformed JSON", reply: raw(`{"success":true,"code":"0","data":{`), want: bad},
		{name: "not an object", reply: raw(`["success"]`), want: bad},
		{name: "success without data", reply: raw(`{"success":true,"code":"0","message":"success"}`), want: bad},
		{name: "success with null data", reply: raw(`{"success":true,"code":"0","data":null}`), want: bad},
		{name: "success with string data", reply: raw(`{"success":true,"code":"0","data":"ok"}`), want: bad},
		{name: "success flag missing", want: bad, code: "0",
			reply: stubReply{body: fmt.Appendf(nil, `{"code":"0","data":%s}`, newpaySigned(t, k.platform, newpayRefund(`"tranStatus":1`)))}},
		{name: "success false with code 0", reply: raw(`{"success":false,"code":"0","message":"?"}`), want: bad, code: "0"},
		{name: "success true with an error code", reply: raw(`{"success":true,"code":"Z77777","message":"?"}`), want: bad, code: "Z77777"},
		{name: "success as a string", reply: raw(`{"success":"true","code":"0","data":{}}`), want: bad},
		{name: "tranStatus as a string", reply: signed(`"tranStatus":"1"`), want: bad},
		{name: "exponent amount out of range", reply: signed(`"tranStatus":1,"refundOrderAmt":"5e400","currency":"LAK"`), want: bad},
		{name: "negative amount", reply: signed(`"tranStatus":1,"refundOrderAmt":"-50000","currency":"LAK"`), want: bad},
		{name: "amount with separators", reply: signed(`"tranStatus":1,"refundOrderAmt":"50,000","currency":"LAK"`), want: bad},
		{name: "empty amount", reply: signed(`"tranStatus":1,"refundOrderAmt":"","currency":"LAK"`), want: bad},
		{name: "lower-case currency", reply: signed(`"tranStatus":1,"refundOrderAmt":"50000","currency":"lak"`), want: bad},
		{name: "amount without currency", reply: signed(`"tranStatus":1,"refundOrderAmt":"50000"`), want: bad},
		{name: "oversized", reply: signed(`"tranStatus":1,"tranInfo":"` + strings.Repeat("x", inquiry.DefaultMaxResponseBytes) + `"`), want: bad},
	})
}

func TestNewPayHTTPFailuresAndRetries(t *testing.T) {
	k := loadTestKeys(t)
	runStubRetries(t, newpayHarness(k, nil), newpaySignedReply(t, k, newpayRefund(`"tranStatus":1`)),
		stubReply{body: []byte(`{"success":false,"code":"E9999","message":"unknown error"}`)})
}
