package inquiry_test

// NewPay v1's floor (see baseline_test.go): its refund inquiry
// (queryRefund) written by hand with the standard library alone, and the
// pre-signed answer it and the SDK read.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
	"github.com/stretchr/testify/require"
)

// presignedNewPay is NewPay's answer about benchRefundID: a refund of 10000
// LAK that succeeded, data signed with the platform key.
func presignedNewPay(tb testing.TB, k testKeys) presigned {
	tb.Helper()
	data, err := sign.NewPay{PrivateKey: k.platform}.SignJSON([]byte(`{"appId":"` + benchNewPayAppID +
		`","refundOrderNo":"` + benchRefundID + `","orderNo":"ORDERNO000000000A104","newpayOrderNo":"202209076000000321",` +
		`"newpayRefundOrderNo":"202209078000000702","tranNo":"00012022090700000037","refundOrderAmt":"10000",` +
		`"currency":"LAK","tranStatus":1}`))
	require.NoError(tb, err)
	return presigned{header: http.Header{"Content-Type": {"application/json"}},
		body: fmt.Appendf(nil, `{"success":true,"code":"0","message":"success","timestamp":1662528718641,"data":%s}`, data)}
}

// baselineNewPay signs the canonical k=v string of the request's four
// fields (already in byte order) into the body's sign member, and verifies
// data.sign over the canonical string of the answer's data members.
type baselineNewPay struct{ baselineHTTP }

func (n *baselineNewPay) inquire(ctx context.Context, refundID string) (baselineResult, error) {
	body, err := n.request(refundID)
	if err != nil {
		return baselineResult{}, err
	}
	_, raw, err := n.post(ctx, body, "Content-Type", "application/json", "version", "1.0")
	if err != nil {
		return baselineResult{}, err
	}
	env, err := n.verifiedData(raw, "newpay", baselineNewPayCanonical)
	if err != nil {
		return baselineResult{}, err
	}
	return baselineNewPayResult(env, refundID)
}

// request builds the signed request body about refundID.
func (n *baselineNewPay) request(refundID string) ([]byte, error) {
	ts := time.Now().UnixMilli()
	sig, err := n.sign([]byte("appId=" + benchNewPayAppID + "&merchantId=" + benchNewPayMerchantID +
		"&refundOrderNo=" + refundID + "&timestamp=" + strconv.FormatInt(ts, 10)))
	if err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		AppID         string `json:"appId"`
		MerchantID    string `json:"merchantId"`
		RefundOrderNo string `json:"refundOrderNo"`
		Timestamp     int64  `json:"timestamp"`
		Sign          string `json:"sign"`
	}{benchNewPayAppID, benchNewPayMerchantID, refundID, ts, sig})
}

// baselineNewPayResult decodes the verified data of env, checks the echo
// and maps tranStatus.
func baselineNewPayResult(env baselineEnvelope, refundID string) (baselineResult, error) {
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
