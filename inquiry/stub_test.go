// The loopback stub harness the provider client tests share: a stand-in
// server that checks each request, and table runners for errors, retries
// and bad queries.

package inquiry_test

import (
	"cmp"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// providerStub stands in for a provider over loopback HTTP. It checks every
// request with check (which verifies the request signature, so a passing
// test proves the client signs what it sends), records it, and answers the
// n-th request (from 1) with answer.
type providerStub struct {
	*httptest.Server
	hits atomic.Int32

	mu       sync.Mutex
	requests []stubRequest
}

type stubRequest struct {
	header http.Header
	body   []byte
}

type stubReply struct {
	status int // 0 means 200
	header map[string]string
	body   []byte
}

func newProviderStub(t *testing.T, check func(r *http.Request, body []byte) error, answer func(n int, body []byte) stubReply) *providerStub {
	t.Helper()
	s := &providerStub{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.hits.Add(1))
		body, err := io.ReadAll(r.Body)
		if err == nil {
			err = check(r, body)
		}
		s.mu.Lock()
		s.requests = append(s.requests, stubRequest{header: r.Header.Clone(), body: body})
		s.mu.Unlock()
		if err != nil {
			t.Errorf("request %d rejected by the stub: %v", n, err)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		reply := answer(n, body)
		for k, v := range reply.header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(cmp.Or(reply.status, http.StatusOK))
		_, _ = w.Write(reply.body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *providerStub) recorded() []stubRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// stubRetry retries three times with almost no wait.
var stubRetry = inquiry.WithRetry(inquiry.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})

// stubClock starts at start and moves on by one millisecond every time
// it is read, so every attempt gets a new timestamp.
func stubClock(start time.Time) func() time.Time {
	var n atomic.Int64
	return func() time.Time { return start.Add(time.Duration(n.Add(1)-1) * time.Millisecond) }
}

// requireStubError asserts that err is a *refundkit.Error of category cat
// with provider code code, matching the category's sentinel.
func requireStubError(t *testing.T, err error, cat refundkit.Category, code string) *refundkit.Error {
	t.Helper()
	require.Error(t, err)
	var e *refundkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, cat, e.Category, "error: %v", err)
	assert.ErrorIs(t, err, cat.Err())
	assert.Equal(t, code, e.Code)
	return e
}

// stubAlways answers every request with reply.
func stubAlways(reply stubReply) func(int, []byte) stubReply {
	return func(int, []byte) stubReply { return reply }
}

// stubHarness runs one provider's client against a providerStub, so that
// the checks every provider shares are written once.
type stubHarness struct {
	// serve starts a stub that checks requests as the provider would.
	serve func(t *testing.T, answer func(n int, body []byte) stubReply) *providerStub
	// client builds a client for the stub at url, retrying with stubRetry.
	client func(t *testing.T, url string, opts ...inquiry.Option) refundkit.Inquirer
	// query is a valid query, the one the test answers are about.
	query refundkit.Query
	// fresh reads what must change on every attempt from a recorded
	// request: its timestamp and its signature.
	fresh func(t *testing.T, r stubRequest) (stamp, signature string)
}

// ask serves answer and inquires once about q.
func (h stubHarness) ask(t *testing.T, q refundkit.Query, answer func(n int, body []byte) stubReply, opts ...inquiry.Option) (*providerStub, *refundkit.Result, error) {
	t.Helper()
	srv := h.serve(t, answer)
	res, err := h.client(t, srv.URL, opts...).Inquire(t.Context(), q)
	return srv, res, err
}

// stubErrorCase is an answer that must produce an error.
type stubErrorCase struct {
	name  string
	reply stubReply
	want  refundkit.Category
	code  string // the provider code the error carries
	msg   string // the provider message it carries, if not empty
	cause error  // a cause errors.Is must find, if not nil
}

// runStubErrors checks each case's error: category, code, message, cause,
// HTTP status and body, and the number of attempts (three for a retryable
// category, one otherwise).
func runStubErrors(t *testing.T, h stubHarness, cases []stubErrorCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			srv, res, err := h.ask(t, h.query, stubAlways(tt.reply))
			assert.Nil(t, res)
			e := requireStubError(t, err, tt.want, tt.code)
			if tt.msg != "" {
				assert.Equal(t, tt.msg, e.Message)
			}
			if tt.cause != nil {
				assert.ErrorIs(t, err, tt.cause)
			}
			if len(tt.reply.body) <= inquiry.DefaultMaxResponseBytes {
				assert.Equal(t, tt.reply.body, e.Body)
			}
			assert.Equal(t, cmp.Or(tt.reply.status, http.StatusOK), e.HTTPStatus)
			wantHits := int32(1)
			if tt.want.Retryable() {
				wantHits = 3
			}
			assert.Equal(t, wantHits, srv.hits.Load(), "attempts")
			assert.EqualValues(t, wantHits, e.Attempts, "the error says how many attempts were made")
		})
	}
}

// runStubRetries checks HTTP failures and retries: transient failures are
// retried up to three attempts, each signed afresh with a new timestamp;
// others are not. busy is the provider's own "try again" answer.
func runStubRetries(t *testing.T, h stubHarness, ok, busy stubReply) {
	t.Helper()
	tests := []struct {
		name     string
		replies  []stubReply // the last one repeats
		want     refundkit.Category
		wantHits int
	}{
		{"500 every time", []stubReply{{status: 500, body: []byte("oops")}}, refundkit.CategoryTemporary, 3},
		{"429 every time", []stubReply{{status: 429, header: map[string]string{"Retry-After": "0"}}}, refundkit.CategoryRateLimited, 3},
		{"503 then success", []stubReply{{status: 503}, ok}, "", 2},
		{"busy then success", []stubReply{busy, ok}, "", 2},
		{"busy twice then success", []stubReply{busy, busy, ok}, "", 3},
		{"401", []stubReply{{status: 401}}, refundkit.CategoryAuth, 1},
		{"403", []stubReply{{status: 403}}, refundkit.CategoryAuth, 1},
		{"404", []stubReply{{status: 404}}, refundkit.CategoryInvalidRequest, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answer := func(n int, _ []byte) stubReply { return tt.replies[min(n, len(tt.replies))-1] }
			clock := inquiry.WithClock(stubClock(time.Date(2022, 1, 17, 7, 1, 23, 737e6, time.UTC)))
			srv, res, err := h.ask(t, h.query, answer, clock)
			if tt.want == "" {
				require.NoError(t, err)
				assert.Equal(t, refundkit.StatusSucceeded, res.Status)
			} else {
				e := requireStubError(t, err, tt.want, "")
				assert.Positive(t, e.HTTPStatus)
				assert.Equal(t, tt.wantHits, e.Attempts, "the error says how many attempts were made")
			}
			assert.Equal(t, int32(tt.wantHits), srv.hits.Load())
			stamps, sigs := map[string]bool{}, map[string]bool{}
			for _, r := range srv.recorded() {
				stamp, sig := h.fresh(t, r)
				stamps[stamp], sigs[sig] = true, true
			}
			assert.Len(t, stamps, tt.wantHits, "every attempt has its own timestamp")
			assert.Len(t, sigs, tt.wantHits, "every attempt has its own signature")
		})
	}
}

// runStubBadQueries checks that each query is rejected before any request.
func runStubBadQueries(t *testing.T, h stubHarness, queries map[string]refundkit.Query) {
	t.Helper()
	for name, q := range queries {
		t.Run(name, func(t *testing.T) {
			srv, _, err := h.ask(t, q, stubAlways(stubReply{}))
			requireStubError(t, err, refundkit.CategoryInvalidRequest, "")
			assert.Zero(t, srv.hits.Load())
		})
	}
}
