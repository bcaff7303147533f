package simulator_test

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// zalopayRequestCases are the requests TestRequests sends to the ZaloPay simulator.
var zalopayRequestCases = []requestCase{
	{name: "well-formed", code: "1"},
	{name: "form-encoded", o: reqOpts{form: true}, code: "1"},
	{name: "no mac", o: reqOpts{unsigned: true}, code: "-401", specInvalid: true},
	{name: "mac upper case", o: reqOpts{raw: func(b []byte) []byte { return []byte(strings.ToUpper(string(b))) }}, code: "-401", specInvalid: true},
	{name: "app_id text", o: reqOpts{raw: replaceBody(`"app_id":2554`, `"app_id":"2554"`)}, code: "-401", specInvalid: true},
	{name: "no m_refund_id", o: reqOpts{body: delBody("m_refund_id")}, code: "-401", specInvalid: true},
	{name: "negative timestamp", o: reqOpts{body: setBody("timestamp", int64(-1))}, code: "-401", specInvalid: true},
	{name: "unknown app_id", o: reqOpts{body: setBody("app_id", int64(9999))}, code: "-402"},
	{name: "mac with another key1", o: reqOpts{keys: otherKeys()}, code: "-403"},
	{name: "body changed after mac", o: reqOpts{raw: replaceBody(seededID, seededID+"x")}, code: "-403"},
	{name: "form mac with another key1", o: reqOpts{form: true, keys: otherKeys()}, code: "-403"},
}

// zalopayStatusCases are the refunds TestStatuses seeds in the ZaloPay simulator.
var zalopayStatusCases = []simulator.Refund{
	{RefundID: "230407_2554_1", Status: "1", SubStatus: "1"},
	{RefundID: "230407_2554_101", Status: "1", SubStatus: "-101", SubMessage: "3-5 working days"},
	{RefundID: "230407_2554_2", Status: "2", SubStatus: "-3"},
	{RefundID: "230407_2554_3", Status: "3"},
	{RefundID: "230407_2554_9", Status: "4"},
}

// zalopayErrorCases are the errors TestSeededErrorCodes seeds in the ZaloPay simulator.
var zalopayErrorCases = []errorCase{
	{simulator.Refund{Status: "-429"}, "-429"},
	{simulator.Refund{Status: "2", SubStatus: "-32"}, "2"},
}

// ZaloPay, as the simulator tests speak it: a mac member over app_id,
// m_refund_id and timestamp, in JSON or a form; its answers are unsigned,
// echo no refund id and carry no amount.
func init() {
	speak(refundkit.ZaloPay, speaker{
		body: func(_ *env, id string, at time.Time, _ reqOpts, _ http.Header) map[string]any {
			return map[string]any{"app_id": int64(simulator.DemoZaloPayAppID), "m_refund_id": id, "timestamp": at.UnixMilli()}
		},
		encode: func(t testing.TB, _ *env, body map[string]any, header http.Header, keys *simulator.Keys, _ time.Time, o reqOpts) []byte {
			return zalopayBody(t, body, header, keys.Key1, o)
		},
		code:       func(a answer) string { return a.get("return_code") },
		rawStatus:  func(a answer) string { return a.get("return_code") },
		refundID:   func(answer) string { return "" },
		amount:     func(answer) string { return "" },
		verify:     func(answer) error { return nil },
		succeeded:  "1",
		transition: [2]string{"3", "2"},
		unsigned:   true, noEcho: true, noAmount: true,
		requestCases: zalopayRequestCases,
		statusCases:  zalopayStatusCases,
		checkStatus: func(t *testing.T, r simulator.Refund, a answer) {
			assert.Equal(t, cmp.Or(r.SubStatus, r.Status), a.get("sub_return_code"))
			assert.Equal(t, r.SubMessage, a.get("sub_return_message"))
			assert.Empty(t, a.header.Get("sign"))
		},
		errorCases: zalopayErrorCases,
		checkError: func(t *testing.T, r simulator.Refund, a answer) {
			assert.Equal(t, cmp.Or(r.SubStatus, r.Status), a.get("sub_return_code"))
		},
		notFound: func(t *testing.T, a answer) {
			assert.Equal(t, "2", a.code(refundkit.ZaloPay))
			assert.Equal(t, "-401", a.get("sub_return_code"))
		},
	})
}

// zalopayBody adds the mac (unless unsigned) and encodes the body as JSON or
// as a form.
func zalopayBody(t testing.TB, body map[string]any, header http.Header, key1 string, o reqOpts) []byte {
	t.Helper()
	appID, _ := body["app_id"].(int64)
	id, _ := body["m_refund_id"].(string)
	ts, _ := body["timestamp"].(int64)
	if !o.unsigned {
		mac, err := sign.ZaloPay{Key1: sign.NewSecret(key1)}.MAC(appID, id, ts)
		require.NoError(t, err)
		body["mac"] = mac
	}
	if !o.form {
		raw, err := json.Marshal(body)
		require.NoError(t, err)
		return raw
	}
	form := url.Values{}
	for k, v := range body {
		switch v := v.(type) {
		case int64:
			form.Set(k, strconv.FormatInt(v, 10))
		default:
			form.Set(k, v.(string))
		}
	}
	header.Set("Content-Type", "application/x-www-form-urlencoded")
	return []byte(form.Encode())
}
