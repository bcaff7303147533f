package contract_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/contract"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/simulator"
)

var testKeys = sync.OnceValues(simulator.GenerateKeys)

func deliverNothing(context.Context, notify.Notification) error { return nil }

// pushThrough makes p's simulator push its succeeded demo refund, with
// contract fault f, to p's notify handler behind a NotificationChecker,
// and returns the exchanges checked.
func pushThrough(t *testing.T, p refundkit.Provider, f simulator.Fault) []contract.Exchange {
	t.Helper()
	keys, err := testKeys()
	require.NoError(t, err)
	d, err := providers.Lookup(p)
	require.NoError(t, err)
	h, err := d.DemoNotify(keys, deliverNothing)
	require.NoError(t, err)
	chk, err := contract.NewNotificationChecker(h, p)
	require.NoError(t, err)
	srv := httptest.NewServer(chk)
	defer srv.Close()
	sim, err := simulator.New(simulator.DemoConfig(keys, nil)[p])
	require.NoError(t, err)
	require.NoError(t, sim.SetPush(simulator.PushConfig{URL: srv.URL + "/notify", TimeScale: 1e6}))
	defer sim.StopPush()
	require.NoError(t, sim.SetPushDeviation(f))
	require.NoError(t, sim.Seed(simulator.DemoRefunds(p)[0]))
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	require.NoError(t, sim.WaitPush(ctx))
	exs := chk.Exchanges()
	require.NotEmpty(t, exs)
	return exs
}

// TestNotificationContract pushes every provider's refund notification
// through the real notify handler: a normal push and the handler's
// acknowledgement conform to the spec's callback, and each contract fault
// is named by the exact member or header the simulator changed.
func TestNotificationContract(t *testing.T) {
	for _, p := range providers.Pushing() {
		t.Run(string(p)+"/none", func(t *testing.T) {
			exs := pushThrough(t, p, simulator.FaultNone)
			require.Len(t, exs, 1, "acknowledged at once")
			assert.Empty(t, exs[0].Findings, "notification and acknowledgement conform")
			assert.Equal(t, http.StatusOK, exs[0].Status)
		})
		for _, f := range simulator.ContractFaults() {
			t.Run(string(p)+"/"+string(f), func(t *testing.T) {
				ex := pushThrough(t, p, f)[0]
				want := contract.Finding{Side: contract.Request, Kind: contract.Violation, Where: simulator.DeviatedNotificationMember(p, f)}
				switch f {
				case simulator.FaultUndeclaredMember:
					want.Kind = contract.Undeclared
				case simulator.FaultWrongContentType:
					want.Where = "header Content-Type"
				}
				require.NotEmpty(t, want.Where)
				var wheres []string
				for _, g := range ex.Findings {
					if g.Side == want.Side && g.Kind == want.Kind {
						wheres = append(wheres, g.Where)
					}
				}
				assert.Equal(t, []string{want.Where}, wheres, "%v", ex.Findings)
			})
		}
	}
	_, err := contract.NewNotificationChecker(http.NotFoundHandler(), refundkit.ZaloPay)
	assert.ErrorIs(t, err, simulator.ErrNoPush)
}

// TestNotificationRecording records each provider's notification, plain
// and with a member of the wrong type, and replays the recordings through
// the notify handler: the plain one is delivered as succeeded, the
// recording holds none of the demo identities, and each replays to what
// its expect says. With $REFUNDKIT_RECORD_DIR set the recordings are kept
// there (to refresh testdata/recordings).
func TestNotificationRecording(t *testing.T) {
	for _, p := range providers.Pushing() {
		for _, f := range []simulator.Fault{simulator.FaultNone, simulator.FaultWrongType} {
			ex := pushThrough(t, p, f)[0]
			rec, err := contract.NewRecording(ex, refundkit.Query{}, time.Now())
			require.NoError(t, err)
			assert.True(t, rec.Notification)
			if f == simulator.FaultNone {
				assert.Equal(t, refundkit.StatusSucceeded, rec.Expect.Status, "%s: %+v", p, rec.Expect)
			} else {
				assert.NotEmpty(t, rec.Findings)
			}
			dir := t.TempDir()
			if d := os.Getenv("REFUNDKIT_RECORD_DIR"); d != "" {
				dir = d
			}
			path, err := rec.WriteFile(dir)
			require.NoError(t, err)
			raw, err := os.ReadFile(path)
			require.NoError(t, err)
			for _, id := range []string{simulator.DemoPayerMaxAppID, simulator.DemoNewPayAppID, simulator.DemoAlphaPayMerchant, simulator.DemoRefunds(p)[0].RefundID} {
				assert.NotContains(t, string(raw), id, "%s", p)
			}
			back, err := contract.ReadRecording(path)
			require.NoError(t, err)
			got, err := back.Replay()
			require.NoError(t, err)
			assert.Equal(t, rec.Expect, got)
		}
	}
}
