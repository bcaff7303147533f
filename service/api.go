package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/track"
)

// MaxBatch is the most refunds one add request takes.
const MaxBatch = 10_000

// auth lets through only requests with the right bearer token. Both sides
// are hashed first, so the comparison takes the same time whatever the
// token's length.
func (s *Service) auth(h http.Handler) http.Handler {
	want := sha256.Sum256([]byte(s.cfg.Token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		sum := sha256.Sum256([]byte(got))
		if !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="refundkit"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "a valid bearer token is required")
			return
		}
		h.ServeHTTP(w, r)
	})
}

// addRefunds is POST /v1/refunds: one refund or a batch, in one transaction.
func (s *Service) addRefunds(w http.ResponseWriter, r *http.Request) {
	var req addRequest
	if !s.decode(w, r, &req) {
		return
	}
	refs, err := req.refs()
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_refund", err.Error())
		return
	}
	res, err := s.cfg.Tracker.Add(r.Context(), refs...)
	switch {
	case errors.Is(err, track.ErrInvalidRef):
		writeError(w, http.StatusBadRequest, "invalid_refund", strings.TrimPrefix(err.Error(), "track: "))
	case err != nil:
		s.unavailable(w, r, err)
	default:
		writeJSON(w, http.StatusOK, addResult{Added: res.Added, Known: res.Known})
	}
}

// refs returns the refunds of the request.
func (a *addRequest) refs() ([]track.Ref, error) {
	one := a.refundInput != (refundInput{})
	switch {
	case a.Refunds == nil && !one:
		return nil, errors.New(`want a refund ({"provider": ..., "refund_id": ...}) or {"refunds": [...]}`)
	case a.Refunds != nil && one:
		return nil, errors.New(`give either one refund or "refunds", not both`)
	case a.Refunds == nil:
		return []track.Ref{a.refundInput.ref()}, nil
	case len(*a.Refunds) == 0 || len(*a.Refunds) > MaxBatch:
		return nil, fmt.Errorf("a batch holds 1 to %d refunds, not %d", MaxBatch, len(*a.Refunds))
	}
	refs := make([]track.Ref, len(*a.Refunds))
	for i, in := range *a.Refunds {
		refs[i] = in.ref()
	}
	return refs, nil
}

func (in refundInput) ref() track.Ref {
	return track.Ref{Provider: in.Provider, RefundID: in.RefundID, ProviderRefundID: in.ProviderRefundID, RefundRequestID: in.RefundRequestID}
}

// decode reads a JSON request body into v, answering the error itself
// (and returning false) when the body is too large, not JSON, or not
// exactly one object of the expected shape.
func (s *Service) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || ct != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "want Content-Type application/json")
		return false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if errors.As(err, new(*http.MaxBytesError)) {
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("request body is larger than %d bytes", s.cfg.MaxBodyBytes))
		return false
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_json", "request body could not be read")
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_json", "request body: "+jsonProblem(err))
		return false
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "invalid_json", "request body: more than one JSON value")
		return false
	}
	return true
}

// jsonProblem describes a decoding error without quoting the body: the
// offset and the kind of problem, or the field name for a wrong type or an
// unknown field.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("invalid JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q: want %s", typ.Field, typ.Type)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected end of JSON input"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "not the expected JSON object"
}

// getRefund is GET /v1/refunds/{provider}/{refund_id}.
func (s *Service) getRefund(w http.ResponseWriter, r *http.Request) {
	ref := track.Ref{Provider: refundkit.Provider(r.PathValue("provider")), RefundID: r.PathValue("refund_id"),
		ProviderRefundID: r.URL.Query().Get("provider_refund_id")}
	if ref.RefundID == "-" {
		ref.RefundID = ""
	}
	if !ref.Provider.Valid() {
		writeError(w, http.StatusBadRequest, "invalid_parameter", "unknown provider")
		return
	}
	got, err := s.cfg.Tracker.Get(r.Context(), ref)
	switch {
	case errors.Is(err, track.ErrNotTracked):
		writeError(w, http.StatusNotFound, "not_found", "refund not tracked")
	case err != nil:
		s.unavailable(w, r, err)
	default:
		writeJSON(w, http.StatusOK, toRefundJSON(got))
	}
}

// listRefunds is GET /v1/refunds.
func (s *Service) listRefunds(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, limit, err := listFilter(q)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_parameter", err.Error())
		return
	}
	refunds, next, err := s.cfg.Tracker.Page(r.Context(), f, q.Get("cursor"), limit)
	switch {
	case errors.Is(err, track.ErrInvalidCursor):
		writeError(w, http.StatusBadRequest, "invalid_parameter", "cursor is not one this API returned")
		return
	case err != nil:
		s.unavailable(w, r, err)
		return
	}
	page := pageJSON{Refunds: make([]refundJSON, 0, len(refunds)), NextCursor: next}
	for _, rf := range refunds {
		page.Refunds = append(page.Refunds, toRefundJSON(rf))
	}
	writeJSON(w, http.StatusOK, page)
}

// listFilter reads the list's query parameters.
func listFilter(q map[string][]string) (track.Filter, int, error) {
	get := func(k string) string { return strings.TrimSpace(first(q[k])) }
	var f track.Filter
	if p := get("provider"); p != "" {
		if f.Provider = refundkit.Provider(p); !f.Provider.Valid() {
			return f, 0, errors.New("unknown provider")
		}
	}
	switch st := get("status"); {
	case st == "":
	case st == "not-asked":
		f.Status = track.NotAsked
	case refundkit.Status(st).Valid():
		f.Status = refundkit.Status(st)
	case st == string(track.StateActive), st == string(track.StateFinal), st == string(track.StateStopped):
		f.State = track.State(st)
	default:
		return f, 0, errors.New("status: want succeeded, pending, failed, unknown, not-asked, active, final or stopped")
	}
	if d := get("due"); d != "" {
		due, err := strconv.ParseBool(d)
		if err != nil {
			return f, 0, errors.New("due: want true or false")
		}
		if due {
			f.DueBy = time.Now()
		}
	}
	limit := 100
	if l := get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > track.MaxPage {
			return f, 0, fmt.Errorf("limit: want 1 to %d", track.MaxPage)
		}
		limit = n
	}
	if len(get("cursor")) > 64 {
		return f, 0, errors.New("cursor is not one this API returned")
	}
	return f, limit, nil
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// unavailable answers a database failure (or a request out of time) with
// 503, logging the cause; the answer does not quote it.
func (s *Service) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the request ran out of time")
		return
	}
	s.cfg.Logger.WarnContext(r.Context(), "refundkit serve: request failed", "path", r.URL.Path, "error", err.Error())
	writeError(w, http.StatusServiceUnavailable, "unavailable", "the database is unavailable")
}
