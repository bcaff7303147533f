package inquiry

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/refundkit/refundkit"
	gen "github.com/refundkit/refundkit/gen/zalopay"
	"github.com/refundkit/refundkit/sign"
)

// ZaloPay's hosts [doc].
const (
	// ZaloPayProductionURL is ZaloPay's production host, the default.
	ZaloPayProductionURL = "https://openapi.zalopay.vn"
	// ZaloPaySandboxURL is ZaloPay's sandbox host; pass it to WithBaseURL.
	ZaloPaySandboxURL = "https://sb-openapi.zalopay.vn"
)

// ZaloPayConfig holds a merchant's ZaloPay credentials.
//
// ZaloPay does not sign its refund-status answers: only TLS protects them,
// so every [ZaloPay] result has Verified=false whatever the options say.
//
// A client built from ZaloPayConfig asks ZaloPay's v2/query_refund about a refund, by the merchant's
// refund id (Query.RefundID is m_refund_id). It is safe for concurrent use.
//
// # Not signature-verified
//
// ZaloPay signs the request (an HMAC with key1) but not the response: the
// answer is trusted on TLS alone, and every Result says so with
// Verified=false. WithInsecureSkipVerify changes nothing here, as there is
// nothing to skip.
//
// # What the answer holds
//
// Only a status: return_code, sub_return_code and their messages. No
// amount (Result.Amount is nil), no refund or order ids, no time; and since
// the response does not echo m_refund_id, nothing can check that the answer
// is about the refund asked for. Result.MerchantRefundID is left empty
// rather than copied from the query.
//
// # Status mapping
//
// return_code 1 is succeeded (sub_return_code -101 too: the money reaches
// cards in 3 to 5 working days, and ProviderMessage says so), 3 pending, 2
// failed, and any other value of 0 or more unknown, unless the table below
// lists it (406 ILLEGAL_STATUS). A negative or listed return_code, or
// return_code 2 with a request-level sub_return_code, is an error whose
// category comes from one table (see the source, zaloPayCodes): bad request,
// authentication, rate limit, system error or maintenance. A negative code
// not in the table is an invalid-response error. ProviderStatus is
// return_code as text, ProviderCode sub_return_code as text.
type ZaloPayConfig struct {
	// AppID is the application id ZaloPay issued (app_id). Required.
	AppID int64
	// Key1 is the application's key1, which signs requests (the mac).
	// Required. key2 is for callbacks only and not used here.
	Key1 sign.Secret
	// FormEncoded sends the request body as
	// application/x-www-form-urlencoded instead of JSON (the default).
	// ZaloPay accepts both, with the same fields and mac.
	FormEncoded bool
	// ErrorCodes adds rows to, or replaces rows of, the table of
	// request-level codes (see [ZaloPay]), for codes ZaloPay documents
	// later or assumptions that turn out wrong. A code listed here is an
	// error in its category both as a negative return_code and as the
	// sub_return_code of return_code 2 (where it would otherwise mean
	// "failed"). Nil means the built-in table alone.
	ErrorCodes map[int]refundkit.Category
}

// zalopayClient is ZaloPay's backend; [New] builds it from a [ZaloPayConfig].
type zalopayClient struct {
	core
	signer *sign.ZaloPayKeyed
	cfg    ZaloPayConfig
}

// Provider reports that the configuration is ZaloPay's.
func (ZaloPayConfig) Provider() refundkit.Provider { return refundkit.ZaloPay }

// client builds a ZaloPay client. A missing AppID or Key1, or an
// unusable base URL, is an error in refundkit.CategoryInvalidRequest.
func (cfg ZaloPayConfig) client(opts []Option) (*core, error) {
	c := &zalopayClient{signer: sign.ZaloPay{Key1: cfg.Key1}.Keyed(), cfg: cfg}
	c.core = newCore(refundkit.ZaloPay, c, unsigned, opts)
	switch {
	case cfg.AppID <= 0:
		return nil, c.invalidRequest("config: AppID is missing")
	case cfg.Key1.IsZero():
		return nil, c.invalidRequest("config: Key1 is missing")
	}
	overrides := make(map[string]refundkit.Category, len(cfg.ErrorCodes))
	for code, cat := range cfg.ErrorCodes {
		overrides[strconv.Itoa(code)] = cat
	}
	if err := c.setCodes(overrides, zaloPayCodes); err != nil {
		return nil, err
	}
	base, err := c.baseURLOrDefault(ZaloPayProductionURL)
	if err != nil {
		return nil, err
	}
	contentType := "application/json"
	if cfg.FormEncoded {
		contentType = "application/x-www-form-urlencoded"
	}
	if c.proto, err = c.prototype(gen.NewQueryRefundRequestWithBody(base.String(), contentType, nil)); err != nil {
		return nil, err
	}
	return &c.core, nil
}

// ZaloPayQuery is the Query field ZaloPay takes. ZaloPay publishes no
// maximum length for m_refund_id. The mac covers app_id|m_refund_id|timestamp,
// so an id containing "|" is refused.
var ZaloPayQuery = takes(refundkit.ZaloPay, QueryFields{RefundID: &QueryField{Name: "m_refund_id", Required: true, Separator: "|"}})

func (c *zalopayClient) check(q refundkit.Query) error { return ZaloPayQuery.check(&c.core, q) }

// encode makes the request with a fresh timestamp and mac.
func (c *zalopayClient) encode(q refundkit.Query, now time.Time, _ http.Header) ([]byte, error) {
	ts := now.UnixMilli()
	mac, err := c.signer.MAC(c.cfg.AppID, q.RefundID, ts)
	if err != nil {
		return nil, err
	}
	return c.body(gen.QueryRefundRequest{AppID: c.cfg.AppID, MRefundID: q.RefundID, Timestamp: ts, Mac: mac})
}

// verify is never called: ZaloPay signs no answer (see [ZaloPay]).
func (c *zalopayClient) verify(*response) error { return errors.New("zalopay answers are not signed") }

func (c *zalopayClient) decode(_ context.Context, r *response, _ refundkit.Query) (*refundkit.Result, error) {
	var out gen.QueryRefundResponse
	if err := c.decodeJSON(r, &out); err != nil {
		return nil, err
	}
	return c.result(r, &out)
}

// body writes the request as JSON, or as a form if the config says so
// (the prototype request's Content-Type says the same).
func (c *zalopayClient) body(req gen.QueryRefundRequest) ([]byte, error) {
	if !c.cfg.FormEncoded {
		return json.Marshal(req)
	}
	form := url.Values{
		"app_id":      {strconv.FormatInt(req.AppID, 10)},
		"m_refund_id": {req.MRefundID},
		"timestamp":   {strconv.FormatInt(req.Timestamp, 10)},
		"mac":         {req.Mac},
	}
	return []byte(form.Encode()), nil
}

// result maps a decoded answer to a Result, or to an error for a
// request-level code.
func (c *zalopayClient) result(r *response, out *gen.QueryRefundResponse) (*refundkit.Result, error) {
	if out.ReturnCode == nil {
		return nil, c.invalidResponse(r, "return_code is missing")
	}
	rc := *out.ReturnCode
	msg, subMsg := out.ReturnMessage, out.SubReturnMessage
	if _, listed := c.codes[strconv.Itoa(rc)]; rc < 0 || (listed && rc != 1 && rc != 2 && rc != 3) {
		return nil, c.codeError(r, strconv.Itoa(rc), cmp.Or(msg, subMsg))
	}
	res := &refundkit.Result{
		Status:          statusFromZaloPay(rc),
		ProviderStatus:  strconv.Itoa(rc),
		ProviderMessage: cmp.Or(subMsg, msg),
	}
	if out.SubReturnCode != nil {
		res.ProviderCode = strconv.Itoa(*out.SubReturnCode)
		if _, requestLevel := c.codes[res.ProviderCode]; requestLevel && rc == 2 {
			return nil, c.codeError(r, res.ProviderCode, cmp.Or(subMsg, msg))
		}
	}
	return res, nil
}

// statusFromZaloPay maps return_code, once request-level errors are ruled
// out, to the shared status.
func statusFromZaloPay(returnCode int) refundkit.Status {
	switch returnCode {
	case 1:
		return refundkit.StatusSucceeded
	case 2:
		return refundkit.StatusFailed
	case 3:
		return refundkit.StatusPending
	default:
		return refundkit.StatusUnknown
	}
}

// zaloPayCodes are ZaloPay's request-level codes [sdk][doc]. Each is an
// error, never a status, whether it comes as a negative return_code or as the
// sub_return_code of return_code 2 (which would otherwise mean "failed": a
// maintenance window or a bad mac must not pass for a failed refund).
var zaloPayCodes = map[string]refundkit.Category{
	// -401 illegal data. [assumed] ZaloPay also answers an unknown
	// m_refund_id with return_code 2 and this sub-code ("m_refund_id does
	// not exist"), so an unknown refund is an invalid request, not
	// not-found; the simulator does the same.
	"-401": refundkit.CategoryInvalidRequest,
	"-405": refundkit.CategoryInvalidRequest, // illegal client request
	"-402": refundkit.CategoryAuth,           // illegal app
	"-403": refundkit.CategoryAuth,           // illegal signature (mac)
	"-429": refundkit.CategoryRateLimited,    // rate limit reached
	"-500": refundkit.CategoryTemporary,      // system error
	"-32":  refundkit.CategoryTemporary,      // system error, retry later
	"-301": refundkit.CategoryTemporary,      // system error, retry later
	"-999": refundkit.CategoryTemporary,      // system maintenance
	"-33":  refundkit.CategoryTemporary,      // maintenance (app, channel, bank or function)
	"-34":  refundkit.CategoryTemporary,      // maintenance
	"-35":  refundkit.CategoryTemporary,      // maintenance
	"-43":  refundkit.CategoryTemporary,      // maintenance
	"-88":  refundkit.CategoryTemporary,      // maintenance
	"-135": refundkit.CategoryTemporary,      // maintenance
	// 406 ILLEGAL_STATUS, a positive return_code in ZaloPay's Node SDK
	// [sdk]. [assumed] The request was refused for the state of what it
	// names: a request-level error, never a status of the refund.
	"406": refundkit.CategoryInvalidRequest,
}
