package inquiry

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/internal/ptr"
	"github.com/refundkit/refundkit/sign"
)

// What NewPay's API family shares, v1 and v2 alike: the answer envelope
// (success, code, message, data), the signature inside data, and one table
// of business codes, which NewPay publishes on one "Business Code" page.

// newpayAnswer is the envelope every NewPay version shares, with data kept
// as the exact bytes received: data.sign covers them. The timestamp (a
// number, or a string of digits as NewPay's own example sends it) is read
// only to refuse an answer in which it is neither.
type newpayAnswer struct {
	Success   bool            `json:"success"`
	Code      string          `json:"code"`
	Message   *string         `json:"message"`
	Timestamp json.Number     `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
}

// hasData reports whether the answer carries a data object.
func (a *newpayAnswer) hasData() bool { return len(a.Data) > 0 && a.Data[0] == '{' }

// newpayVerify finds data in a NewPay answer and checks its sign with
// verifyJSON over the exact bytes. An answer without a data object carries
// no signature. The envelope it parsed is kept for newpayOutcome.
func newpayVerify(r *response, verifyJSON func([]byte) error) error {
	a := new(newpayAnswer)
	if err := json.Unmarshal(r.body, a); err != nil {
		return sign.ErrMissingSignature // and decoding will say why
	}
	r.decoded = a
	if !a.hasData() {
		return sign.ErrMissingSignature
	}
	if err := verifyJSON(a.Data); err != nil {
		return &answerCode{code: a.Code, message: ptr.Value(a.Message), err: err}
	}
	return nil
}

// newpayOutcome decodes a NewPay answer's envelope and returns its data
// object, or the error the answer stands for: a business code, success
// false with the success code, or a success without data. Those errors are
// never Verified: success, code and message lie outside data, the only part
// NewPay signs, so even a signed data object does not vouch for them.
func (c *core) newpayOutcome(signed *response, successCode string) (*newpayAnswer, error) {
	a, _ := signed.decoded.(*newpayAnswer)
	if a == nil {
		a = new(newpayAnswer)
		if err := c.decodeJSON(signed, a); err != nil {
			return nil, err
		}
	}
	if a.Success && a.Code == successCode && a.hasData() {
		return a, nil
	}
	r := *signed
	r.verified = false
	return nil, c.newpayEnvelopeError(&r, a, successCode)
}

// newpayEnvelopeError is the error of an answer that is not a success with
// data.
func (c *core) newpayEnvelopeError(r *response, a *newpayAnswer, successCode string) error {
	msg := ptr.Value(a.Message)
	switch {
	case a.Success && a.Code == successCode:
		return c.invalidResponse(r, "success answer without a data object")
	case a.Code == successCode:
		return c.fail(refundkit.CategoryInvalidResponse, r, a.Code, msg, errors.New("success is false with the success code"))
	}
	if _, known := c.codes[a.Code]; !known && isNewPayFieldIllegal(a.Code) {
		return c.fail(refundkit.CategoryInvalidRequest, r, a.Code, msg, nil)
	}
	return c.codeError(r, a.Code, msg)
}

// isNewPayFieldIllegal reports whether code belongs to NewPay's "Z000xx
// field illegal" family (docs/status-mapping.md), which names a malformed field:
// the request is at fault. Codes with a row of their own (such as Z00005
// sign illegal, or Z00051 not found) keep it.
func isNewPayFieldIllegal(code string) bool {
	return len(code) == 6 && strings.HasPrefix(code, "Z000") && code[4] >= '0' && code[4] <= '9' && code[5] >= '0' && code[5] <= '9'
}

// newpayOK is the business code of a successful call.
const newpayOK = "0"

// newpayCodes sorts the business codes NewPay documents for the inquiry
// [doc] into error categories, as docs/status-mapping.md does.
var newpayCodes = map[string]refundkit.Category{
	"E9999":  refundkit.CategoryTemporary, // unknown error
	"E9008":  refundkit.CategoryNotFound,  // order information does not exist
	"Z00051": refundkit.CategoryNotFound,  // order information does not exist
	"Z00007": refundkit.CategoryAuth,      // sign verification failed
	"Z00005": refundkit.CategoryAuth,      // sign illegal
	"Z00046": refundkit.CategoryAuth,      // whitelist authentication failed
	"Z01012": refundkit.CategoryAuth,      // appId or merchantId not valid
	"Z00003": refundkit.CategoryAuth,      // appId wrong
	"Z00044": refundkit.CategoryAuth,      // merchantId wrong
}

// newpayAssumedCodes holds the categories we chose for codes whose meaning
// NewPay states but whose category it does not.
//
// [assumed] "illegal" means a malformed field or request, so the request
// is at fault, not the credentials (refundkit's decision; docs/status-mapping.md
// names only the "Z000xx field illegal" family): appId, merchantId,
// timestamp and refundOrderNo illegal, and illegal request. Override with
// [NewPayConfig].ErrorCodes.
var newpayAssumedCodes = map[string]refundkit.Category{
	"Z00001": refundkit.CategoryInvalidRequest, // appId illegal
	"Z00021": refundkit.CategoryInvalidRequest, // merchantId illegal
	"Z00004": refundkit.CategoryInvalidRequest, // timestamp illegal
	"Z00049": refundkit.CategoryInvalidRequest, // refundOrderNo illegal
	"B11095": refundkit.CategoryInvalidRequest, // illegal request
}
