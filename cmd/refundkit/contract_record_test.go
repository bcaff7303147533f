package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/contract"
	"github.com/refundkit/refundkit/simulator"
)

// TestContractRecord records an exchange per provider, and one under a
// contract fault, and replays each: the recording holds no secret or
// identifier of the original, and replays to what the real answer gave.
func TestContractRecord(t *testing.T) {
	e := newEnv(t, nil)
	if dir := os.Getenv("REFUNDKIT_RECORD_DIR"); dir != "" {
		t.Logf("recording into %s", dir)
	}
	for _, p := range refundkit.Providers() {
		for _, f := range []simulator.Fault{simulator.FaultNone, simulator.FaultWrongType} {
			dir := t.TempDir()
			if d := os.Getenv("REFUNDKIT_RECORD_DIR"); d != "" {
				dir = d
			}
			e.sims[p].Faults().Next(1, f)
			id := simulator.DemoRefunds(p)[0].RefundID
			res := runCmd(t, "contract", "--provider", string(p), "--refund-id", id, "--config", e.config, "--record", dir, "--json")
			require.NotEqual(t, exitUsage, res.code, res.stderr)
			assert.NotContains(t, res.stderr, "note:", "the replay reads as the answer did")
			m := strings.TrimSpace(res.stderr[strings.Index(res.stderr, "recorded ")+len("recorded "):])
			path := strings.SplitN(m, "\n", 2)[0]
			raw, err := os.ReadFile(path)
			require.NoError(t, err)
			for _, secret := range e.identifiers(t, p, id) {
				assert.NotContains(t, string(raw), secret, "%s %s", p, f)
			}
			rec, err := contract.ReadRecording(path)
			require.NoError(t, err)
			got, err := rec.Replay()
			require.NoError(t, err)
			assert.Equal(t, rec.Expect, got)
			if f == simulator.FaultNone {
				assert.Equal(t, refundkit.StatusSucceeded, rec.Expect.Status, "%s", p)
			} else {
				assert.Equal(t, refundkit.CategoryInvalidResponse, rec.Expect.Error, "%s", p)
				assert.NotEmpty(t, rec.Findings)
			}
			info, err := os.Stat(path)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
			assert.Equal(t, filepath.Dir(path), filepath.Clean(dir))
		}
	}
}

// identifiers lists what must not appear in a recording of p: the refund
// id asked about, the configured app and merchant ids, ZaloPay's key1.
// A provider whose settings type it does not know fails the test, so a
// provider added later is checked too.
func (e *env) identifiers(t *testing.T, p refundkit.Provider, refundID string) []string {
	t.Helper()
	out := []string{refundID, e.keys.Key1}
	switch c := simulator.DemoConfig(e.keys, nil)[p].(type) {
	case simulator.NewPayConfig:
		out = append(out, c.AppID, c.MerchantID)
	case simulator.NewPay2Config:
		out = append(out, c.AppID, c.MchID)
	case simulator.PayerMaxConfig:
		out = append(out, c.AppID, c.MerchantNo)
	case simulator.AlphaPayConfig:
		out = append(out, c.MerchantCode)
	case simulator.ZaloPayConfig:
		// Its app_id is a small number that a body can hold by chance, and
		// its key1 is in out already.
	default:
		t.Fatalf("identifiers: no settings type known for %s (%T)", p, c)
	}
	return out
}
