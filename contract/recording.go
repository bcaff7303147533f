package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"
	"unicode/utf8"

	"github.com/refundkit/refundkit"
)

// Recording is one exchange as "refundkit contract --record" writes it:
// method, path, headers and bodies, with signatures and secrets replaced by
// Redacted and identifiers (app and merchant ids, refund and order numbers)
// by pseudonyms, consistently, so that the recording still decodes and
// maps as the original did. A recording in a package's testdata replays as
// a regression test of decoding and mapping (see Replay).
type Recording struct {
	Provider refundkit.Provider `json:"provider"`
	// Notification is set for a refund notification the provider pushed
	// (the request) and the merchant's acknowledgement (the response),
	// recorded from a NotificationChecker; a replay hands it to the notify
	// handler (see ReplayNotification) instead of to the inquiry client.
	Notification bool `json:"notification,omitempty"`
	// RecordedAt is when the answer arrived; a replay runs the client's
	// clock at that time, so freshness checks pass as they did.
	RecordedAt time.Time       `json:"recorded_at"`
	Query      RecordedQuery   `json:"query"`
	Request    RecordedMessage `json:"request"`
	Response   RecordedMessage `json:"response"`
	// Expect is what the SDK makes of the recorded answer when replayed
	// (signature checks skipped); a replay must give the same.
	Expect Outcome `json:"expect"`
	// Findings is what the contract check found in the original exchange.
	Findings []Finding `json:"findings"`
	// Redacted lists where secrets and identifiers were replaced.
	Redacted []string `json:"redacted"`
}

// RecordedQuery is the inquiry's query, identifiers pseudonymised as in the
// bodies.
type RecordedQuery struct {
	RefundID         string `json:"refund_id,omitempty"`
	ProviderRefundID string `json:"provider_refund_id,omitempty"`
	RefundRequestID  string `json:"refund_request_id,omitempty"`
}

// RecordedMessage is a request (Method, Path) or a response (Status).
type RecordedMessage struct {
	Method string      `json:"method,omitempty"`
	Path   string      `json:"path,omitempty"`
	Status int         `json:"status,omitempty"`
	Header http.Header `json:"headers"`
	// Body is the body's exact text; BodyBase64 holds it instead when it
	// is not UTF-8.
	Body       string `json:"body"`
	BodyBase64 []byte `json:"body_base64,omitempty"`
}

// Outcome is an inquiry's result in the terms a replay compares: the
// status, the provider's own status and code, the amount, or the error's
// category.
type Outcome struct {
	Status         refundkit.Status   `json:"status,omitempty"`
	ProviderStatus string             `json:"provider_status,omitempty"`
	ProviderCode   string             `json:"provider_code,omitempty"`
	Amount         *refundkit.Money   `json:"amount,omitempty"`
	Error          refundkit.Category `json:"error,omitempty"`
	// Refused is why a notify handler refused a notification (a
	// notify.Reason), for a recorded notification.
	Refused string `json:"refused,omitempty"`
}

// OutcomeOf summarises an inquiry's result or error.
func OutcomeOf(res *refundkit.Result, err error) Outcome {
	if err != nil {
		o := Outcome{Error: refundkit.CategoryOf(err)}
		var e *refundkit.Error
		if errors.As(err, &e) {
			o.ProviderCode = e.Code
		}
		return o
	}
	return Outcome{Status: res.Status, ProviderStatus: res.ProviderStatus, ProviderCode: res.ProviderCode, Amount: res.Amount}
}

// NewRecording redacts ex, the exchange of an inquiry q, into a recording,
// and sets its Expect by replaying it. ex must have a complete response.
func NewRecording(ex Exchange, q refundkit.Query, at time.Time) (*Recording, error) {
	if ex.Err != nil || ex.Status == 0 {
		return nil, errors.New("contract: record: the exchange has no complete response")
	}
	u, err := url.Parse(ex.URL)
	if err != nil {
		return nil, fmt.Errorf("contract: record: %w", err)
	}
	r := newRedactor(ex.Provider)
	reqHdr, resHdr := r.header(Request, ex.Request.Header), r.header(Response, ex.Response.Header)
	reqBody, resBody := r.body(Request, ex.Request.Header, ex.Request.Body), r.body(Response, ex.Response.Header, ex.Response.Body)
	rq := RecordedQuery{RefundID: r.optional(q.RefundID), ProviderRefundID: r.optional(q.ProviderRefundID), RefundRequestID: r.optional(q.RefundRequestID)}
	where := r.finish([]*[]byte{&reqBody, &resBody}, []http.Header{reqHdr, resHdr})
	rec := &Recording{
		Provider: ex.Provider, RecordedAt: at.UTC(), Query: rq,
		Request: message(reqHdr, reqBody), Response: message(resHdr, resBody),
		Findings: ex.Findings, Redacted: where,
	}
	rec.Request.Method, rec.Request.Path, rec.Response.Status = ex.Method, u.EscapedPath(), ex.Status
	if rec.Findings == nil {
		rec.Findings = []Finding{}
	}
	rec.Notification = ex.Notification
	if rec.Expect, err = rec.Replay(); err != nil {
		return nil, err
	}
	return rec, nil
}

// Replay replays the recording as what it is, an inquiry's answer (Replay)
// or a notification (ReplayNotification), and returns the outcome.
func (rec *Recording) Replay() (Outcome, error) {
	if rec.Notification {
		return ReplayNotification(rec)
	}
	return OutcomeOf(Replay(rec)), nil
}

// optional pseudonymises a query id, keeping "" as it is.
func (r *redactor) optional(id string) string {
	if id == "" {
		return ""
	}
	return r.pseudonym(id)
}

func message(h http.Header, body []byte) RecordedMessage {
	if utf8.Valid(body) {
		return RecordedMessage{Header: h, Body: string(body)}
	}
	return RecordedMessage{Header: h, BodyBase64: body}
}

// body returns the message's exact bytes.
func (m RecordedMessage) body() []byte {
	if m.BodyBase64 != nil {
		return m.BodyBase64
	}
	return []byte(m.Body)
}

// WriteFile writes the recording into dir as <provider>-<n>.json (a
// notification as <provider>-notification-<n>.json), n the first number
// not taken, and returns the file's path. The file is
// readable by its owner only.
func (rec *Recording) WriteFile(dir string) (string, error) {
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return "", fmt.Errorf("contract: record: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("contract: record: %w", err)
	}
	kind := string(rec.Provider)
	if rec.Notification {
		kind += "-notification"
	}
	for n := 1; ; n++ {
		path := filepath.Join(dir, fmt.Sprintf("%s-%03d.json", kind, n))
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("contract: record: %w", err)
		}
		_, werr := f.Write(append(b, '\n'))
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return "", fmt.Errorf("contract: record: %w", werr)
		}
		return path, nil
	}
}

// ReadRecording reads a recording file.
func ReadRecording(path string) (*Recording, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("contract: %w", err)
	}
	var rec Recording
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, fmt.Errorf("contract: recording %s: %w", path, err)
	}
	if !rec.Provider.Valid() {
		return nil, fmt.Errorf("contract: recording %s: unknown provider %q", path, rec.Provider)
	}
	return &rec, nil
}

// Exchange returns the recorded exchange, for Check. Its URL is the
// recorded path under a placeholder host.
func (rec *Recording) Exchange() Exchange {
	return Exchange{
		Provider: rec.Provider, Notification: rec.Notification, Method: rec.Request.Method, URL: "https://recorded.invalid" + rec.Request.Path,
		Request:  Message{Header: rec.Request.Header.Clone(), Body: rec.Request.body()},
		Status:   rec.Response.Status,
		Response: Message{Header: rec.Response.Header.Clone(), Body: rec.Response.body()},
	}
}
