package inquiry_test

// ZaloPay's floor (see baseline_test.go): its refund inquiry (query_refund)
// written by hand with the standard library alone, and the answer it and the
// SDK read.

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/refundkit/refundkit"
)

// presignedZaloPay is ZaloPay's answer: a refund that succeeded, unsigned,
// as ZaloPay sends it.
func presignedZaloPay() presigned {
	return presigned{header: http.Header{"Content-Type": {"application/json"}},
		body: []byte(`{"return_code":1,"return_message":"Giao dịch thành công","sub_return_code":1,` +
			`"sub_return_message":"Giao dịch thành công"}`)}
}

// baselineZaloPay puts the HMAC-SHA256 mac of app_id|m_refund_id|timestamp
// into the body; the answer is unsigned.
type baselineZaloPay struct {
	baselineHTTP
	key1 []byte
}

func (z *baselineZaloPay) inquire(ctx context.Context, refundID string) (baselineResult, error) {
	ts := time.Now().UnixMilli()
	m := hmac.New(sha256.New, z.key1)
	m.Write([]byte(strconv.Itoa(benchZaloPayAppID) + "|" + refundID + "|" + strconv.FormatInt(ts, 10)))
	body, err := json.Marshal(struct {
		AppID     int64  `json:"app_id"`
		MRefundID string `json:"m_refund_id"`
		Timestamp int64  `json:"timestamp"`
		Mac       string `json:"mac"`
	}{benchZaloPayAppID, refundID, ts, hex.EncodeToString(m.Sum(nil))})
	if err != nil {
		return baselineResult{}, err
	}
	_, raw, err := z.post(ctx, body, "Content-Type", "application/json")
	if err != nil {
		return baselineResult{}, err
	}
	var out struct {
		ReturnCode       *int   `json:"return_code"`
		ReturnMessage    string `json:"return_message"`
		SubReturnCode    int    `json:"sub_return_code"`
		SubReturnMessage string `json:"sub_return_message"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return baselineResult{}, err
	}
	if out.ReturnCode == nil || *out.ReturnCode < 0 {
		return baselineResult{}, fmt.Errorf("baseline: zalopay error %d", out.SubReturnCode)
	}
	res := baselineResult{status: refundkit.StatusUnknown, providerStatus: strconv.Itoa(*out.ReturnCode),
		code: strconv.Itoa(out.SubReturnCode), message: cmp.Or(out.SubReturnMessage, out.ReturnMessage)}
	switch *out.ReturnCode {
	case 1:
		res.status = refundkit.StatusSucceeded
	case 2:
		res.status = refundkit.StatusFailed
	case 3:
		res.status = refundkit.StatusPending
	}
	return res, nil
}
