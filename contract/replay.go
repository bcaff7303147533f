package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/internal/jsonspan"
	"github.com/refundkit/refundkit/simulator"
)

// replayBase is the base URL replayed clients are given; no request leaves
// the process.
const replayBase = "https://recorded.invalid"

// replayKeys sign the replayed requests; nothing checks them.
var replayKeys = sync.OnceValues(simulator.GenerateKeys)

// replayer is, per provider, how to replay its recordings: config gives
// the provider's configuration with the recording's pseudonymised
// identities (from the recorded request: the inquiry the merchant sent, or
// the notification the provider pushed), which answers echo, and throwaway
// keys; resign, for a provider that pushes notifications, signs a recorded
// notification afresh with the throwaway platform key (nil otherwise);
// redact names what a recording of the provider's messages must not keep.
type replayer struct {
	config func(rec *Recording, k *simulator.Keys) (inquiry.Config, error)
	resign func(rec *Recording, k *simulator.Keys, header http.Header, body []byte) ([]byte, error)
	redact redaction
}

// replayers holds every provider's replayer, each registered by the
// provider's own file (replay_<provider>.go).
var replayers = map[refundkit.Provider]replayer{}

// Replay asks the SDK the recorded query and answers it with the recorded
// response, so that the answer is decoded and mapped exactly as the
// provider's was. Response signature verification is switched off, and
// only here: the recording's signatures are redacted. The client's clock
// reads RecordedAt. No request leaves the process.
func Replay(rec *Recording) (*refundkit.Result, error) {
	r, ok := replayers[rec.Provider]
	if !ok {
		return nil, fmt.Errorf("contract: replay: unknown provider %q", rec.Provider)
	}
	keys, err := replayKeys()
	if err != nil {
		return nil, fmt.Errorf("contract: replay: %w", err)
	}
	cfg, err := r.config(rec, keys)
	if err != nil {
		return nil, fmt.Errorf("contract: replay: %w", err)
	}
	at := rec.RecordedAt
	client, err := inquiry.New(cfg, []inquiry.Option{
		inquiry.WithBaseURL(replayBase),
		inquiry.WithHTTPClient(&http.Client{Transport: replayTransport{rec}}),
		inquiry.WithInsecureSkipVerify(), // the replay's one exception: signatures are redacted
		inquiry.WithRetry(inquiry.NoRetry()),
		inquiry.WithClock(func() time.Time { return at }),
	}...)
	if err != nil {
		return nil, fmt.Errorf("contract: replay: %w", err)
	}
	q := refundkit.Query{RefundID: rec.Query.RefundID, ProviderRefundID: rec.Query.ProviderRefundID, RefundRequestID: rec.Query.RefundRequestID}
	return client.Inquire(context.Background(), q)
}

// requestMember returns a top-level member of the recorded request body,
// JSON or form-encoded, as text ("" when absent).
func (rec *Recording) requestMember(name string) string {
	body := rec.Request.body()
	if mt, _, _ := mime.ParseMediaType(rec.Request.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		form, _ := url.ParseQuery(string(body))
		return form.Get(name)
	}
	s, ok, err := jsonspan.Find(body, jsonspan.Pointer([]string{name}))
	if err != nil || !ok {
		return ""
	}
	raw := body[s.Start:s.End]
	var text string
	if s.Kind == jsonspan.String && json.Unmarshal(raw, &text) == nil {
		return text
	}
	return string(raw)
}

// replayTransport answers every request with the recorded response.
type replayTransport struct{ rec *Recording }

func (t replayTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	body := t.rec.Response.body()
	return &http.Response{
		Status: strconv.Itoa(t.rec.Response.Status) + " " + http.StatusText(t.rec.Response.Status), StatusCode: t.rec.Response.Status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: t.rec.Response.Header.Clone(), Body: io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)), Request: req,
	}, nil
}
