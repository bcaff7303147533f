package simulator

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/gen/zalopay"
	"github.com/refundkit/refundkit/sign"
)

// ZaloPayConfig configures a ZaloPay simulator.
//
// [New] returns, from it, a simulator of ZaloPay's refund status query
// (POST /v2/query_refund), accepting JSON and form-encoded requests. ZaloPay
// does not sign its answers, and neither does the simulator.
type ZaloPayConfig struct {
	// AppID is the only app_id the simulator accepts; others get -402.
	AppID int64
	// Key1 checks the mac of requests (HMAC-SHA256, compared in constant
	// time).
	Key1 string
	// Clock is unused by ZaloPay's answers, which carry no time; it is here
	// for symmetry with the other providers. nil means time.Now.
	Clock func() time.Time
}

// ZaloPay's request-level return codes [sdk], and the simulator's answer
// for an unknown m_refund_id: return_code 2 (fail) with sub_return_code -401
// [assumed; ZaloPay does not publish it].
const (
	zalopayIllegalData      = -401
	zalopayIllegalApp       = -402
	zalopayIllegalSignature = -403
	zalopayFail             = 2
)

// simulate checks the settings and builds the simulator (see ZaloPayConfig).
func (cfg ZaloPayConfig) simulate() (*Simulator, error) {
	if cfg.AppID == 0 || cfg.Key1 == "" {
		return nil, errors.New("simulator: zalopay: AppID and Key1 are required")
	}
	b := &zalopayBackend{appID: cfg.AppID, mac: sign.ZaloPay{Key1: sign.NewSecret(cfg.Key1)}}
	return newSimulator(refundkit.ZaloPay, b, cfg.Clock)
}

type zalopayBackend struct {
	noSignatureHeaders // ZaloPay does not sign its answers
	appID              int64
	mac                sign.ZaloPay
}

func (b *zalopayBackend) check(r Refund) error {
	for _, st := range r.states() {
		for _, v := range [2]string{st.Status, st.SubStatus} {
			if _, err := strconv.Atoi(v); v != "" && err != nil {
				return fmt.Errorf("return code %q is not an integer", v)
			}
		}
	}
	return nil
}

func (b *zalopayBackend) invalid(invalidity) providerError {
	return codeError(zalopayIllegalData, "illegal data")
}

func codeError(code int, msg string) providerError {
	c := strconv.Itoa(code)
	return providerError{code: c, subCode: c, message: msg}
}

func (b *zalopayBackend) accept(r *http.Request, body []byte, _ time.Time) (lookup, *providerError) {
	req, err := zalopayRequest(r, body)
	if err != nil {
		perr := codeError(zalopayIllegalData, "illegal data")
		return lookup{}, &perr
	}
	if req.AppID != b.appID {
		perr := codeError(zalopayIllegalApp, "illegal app")
		return lookup{}, &perr
	}
	if b.mac.VerifyMAC(req.AppID, req.MRefundID, req.Timestamp, req.Mac) != nil {
		perr := codeError(zalopayIllegalSignature, "illegal signature")
		return lookup{}, &perr
	}
	return lookup{refundID: req.MRefundID}, nil
}

// zalopayRequest decodes a JSON or form-encoded query.
func zalopayRequest(r *http.Request, body []byte) (zalopay.QueryRefundRequest, error) {
	var req zalopay.QueryRefundRequest
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		err := json.Unmarshal(body, &req)
		return req, err
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return req, err
	}
	req.MRefundID, req.Mac = form.Get("m_refund_id"), form.Get("mac")
	if req.AppID, err = strconv.ParseInt(form.Get("app_id"), 10, 64); err != nil {
		return req, err
	}
	req.Timestamp, err = strconv.ParseInt(form.Get("timestamp"), 10, 64)
	return req, err
}

func (b *zalopayBackend) notFound() providerError {
	return providerError{code: strconv.Itoa(zalopayFail), subCode: strconv.Itoa(zalopayIllegalData), message: "m_refund_id does not exist"}
}

func (b *zalopayBackend) render(_ lookup, ref *Refund, perr *providerError, f Fault, _ time.Time) ([]byte, error) {
	var code, sub, msg, subMsg string
	if perr != nil {
		code, sub, msg, subMsg = perr.code, perr.subCode, perr.message, perr.message
	} else {
		code, sub, msg, subMsg = ref.Status, cmp.Or(ref.SubStatus, ref.Status), ref.Message, ref.SubMessage
		if f == FaultUnknownStatus && !zalopayErrorAnswer(code, sub) {
			code, sub = UnknownStatus(refundkit.ZaloPay), UnknownStatus(refundkit.ZaloPay)
		}
	}
	resp := zalopay.QueryRefundResponse{ReturnMessage: msg, SubReturnMessage: subMsg}
	var err error
	if resp.ReturnCode, err = optInt(code); err != nil {
		return nil, err
	}
	if resp.SubReturnCode, err = optInt(sub); err != nil {
		return nil, err
	}
	return json.Marshal(zalopayWire(resp))
}

// zalopayWire is the generated answer with both messages always written,
// empty ones too, as ZaloPay sends them: the generated fields (plain
// strings, as refundkit reads an absent message as empty) omit them.
type zalopayWire struct {
	ReturnCode       *int   `json:"return_code,omitempty"`
	ReturnMessage    string `json:"return_message"`
	SubReturnCode    *int   `json:"sub_return_code,omitempty"`
	SubReturnMessage string `json:"sub_return_message"`
}

// zalopayRequestLevel are the sub_return_codes ZaloPay lists for problems
// with the request or with ZaloPay itself rather than with the refund
// [sdk][doc]: request-level codes, system errors and maintenance. With
// return_code 2 they make an error answer, not a failed refund.
var zalopayRequestLevel = map[string]bool{
	"-401": true, "-402": true, "-403": true, "-405": true, "-429": true, "-500": true,
	"-32": true, "-301": true, "-33": true, "-34": true, "-35": true, "-43": true,
	"-88": true, "-135": true, "-999": true,
}

// zalopayErrorAnswer reports whether a seeded refund's return code and
// sub-code make an error answer (a negative return_code, or return_code 2
// with a request-level sub-code), which FaultUnknownStatus leaves as it is,
// as it does every provider's error answers.
func zalopayErrorAnswer(code, sub string) bool {
	return strings.HasPrefix(code, "-") || (code == strconv.Itoa(zalopayFail) && zalopayRequestLevel[sub])
}

// optInt parses an optional integer; "" gives nil.
func optInt(s string) (*int, error) {
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, fmt.Errorf("simulator: zalopay: code %q is not an integer", s)
	}
	return &n, nil
}

// DemoZaloPayAppID is the app_id of DemoConfig's ZaloPay simulator, the one
// of ZaloPay's own sandbox examples. A client of it uses the same value.
const DemoZaloPayAppID = 2554

func init() {
	register(refundkit.ZaloPay, registration{
		demo: func(keys *Keys, clock func() time.Time) ProviderConfig {
			return ZaloPayConfig{AppID: DemoZaloPayAppID, Key1: keys.Key1, Clock: clock}
		},
		refunds: func() []Refund {
			return []Refund{
				{RefundID: "230407_2554_demo_succeeded", Status: "1", SubStatus: "1"},
				{RefundID: "230407_2554_demo_pending", Status: "3", SubStatus: "3"},
				{RefundID: "230407_2554_demo_failed", Status: "2", SubStatus: "-3", SubMessage: "refund rejected"},
				{RefundID: "230407_2554_demo_unknown", Status: "4", SubStatus: "4"},
			}
		},
		unknown:    "9",
		deviations: map[Fault]string{FaultWrongType: "/return_code"},
	})
}
