package notify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/sign"
	"github.com/refundkit/refundkit/simulator"
)

func payermaxRequest(t *testing.T) Request {
	return Request{Header: http.Header{"Sign": {handSign(t, payermaxBody)}}, Body: []byte(payermaxBody)}
}

// TestNeverAcknowledgesUndelivered: while the user's function fails or
// panics, the handler answers 5xx without the acknowledgement, and the
// provider's next attempt is delivered; once delivered, it is acknowledged.
func TestNeverAcknowledgesUndelivered(t *testing.T) {
	s := &sink{fail: errors.New("database down")}
	panicking := true
	h, err := New(inquiry.PayerMaxConfig{AppID: "a0dddd1f622243cb9aa1b676e808b5f8", PublicKey: platformPublic(t)},
		func(ctx context.Context, n Notification) error {
			if panicking {
				panic("user bug")
			}
			return s.deliver(ctx, n)
		}, WithClock(clock))
	require.NoError(t, err)

	rep, err := h.Handle(t.Context(), payermaxRequest(t))
	assert.Equal(t, ReasonDelivery, ReasonOf(err))
	assert.ErrorContains(t, err, "panicked")
	assert.Equal(t, http.StatusInternalServerError, rep.Status)
	assert.False(t, rep.Delivered)
	assert.NotEqual(t, string(PayerMaxAck), string(rep.Body))

	panicking = false
	rep, err = h.Handle(t.Context(), payermaxRequest(t))
	assert.ErrorIs(t, err, ErrDelivery)
	assert.ErrorIs(t, err, s.fail, "the user's error is kept")
	assert.Equal(t, http.StatusInternalServerError, rep.Status)
	assert.Zero(t, s.count())

	s.fail = nil
	rep, err = h.Handle(t.Context(), payermaxRequest(t))
	require.NoError(t, err)
	assert.True(t, rep.Delivered)
	assert.Equal(t, string(PayerMaxAck), string(rep.Body))
	assert.Equal(t, 1, s.count())
}

// TestConcurrentDuplicates: many copies of one notification at once are
// delivered exactly once; every copy is either acknowledged after the
// delivery or refused (in flight), never acknowledged before it.
func TestConcurrentDuplicates(t *testing.T) {
	var mu sync.Mutex
	delivered := 0
	release := make(chan struct{})
	h, err := New(inquiry.PayerMaxConfig{AppID: "a0dddd1f622243cb9aa1b676e808b5f8", PublicKey: platformPublic(t)},
		func(context.Context, Notification) error {
			<-release
			mu.Lock()
			defer mu.Unlock()
			delivered++
			return nil
		}, WithClock(clock))
	require.NoError(t, err)
	req := payermaxRequest(t)
	var wg sync.WaitGroup
	reps := make([]Reply, 20)
	errs := make([]error, 20)
	for i := range reps {
		wg.Go(func() { reps[i], errs[i] = h.Handle(t.Context(), req) })
	}
	close(release)
	wg.Wait()
	assert.Equal(t, 1, delivered)
	n := 0
	for i, rep := range reps {
		switch {
		case rep.Delivered:
			n++
		case errs[i] != nil:
			assert.Equal(t, ReasonInFlight, ReasonOf(errs[i]))
			assert.Equal(t, http.StatusConflict, rep.Status)
		default:
			assert.True(t, rep.Duplicate)
		}
	}
	assert.Equal(t, 1, n)
}

func TestSizeAndMethod(t *testing.T) {
	s := &sink{}
	h := payermaxHandler(t, s, WithMaxBodyBytes(100))
	status, _ := post(t, h, "/", http.Header{"Sign": {handSign(t, payermaxBody)}}, payermaxBody)
	assert.Equal(t, http.StatusRequestEntityTooLarge, status)
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	assert.Zero(t, s.count())
}

func TestMemoryStoreBound(t *testing.T) {
	m := NewMemoryStore(3)
	ctx := t.Context()
	for i := range 5 {
		k := fmt.Sprint(i)
		c, err := m.Begin(ctx, k)
		require.NoError(t, err)
		require.Equal(t, ClaimNew, c)
		require.NoError(t, m.Commit(ctx, k))
	}
	assert.Equal(t, 3, m.Len())
	for k, want := range map[string]Claim{"0": ClaimNew, "1": ClaimNew, "2": ClaimDone, "4": ClaimDone} {
		c, _ := m.Begin(ctx, k)
		assert.Equal(t, want, c, k)
	}
	c, _ := m.Begin(ctx, "0")
	assert.Equal(t, ClaimBusy, c, "claimed above, not committed")
	require.NoError(t, m.Abort(ctx, "0"))
	c, _ = m.Begin(ctx, "0")
	assert.Equal(t, ClaimNew, c)
}

// TestConfirm asks a real PayerMax simulator about every notification: the
// delivered result is the inquiry's, the notification's own is kept beside
// it, and a failed inquiry delivers and acknowledges nothing.
func TestConfirm(t *testing.T) {
	merchant, err := sign.ReadPrivateKeyFile("../sign/testdata/merchant-private.pem")
	require.NoError(t, err)
	platform, err := sign.ReadPrivateKeyFile(platformPrivateFile)
	require.NoError(t, err)
	cfg := inquiry.PayerMaxConfig{AppID: "a0dddd1f622243cb9aa1b676e808b5f8", PrivateKey: merchant, PublicKey: platform.Public()}
	sim, err := simulator.New(simulator.PayerMaxConfig{AppID: cfg.AppID, MerchantKey: merchant.Public(), PlatformKey: platform})
	require.NoError(t, err)
	srv := httptest.NewServer(sim)
	defer srv.Close()
	client, err := inquiry.New(cfg, inquiry.WithBaseURL(srv.URL), inquiry.WithRetry(inquiry.NoRetry()))
	require.NoError(t, err)

	s := &sink{}
	h, err := New(cfg, s.deliver, WithClock(clock), WithConfirm(client))
	require.NoError(t, err)

	rep, err := h.Handle(t.Context(), payermaxRequest(t))
	assert.Equal(t, ReasonConfirm, ReasonOf(err), "the simulator does not know the refund yet")
	assert.ErrorIs(t, err, refundkit.ErrNotFound)
	assert.Equal(t, http.StatusServiceUnavailable, rep.Status)
	assert.Zero(t, s.count())

	// The provider says failed, the notification claimed success.
	require.NoError(t, sim.Seed(simulator.Refund{RefundID: "R1642411016202", ProviderRefundID: "20220117091657TI790000055087",
		Status: "REFUND_FAILED", Amount: "10", Currency: "USD"}))
	rep, err = h.Handle(t.Context(), payermaxRequest(t))
	require.NoError(t, err)
	assert.True(t, rep.Delivered)
	require.Equal(t, 1, s.count())
	n := s.got[0]
	assert.Equal(t, refundkit.StatusFailed, n.Result.Status)
	assert.Equal(t, refundkit.SourceInquiry, n.Result.Source)
	assert.Equal(t, refundkit.StatusSucceeded, n.Notified.Status)
	assert.Equal(t, refundkit.SourceNotification, n.Notified.Source)

	_, err = New(cfg, s.deliver, WithConfirm(otherProvider{}))
	assert.ErrorContains(t, err, "zalopay")
}

type otherProvider struct{ refundkit.Inquirer }

func (otherProvider) Provider() refundkit.Provider { return refundkit.ZaloPay }

// TestErrorsNeverQuoteSignatures: a refusal's message and reply carry the
// reason, not the signature.
func TestErrorsNeverQuoteSignatures(t *testing.T) {
	sig := handSign(t, payermaxBody+"x")
	rep, err := payermaxHandler(t, &sink{}).Handle(t.Context(), Request{Header: http.Header{"Sign": {sig}}, Body: []byte(payermaxBody)})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), sig[:20])
	assert.False(t, strings.Contains(string(rep.Body), sig[:20]))
	assert.ErrorIs(t, err, refundkit.ErrSignature)
	assert.ErrorIs(t, err, sign.ErrInvalidSignature)
}
