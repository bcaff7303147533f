package contract

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/refundkit/refundkit/providers"
)

// TestEveryProviderReplays fails for a registered provider that recordings
// cannot replay: each needs a replay client, and each that pushes refund
// notifications a notification replay.
func TestEveryProviderReplays(t *testing.T) {
	for _, d := range providers.All() {
		assert.Contains(t, replayClients, d.Provider, "no replay client for %s: add one in replay.go", d.Provider)
		if d.Notify != nil {
			assert.Contains(t, notificationReplays, d.Provider, "no notification replay for %s: add one in replay_notification.go", d.Provider)
		}
	}
}
