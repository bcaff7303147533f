package track

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
)

func TestPolicyDecide(t *testing.T) {
	p, err := Policy{Jitter: -1}.resolve()
	require.NoError(t, err)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := t0.Add(time.Hour)
	fresh := progress{addedAt: t0}
	tests := []struct {
		name       string
		pr         progress
		status     refundkit.Status
		cat        refundkit.Category
		retryAfter time.Duration
		want       decision
	}{
		{"succeeded is final", fresh, refundkit.StatusSucceeded, "", 0, decision{final: true}},
		{"failed is final", fresh, refundkit.StatusFailed, "", 0, decision{final: true}},
		{"first pending waits the first step", fresh, refundkit.StatusPending, "", 0, decision{next: now.Add(time.Minute)}},
		{"third pending waits the third step", progress{addedAt: t0, answers: 2}, refundkit.StatusPending, "", 0, decision{next: now.Add(15 * time.Minute)}},
		{"the last step repeats", progress{addedAt: t0, answers: 40}, refundkit.StatusUnknown, "", 0, decision{next: now.Add(24 * time.Hour)}},
		{"retry-after is honoured", fresh, "", refundkit.CategoryRateLimited, 7 * time.Second, decision{next: now.Add(7 * time.Second)}},
		{"rate limit without retry-after backs off", progress{addedAt: t0, errorsInRow: 1}, "", refundkit.CategoryRateLimited, 0, decision{next: now.Add(30 * time.Second)}},
		{"temporary backs off exponentially", progress{addedAt: t0, errorsInRow: 3}, "", refundkit.CategoryTemporary, 0, decision{next: now.Add(2 * time.Minute)}},
		{"backoff is capped", progress{addedAt: t0, errorsInRow: 30}, "", refundkit.CategoryTemporary, 0, decision{next: now.Add(30 * time.Minute)}},
		{"a longer retry-after wins over backoff", progress{addedAt: t0, errorsInRow: 1}, "", refundkit.CategoryTemporary, time.Hour, decision{next: now.Add(time.Hour)}},
		{"invalid response backs off", progress{addedAt: t0, errorsInRow: 1}, "", refundkit.CategoryInvalidResponse, 0, decision{next: now.Add(30 * time.Second)}},
		{"not found is asked again", progress{addedAt: t0, notFound: 2}, "", refundkit.CategoryNotFound, 0, decision{next: now.Add(15 * time.Minute)}},
		{"not found stops after the retries", progress{addedAt: t0, notFound: 3}, "", refundkit.CategoryNotFound, 0, decision{stop: "not_found"}},
		{"auth stops", fresh, "", refundkit.CategoryAuth, 0, decision{stop: "auth"}},
		{"signature stops", fresh, "", refundkit.CategorySignature, 0, decision{stop: "signature"}},
		{"invalid request stops", fresh, "", refundkit.CategoryInvalidRequest, 0, decision{stop: "invalid_request"}},
		{"past max age stops", progress{addedAt: now.Add(-DefaultMaxAge)}, refundkit.StatusPending, "", 0, decision{stop: StopMaxAge}},
		{"the last poll is at max age", progress{addedAt: now.Add(-DefaultMaxAge + time.Second), answers: 9}, refundkit.StatusPending, "", 0,
			decision{next: now.Add(time.Second)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, p.decide(now, tt.pr, tt.status, tt.cat, tt.retryAfter))
		})
	}
}

func TestPolicyJitterAndValidation(t *testing.T) {
	p, err := Policy{}.resolve()
	require.NoError(t, err)
	seen := map[time.Duration]bool{}
	for range 100 {
		d := p.jitter(time.Minute)
		require.InDelta(t, float64(time.Minute), float64(d), float64(6*time.Second))
		seen[d] = true
	}
	require.Greater(t, len(seen), 50, "jitter spreads the waits")
	for _, bad := range []Policy{{Ladder: []time.Duration{time.Second, 0}}, {Jitter: 1.5}, {BackoffInitial: time.Hour, BackoffMax: time.Minute}, {MaxAge: -1}} {
		_, err := bad.resolve()
		require.Error(t, err, "%+v", bad)
	}
}
