package contract

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/refundkit/refundkit/providers"
)

// TestEveryProviderReplays fails for a registered provider that recordings
// cannot replay: each needs a replayer, and each that pushes refund
// notifications one that signs them afresh.
func TestEveryProviderReplays(t *testing.T) {
	for _, d := range providers.All() {
		r, ok := replayers[d.Provider]
		if !assert.True(t, ok, "no replayer for %s: add replay_%s.go", d.Provider, d.Provider) {
			continue
		}
		assert.NotNil(t, r.config, "%s's replayer has no config", d.Provider)
		assert.Equal(t, d.Notify != nil, r.resign != nil, "%s: a provider that pushes needs resign, and only one that pushes", d.Provider)
	}
}
