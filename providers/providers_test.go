package providers_test

import (
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/specs"
)

// TestEveryProviderIsComplete: every name in refundkit.Providers has a
// descriptor, a spec, a simulator with demo refunds, and a demo client that
// gets an answer from that simulator about each of them, so that a
// half-added provider cannot pass.
func TestEveryProviderIsComplete(t *testing.T) {
	keys, err := simulator.GenerateKeys()
	require.NoError(t, err)
	cfg := simulator.DemoConfig(keys, nil)
	var names []string
	for _, p := range refundkit.Providers() {
		names = append(names, string(p))
		t.Run(string(p), func(t *testing.T) {
			d, err := providers.Lookup(p)
			require.NoError(t, err)
			assert.Equal(t, p, d.Provider)
			assert.NotEmpty(t, d.Title)
			assert.NotNil(t, d.Query.RefundID, "every provider takes RefundID")
			_, err = specs.Raw(string(p))
			require.NoError(t, err, "spec")

			sim, err := simulator.New(cfg[p])
			require.NoError(t, err)
			refunds := simulator.DemoRefunds(p)
			require.NotEmpty(t, refunds)
			require.NoError(t, sim.Seed(refunds...))
			srv := httptest.NewServer(sim)
			defer srv.Close()
			client, err := d.DemoClient(keys, inquiry.WithBaseURL(srv.URL))
			require.NoError(t, err)
			for _, r := range refunds {
				res, err := client.Inquire(t.Context(), refundkit.Query{RefundID: r.RefundID})
				require.NoError(t, err, r.RefundID)
				assert.Equal(t, d.Signed, res.Verified, r.RefundID)
			}

			s := d.DemoSection(srv.URL, keys, simulator.KeyFiles{MerchantPrivate: "m.pem", PlatformPublic: "p.pem"})
			assert.IsType(t, d.NewSection(), s)
		})
	}
	assert.Equal(t, slices.Sorted(slices.Values(names)), specs.Names, "one spec per provider, and no other")
	assert.Len(t, providers.All(), len(refundkit.Providers()))
	_, err = providers.Lookup("nopay")
	assert.Error(t, err)
}
