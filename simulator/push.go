package simulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// PushFault is a misbehaviour a simulator can inject into the refund
// notifications it pushes, to test a merchant's endpoint.
type PushFault string

// The push faults. Their string values are stable, for logs and test names.
const (
	// PushNormal: push a correct, signed notification.
	PushNormal PushFault = "none"
	// PushBadSignature: sign, then flip one bit of the signature.
	PushBadSignature PushFault = "bad_signature"
	// PushDuplicate: send every attempt twice, byte for byte.
	PushDuplicate PushFault = "duplicate"
	// PushStale: stamp (and sign) a time three days in the past.
	PushStale PushFault = "stale"
	// PushWrongMerchant: name another app or merchant, correctly signed.
	PushWrongMerchant PushFault = "wrong_merchant"
	// PushTruncated: declare the full Content-Length but send only half of
	// the body, then close the connection.
	PushTruncated PushFault = "truncated"
)

// PushFaults lists every push fault except PushNormal.
func PushFaults() []PushFault {
	return []PushFault{PushBadSignature, PushDuplicate, PushStale, PushWrongMerchant, PushTruncated}
}

// pushStaleAge is how far in the past PushStale stamps a notification:
// beyond every default window of package notify.
const pushStaleAge = 72 * time.Hour

// ErrNoPush is returned by SetPush for a provider that pushes no refund
// notification (ZaloPay).
var ErrNoPush = errors.New("simulator: this provider pushes no refund notification")

// PushConfig says where a simulator pushes refund notifications.
type PushConfig struct {
	// URL is the merchant's notify URL (PayerMax refundNotifyUrl, NewPay
	// callBackUrl, AlphaPay notifyUrl).
	URL string
	// TimeScale divides the provider's retry delays, so that a test can
	// run PayerMax's 12-hour schedule in a second; values below 1 mean 1.
	TimeScale float64
	// Client sends the notifications; nil means a client with a 10-second
	// timeout.
	Client *http.Client
}

// PushAttempt records one notification sent.
type PushAttempt struct {
	RefundID string
	Status   string    // the refund's raw status pushed
	Attempt  int       // 1 for the first attempt, 2 for the first retry, …
	Fault    PushFault // the fault applied
	HTTP     int       // the answer's HTTP status; 0 if the request failed
	Acked    bool      // the answer was the provider's expected acknowledgement
	Err      string    // why the request failed, if it did
}

// pusher is what a provider's backend adds to push notifications.
type pusher interface {
	// final reports whether the provider pushes a notification for r.
	final(r Refund) bool
	// schedule is the delay before each attempt; the first is zero.
	schedule() []time.Duration
	// notification builds the signed request for r, with f applied.
	notification(r Refund, target string, f PushFault, now time.Time) (*http.Request, []byte, error)
	// acked reports whether an answer is the provider's acknowledgement.
	acked(status int, body []byte) bool
}

// pushState is a simulator's push configuration and record.
type pushState struct {
	cfg    PushConfig
	p      pusher
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu        sync.Mutex
	fault     PushFault
	deviation Fault             // a contract fault, see SetPushDeviation
	pushed    map[string]string // refund id -> the status last pushed
	log       []PushAttempt
}

// SetPush makes s push a signed notification to cfg.URL whenever a seeded
// refund is final (the states a provider notifies: see its spec's callback),
// at Seed, at SetPush for refunds already final, or when a transition makes
// it final, once per refund and status. Each notification follows the
// provider's retry schedule until acknowledged: PayerMax at 0 s, 30 s,
// 5 min, 10 min, 1 h and 12 h; NewPay at once and then 3 times 5 minutes
// apart; AlphaPay once (and only for a refund that succeeded). Call
// StopPush to end pending retries.
func (s *Simulator) SetPush(cfg PushConfig) error {
	p, ok := s.backend.(pusher)
	if !ok {
		return fmt.Errorf("%w: %s", ErrNoPush, s.provider)
	}
	if u, err := url.Parse(cfg.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("simulator: push URL %q is not an absolute http(s) URL", cfg.URL)
	}
	if cfg.TimeScale < 1 {
		cfg.TimeScale = 1
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	ctx, cancel := context.WithCancel(context.Background())
	st := &pushState{cfg: cfg, p: p, ctx: ctx, cancel: cancel, fault: PushNormal, pushed: map[string]string{}}
	s.pushMu.Lock()
	old := s.push
	s.push = st
	s.pushMu.Unlock()
	if old != nil {
		old.stop()
	}
	s.pushIfFinal(s.store.ids()...)
	return nil
}

// SetPushFault applies f to every notification pushed from now on.
func (s *Simulator) SetPushFault(f PushFault) {
	if st := s.pushing(); st != nil {
		st.mu.Lock()
		st.fault = f
		st.mu.Unlock()
	}
}

// PushLog returns every notification sent so far, in order.
func (s *Simulator) PushLog() []PushAttempt {
	st := s.pushing()
	if st == nil {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return append([]PushAttempt(nil), st.log...)
}

// WaitPush blocks until every notification has been acknowledged or has
// run out of attempts, or ctx ends.
func (s *Simulator) WaitPush(ctx context.Context) error {
	st := s.pushing()
	if st == nil {
		return nil
	}
	done := make(chan struct{})
	go func() { st.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// StopPush cancels pending retries, waits for the push goroutines to end
// and turns pushing off.
func (s *Simulator) StopPush() {
	s.pushMu.Lock()
	st := s.push
	s.push = nil
	s.pushMu.Unlock()
	if st != nil {
		st.stop()
	}
}

func (st *pushState) stop() {
	st.cancel()
	st.wg.Wait()
}

func (s *Simulator) pushing() *pushState {
	s.pushMu.Lock()
	defer s.pushMu.Unlock()
	return s.push
}

// pushIfFinal starts a notification for each refund whose current state is
// final and not yet pushed in that status.
func (s *Simulator) pushIfFinal(ids ...string) {
	st := s.pushing()
	if st == nil {
		return
	}
	for _, id := range ids {
		r, _, ok := s.store.get(id)
		if !ok || !st.p.final(r) {
			continue
		}
		st.mu.Lock()
		if prev, done := st.pushed[id]; done && prev == r.Status {
			st.mu.Unlock()
			continue
		}
		st.pushed[id] = r.Status
		st.wg.Add(1)
		st.mu.Unlock()
		go s.pushSequence(st, r)
	}
}

// pushSequence sends one notification on the provider's schedule until it
// is acknowledged, the attempts run out or pushing stops.
func (s *Simulator) pushSequence(st *pushState, r Refund) {
	defer st.wg.Done()
	for i, d := range st.p.schedule() {
		if i > 0 {
			t := time.NewTimer(time.Duration(float64(d) / st.cfg.TimeScale))
			select {
			case <-st.ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		st.mu.Lock()
		f := st.fault
		st.mu.Unlock()
		acked := st.attempt(s, r, i+1, f)
		if f == PushDuplicate {
			acked = st.attempt(s, r, i+1, f) || acked
		}
		if acked {
			return
		}
	}
}

// attempt sends one notification and records it.
func (st *pushState) attempt(s *Simulator, r Refund, n int, f PushFault) bool {
	now := s.clock()
	if f == PushStale {
		now = now.Add(-pushStaleAge)
	}
	rec := PushAttempt{RefundID: r.RefundID, Status: r.Status, Attempt: n, Fault: f}
	req, body, err := st.p.notification(r, st.cfg.URL, f, now)
	if err == nil {
		body, err = deviateNotification(s.provider, req, body, st.deviationNow())
	}
	if err == nil {
		var resp *http.Response
		if f == PushTruncated {
			resp, err = sendTruncated(st.ctx, st.cfg.Client, req, body)
		} else {
			resp, err = st.cfg.Client.Do(req.WithContext(st.ctx))
		}
		if err == nil {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			rec.HTTP, rec.Acked = resp.StatusCode, st.p.acked(resp.StatusCode, b)
		}
	}
	if err != nil {
		rec.Err = err.Error()
	}
	st.mu.Lock()
	st.log = append(st.log, rec)
	st.mu.Unlock()
	return rec.Acked
}
