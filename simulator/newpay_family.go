package simulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/refundkit/refundkit/sign"
)

// What NewPay's API family shares in the simulator: the business codes,
// which NewPay publishes on one "Business Code" page for v1 and v2 alike
// (v2 lists none of its own).

// NewPay's business codes as the simulators use them [doc].
const (
	newpayOK                = "0"
	newpayIllegalRequest    = "B11095"
	newpayAppIDIllegal      = "Z00001"
	newpayAppIDWrong        = "Z00003"
	newpayTimestampIllegal  = "Z00004"
	newpaySignIllegal       = "Z00005"
	newpaySignVerifyFailed  = "Z00007"
	newpayMerchantIllegal   = "Z00021"
	newpayMerchantWrong     = "Z00044"
	newpayRefundNoIllegal   = "Z00049"
	newpayOrderDoesNotExist = "Z00051"
)

// newpayNotFound is the family's answer about a refund it does not know.
var newpayNotFound = providerError{code: newpayOrderDoesNotExist, message: "order information does not exist"}

// newpayInvalid is the answer to a request that failed spec validation: the
// code fields names the field by, else illegal request.
func newpayInvalid(fields map[string]string, inv invalidity) providerError {
	if code, ok := fields[inv.field]; ok {
		return providerError{code: code, message: inv.field + " illegal"}
	}
	return providerError{code: newpayIllegalRequest, message: "illegal request: " + inv.reason}
}

// newpayIdentity checks a request's app and merchant ids against the
// simulator's, then its sign with verifyJSON over the body as received.
func newpayIdentity(appOK, merchantOK bool, merchantField string, verifyJSON func([]byte) error, body []byte) *providerError {
	switch {
	case !appOK:
		return &providerError{code: newpayAppIDWrong, message: "appId is wrong"}
	case !merchantOK:
		return &providerError{code: newpayMerchantWrong, message: merchantField + " is wrong"}
	}
	if err := verifyJSON(body); err != nil {
		if errors.Is(err, sign.ErrMissingSignature) || errors.Is(err, sign.ErrMalformedSignature) {
			return &providerError{code: newpaySignIllegal, message: "sign illegal"}
		}
		return &providerError{code: newpaySignVerifyFailed, message: "sign verification failed"}
	}
	return nil
}

// newpaySignData marshals data, which has no sign member, and adds one
// with signJSON: sign.NewPay's or sign.NewPay2's SignJSON, whose canonical
// strings differ for nested objects (v2's refundAmt), so each version keeps
// its own rule while the bytes sent are, by construction, the bytes signed.
// Fault f leaves the member out (FaultMissingSignature) or flips a bit of
// the signature (FaultBadSignature), every other byte unchanged.
func newpaySignData(data any, signJSON func([]byte) ([]byte, error), f Fault) ([]byte, error) {
	unsigned, err := json.Marshal(data)
	if err != nil || f == FaultMissingSignature {
		return unsigned, err
	}
	signed, err := signJSON(unsigned)
	if err != nil || f != FaultBadSignature {
		return signed, err
	}
	var s struct {
		Sign string `json:"sign"`
	}
	if err := json.Unmarshal(signed, &s); err != nil {
		return nil, err
	}
	good, _ := json.Marshal(s.Sign)
	bad, _ := json.Marshal(corruptBase64(s.Sign))
	if n := bytes.Count(signed, good); n != 1 {
		return nil, fmt.Errorf("simulator: the signature stands %d times in the data object, want once", n)
	}
	return bytes.Replace(signed, good, bad, 1), nil
}
