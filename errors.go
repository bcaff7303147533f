package refundkit

import (
	"github.com/refundkit/refundkit/internal/clip"

	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Category sorts every inquiry error into one of a few kinds a caller can act
// on. Each category has a sentinel error, so errors.Is(err, ErrNotFound) works
// on any error refundkit returns.
type Category string

// The error categories. Their string values are stable: the command-line tool
// prints them and callers may store them.
const (
	CategoryInvalidRequest  Category = "invalid_request"  // the query or credentials are malformed; fix before retrying
	CategoryAuth            Category = "auth"             // the provider rejected our credentials or request signature
	CategorySignature       Category = "signature"        // the response signature is missing or does not verify
	CategoryNotFound        Category = "not_found"        // the provider does not know the refund
	CategoryRateLimited     Category = "rate_limited"     // the provider asked us to slow down
	CategoryTemporary       Category = "temporary"        // the provider or network failed; the same inquiry may succeed later
	CategoryInvalidResponse Category = "invalid_response" // the response is malformed, truncated, oversized or inconsistent
)

// The sentinel errors, one per Category.
var (
	ErrInvalidRequest  = errors.New("refundkit: invalid request")
	ErrAuth            = errors.New("refundkit: authentication failed")
	ErrSignature       = errors.New("refundkit: bad or missing response signature")
	ErrNotFound        = errors.New("refundkit: refund not found")
	ErrRateLimited     = errors.New("refundkit: rate limited")
	ErrTemporary       = errors.New("refundkit: temporary failure")
	ErrInvalidResponse = errors.New("refundkit: invalid response")
)

var categorySentinels = map[Category]error{
	CategoryInvalidRequest:  ErrInvalidRequest,
	CategoryAuth:            ErrAuth,
	CategorySignature:       ErrSignature,
	CategoryNotFound:        ErrNotFound,
	CategoryRateLimited:     ErrRateLimited,
	CategoryTemporary:       ErrTemporary,
	CategoryInvalidResponse: ErrInvalidResponse,
}

// Categories lists every category in a stable order.
func Categories() []Category {
	return []Category{CategoryInvalidRequest, CategoryAuth, CategorySignature, CategoryNotFound,
		CategoryRateLimited, CategoryTemporary, CategoryInvalidResponse}
}

// Err returns the category's sentinel error, or nil for an unknown category.
func (c Category) Err() error { return categorySentinels[c] }

// Retryable reports whether an inquiry that failed with this category may
// succeed if asked again unchanged.
func (c Category) Retryable() bool { return c == CategoryTemporary || c == CategoryRateLimited }

// CategoryOf returns the category of err, or "" when err is nil or did not
// come from refundkit.
func CategoryOf(err error) Category {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Category
	}
	for _, c := range Categories() {
		if errors.Is(err, c.Err()) {
			return c
		}
	}
	return ""
}

// Error is the one error type inquiries return. Use errors.As to read its
// details and errors.Is with the sentinels (ErrNotFound, ...) to test its
// category; errors.Is also reaches the underlying cause in Err.
//
// Error never includes keys, request bodies or signatures in its message.
// Body holds the raw response body for diagnosis; it is never printed.
//
// Verified says whether the answer the error was read from carried a
// provider signature that verified and covers what the error was decided
// on. Some providers send their error answers unsigned (NewPay's Z00051 and
// PayerMax's ORDER_NOT_EXIST "not found" among them; NewPay's business code
// is never under its signature), and ZaloPay signs nothing: such an error,
// above all a "not found", may be forged by anyone between you and the
// provider, so do not act on it (for example by refunding again) without
// confirming it another way. Errors with no answer behind them (network
// failures, bad queries, bad signatures) are never Verified.
type Error struct {
	Provider   Provider      // which provider answered
	Op         string        // the operation, such as "inquire"
	Category   Category      // what kind of failure this is
	HTTPStatus int           // the HTTP status, 0 if no response arrived
	Code       string        // the provider's own error code, if any
	Message    string        // the provider's own message, if any
	RetryAfter time.Duration // how long the provider asked us to wait, if it said
	Attempts   int           // how many requests were sent or tried before giving up; 0 if none was
	Body       []byte        // the raw response body, if any (not printed)
	Verified   bool          // the answer's signature verified and covers the error (see above)
	Err        error         // the underlying cause, if any
}

// Error formats the error as "refundkit: <provider> <op>: <category>: ...".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("refundkit: ")
	if e.Provider != "" {
		b.WriteString(string(e.Provider))
		b.WriteByte(' ')
	}
	if e.Op != "" {
		b.WriteString(e.Op)
	} else {
		b.WriteString("error")
	}
	b.WriteString(": ")
	b.WriteString(string(e.Category))
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, ": http %d", e.HTTPStatus)
	}
	if e.Code != "" {
		// The code may come from an unsigned error answer: quote it so it
		// cannot forge log lines, and bound it.
		fmt.Fprintf(&b, ": code %s", safeCode(clip.Text(e.Code, 64)))
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %q", clip.Text(e.Message, 200))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// GoString keeps %#v from dumping Body: it prints the fields a reader needs
// and the body's length only.
func (e *Error) GoString() string {
	return fmt.Sprintf("&refundkit.Error{Provider:%q, Op:%q, Category:%q, HTTPStatus:%d, Code:%q, Message:%q, RetryAfter:%s, Attempts:%d, Body:(%d bytes), Verified:%t, Err:%v}",
		e.Provider, e.Op, e.Category, e.HTTPStatus, clip.Text(e.Code, 64), clip.Text(e.Message, 200), e.RetryAfter, e.Attempts, len(e.Body), e.Verified, e.Err)
}

// Unwrap returns the category's sentinel and the cause, so that errors.Is
// and errors.As see both.
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 2)
	if s := e.Category.Err(); s != nil {
		errs = append(errs, s)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// safeCode returns code as it is when it looks like a provider code
// (letters, digits, "_", "-", "."), and Go-quoted otherwise.
func safeCode(code string) string {
	for _, r := range code {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.' || r == '…') {
			return strconv.Quote(code)
		}
	}
	return code
}
