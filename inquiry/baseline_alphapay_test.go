package inquiry_test

// AlphaPay's floor (see baseline_test.go): its refund inquiry
// (inquiryRefund) written by hand with the standard library alone, and the
// pre-signed answer it and the SDK read.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
	"github.com/stretchr/testify/require"
)

// presignedAlphaPay is AlphaPay's answer about benchRefundID: a refund of
// 10000 CAD minor units that succeeded, signed with the platform key at
// benchAlphaPayTime into the Response-Time, Nonce and Signature headers.
func presignedAlphaPay(tb testing.TB, k testKeys) presigned {
	tb.Helper()
	a := presigned{header: http.Header{"Content-Type": {"application/json"}}}
	a.body = []byte(`{"paymentId":"P2019052800001","refundRequestId":"RR-1001","refundId":"` + benchRefundID +
		`","refundTime":"2019-05-28T12:15:02+08:00","refundStatus":"SUCCESS","refund":{"refundAmount":` +
		`{"value":"10000","currency":"CAD"},"description":"damaged item"},"result":{"resultStatus":"S",` +
		`"resultCode":"SUCCESS","resultMessage":"success"}}`)
	h, err := sign.AlphaPay{MerchantCode: benchAlphaPayMerchant, PrivateKey: k.platform}.
		Sign(http.MethodPost, benchAlphaPayPath, a.body, benchAlphaPayTime, "e2a9b3c1d4f5a6b7c8d9e0f1a2b3c4d5")
	require.NoError(tb, err)
	h.SetResponse(a.header)
	return a
}

// baselineAlphaPay signs "POST path\nmerchant.time.nonce.body" into the
// Signature header and verifies the answer's Signature over the same shape
// with its Response-Time and Nonce.
type baselineAlphaPay struct{ baselineHTTP }

func baselineAlphaPayContent(at, nonce string, body []byte) []byte {
	return append([]byte("POST "+benchAlphaPayPath+"\n"+benchAlphaPayMerchant+"."+at+"."+nonce+"."), body...)
}

func (a *baselineAlphaPay) inquire(ctx context.Context, refundID string) (baselineResult, error) {
	body, at, nonce, sig, err := a.request(refundID)
	if err != nil {
		return baselineResult{}, err
	}
	header, raw, err := a.post(ctx, body, "Content-Type", "application/json; charset=UTF-8", "Accept", "application/json",
		"Merchant-Code", benchAlphaPayMerchant, "Request-Time", at, "Nonce", nonce,
		"Signature", "algorithm=RS256,keyVersion=1,signature="+url.QueryEscape(sig))
	if err != nil {
		return baselineResult{}, err
	}
	if err := a.verifyAnswer(header, raw); err != nil {
		return baselineResult{}, err
	}
	return baselineAlphaPayResult(raw, refundID)
}

// request builds the request body about refundID, the time and nonce it is
// signed with, and its signature.
func (a *baselineAlphaPay) request(refundID string) (body []byte, at, nonce, sig string, err error) {
	body, err = json.Marshal(struct {
		RefundID string `json:"refundId"`
	}{refundID})
	if err != nil {
		return nil, "", "", "", err
	}
	var n [16]byte
	_, _ = rand.Read(n[:])
	nonce, at = hex.EncodeToString(n[:]), time.Now().Format(time.RFC3339)
	sig, err = a.sign(baselineAlphaPayContent(at, nonce, body))
	return body, at, nonce, sig, err
}

// verifyAnswer checks the answer's Signature header over raw with its
// Response-Time and Nonce.
func (a *baselineAlphaPay) verifyAnswer(header http.Header, raw []byte) error {
	respTime, respNonce := header.Get("Response-Time"), header.Get("Nonce")
	if respTime == "" || respNonce == "" {
		return errors.New("baseline: alphapay answer is not signed")
	}
	var respSig string
	for part := range strings.SplitSeq(header.Get("Signature"), ",") {
		name, value, _ := strings.Cut(part, "=")
		switch {
		case name == "algorithm" && value != "RS256":
			return fmt.Errorf("baseline: alphapay algorithm %q", value)
		case name == "signature":
			var err error
			if respSig, err = url.QueryUnescape(value); err != nil {
				return err
			}
		}
	}
	return a.verify(baselineAlphaPayContent(respTime, respNonce, raw), respSig)
}

// baselineAlphaPayResult decodes the verified answer raw, checks the echo
// and maps its result and refund status.
func baselineAlphaPayResult(raw []byte, refundID string) (baselineResult, error) {
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
