package inquiry_test

// NewPay v2's floor (see baseline_test.go): its refund
// inquiry (uniQueryRefund) written by hand with the standard library alone,
// and the pre-signed answer it and the SDK read.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
	"github.com/stretchr/testify/require"
)

// The credentials of the NewPay v2 answer, the SDK client and the baseline.
const (
	benchNewPay2AppID = "3514d69403bc4ce1a8fafb6415a31018"
	benchNewPay2MchID = "876266cdc7154dd08a022fd1f2eace55"
	benchNewPay2Path  = "/beta/pay/uniQueryRefund"
)

// presignedNewPay2 is NewPay v2's answer about benchRefundID: a refund of
// 10000 LAK that succeeded, data signed with the platform key under the
// default rule for objects (sign.NewPay2NestedJSON).
func presignedNewPay2(tb testing.TB, k testKeys) presigned {
	tb.Helper()
	data, err := sign.NewPay2{PrivateKey: k.platform}.SignJSON([]byte(`{"mchRefundNo":"` + benchRefundID +
		`","newpayRefundNo":"202209078000000702","newpayOrderNo":"202209076000000321",` +
		`"refundAmt":{"value":"10000","currency":"LAK"},"orderAmt":{"value":"100000","currency":"LAK"},"refundStatus":"SUCCESS"}`))
	require.NoError(tb, err)
	return presigned{header: http.Header{"Content-Type": {"application/json"}},
		body: fmt.Appendf(nil, `{"success":true,"message":"success","code":"0","timestamp":1662528718641,"data":%s}`, data)}
}

// baselineNewPay2 signs the canonical k=v string of the request's three
// fields (already in byte order) into the body's sign member, and verifies
// data.sign over the canonical string of the answer's data members, an
// object member written as its members' JSON tokens, sorted, in braces.
type baselineNewPay2 struct{ baselineHTTP }

func (n *baselineNewPay2) inquire(ctx context.Context, refundID string) (baselineResult, error) {
	body, err := n.request(refundID)
	if err != nil {
		return baselineResult{}, err
	}
	_, raw, err := n.post(ctx, body, "Content-Type", "application/json")
	if err != nil {
		return baselineResult{}, err
	}
	env, err := n.verifiedData(raw, "newpay2", baselineNewPay2Canonical)
	if err != nil {
		return baselineResult{}, err
	}
	return baselineNewPay2Result(env, refundID)
}

// request builds the signed request body about refundID.
func (n *baselineNewPay2) request(refundID string) ([]byte, error) {
	sig, err := n.sign([]byte("appId=" + benchNewPay2AppID + "&mchId=" + benchNewPay2MchID + "&mchRefundNo=" + refundID))
	if err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		AppID       string `json:"appId"`
		MchID       string `json:"mchId"`
		MchRefundNo string `json:"mchRefundNo"`
		Sign        string `json:"sign"`
	}{benchNewPay2AppID, benchNewPay2MchID, refundID, sig})
}

// baselineNewPay2Result decodes the verified data of env, checks the echo
// and maps refundStatus.
func baselineNewPay2Result(env baselineEnvelope, refundID string) (baselineResult, error) {
	var d struct {
		MchRefundNo    string `json:"mchRefundNo"`
		NewpayRefundNo string `json:"newpayRefundNo"`
		NewpayOrderNo  string `json:"newpayOrderNo"`
		RefundAmt      struct {
			Value    string `json:"value"`
			Currency string `json:"currency"`
		} `json:"refundAmt"`
		RefundStatus string `json:"refundStatus"`
	}
	if err := json.Unmarshal(env.Data, &d); err != nil {
		return baselineResult{}, err
	}
	if err := baselineEcho(d.MchRefundNo, refundID); err != nil {
		return baselineResult{}, err
	}
	res := baselineResult{status: refundkit.StatusUnknown, providerStatus: d.RefundStatus, code: env.Code,
		message: env.Message, merchantRefundID: d.MchRefundNo, providerRefundID: d.NewpayRefundNo,
		providerOrderID: d.NewpayOrderNo, amount: d.RefundAmt.Value, currency: d.RefundAmt.Currency}
	switch d.RefundStatus {
	case "SUCCESS":
		res.status = refundkit.StatusSucceeded
	case "PROCESSING":
		res.status = refundkit.StatusPending
	case "FAIL":
		res.status = refundkit.StatusFailed
	}
	return res, nil
}

// baselineNewPay2Canonical returns the canonical string of a data object
// (members but sign and nulls, sorted, strings unquoted, numbers as
// written, an object as {"name":token,...} sorted by name) and its sign
// member.
func baselineNewPay2Canonical(data []byte) ([]byte, string, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return nil, "", err
	}
	var b []byte
	for i, name := range baselineSortedNames(members) {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(append(b, name...), '=')
		v := members[name]
		switch v[0] {
		case '{':
			var inner map[string]json.RawMessage
			if err := json.Unmarshal(v, &inner); err != nil {
				return nil, "", err
			}
			b = append(b, '{')
			for j, k := range baselineSortedNames(inner) {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(append(append(append(b, '"'), k...), `":`...), inner[k]...)
			}
			b = append(b, '}')
		case '"':
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, "", err
			}
			b = append(b, s...)
		default:
			b = append(b, v...)
		}
	}
	var sig string
	if err := json.Unmarshal(members["sign"], &sig); err != nil {
		return nil, "", err
	}
	return b, sig, nil
}

// baselineSortedNames returns the names of an object's members but sign
// and nulls, in byte order.
func baselineSortedNames(members map[string]json.RawMessage) []string {
	names := make([]string, 0, len(members))
	for name, v := range members {
		if name != "sign" && string(v) != "null" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}
