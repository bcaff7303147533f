package inquiry_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
)

// The fuzz targets feed arbitrary response bytes (and, for the providers
// that sign in headers, arbitrary signature headers) to each provider's
// client through a loopback server, and hold the client to its promises:
// it never panics; it returns a result or an error, never both or neither;
// an error is a *refundkit.Error of a known category (the category of the
// HTTP status for a non-2xx answer); a result has a shared status that the
// provider's raw value allows (failed only for the documented failed value,
// and so on), echoes the refund asked about, carries the exact body, and,
// for a signed provider, comes only from a body whose signature verifies.
// Their seeds run as ordinary tests; explore with, e.g.,
//
//	go test -run '^$' -fuzz '^FuzzPayerMaxResponse$' ./inquiry/
//
// The fuzz argument mode picks how the server treats the input:
// mode&3 is 0 or 3 to serve the signature as given (none, for NewPay and
// ZaloPay, whose body is all there is), 1 to sign the body with the test
// platform key as the provider would, 2 to sign it and flip a bit of the
// signature; mode>>2&7 picks the HTTP status from fuzzStatuses.

// fuzzStatuses are the HTTP statuses mode can pick.
var fuzzStatuses = [8]int{200, 200, 200, 200, http.StatusFound, http.StatusUnauthorized, http.StatusTooManyRequests, http.StatusServiceUnavailable}

// Signing modes, mode&3.
const (
	fuzzAsGiven = 0
	fuzzSigned  = 1
	fuzzForged  = 2
)

func fuzzSigning(mode uint8) int { return int(mode & 3) }

func fuzzStatus(mode uint8) int { return fuzzStatuses[mode>>2&7] }

// fuzzReply is what the fuzz server answers.
type fuzzReply struct {
	status int
	header http.Header
	body   []byte
}

// wellFormed reports whether every header value is one an HTTP client
// accepts: no control characters but tab (the server turns CR and LF into
// spaces).
func (r fuzzReply) wellFormed() bool {
	for _, vs := range r.header {
		for _, v := range vs {
			if strings.IndexFunc(v, func(c rune) bool { return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f }) >= 0 {
				return false
			}
		}
	}
	return true
}

// fuzzTarget is one provider's client against a loopback server that
// answers with the reply of the current fuzz iteration. It is built once
// per target and reused by every iteration.
type fuzzTarget struct {
	provider refundkit.Provider
	keys     testKeys
	query    refundkit.Query
	client   refundkit.Inquirer

	mu    sync.Mutex
	reply fuzzReply
}

// The queries the fuzz targets ask: the refunds of the providers' own
// examples and of sign/testdata/vectors.json, so that the seeds echo them.
// Each provider's fuzz test file adds its own (see fuzzProvider).
var fuzzQueries = map[refundkit.Provider]refundkit.Query{}

func newFuzzTarget(f *testing.F, p refundkit.Provider) *fuzzTarget {
	ft := &fuzzTarget{provider: p, keys: loadTestKeys(f), query: fuzzQueries[p]}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		ft.mu.Lock()
		reply := ft.reply
		ft.mu.Unlock()
		h := w.Header()
		h.Set("Content-Type", "application/json")
		for k, vs := range reply.header {
			h[k] = vs
		}
		w.WriteHeader(reply.status)
		_, _ = w.Write(reply.body)
	}))
	f.Cleanup(srv.Close)
	var err error
	ft.client, err = newSimClient(p, ft.keys, "fuzz-key1-fuzz-key1", false, []inquiry.Option{
		inquiry.WithBaseURL(srv.URL), inquiry.WithHTTPClient(srv.Client()),
		inquiry.WithRetry(inquiry.NoRetry()), inquiry.WithTimeout(10 * time.Second),
		inquiry.WithClock(ft.clock),
	})
	require.NoError(f, err)
	return ft
}

// clock is the client's clock: the Response-Time of the reply being served
// when it has one that parses, so that a signed reply is fresh whenever it
// is well-formed (the window itself is tested in sign and inquiry).
func (ft *fuzzTarget) clock() time.Time {
	ft.mu.Lock()
	v := ft.reply.header.Get(sign.AlphaPayHeaderResponseTime)
	ft.mu.Unlock()
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t
	}
	return time.Now()
}

// ask serves reply to one inquiry and checks the invariants; verified says
// whether reply's signature verifies (for ZaloPay, which signs nothing, it
// is not called).
func (ft *fuzzTarget) ask(t *testing.T, reply fuzzReply, verified func() bool) {
	ft.mu.Lock()
	ft.reply = reply
	ft.mu.Unlock()
	res, err := ft.client.Inquire(t.Context(), ft.query)
	p := ft.provider

	if (res == nil) == (err == nil) {
		t.Fatalf("want a result or an error, got %v and %v", res, err)
	}
	if err != nil {
		var e *refundkit.Error
		switch {
		case errors.As(err, &e) && e.Category == refundkit.CategoryTemporary && e.HTTPStatus == 0 && !reply.wellFormed():
			return // the HTTP client refused the malformed header: no answer arrived
		case !errors.As(err, &e):
			t.Fatalf("error %T is not a *refundkit.Error: %v", err, err)
		case !slices.Contains(refundkit.Categories(), e.Category) || !errors.Is(err, e.Category.Err()):
			t.Fatalf("error of unknown category %q: %v", e.Category, err)
		case e.Provider != p:
			t.Fatalf("error from %q, want %q: %v", e.Provider, p, err)
		case reply.status/100 != 2 && e.Category != httpCategory(reply.status):
			t.Fatalf("HTTP %d answered with category %s, want %s: %v", reply.status, e.Category, httpCategory(reply.status), err)
		}
		return
	}
	switch {
	case reply.status/100 != 2:
		t.Fatalf("HTTP %d answered with status %s", reply.status, res.Status)
	case !res.Status.Valid() || res.Provider != p:
		t.Fatalf("result with status %q from %q", res.Status, res.Provider)
	case !bytes.Equal(res.Raw, reply.body):
		t.Fatalf("result's Raw is not the body received")
	case !signed(p) && res.Verified:
		t.Fatalf("%s signs nothing, yet its result is marked verified", p)
	case signed(p) && !res.Verified:
		t.Fatalf("%s result not marked verified", p)
	case signed(p) && !verified():
		t.Fatalf("status %s from a body whose signature does not verify", res.Status)
	case res.Amount != nil && (res.Amount.Value() == "" || res.Amount.Currency() == ""):
		t.Fatalf("amount %v has no value or currency", res.Amount)
	}
	// Undecided answers (AlphaPay's resultStatus U) may leave the refund id
	// out (they may not contradict it); every other answer echoes it.
	unnamed := undecided(p, reply.body)
	if asked, echoed := echoedID(p, ft.query, res); asked != echoed && (echoed != "" || !unnamed) {
		t.Fatalf("asked about %q, the result is about %q", asked, echoed)
	}
	if raw := strings.TrimSpace(res.ProviderStatus); !statusAllowed(p, res.Status, raw, reply.body) {
		t.Fatalf("status %s from raw value %q", res.Status, res.ProviderStatus)
	}
}

// httpCategory is the category a non-2xx HTTP status must produce
// (CONTEXT: 429 rate limited, 5xx temporary, 401/403 auth, other 4xx
// invalid request; a refused redirect is an invalid response).
func httpCategory(status int) refundkit.Category {
	switch {
	case status == http.StatusTooManyRequests:
		return refundkit.CategoryRateLimited
	case status >= 500:
		return refundkit.CategoryTemporary
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return refundkit.CategoryAuth
	case status >= 400:
		return refundkit.CategoryInvalidRequest
	}
	return refundkit.CategoryInvalidResponse
}

// fuzzStatusesAllowed is docs/status-mapping.md's table of the raw values
// each shared status may come from; each provider's fuzz test file adds its
// row (see fuzzProvider).
var fuzzStatusesAllowed = map[refundkit.Provider]map[refundkit.Status][]string{}

// fuzzTargets holds each provider's fuzz target, by provider; its fuzz test
// file registers it with fuzzProvider, and TestEveryProviderFuzzed fails for
// a provider without one.
var fuzzTargets = map[refundkit.Provider]func(*testing.F){}

// fuzzProvider registers provider p's fuzz target, the query it asks, and
// its row of fuzzStatusesAllowed; each provider's fuzz test file calls it
// once, from init.
func fuzzProvider(p refundkit.Provider, target func(*testing.F), q refundkit.Query, allowed map[refundkit.Status][]string) {
	fuzzTargets[p], fuzzQueries[p], fuzzStatusesAllowed[p] = target, q, allowed
}

// TestEveryProviderFuzzed: every provider of the registry has a fuzz target
// here, with its query and its statuses, so a provider added later is fuzzed
// or this fails.
func TestEveryProviderFuzzed(t *testing.T) {
	for _, p := range refundkit.Providers() {
		assert.Contains(t, fuzzTargets, p, "no fuzz target for %s: add one in its own _fuzz_test.go file", p)
		assert.Contains(t, fuzzQueries, p)
		assert.NotEmpty(t, fuzzStatusesAllowed[p], p)
	}
	assert.Len(t, fuzzTargets, len(refundkit.Providers()))
}

// statusAllowed reports whether docs/status-mapping.md allows shared status s
// for the provider's raw value (trimmed): a final or pending status only
// from the value documented for it; unknown from anything.
func statusAllowed(p refundkit.Provider, s refundkit.Status, raw string, body []byte) bool {
	if s == refundkit.StatusUnknown {
		return true
	}
	// An undecided answer is pending whatever its refund status says.
	return slices.Contains(fuzzStatusesAllowed[p][s], raw) ||
		s == refundkit.StatusPending && undecided(p, body)
}

// fuzzUndecided holds, for a provider whose answer can say that the result
// is not known yet (AlphaPay's resultStatus U), how to tell such a body;
// its fuzz test file registers it.
var fuzzUndecided = map[refundkit.Provider]func(body []byte) bool{}

// undecided reports whether body is an answer of p's that says the result
// is not known yet.
func undecided(p refundkit.Provider, body []byte) bool {
	f := fuzzUndecided[p]
	return f != nil && f(body)
}
