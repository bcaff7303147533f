package sign

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRandomNonce(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		n := RandomNonce()
		assert.Regexp(t, `^[0-9a-f]{32}$`, n)
		assert.False(t, seen[n], "nonce %s repeated", n)
		seen[n] = true
	}
}
