package inquiry_test

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	zaloPayAppID    = 2554
	zaloPayRefundID = "230407_2554_13221300383"
)

// TestZaloPayVector reproduces the known-answer vector: the body sent, its
// mac included, is the one computed outside this project.
func TestZaloPayVector(t *testing.T) {
	body := `{"return_code":1,"return_message":"","sub_return_code":1,"sub_return_message":""}` // SDK fixture
	stub := zaloPayStub(t, false, zaloPayAlways(body))
	at := time.UnixMilli(1680848533635)
	c := newZaloPayClient(t, inquiry.ZaloPayConfig{}, inquiry.WithBaseURL(stub.URL), inquiry.WithClock(func() time.Time { return at }))

	res, err := c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
	require.NoError(t, err)

	reqs := stub.recorded()
	require.Len(t, reqs, 1)
	assert.JSONEq(t, `{"app_id":2554,"m_refund_id":"230407_2554_13221300383","timestamp":1680848533635,
		"mac":"3c48fefef8a0a63347f632e1efa09a9b8842eab07c409eb9a3539fb4fea85c65"}`, string(reqs[0].body))
	assert.Equal(t, &refundkit.Result{Source: refundkit.SourceInquiry, Provider: refundkit.ZaloPay, Status: refundkit.StatusSucceeded,
		ProviderStatus: "1", ProviderCode: "1", Raw: []byte(body)}, res)
}

// TestZaloPayStatuses covers every return_code that is a status, in both
// request encodings.
func TestZaloPayStatuses(t *testing.T) {
	const cardDelay = "Hoàn tiền thành công. Chủ thẻ ATM, Thẻ VISA/Master/JCB sẽ được hoàn tiền trong 3-5 ngày làm việc."
	cases := []struct {
		name, body                string
		status                    refundkit.Status
		providerStatus, code, msg string
	}{
		{"succeeded", zaloPayAnswer(1, 1, "Giao dịch thành công", "Giao dịch thành công"),
			refundkit.StatusSucceeded, "1", "1", "Giao dịch thành công"},
		{"succeeded, card holders wait 3-5 days", zaloPayAnswer(1, -101, "Giao dịch thành công", cardDelay),
			refundkit.StatusSucceeded, "1", "-101", cardDelay},
		{"succeeded despite a maintenance sub-code", zaloPayAnswer(1, -33, "ok", "bảo trì"),
			refundkit.StatusSucceeded, "1", "-33", "bảo trì"},
		{"pending", zaloPayAnswer(3, 3, "processing", ""), refundkit.StatusPending, "3", "3", "processing"},
		{"pending despite a rate-limit sub-code", zaloPayAnswer(3, -429, "", ""), refundkit.StatusPending, "3", "-429", ""},
		{"failed", zaloPayAnswer(2, -3, "Giao dịch thất bại", "refund failed"), refundkit.StatusFailed, "2", "-3", "refund failed"},
		{"failed, no sub-code", `{"return_code":2,"return_message":"Giao dịch thất bại"}`,
			refundkit.StatusFailed, "2", "", "Giao dịch thất bại"},
		{"failed, positive sub-code", zaloPayAnswer(2, 2, "", ""), refundkit.StatusFailed, "2", "2", ""},
		{"unknown positive code", zaloPayAnswer(4, 4, "new", "new status"), refundkit.StatusUnknown, "4", "4", "new status"},
		{"unknown zero code", zaloPayAnswer(0, 0, "string", "string"), refundkit.StatusUnknown, "0", "0", "string"},
		{"white space and unknown fields", "{\n\t\"return_code\" : 1 ,\"extra\":[1],\n\"sub_return_code\":1}\n",
			refundkit.StatusSucceeded, "1", "1", ""},
	}
	for _, form := range []bool{false, true} {
		for _, tc := range cases {
			t.Run(zaloPayEncoding(form)+"/"+tc.name, func(t *testing.T) {
				stub := zaloPayStub(t, form, zaloPayAlways(tc.body))
				c := newZaloPayClient(t, inquiry.ZaloPayConfig{FormEncoded: form}, inquiry.WithBaseURL(stub.URL))

				res, err := c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
				require.NoError(t, err)
				assert.Equal(t, &refundkit.Result{Source: refundkit.SourceInquiry,
					Provider: refundkit.ZaloPay, Status: tc.status, ProviderStatus: tc.providerStatus,
					ProviderCode: tc.code, ProviderMessage: tc.msg, Verified: false, Raw: []byte(tc.body),
				}, res)
				assert.EqualValues(t, 1, stub.hits.Load())
			})
		}
	}
}

// TestZaloPayErrors covers every request-level code, as a negative
// return_code and as the sub-code of return_code 2, and every malformed or
// failed answer. Temporary and rate-limited answers are retried.
// zaloPayErrorCase is a ZaloPay answer that is an error: its category,
// code, and the attempts it takes.
type zaloPayErrorCase struct {
	name  string
	reply stubReply
	cat   refundkit.Category
	code  string
	hits  int32
}

// zaloPayErrorCases are answers that cannot be read, HTTP failures, and
// every error return_code, as itself and as return_code 2's sub-code.
func zaloPayErrorCases() []zaloPayErrorCase {
	body := func(s string) stubReply { return stubReply{body: []byte(s)} }
	cases := []zaloPayErrorCase{
		{"unknown negative return_code", body(zaloPayAnswer(-7, -7, "msg -7", "")), refundkit.CategoryInvalidResponse, "-7", 1},
		{"return_code missing", body(`{"return_message":"","sub_return_code":1}`), refundkit.CategoryInvalidResponse, "", 1},
		{"return_code null", body(`{"return_code":null}`), refundkit.CategoryInvalidResponse, "", 1},
		{"return_code a string", body(`{"return_code":"1"}`), refundkit.CategoryInvalidResponse, "", 1},
		{"return_code a fraction", body(`{"return_code":1.5}`), refundkit.CategoryInvalidResponse, "", 1},
		{"malformed JSON", body(`{"return_code":1`), refundkit.CategoryInvalidResponse, "", 1},
		{"empty body", body(``), refundkit.CategoryInvalidResponse, "", 1},
		{"a JSON array", body(`[1]`), refundkit.CategoryInvalidResponse, "", 1},
		{"oversized", body(`{"return_code":1,"pad":"` + strings.Repeat("x", 2048) + `"}`), refundkit.CategoryInvalidResponse, "", 1},
		{"HTTP 500", stubReply{status: 500, body: []byte("oops")}, refundkit.CategoryTemporary, "", 3},
		{"HTTP 503 with a status body", stubReply{status: 503, body: []byte(zaloPayAnswer(1, 1, "", ""))}, refundkit.CategoryTemporary, "", 3},
		{"HTTP 429", stubReply{status: 429, header: map[string]string{"Retry-After": "0"}}, refundkit.CategoryRateLimited, "", 3},
		// A Retry-After longer than the policy's MaxDelay ends the retries at once.
		{"HTTP 429, long Retry-After", stubReply{status: 429, header: map[string]string{"Retry-After": "60"}}, refundkit.CategoryRateLimited, "", 1},
		{"HTTP 403", stubReply{status: 403}, refundkit.CategoryAuth, "", 1},
		{"HTTP 404", stubReply{status: 404}, refundkit.CategoryInvalidRequest, "", 1},
	}
	for code, cat := range map[int]refundkit.Category{
		-401: refundkit.CategoryInvalidRequest, -405: refundkit.CategoryInvalidRequest,
		-402: refundkit.CategoryAuth, -403: refundkit.CategoryAuth,
		-429: refundkit.CategoryRateLimited,
		-500: refundkit.CategoryTemporary, -999: refundkit.CategoryTemporary, -32: refundkit.CategoryTemporary, -301: refundkit.CategoryTemporary,
		-33: refundkit.CategoryTemporary, -34: refundkit.CategoryTemporary, -35: refundkit.CategoryTemporary,
		-43: refundkit.CategoryTemporary, -88: refundkit.CategoryTemporary, -135: refundkit.CategoryTemporary,
		406: refundkit.CategoryInvalidRequest, // ILLEGAL_STATUS, positive in ZaloPay's Node SDK: an error, not unknown
	} {
		hits := int32(1)
		if cat.Retryable() {
			hits = 3
		}
		c := strconv.Itoa(code)
		cases = append(cases,
			zaloPayErrorCase{"return_code " + c, body(zaloPayAnswer(code, code, "msg "+c, "")), cat, c, hits},
			zaloPayErrorCase{"return_code 2, sub_return_code " + c, body(zaloPayAnswer(2, code, "failed", "msg "+c)), cat, c, hits},
		)
	}
	return cases
}

func TestZaloPayErrors(t *testing.T) {
	for _, tc := range zaloPayErrorCases() {
		t.Run(tc.name, func(t *testing.T) {
			stub := zaloPayStub(t, false, func(int) stubReply { return tc.reply })
			c := newZaloPayClient(t, inquiry.ZaloPayConfig{}, inquiry.WithBaseURL(stub.URL), stubRetry,
				inquiry.WithMaxResponseBytes(1024))

			res, err := c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
			assert.Nil(t, res)
			e := requireStubError(t, err, tc.cat, tc.code)
			assert.Equal(t, refundkit.ZaloPay, e.Provider)
			assert.Equal(t, tc.hits, stub.hits.Load(), "attempts")
			assert.Equal(t, cmp.Or(tc.reply.status, 200), e.HTTPStatus)
			if tc.code != "" {
				assert.Equal(t, "msg "+tc.code, e.Message, "the message that goes with the code")
			}
			if ra := tc.reply.header["Retry-After"]; ra != "" {
				secs, _ := strconv.Atoi(ra)
				assert.Equal(t, time.Duration(secs)*time.Second, e.RetryAfter)
			}
		})
	}
}

// TestZaloPayUnknownRefund is the [assumed] answer for an m_refund_id
// ZaloPay does not know: return_code 2 with sub-code -401, an invalid
// request and never a failed refund.
func TestZaloPayUnknownRefund(t *testing.T) {
	stub := zaloPayStub(t, false, zaloPayAlways(zaloPayAnswer(2, -401, "Giao dịch thất bại", "m_refund_id does not exist")))
	c := newZaloPayClient(t, inquiry.ZaloPayConfig{}, inquiry.WithBaseURL(stub.URL))
	res, err := c.Inquire(t.Context(), refundkit.Query{RefundID: "230407_2554_nope"})
	assert.Nil(t, res)
	e := requireStubError(t, err, refundkit.CategoryInvalidRequest, "-401")
	assert.Equal(t, "m_refund_id does not exist", e.Message)
	assert.NotErrorIs(t, err, refundkit.ErrNotFound)
}

// TestZaloPayRetriesSignAfresh checks that every attempt carries a new
// timestamp and a mac over it (the stub verifies each one), in both
// encodings.
func TestZaloPayRetriesSignAfresh(t *testing.T) {
	for _, form := range []bool{false, true} {
		t.Run(zaloPayEncoding(form), func(t *testing.T) {
			stub := zaloPayStub(t, form, func(n int) stubReply {
				switch n {
				case 1:
					return stubReply{body: []byte(zaloPayAnswer(-500, -500, "system error", ""))}
				case 2:
					return stubReply{status: http.StatusServiceUnavailable}
				default:
					return stubReply{body: []byte(zaloPayAnswer(1, 1, "", ""))}
				}
			})
			start := time.UnixMilli(1680848533635)
			c := newZaloPayClient(t, inquiry.ZaloPayConfig{FormEncoded: form}, inquiry.WithBaseURL(stub.URL),
				inquiry.WithClock(stubClock(start)), stubRetry)

			res, err := c.Inquire(t.Context(), refundkit.Query{RefundID: zaloPayRefundID})
			require.NoError(t, err)
			assert.Equal(t, refundkit.StatusSucceeded, res.Status)
			reqs := stub.recorded()
			require.Len(t, reqs, 3)
			last := start.UnixMilli() - 1
			var macs []string
			for _, r := range reqs {
				q, err := zaloPayFields(form, r.body)
				require.NoError(t, err)
				assert.Greater(t, q.timestamp, last, "the clock's time in epoch milliseconds, new each attempt")
				assert.Equal(t, zaloPayRefundID, q.refundID)
				assert.EqualValues(t, zaloPayAppID, q.appID)
				last = q.timestamp
				macs = append(macs, q.mac)
			}
			first, err := zaloPayFields(form, reqs[0].body)
			require.NoError(t, err)
			assert.Equal(t, start.UnixMilli(), first.timestamp)
			assert.Len(t, slices.Compact(slices.Clone(macs)), 3, "a new mac every attempt")
		})
	}
}
