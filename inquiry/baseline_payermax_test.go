package inquiry_test

// PayerMax's floor (see baseline_test.go): its refund inquiry (refundQuery)
// written by hand with the standard library alone, and the pre-signed answer
// it and the SDK read.

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
	"github.com/stretchr/testify/require"
)

// presignedPayerMax is PayerMax's answer about benchRefundID: a refund of
// 10000 IDR that succeeded, the exact body signed with the platform key
// into the sign header.
func presignedPayerMax(tb testing.TB, k testKeys) presigned {
	tb.Helper()
	a := presigned{header: http.Header{"Content-Type": {"application/json"}}}
	a.body = []byte(`{"code":"APPLY_SUCCESS","msg":"Success.","data":{"outRefundNo":"` + benchRefundID +
		`","refundTradeNo":"20220117091657TI790000055087","outTradeNo":"P1642410680681","refundAmount":10000,` +
		`"refundCurrency":"IDR","status":"REFUND_SUCCESS","refundFinishTime":"2022-01-17T09:20:11.123+00:00"}}`)
	sig, err := sign.PayerMax{PrivateKey: k.platform}.Sign(a.body)
	require.NoError(tb, err)
	a.header.Set(sign.PayerMaxSignatureHeader, sig)
	return a
}

// baselinePayerMax signs the exact body into the sign header and verifies
// the answer's sign header over its exact body.
type baselinePayerMax struct{ baselineHTTP }

func (p *baselinePayerMax) inquire(ctx context.Context, refundID string) (baselineResult, error) {
	body, sig, err := p.request(refundID)
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
	return baselinePayerMaxResult(raw, refundID)
}

// request builds the request body about refundID and its signature.
func (p *baselinePayerMax) request(refundID string) (body []byte, sig string, err error) {
	type data struct {
		OutRefundNo string `json:"outRefundNo"`
	}
	body, err = json.Marshal(struct {
		AppID       string `json:"appId"`
		Data        data   `json:"data"`
		KeyVersion  string `json:"keyVersion"`
		MerchantNo  string `json:"merchantNo"`
		RequestTime string `json:"requestTime"`
		Version     string `json:"version"`
	}{benchPayerMaxAppID, data{refundID}, "1", benchPayerMaxMerchant,
		time.Now().UTC().Format("2006-01-02T15:04:05.000Z07:00"), "1.1"})
	if err != nil {
		return nil, "", err
	}
	sig, err = p.sign(body)
	return body, sig, err
}

// baselinePayerMaxResult decodes the verified answer raw, checks its code
// and the echo, and maps its status.
func baselinePayerMaxResult(raw []byte, refundID string) (baselineResult, error) {
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
