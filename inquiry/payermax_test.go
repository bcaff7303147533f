package inquiry_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	payermaxAppID      = "a0dddd1f622243cb9aa1b676e808b5f8"
	payermaxMerchantNo = "02021382719993"
	payermaxRefundID   = "R1642411016202"
	payermaxTradeNo    = "20220117091657TI790000055087"
	payermaxPath       = "/aggregate-pay/api/gateway/refundQuery"
)

// payermaxStatusCase is a signed PayerMax answer with members in its data,
// and the status, raw status, amount, message and time it must become.
type payermaxStatusCase struct {
	name       string
	members    string
	want       refundkit.Status
	wantRaw    string
	wantAmount *refundkit.Money
	wantMsg    string
	wantTime   time.Time
}

// payermaxStatusCases are every status, white space and case around it,
// amounts as Java prints them, and finish times.
func payermaxStatusCases(t *testing.T) []payermaxStatusCase {
	return []payermaxStatusCase{
		{"success (the doc's example)", `"refundAmount":10000,"refundCurrency":"IDR","status":"REFUND_SUCCESS"`,
			refundkit.StatusSucceeded, "REFUND_SUCCESS", payermaxMoney(t, "10000", "IDR"), "Success.", time.Time{}},
		{"pending", `"refundAmount":1.5,"refundCurrency":"USD","status":"REFUND_PENDING"`,
			refundkit.StatusPending, "REFUND_PENDING", payermaxMoney(t, "1.5", "USD"), "Success.", time.Time{}},
		// Java's BigDecimal prints these; the digits are kept exactly.
		{"exponent amount", `"refundAmount":1.0E+4,"refundCurrency":"IDR","status":"REFUND_SUCCESS"`,
			refundkit.StatusSucceeded, "REFUND_SUCCESS", payermaxMoney(t, "10000", "IDR"), "Success.", time.Time{}},
		{"exponent amount without a fraction", `"refundAmount":1E+2,"refundCurrency":"IDR","status":"REFUND_SUCCESS"`,
			refundkit.StatusSucceeded, "REFUND_SUCCESS", payermaxMoney(t, "100", "IDR"), "Success.", time.Time{}},
		{"small exponent amount", `"refundAmount":1.5e-3,"refundCurrency":"USD","status":"REFUND_FAILED"`,
			refundkit.StatusFailed, "REFUND_FAILED", payermaxMoney(t, "0.0015", "USD"), "Success.", time.Time{}},
		{"failed, with its reason", `"refundAmount":10000,"refundCurrency":"IDR","status":"REFUND_FAILED","resultMsg":"card closed"`,
			refundkit.StatusFailed, "REFUND_FAILED", payermaxMoney(t, "10000", "IDR"), "card closed", time.Time{}},
		{"pending with a tab, as a PayerMax spec has it", `"status":"REFUND_PENDING\t"`,
			refundkit.StatusPending, "REFUND_PENDING\t", nil, "Success.", time.Time{}},
		{"success with spaces", `"status":" REFUND_SUCCESS "`,
			refundkit.StatusSucceeded, " REFUND_SUCCESS ", nil, "Success.", time.Time{}},
		{"unknown status", `"refundAmount":1,"refundCurrency":"USD","status":"REFUND_PROCESSING"`,
			refundkit.StatusUnknown, "REFUND_PROCESSING", payermaxMoney(t, "1", "USD"), "Success.", time.Time{}},
		{"lower-case status is unknown", `"status":"refund_failed"`,
			refundkit.StatusUnknown, "refund_failed", nil, "Success.", time.Time{}},
		{"no status", `"refundAmount":1,"refundCurrency":"USD"`,
			refundkit.StatusUnknown, "", payermaxMoney(t, "1", "USD"), "Success.", time.Time{}},
		{"14 digits and 4 decimals kept exactly", `"refundAmount":12345678901234.5678,"refundCurrency":"USD","status":"REFUND_SUCCESS"`,
			refundkit.StatusSucceeded, "REFUND_SUCCESS", payermaxMoney(t, "12345678901234.5678", "USD"), "Success.", time.Time{}},
		{"trailing zeros kept", `"refundAmount":100.10,"refundCurrency":"USD","status":"REFUND_SUCCESS"`,
			refundkit.StatusSucceeded, "REFUND_SUCCESS", payermaxMoney(t, "100.10", "USD"), "Success.", time.Time{}},
		{"finish time", `"status":"REFUND_SUCCESS","refundFinishTime":"2022-01-17T09:20:11.123+07:00"`,
			refundkit.StatusSucceeded, "REFUND_SUCCESS", nil, "Success.", time.Date(2022, 1, 17, 2, 20, 11, 123e6, time.UTC)},
		{"finish time without colon in the offset", `"status":"REFUND_SUCCESS","refundFinishTime":"2022-01-17T09:20:11.123+0000"`,
			refundkit.StatusSucceeded, "REFUND_SUCCESS", nil, "Success.", time.Date(2022, 1, 17, 9, 20, 11, 123e6, time.UTC)},
		{"unparsable finish time is left zero", `"status":"REFUND_SUCCESS","refundFinishTime":"17/01/2022"`,
			refundkit.StatusSucceeded, "REFUND_SUCCESS", nil, "Success.", time.Time{}},
	}
}

func TestPayerMaxStatuses(t *testing.T) {
	k := loadTestKeys(t)
	h := payermaxHarness(k, nil)
	for _, tt := range payermaxStatusCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			reply := payermaxSigned(t, k.platform, payermaxRefund(tt.members))
			srv, res, err := h.ask(t, h.query, stubAlways(reply))
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Status)
			assert.Equal(t, tt.wantRaw, res.ProviderStatus)
			assert.Equal(t, tt.wantAmount, res.Amount)
			assert.Equal(t, tt.wantMsg, res.ProviderMessage)
			assert.True(t, tt.wantTime.Equal(res.RefundedAt), "RefundedAt %v, want %v", res.RefundedAt, tt.wantTime)
			assert.True(t, res.Verified)
			assert.Equal(t, refundkit.PayerMax, res.Provider)
			assert.Equal(t, "APPLY_SUCCESS", res.ProviderCode)
			assert.Equal(t, payermaxRefundID, res.MerchantRefundID)
			assert.Equal(t, payermaxTradeNo, res.ProviderRefundID)
			assert.Equal(t, "P1642410680681", res.MerchantOrderID)
			assert.Empty(t, res.ProviderOrderID)
			assert.Equal(t, reply.body, res.Raw)
			assert.Equal(t, int32(1), srv.hits.Load())
		})
	}
}

func TestPayerMaxQueries(t *testing.T) {
	k := loadTestKeys(t)
	h := payermaxHarness(k, nil)
	byOut, byTrade := refundkit.Query{RefundID: payermaxRefundID}, refundkit.Query{ProviderRefundID: payermaxTradeNo}
	byBoth := refundkit.Query{RefundID: payermaxRefundID, ProviderRefundID: payermaxTradeNo}
	tests := []struct {
		name string
		q    refundkit.Query
		// the ids in the answer; "" leaves the member out
		answerOut, answerTrade string
		wantErr                bool
	}{
		{"by outRefundNo", byOut, payermaxRefundID, payermaxTradeNo, false},
		{"by refundTradeNo", byTrade, payermaxRefundID, payermaxTradeNo, false},
		{"by both", byBoth, payermaxRefundID, payermaxTradeNo, false},
		{"outRefundNo mismatch", byOut, "R1", payermaxTradeNo, true},
		{"outRefundNo missing", byOut, "", payermaxTradeNo, true},
		{"refundTradeNo mismatch", byTrade, payermaxRefundID, "T2", true},
		{"refundTradeNo missing", byTrade, payermaxRefundID, "", true},
		{"refundTradeNo mismatch when both given", byBoth, payermaxRefundID, "T2", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := map[string]string{"status": "REFUND_SUCCESS", "outRefundNo": tt.answerOut, "refundTradeNo": tt.answerTrade}
			for name, v := range data {
				if v == "" {
					delete(data, name)
				}
			}
			body, err := json.Marshal(map[string]any{"code": "APPLY_SUCCESS", "msg": "Success.", "data": data})
			require.NoError(t, err)
			reply := payermaxSigned(t, k.platform, string(body))
			srv, res, err := h.ask(t, tt.q, stubAlways(reply))
			if tt.wantErr {
				e := requireStubError(t, err, refundkit.CategoryInvalidResponse, "")
				assert.Equal(t, reply.body, e.Body)
			} else {
				require.NoError(t, err)
				assert.Equal(t, refundkit.StatusSucceeded, res.Status)
			}
			reqs := srv.recorded()
			require.Len(t, reqs, 1)
			var req payermaxRequest
			require.NoError(t, json.Unmarshal(reqs[0].body, &req))
			assert.Equal(t, tt.q.RefundID, payermaxText(req.Data.OutRefundNo))
			assert.Equal(t, tt.q.ProviderRefundID, payermaxText(req.Data.RefundTradeNo))
		})
	}
}

func TestPayerMaxErrorCodes(t *testing.T) {
	k := loadTestKeys(t)
	// Every code in specs/payermax.yaml and docs/status-mapping.md, the assumed
	// ORDER_NOT_EXIST, and one we have no row for; each unsigned (as
	// PayerMax may send errors) and signed.
	codes := []struct {
		code string
		want refundkit.Category
	}{
		{"SYSTEM_ERROR", refundkit.CategoryTemporary},
		{"TOO_MANY_REQUEST", refundkit.CategoryRateLimited},
		{"SIGN_VERIFY_FAILED", refundkit.CategoryAuth},
		{"MERCHANT_INVALID", refundkit.CategoryAuth},
		{"MERCHANT_APP_INVALID", refundkit.CategoryAuth},
		{"REQ_TIME_OVER_TIME", refundkit.CategoryInvalidRequest},
		{"PARAMS_INVALID", refundkit.CategoryInvalidRequest},
		{"ORDER_NOT_EXIST", refundkit.CategoryNotFound},
		{"SOMETHING_NEW", refundkit.CategoryInvalidResponse},
	}
	var cases []stubErrorCase
	for _, c := range codes {
		body := fmt.Sprintf(`{"code":%q,"msg":"nope %s"}`, c.code, c.code)
		cases = append(cases,
			stubErrorCase{name: c.code + "/unsigned", reply: stubReply{body: []byte(body)}, want: c.want, code: c.code, msg: "nope " + c.code},
			stubErrorCase{name: c.code + "/signed", reply: payermaxSigned(t, k.platform, body), want: c.want, code: c.code, msg: "nope " + c.code})
	}
	runStubErrors(t, payermaxHarness(k, nil), cases)

	t.Run("override", func(t *testing.T) {
		h := payermaxHarness(k, func(c *inquiry.PayerMaxConfig) {
			c.ErrorCodes = map[string]refundkit.Category{"REFUND_NOT_EXIST": refundkit.CategoryNotFound}
		})
		_, _, err := h.ask(t, h.query, stubAlways(stubReply{body: []byte(`{"code":"REFUND_NOT_EXIST","msg":"no such refund"}`)}))
		requireStubError(t, err, refundkit.CategoryNotFound, "REFUND_NOT_EXIST")
	})
}

func TestPayerMaxSignatureFailures(t *testing.T) {
	k := loadTestKeys(t)
	good := payermaxRefund(`"refundAmount":10000,"refundCurrency":"IDR","status":"REFUND_SUCCESS"`)
	goodSig := payermaxSigned(t, k.platform, good).header[sign.PayerMaxSignatureHeader]
	withSig := func(body, sig string) stubReply {
		return stubReply{header: map[string]string{sign.PayerMaxSignatureHeader: sig}, body: []byte(body)}
	}
	sig := refundkit.CategorySignature
	runStubErrors(t, payermaxHarness(k, nil), []stubErrorCase{
		{name: "missing on APPLY_SUCCESS", reply: stubReply{body: []byte(good)}, want: sig, cause: sign.ErrMissingSignature},
		{name: "signed with the wrong key", reply: payermaxSigned(t, k.merchant, good), want: sig, cause: sign.ErrInvalidSignature},
		{name: "status changed after signing", reply: withSig(strings.Replace(good, "REFUND_SUCCESS", "REFUND_FAILED", 1), goodSig),
			want: sig, cause: sign.ErrInvalidSignature},
		{name: "amount changed after signing", reply: withSig(strings.Replace(good, "10000", "10001", 1), goodSig),
			want: sig, cause: sign.ErrInvalidSignature},
		{name: "white space added after signing", reply: withSig(good+"\n", goodSig), want: sig, cause: sign.ErrInvalidSignature},
		{name: "not base64", reply: withSig(good, "not base64!"), want: sig, cause: sign.ErrInvalidSignature},
		{name: "error answer with a bad signature", reply: withSig(`{"code":"ORDER_NOT_EXIST","msg":"no"}`, goodSig),
			want: sig, cause: sign.ErrInvalidSignature},
	})
}

func TestPayerMaxInvalidResponses(t *testing.T) {
	k := loadTestKeys(t)
	signed := func(body string) stubReply { return payermaxSigned(t, k.platform, body) }
	refund := func(members string) stubReply { return signed(payermaxRefund(members)) }
	bad := refundkit.CategoryInvalidResponse
	runStubErrors(t, payermaxHarness(k, nil), []stubErrorCase{
		{name: "malformed JSON", reply: signed(`{"code":"APPLY_SUCCESS","data":{`), want: bad},
		{name: "truncated unsigned body", reply: stubReply{body: []byte(`{"code":"APPLY_SU`)}, want: bad},
		{name: "no data", reply: signed(`{"code":"APPLY_SUCCESS","msg":"Success."}`), want: bad},
		{name: "null data", reply: signed(`{"code":"APPLY_SUCCESS","msg":"Success.","data":null}`), want: bad},
		{name: "data not an object", reply: signed(`{"code":"APPLY_SUCCESS","msg":"Success.","data":"x"}`), want: bad},
		{name: "exponent out of range", reply: refund(`"refundAmount":1E+999999999,"refundCurrency":"IDR","status":"REFUND_SUCCESS"`), want: bad},
		{name: "negative exponent amount", reply: refund(`"refundAmount":-1E+4,"refundCurrency":"IDR","status":"REFUND_SUCCESS"`), want: bad},
		{name: "negative amount", reply: refund(`"refundAmount":-10000,"refundCurrency":"IDR","status":"REFUND_SUCCESS"`), want: bad},
		{name: "amount as text that is not a number", reply: refund(`"refundAmount":"ten","refundCurrency":"IDR","status":"REFUND_SUCCESS"`), want: bad},
		{name: "amount without currency", reply: refund(`"refundAmount":10000,"status":"REFUND_SUCCESS"`), want: bad},
		{name: "bad currency", reply: refund(`"refundAmount":10000,"refundCurrency":"RUPIAH","status":"REFUND_SUCCESS"`), want: bad},
		{name: "status not a string", reply: refund(`"status":1`), want: bad},
		{name: "oversized", reply: refund(`"status":"REFUND_SUCCESS","resultMsg":"` + strings.Repeat("x", inquiry.DefaultMaxResponseBytes) + `"`), want: bad},
	})
}

func TestPayerMaxHTTPFailuresAndRetries(t *testing.T) {
	k := loadTestKeys(t)
	runStubRetries(t, payermaxHarness(k, nil), payermaxSigned(t, k.platform, payermaxRefund(`"status":"REFUND_SUCCESS"`)),
		stubReply{body: []byte(`{"code":"SYSTEM_ERROR","msg":"busy"}`)})
	t.Run("rate limited by code", func(t *testing.T) {
		runStubRetries(t, payermaxHarness(k, nil), payermaxSigned(t, k.platform, payermaxRefund(`"status":"REFUND_SUCCESS"`)),
			stubReply{body: []byte(`{"code":"TOO_MANY_REQUEST","msg":"slow down"}`)})
	})
}
