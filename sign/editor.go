package sign

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
)

// RequestEditor has the shape of the RequestEditorFn type oapi-codegen
// generates in every client package. It is an alias of a plain func type, so a
// value is assignable to any generated package's RequestEditorFn without a
// conversion and without this package importing oapi-codegen:
//
//	client.RefundQueryWithBody(ctx, "application/json", bytes.NewReader(body),
//		sign.PayerMax{PrivateKey: key}.RequestEditor())
//
// The editors sign the exact bytes the request will send: they read the body
// through req.GetBody (set by http.NewRequest for bytes, strings and buffer
// readers, as the generated clients use) and leave req.Body unread. A request
// without GetBody has its body read once and restored, with GetBody set.
type RequestEditor = func(ctx context.Context, req *http.Request) error

// requestBody returns the request's body bytes without consuming req.Body.
func requestBody(req *http.Request) ([]byte, error) {
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("sign: read request body: %w", err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			return nil, fmt.Errorf("sign: read request body: %w", err)
		}
		return b, nil
	}
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(req.Body)
	if cerr := req.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("sign: read request body: %w", err)
	}
	req.Body = io.NopCloser(bytes.NewReader(b))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	req.ContentLength = int64(len(b))
	return b, nil
}
