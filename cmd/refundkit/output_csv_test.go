package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// TestReconcileCSVNoFormulas checks that provider-controlled text that a
// spreadsheet would run as a formula (a status or message starting with =,
// +, -, @, a tab or a carriage return) is written inert in CSV output, and
// exactly in JSON output.
func TestReconcileCSVNoFormulas(t *testing.T) {
	statuses := []string{"=1+1", "+1", "-1", "@SUM(A1)", "\tTAB", "\rCR", "OK=1"}
	const message = `=HYPERLINK("http://evil.example","open")`
	e := newEnv(t, func(p refundkit.Provider) []simulator.Refund {
		switch p {
		case refundkit.AlphaPay:
			var rs []simulator.Refund
			for i, st := range statuses {
				rs = append(rs, simulator.Refund{RefundID: "formula-" + string(rune('a'+i)), Status: st, Amount: "100", Currency: "CAD"})
			}
			return rs
		case refundkit.ZaloPay:
			return []simulator.Refund{{RefundID: "230407_2554_formula", Status: "2", SubStatus: "-401", SubMessage: message}}
		}
		return nil
	})
	var in strings.Builder
	in.WriteString("provider,refund_id\n")
	for i := range statuses {
		in.WriteString("alphapay,formula-" + string(rune('a'+i)) + "\n")
	}
	in.WriteString("zalopay,230407_2554_formula\n")
	input := writeFile(t, t.TempDir(), "in.csv", in.String())

	r := runCmd(t, "reconcile", "--config", e.config, "--input", input)
	require.Equal(t, exitOK, r.code, r.stderr)
	rows := readOutput(t, r.stdout)
	require.Len(t, rows, len(statuses)+1)
	want := []string{"'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tTAB", "'\rCR", "OK=1"}
	for i, w := range want {
		assert.Equal(t, []string{"unknown", w}, rows[i][3:5], "line %s", rows[i][0])
	}
	zalo := rows[len(statuses)]
	assert.Equal(t, []string{"invalid_request", "'" + message}, zalo[8:10])

	r = runCmd(t, "reconcile", "--config", e.config, "--input", input, "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	got := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var v struct {
			RefundID       string `json:"refund_id"`
			ProviderStatus string `json:"provider_status"`
			Error          struct{ Message string }
		}
		require.NoError(t, json.Unmarshal([]byte(l), &v))
		got[v.RefundID] = v.ProviderStatus + v.Error.Message
	}
	for i, st := range statuses {
		assert.Equal(t, st, got["formula-"+string(rune('a'+i))], "JSON stays exact")
	}
	assert.Equal(t, message, got["230407_2554_formula"])
}
