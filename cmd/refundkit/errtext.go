package main

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/refundkit/refundkit"
)

// errorDetail is the error object of the JSON output, the same for every
// provider. provider_code and provider_message are the provider's own,
// empty when it gave none; explanation is refundkit's account of what went
// wrong; message is the provider's message when the error is the
// provider's answer (not_found, auth, ...), else the explanation.
type errorDetail struct {
	Category        refundkit.Category `json:"category"`
	ProviderCode    string             `json:"provider_code"`
	Message         string             `json:"message"`
	ProviderMessage string             `json:"provider_message"`
	Explanation     string             `json:"explanation"`
	HTTPStatus      int                `json:"http_status"` // 0 when no answer arrived
	Attempts        int                `json:"attempts"`    // requests tried; 0 when none was
	Verified        bool               `json:"verified"`    // refundkit.Error.Verified: the error answer was signed
}

// detail describes err for the outputs. An error that did not come from an
// inquiry (a bad input row, an unusable config) counts as an invalid
// request: the caller's setup is at fault.
func detail(err error) errorDetail {
	d := errorDetail{Category: refundkit.CategoryOf(err), Explanation: explain(err)}
	if d.Category == "" {
		d.Category = refundkit.CategoryInvalidRequest
	}
	d.Message = d.Explanation
	var e *refundkit.Error
	if errors.As(err, &e) {
		d.ProviderCode, d.Verified, d.HTTPStatus, d.Attempts = e.Code, e.Verified, e.HTTPStatus, e.Attempts
		d.ProviderMessage = providerMessage(e)
		if d.ProviderMessage != "" && d.Category != refundkit.CategorySignature && d.Category != refundkit.CategoryInvalidResponse {
			d.Message = d.ProviderMessage
		}
	}
	return d
}

// providerMessage is the message the provider itself gave. For a non-2xx
// answer without a code, the SDK fills Message with the HTTP status text,
// which is not the provider's.
func providerMessage(e *refundkit.Error) string {
	if e.Code == "" && !is2xx(e.HTTPStatus) && e.Message == http.StatusText(e.HTTPStatus) {
		return ""
	}
	return e.Message
}

func is2xx(status int) bool { return status >= 200 && status <= 299 }

// explain is refundkit's account of err, without the "refundkit: provider
// inquire: category:" prefix every SDK error starts with: what the category
// means, the HTTP status of a non-2xx answer, the provider's code, the
// cause, and for a retryable failure how many attempts were made.
func explain(err error) string {
	var e *refundkit.Error
	if !errors.As(err, &e) || e != err { // wrapped with context of the command's own
		return strings.TrimPrefix(err.Error(), "refundkit: ")
	}
	parts := []string{strings.TrimPrefix(e.Category.Err().Error(), "refundkit: ")}
	if e.Category.Err() == nil {
		parts[0] = "error"
	}
	if e.HTTPStatus != 0 && !is2xx(e.HTTPStatus) {
		parts = append(parts, strings.TrimSpace(fmt.Sprintf("HTTP %d %s", e.HTTPStatus, http.StatusText(e.HTTPStatus))))
	}
	if e.Code != "" {
		parts = append(parts, fmt.Sprintf("provider code %q", e.Code))
	}
	if e.Err != nil {
		parts = append(parts, e.Err.Error())
	}
	return strings.Join(parts, ": ") + attemptsNote(err)
}

// attemptsNote says how many attempts a retryable failure took, as
// " (3 attempts)"; "" for any other error.
func attemptsNote(err error) string {
	var e *refundkit.Error
	if !errors.As(err, &e) || !e.Category.Retryable() || e.Attempts == 0 {
		return ""
	}
	if e.Attempts == 1 {
		return " (1 attempt)"
	}
	return fmt.Sprintf(" (%d attempts)", e.Attempts)
}

// rephrased is an error whose text is the command's own but which still
// matches what it wraps with errors.Is and errors.As.
type rephrased struct {
	msg string
	err error
}

func (r *rephrased) Error() string { return r.msg }
func (r *rephrased) Unwrap() error { return r.err }

// causeText is err's text without an SDK error's "refundkit: provider
// inquire: category: " prefix and "config: " lead-in, for a message that
// gives its own context.
func causeText(err error) string {
	if e, ok := err.(*refundkit.Error); ok && e.Err != nil {
		return strings.TrimPrefix(e.Err.Error(), "config: ")
	}
	return err.Error()
}
