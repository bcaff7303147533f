package sign

import (
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestZaloPayKeyed checks that reused HMAC states give the macs a new HMAC
// gives: the vector, then many inputs in a row and from several goroutines
// at once (a state not reset between macs would differ from the second on).
func TestZaloPayKeyed(t *testing.T) {
	v := loadVectors(t).ZaloPay
	z := ZaloPay{Key1: NewSecret(v.Key1)}
	k := z.Keyed()

	mac, err := k.MAC(v.AppID, v.MRefundID, v.Timestamp)
	require.NoError(t, err)
	assert.Equal(t, v.MAC, mac)

	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 50 {
				id, ts := v.MRefundID+strconv.Itoa(g*100+i), v.Timestamp+int64(i)
				want, err := z.MAC(v.AppID, id, ts)
				if !assert.NoError(t, err) {
					return
				}
				got, err := k.MAC(v.AppID, id, ts)
				assert.NoError(t, err)
				assert.Equal(t, want, got, "goroutine %d, mac %d", g, i)
			}
		})
	}
	wg.Wait()

	_, err = ZaloPay{}.Keyed().MAC(v.AppID, v.MRefundID, v.Timestamp)
	assert.ErrorIs(t, err, ErrNotKey)

	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} {
		out := fmt.Sprintf(verb, k)
		assert.NotContains(t, out, v.Key1, verb)
		assert.Contains(t, out, "sign.ZaloPayKeyed(sign.Secret(redacted))", verb)
	}
}

// TestZaloPayKeyedAllocs holds a keyed mac to its one allocation, the
// string returned.
func TestZaloPayKeyedAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	v := loadVectors(t).ZaloPay
	k := ZaloPay{Key1: NewSecret(v.Key1)}.Keyed()
	allocs := testing.AllocsPerRun(100, func() { _, _ = k.MAC(v.AppID, v.MRefundID, v.Timestamp) })
	assert.LessOrEqual(t, allocs, 1.0)
}
