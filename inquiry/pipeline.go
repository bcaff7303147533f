package inquiry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/sign"
)

// backend is one provider's part of an inquiry: four steps that [core]
// runs in one order for every provider (see docs/providers.md).
type backend interface {
	// check validates the query before any network call.
	check(q refundkit.Query) error
	// encode builds one attempt's request body, signed afresh with now, and
	// sets the attempt's own headers in h (which already holds the
	// prototype's fixed ones). It is called once per attempt.
	encode(q refundkit.Query, now time.Time, h http.Header) (body []byte, err error)
	// verify checks the answer's signature over the exact bytes received,
	// before anything in them is trusted. A missing signature is an error
	// wrapping sign.ErrMissingSignature; verify may wrap its error in a
	// *answerCode to name the business code it had to read to find the
	// signature.
	verify(r *response) error
	// decode maps the answer to a result (the provider's fields, status and
	// amount: core sets Provider, Verified and Raw) or to an error: the
	// provider's business errors, and answers that are malformed or about
	// another refund.
	decode(ctx context.Context, r *response, q refundkit.Query) (*refundkit.Result, error)
}

// signing says which of a provider's answers carry a signature.
type signing int

const (
	// signedResults: every answer that yields a result is signed; error
	// answers may come unsigned (NewPay, PayerMax).
	signedResults signing = iota
	// signedAlways: every answer is signed, error answers too (AlphaPay).
	signedAlways
	// unsigned: no answer is signed (ZaloPay); results rely on TLS alone.
	unsigned
)

// answerCode attaches the business code and message of an answer to an
// error about it.
type answerCode struct {
	code, message string
	err           error
}

func (e *answerCode) Error() string { return e.err.Error() }
func (e *answerCode) Unwrap() error { return e.err }

// inquire validates q, then runs attempts until one answers for good.
func (c *core) inquire(ctx context.Context, q refundkit.Query) (*refundkit.Result, error) {
	if err := c.backend.check(q); err != nil {
		return nil, err
	}
	return c.run(ctx, func(ctx context.Context) (*refundkit.Result, error) { return c.attempt(ctx, q) })
}

// attempt is one exchange, in the one order: encode and sign, send the
// exact bytes, receive, verify, decode.
//
// One rule decides Verified, of a result and of an error read from the
// answer: the answer's signature was checked and matched (a provider whose
// signature covers only part of the answer marks the errors it reads from
// the rest unverified, as NewPay does for its envelope's code). One rule keeps unsigned answers in their place: unless the
// provider signs nothing, an answer without a signature may only be an
// error; an unsigned answer that decodes to a result is a signature error.
func (c *core) attempt(ctx context.Context, q refundkit.Query) (*refundkit.Result, error) {
	h := c.header()
	body, err := c.backend.encode(q, c.opts.Clock(), h)
	if err != nil {
		return nil, c.invalidRequest("encode request: %w", err)
	}
	x := new(exchange)
	resp, err := c.send(ctx, x, body, h)
	r, err := c.receive(x, resp, err)
	if err != nil {
		return nil, err
	}
	verified, missing, err := c.verify(r)
	if err != nil {
		return nil, err
	}
	r.verified = verified // errors built from r say so (Error.Verified)
	res, err := c.backend.decode(ctx, r, q)
	if err != nil {
		return nil, err
	}
	if missing != nil {
		return nil, c.signatureError(r, missing)
	}
	res.Provider, res.Verified, res.Raw = c.provider, verified, r.body
	return res, nil
}

// verify runs the backend's verify step where the provider and options
// call for it. It reports whether the answer verified; for a provider whose
// error answers may come unsigned, a missing signature is returned as
// missing (for attempt to hold against a result) rather than as err.
func (c *core) verify(r *response) (verified bool, missing, err error) {
	if c.opts.InsecureSkipVerify || c.signing == unsigned {
		return false, nil, nil
	}
	switch err := c.backend.verify(r); {
	case err == nil:
		return true, nil, nil
	case errors.Is(err, sign.ErrMissingSignature) && c.signing == signedResults:
		return false, err, nil
	default:
		return false, nil, c.signatureError(r, err)
	}
}

// signatureError is the one shape of a signature failure.
func (c *core) signatureError(r *response, err error) error {
	var ac *answerCode
	code, msg := "", ""
	if errors.As(err, &ac) {
		code, msg = ac.code, ac.message
	}
	return c.fail(refundkit.CategorySignature, r, code, msg, fmt.Errorf("verify response: %w", err))
}
