package simulator

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// maxRequestBody caps the request bodies a simulator reads. The real
// requests are a few hundred bytes.
const maxRequestBody = 64 << 10

// ServeHTTP answers one request; see Simulator.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	q, now, ok := s.accept(w, r)
	if !ok {
		return
	}
	f := s.faults.pick(Inquiry{Provider: s.provider, RefundID: q.refundID, ProviderRefundID: q.providerRefundID})
	if !s.transportFault(w, r, f) {
		return
	}
	if f == FaultSlow {
		now = s.clock()
	}
	ref, ok := s.store.inquire(q)
	if !ok {
		s.notFound.Add(1)
		nf := s.backend.notFound()
		s.answer(w, r, q, nil, &nf, f, now)
		return
	}
	s.pushIfFinal(ref.RefundID) // a transition may have made it final
	s.answer(w, r, q, &ref, nil, f, now)
}

// accept checks the request's path, method, size and spec, then the
// provider's own checks, and returns the inquiry and the time it arrived.
// When a check fails it has answered, and ok is false.
func (s *Simulator) accept(w http.ResponseWriter, r *http.Request) (q lookup, now time.Time, ok bool) {
	if r.URL.Path != s.valid.path {
		http.Error(w, "simulator: no such path; the refund inquiry is POST "+s.valid.path, http.StatusNotFound)
		return lookup{}, now, false
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "simulator: method not allowed", http.StatusMethodNotAllowed)
		return lookup{}, now, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			s.reject(w, r, s.backend.invalid(invalidity{reason: "request body too large"}))
		}
		return lookup{}, now, false // otherwise the client went away mid-body
	}
	now = s.clock()
	if err := s.valid.request(r, body); err != nil {
		s.reject(w, r, s.backend.invalid(describe(err)))
		return lookup{}, now, false
	}
	q, perr := s.backend.accept(r, body, now)
	if perr != nil {
		s.reject(w, r, *perr)
		return lookup{}, now, false
	}
	return q, now, true
}

// reject answers a request that failed a check, with no fault.
func (s *Simulator) reject(w http.ResponseWriter, r *http.Request, perr providerError) {
	s.rejected.Add(1)
	s.answer(w, r, lookup{}, nil, &perr, FaultNone, s.clock())
}

// answer renders, signs and writes a 200 answer, applying the body-level
// faults (oversized, truncated) on the way.
func (s *Simulator) answer(w http.ResponseWriter, r *http.Request, q lookup, ref *Refund, perr *providerError, f Fault, now time.Time) {
	body, err := s.backend.render(q, ref, perr, f, now)
	if err == nil && f == FaultOversized {
		body = append(body, padding()...)
	}
	if err == nil {
		body, err = deviateBody(s.provider, body, f)
	}
	h := w.Header()
	if err == nil {
		err = s.backend.sign(r, h, body, f, now)
	}
	if err != nil {
		http.Error(w, "simulator: cannot build the answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	deviateHeader(s.provider, h, f)
	w.WriteHeader(http.StatusOK)
	if f == FaultTruncated {
		// net/http closes the connection after a handler that wrote less
		// than its declared Content-Length: the client sees an unexpected
		// EOF inside the body.
		body = body[:len(body)/2]
	}
	_, _ = w.Write(body)
}

// signedPath returns the request path as the client sent (and signed) it,
// even when the handler is mounted under a prefix with http.StripPrefix.
func signedPath(r *http.Request) string {
	if u, err := url.ParseRequestURI(r.RequestURI); err == nil && u.Path != "" {
		return u.EscapedPath()
	}
	return r.URL.EscapedPath()
}
