package wrapper

import (
	"unicode"
	"unicode/utf8"

	"github.com/refundkit/refundkit"
)

// checkID validates one identifier before any network call: present, valid
// UTF-8, at most maxLen characters (the spec's maxLength; 0 for none), and
// free of control characters.
func (c *core) checkID(field, v string, maxLen int) error {
	switch {
	case v == "":
		return c.invalidRequest("%s is empty", field)
	case !utf8.ValidString(v):
		return c.invalidRequest("%s is not valid UTF-8", field)
	case maxLen > 0 && utf8.RuneCountInString(v) > maxLen:
		return c.invalidRequest("%s is longer than %d characters", field, maxLen)
	}
	for _, r := range v {
		if unicode.IsControl(r) {
			return c.invalidRequest("%s contains a control character", field)
		}
	}
	return nil
}

// checkUnused rejects a query field the provider does not take, so that a
// mistake is never silently ignored.
func (c *core) checkUnused(field, v string) error {
	if v != "" {
		return c.invalidRequest("%s is not used by %s", field, c.provider)
	}
	return nil
}

// checkRefundIDOnly validates a query for providers that take RefundID
// alone (NewPay, ZaloPay): the id is checked as checkID does, and the other
// fields must be empty.
func (c *core) checkRefundIDOnly(field string, q refundkit.Query, maxLen int) error {
	if err := c.checkID(field, q.RefundID, maxLen); err != nil {
		return err
	}
	if err := c.checkUnused("ProviderRefundID", q.ProviderRefundID); err != nil {
		return err
	}
	return c.checkUnused("RefundRequestID", q.RefundRequestID)
}
