package notify

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/inquiry"
)

// invariantVariant is a PayerMax notification TestAcknowledgedOnlyIfDelivered
// sends: genuine, or forged, stale or another merchant's.
type invariantVariant struct {
	req     Request
	genuine bool
	key     string // the refund it is about, for genuine ones
}

// invariantPool returns, for each of 8 refunds, its genuine notification,
// one whose signature covers other bytes, a stale one and another
// merchant's.
func invariantPool(t *testing.T) []invariantVariant {
	t.Helper()
	var pool []invariantVariant
	for i := range 8 {
		id := fmt.Sprintf("R%d", i)
		body := strings.Replace(payermaxBody, "R1642411016202", id, 1)
		pool = append(pool, invariantVariant{Request{Header: http.Header{"Sign": {handSign(t, body)}}, Body: []byte(body)}, true, id})
		pool = append(pool, invariantVariant{req: Request{Header: http.Header{"Sign": {handSign(t, body+" ")}}, Body: []byte(body)}})
		stale := strings.Replace(body, "2026-12-01T08:59:30.123", "2026-11-20T08:59:30.123", 1)
		pool = append(pool, invariantVariant{req: Request{Header: http.Header{"Sign": {handSign(t, stale)}}, Body: []byte(stale)}})
		other := strings.Replace(body, "a0dddd1f622243cb9aa1b676e808b5f8", "another-app", 1)
		pool = append(pool, invariantVariant{req: Request{Header: http.Header{"Sign": {handSign(t, other)}}, Body: []byte(other)}})
	}
	return pool
}

// checkInvariant checks the handler's promise on its answer to v (rep,
// err), n being how often v's refund has been delivered since: an
// acknowledgement means delivered exactly once, anything else nothing
// delivered, and a refused non-genuine one is refused for good.
func checkInvariant(t *testing.T, v invariantVariant, rep Reply, err error, n int) {
	switch {
	case rep.Status == http.StatusOK:
		assert.NoError(t, err)
		assert.True(t, v.genuine, "acknowledged a refused notification")
		assert.Equal(t, 1, n, "acknowledged %s, delivered %d times", v.key, n)
		assert.Equal(t, string(PayerMaxAck), string(rep.Body))
	default:
		assert.Error(t, err)
		assert.False(t, rep.Delivered)
		assert.NotEqual(t, string(PayerMaxAck), string(rep.Body))
		if !v.genuine {
			assert.Less(t, rep.Status, 500, "a forged notification is refused for good: %v", err)
		}
	}
}

// TestAcknowledgedOnlyIfDelivered sends a random mix of genuine, repeated,
// forged, stale and other-merchant PayerMax notifications, concurrently, to
// a handler whose function fails a third of the time, and checks the
// handler's promise on every answer: an acknowledgement means the
// notification was delivered (now, or before as a duplicate), each
// notification is delivered at most once, and nothing refused is ever
// delivered.
func TestAcknowledgedOnlyIfDelivered(t *testing.T) {
	pool := invariantPool(t)
	var mu sync.Mutex
	delivered := map[string]int{} // refund id -> deliveries
	rng := rand.New(rand.NewPCG(20261201, 13))
	var rngMu sync.Mutex
	deliver := func(_ context.Context, n Notification) error {
		rngMu.Lock()
		fail := rng.IntN(3) == 0
		rngMu.Unlock()
		if fail {
			return errors.New("transient")
		}
		mu.Lock()
		defer mu.Unlock()
		delivered[n.Result.MerchantRefundID]++
		return nil
	}
	h, err := New(inquiry.PayerMaxConfig{AppID: "a0dddd1f622243cb9aa1b676e808b5f8", PublicKey: platformPublic(t)},
		deliver, WithClock(clock))
	require.NoError(t, err)

	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 7))
			for range 150 {
				v := pool[r.IntN(len(pool))]
				rep, err := h.Handle(t.Context(), v.req)
				mu.Lock()
				n := delivered[v.key]
				mu.Unlock()
				checkInvariant(t, v, rep, err, n)
			}
		})
	}
	wg.Wait()
	for id, n := range delivered {
		assert.Equal(t, 1, n, "%s delivered %d times", id, n)
	}
	assert.NotEmpty(t, delivered)
}
