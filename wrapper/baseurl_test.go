package wrapper_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/wrapper"
)

// TestBaseURLWithoutScheme: every constructor refuses a base URL written
// without its scheme with an invalid_request error that says so, instead
// of url.Parse's message or a misread scheme ("sim.test:8080" parses as
// scheme "sim.test"). Nothing is sent: the constructor fails.
func TestBaseURLWithoutScheme(t *testing.T) {
	k := loadTestKeys(t)
	for _, base := range []string{"127.0.0.1:8080", "sim.test:8080", "localhost:8080", "sandbox.example.com", "sandbox.example.com/api"} {
		for _, p := range refundkit.Providers() {
			t.Run(string(p)+"/"+base, func(t *testing.T) {
				c, err := newSimClient(p, k, "base-url-key1", false, []wrapper.Option{wrapper.WithBaseURL(base)})
				require.ErrorIs(t, err, refundkit.ErrInvalidRequest)
				assert.Nil(t, c)
				e := requireStubError(t, err, refundkit.CategoryInvalidRequest, "")
				assert.Equal(t, p, e.Provider)
				assert.Contains(t, err.Error(), `base URL "`+base+`" has no scheme: write it whole, such as https://`+base)
			})
		}
	}
}
