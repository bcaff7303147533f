package inquiry

// AlphaPay's answer mapping: resultStatus and refundStatus to the shared
// status, the echo checks, minor units, and the resultCode table.

import (
	"context"
	"log/slog"
	"strings"

	"github.com/refundkit/refundkit"
	gen "github.com/refundkit/refundkit/gen/alphapay"
	"github.com/refundkit/refundkit/internal/ptr"
)

// result maps a verified, decoded answer to a Result or an error.
func (c *alphapayClient) result(ctx context.Context, r *response, out *gen.InquiryRefundResponse, q refundkit.Query) (*refundkit.Result, error) {
	if out.Result == nil {
		return nil, c.invalidResponse(r, "result is missing")
	}
	resultStatus := strings.TrimSpace(out.Result.ResultStatus)
	code, msg := out.Result.ResultCode, out.Result.ResultMessage
	// Only U and F answers may leave the ids out: any other answer yields a
	// status, which must name the refund it is about.
	if err := c.checkEcho(r, out, q, resultStatus != "U" && resultStatus != "F"); err != nil {
		return nil, err
	}
	res := &refundkit.Result{
		ProviderStatus:   ptr.Value(out.RefundStatus),
		ProviderCode:     code,
		ProviderMessage:  msg,
		ProviderRefundID: ptr.Value(out.RefundID),
		MerchantRefundID: ptr.Value(out.RefundRequestID),
		ProviderOrderID:  out.PaymentID,
	}
	switch resultStatus {
	case "":
		return nil, c.invalidResponse(r, "result.resultStatus is missing")
	case "F":
		return nil, c.codeError(r, strings.TrimSpace(code), msg)
	case "U": // outcome unknown or in between: ask again
		res.Status = refundkit.StatusPending
		if res.ProviderStatus == "" {
			res.ProviderStatus = "U" // the value that decided, when refundStatus is absent
		}
	case "S":
		if out.RefundStatus == nil {
			return nil, c.invalidResponse(r, "refundStatus is missing")
		}
		res.Status = statusFromAlphaPay(*out.RefundStatus)
	default:
		res.Status, res.ProviderStatus = refundkit.StatusUnknown, out.Result.ResultStatus
	}
	amount, err := c.amount(out.Refund)
	if err != nil {
		return nil, c.invalidResponse(r, "refund.refundAmount: %w", err)
	}
	res.Amount = amount
	if t := out.RefundTime; t != "" {
		var ok bool
		if res.RefundedAt, ok = parseProviderTime(t); !ok {
			c.opts.Logger.LogAttrs(ctx, slog.LevelDebug, "refundkit: alphapay refundTime is not RFC 3339; RefundedAt left zero",
				slog.String("provider", string(c.provider)), slog.Int("length", len(t)))
		}
	}
	return res, nil
}

// checkEcho makes sure the answer is about the refund asked for. With
// strict, the ids must be present; without, they only must not differ.
func (c *alphapayClient) checkEcho(r *response, out *gen.InquiryRefundResponse, q refundkit.Query, strict bool) error {
	echo := func(field string, got *string, want string) error {
		switch {
		case got == nil && strict:
			return c.invalidResponse(r, "%s is missing, cannot tell which refund the answer is about", field)
		case got != nil && *got != want:
			return c.invalidResponse(r, "%s in the response does not match the query", field)
		}
		return nil
	}
	if err := echo("refundId", out.RefundID, q.RefundID); err != nil {
		return err
	}
	if q.RefundRequestID != "" {
		return echo("refundRequestId", out.RefundRequestID, q.RefundRequestID)
	}
	return nil
}

// amount converts refund.refundAmount from minor units. No amount at all
// gives nil; half an amount, or one that does not parse, is an error.
func (c *alphapayClient) amount(refund *gen.Refund) (*refundkit.Money, error) {
	if refund == nil || refund.RefundAmount == nil {
		return nil, nil
	}
	return AlphaPayAmount(c.exponents, refund.RefundAmount.Value, refund.RefundAmount.Currency)
}

// statusFromAlphaPay maps refundStatus (of a resultStatus S answer) to the
// shared status.
func statusFromAlphaPay(refundStatus string) refundkit.Status {
	return alphapayStatuses.status(refundStatus)
}

// alphapayStatuses are AlphaPay's refundStatus words.
var alphapayStatuses = statusWords{succeeded: "SUCCESS", pending: "REFUND_IN_PROCESS", failed: "FAILED"}

// alphaPayCodes classifies the resultCode of a resultStatus F answer.
//
// [assumed] AlphaPay does not publish its resultCode list; these codes and
// their categories are refundkit's decision (shared with the simulator),
// taken from the names AlphaPay uses elsewhere in its API. A code not listed
// is an invalid-response error with the code and message kept. Override
// with [AlphaPayConfig].ErrorCodes.
var alphaPayCodes = map[string]refundkit.Category{
	"REFUND_NOT_EXIST":             refundkit.CategoryNotFound,
	"ORDER_NOT_EXIST":              refundkit.CategoryNotFound,
	"ACCESS_DENIED":                refundkit.CategoryAuth,
	"INVALID_SIGNATURE":            refundkit.CategoryAuth,
	"KEY_NOT_FOUND":                refundkit.CategoryAuth,
	"MERCHANT_NOT_REGISTERED":      refundkit.CategoryAuth,
	"PARAM_ILLEGAL":                refundkit.CategoryInvalidRequest,
	"INVALID_API":                  refundkit.CategoryInvalidRequest,
	"REQUEST_TRAFFIC_EXCEED_LIMIT": refundkit.CategoryRateLimited,
	"SYSTEM_ERROR":                 refundkit.CategoryTemporary,
	"PROCESS_FAIL":                 refundkit.CategoryTemporary,
	"UNKNOWN_EXCEPTION":            refundkit.CategoryTemporary,
}

// AlphaPayStatus maps AlphaPay's refundStatus to the shared status:
// SUCCESS, REFUND_IN_PROCESS and FAILED after trimming white space, anything
// else unknown.
func AlphaPayStatus(raw string) refundkit.Status { return statusFromAlphaPay(raw) }

// AlphaPayAmount converts an AlphaPay amount from minor units with the
// currency's exponent, taken from exponents (AlphaPayConfig's
// CurrencyExponents) first, then refundkit.CurrencyExponent. No amount at
// all gives nil; half an amount, or one that does not parse, is an error
// wrapping refundkit.ErrInvalidAmount.
func AlphaPayAmount(exponents map[string]int, value, currency *string) (*refundkit.Money, error) {
	return minorUnits(exponents, value, currency, "set AlphaPayConfig.CurrencyExponents")
}
