package simulator_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

// pushSpeaker is how a provider that pushes refund notifications is
// spoken: the number of attempts of its schedule, and its notify handler
// for the demo identities, checking with pub.
type pushSpeaker struct {
	attempts int
	handler  func(pub *sign.PublicKey, deliver notify.DeliverFunc, opts ...notify.Option) (*notify.Handler, error)
}

// pushProviders are the providers whose speaker pushes, in registry order.
func pushProviders() []refundkit.Provider {
	var out []refundkit.Provider
	for _, p := range spokenProviders {
		if speakerOf(p).push != nil {
			out = append(out, p)
		}
	}
	return out
}

// TestPushersSpoken: the providers whose speakers push are exactly those
// whose descriptors build notification handlers.
func TestPushersSpoken(t *testing.T) {
	assert.Equal(t, providers.Pushing(), pushProviders())
}

// receiver is a merchant's endpoint: the real notify handler of provider p
// behind a loopback server, recording what it delivers.
type receiver struct {
	srv  *httptest.Server
	mu   sync.Mutex
	got  []notify.Notification
	fail int // fail this many deliveries first
}

func newReceiver(t *testing.T, p refundkit.Provider) *receiver {
	t.Helper()
	r := &receiver{}
	deliver := func(_ context.Context, n notify.Notification) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.fail > 0 {
			r.fail--
			return errors.New("merchant database down")
		}
		r.got = append(r.got, n)
		return nil
	}
	pub, opt := testKeys().Platform.Public, notify.WithClock(fixedClock)
	h, err := speakerOf(p).push.handler(pub, deliver, opt)
	require.NoError(t, err)
	r.srv = httptest.NewServer(h)
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) delivered() []notify.Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notify.Notification(nil), r.got...)
}

// pushEnv is a provider's simulator pushing to a receiver, with its retry
// delays compressed a million times.
func pushEnv(t *testing.T, p refundkit.Provider, scale float64) (*env, *receiver) {
	t.Helper()
	e, r := newEnv(t, p), newReceiver(t, p)
	require.NoError(t, e.sim.SetPush(simulator.PushConfig{URL: r.srv.URL + "/notify/" + string(p), TimeScale: scale}))
	t.Cleanup(e.sim.StopPush)
	return e, r
}

func waitPush(t *testing.T, e *env) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	require.NoError(t, e.sim.WaitPush(ctx))
}

// TestPushReachesUserOnce: a seeded final refund is pushed, verified and
// delivered once, in the shared vocabulary, and acknowledged at the first
// attempt.
func TestPushReachesUserOnce(t *testing.T) {
	for _, p := range pushProviders() {
		t.Run(string(p), func(t *testing.T) {
			e, r := pushEnv(t, p, 1e6)
			seed := simulator.DemoRefunds(p)[0] // the succeeded one
			require.NoError(t, e.sim.Seed(seed))
			waitPush(t, e)
			got := r.delivered()
			require.Len(t, got, 1)
			res := got[0].Result
			assert.Equal(t, refundkit.StatusSucceeded, res.Status)
			assert.Equal(t, refundkit.SourceNotification, res.Source)
			assert.True(t, res.Verified)
			assert.NotNil(t, res.Amount)
			log := e.sim.PushLog()
			require.Len(t, log, 1)
			assert.True(t, log[0].Acked, "%+v", log[0])
		})
	}
}

// TestPushFaults: every faulty push is refused with a 4xx and never
// delivered, so the simulator runs through the provider's whole schedule;
// a duplicated push is delivered once and acknowledged twice.
func TestPushFaults(t *testing.T) {
	for _, p := range pushProviders() {
		attempts := speakerOf(p).push.attempts
		for _, f := range simulator.PushFaults() {
			t.Run(string(p)+"/"+string(f), func(t *testing.T) {
				e, r := pushEnv(t, p, 1e6)
				e.sim.SetPushFault(f)
				require.NoError(t, e.sim.Seed(simulator.DemoRefunds(p)[0]))
				waitPush(t, e)
				log := e.sim.PushLog()
				if f == simulator.PushDuplicate {
					assert.Len(t, r.delivered(), 1)
					require.Len(t, log, 2)
					assert.True(t, log[0].Acked && log[1].Acked, "%+v", log)
					return
				}
				assert.Empty(t, r.delivered())
				require.Len(t, log, attempts, "the whole schedule, unacknowledged")
				for _, a := range log {
					assert.False(t, a.Acked)
					if f == simulator.PushTruncated {
						// The handler must have received the request and
						// refused its short body, not the client refused
						// to send it.
						assert.Equal(t, http.StatusBadRequest, a.HTTP, "%+v", a)
					} else {
						assert.True(t, a.HTTP >= 400 && a.HTTP < 500, "%+v", a)
					}
				}
			})
		}
	}
}

// TestPushRetriesUntilDelivered: while the merchant's function fails, the
// handler does not acknowledge and PayerMax pushes again on its ladder
// (30 s and 5 min, compressed a thousand times); the third attempt is
// delivered and ends the schedule.
func TestPushRetriesUntilDelivered(t *testing.T) {
	e, r := pushEnv(t, refundkit.PayerMax, 1e3)
	r.fail = 2
	start := time.Now()
	require.NoError(t, e.sim.Seed(simulator.DemoRefunds(refundkit.PayerMax)[0]))
	waitPush(t, e)
	assert.GreaterOrEqual(t, time.Since(start), 330*time.Millisecond, "30 s + 5 min, scaled")
	assert.Len(t, r.delivered(), 1)
	log := e.sim.PushLog()
	require.Len(t, log, 3)
	assert.Equal(t, []int{http.StatusInternalServerError, http.StatusInternalServerError, http.StatusOK},
		[]int{log[0].HTTP, log[1].HTTP, log[2].HTTP})
}

// TestPushOnTransition: a pending refund is not pushed; the inquiry that
// makes it final is followed by its notification.
func TestPushOnTransition(t *testing.T) {
	e, r := pushEnv(t, refundkit.PayerMax, 1e6)
	refund := simulator.DemoRefunds(refundkit.PayerMax)[1] // pending
	refund.Transitions = []simulator.Transition{{After: 1, Status: "REFUND_FAILED"}}
	require.NoError(t, e.sim.Seed(refund))
	waitPush(t, e)
	assert.Empty(t, e.sim.PushLog())
	e.inquire(t, refund.RefundID)
	waitPush(t, e)
	got := r.delivered()
	require.Len(t, got, 1)
	assert.Equal(t, refundkit.StatusFailed, got[0].Result.Status)
	assert.Equal(t, "12345678901234.5678", got[0].Result.Amount.Value())
}

// TestNoPush: the simulator of a provider that pushes no notifications
// (ZaloPay, NewPay v2) refuses a push URL.
func TestNoPush(t *testing.T) {
	for _, p := range spokenProviders {
		if speakerOf(p).push != nil {
			continue
		}
		t.Run(string(p), func(t *testing.T) {
			err := newEnv(t, p).sim.SetPush(simulator.PushConfig{URL: "http://127.0.0.1:1/"})
			assert.ErrorIs(t, err, simulator.ErrNoPush)
		})
	}
}
