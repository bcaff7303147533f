// Package httpbody holds the two body helpers that the contract checkers
// (simulator's validating transport and package contract's Checker) share:
// reading a request's body without taking it from the caller, and giving a
// response back a body that ends in the read error it first met.
package httpbody

import (
	"bytes"
	"io"
	"net/http"
)

// ReadRequest returns req's body without consuming a body the caller may
// still need: through GetBody when there is one. The original body is
// closed, as the RoundTripper contract requires.
func ReadRequest(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	return io.ReadAll(req.Body)
}

// Replay returns a body that yields b and then err (io.EOF when err is nil),
// so a caller reading a response that was read ahead sees what it would have.
func Replay(b []byte, err error) io.ReadCloser {
	if err == nil {
		return io.NopCloser(bytes.NewReader(b))
	}
	return io.NopCloser(io.MultiReader(bytes.NewReader(b), errReader{err}))
}

// errReader replays a read error after the bytes read before it.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// Clone returns a copy of req that sends body, and can send it again.
func Clone(req *http.Request, body []byte) *http.Request {
	out := req.Clone(req.Context())
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return out
}
