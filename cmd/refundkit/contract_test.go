package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/contract"
	"github.com/refundkit/refundkit/simulator"
)

// contractOut is one line of contract --json.
type contractOut struct {
	Provider  string          `json:"provider"`
	RefundID  string          `json:"refund_id"`
	Conforms  bool            `json:"conforms"`
	Result    json.RawMessage `json:"result"`
	Exchanges []struct {
		Status     int                `json:"status"`
		Error      string             `json:"error"`
		Violations []contract.Finding `json:"violations"`
		Undeclared []contract.Finding `json:"undeclared"`
	} `json:"exchanges"`
}

func decodeContract(t *testing.T, stdout string) []contractOut {
	t.Helper()
	var out []contractOut
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var o contractOut
		require.NoError(t, json.Unmarshal([]byte(line), &o), line)
		out = append(out, o)
	}
	return out
}

// TestContractConforms checks every demo refund of every simulator: each
// answer conforms to the spec, with nothing undeclared.
func TestContractConforms(t *testing.T) {
	e := newEnv(t, nil)
	for _, p := range refundkit.Providers() {
		for _, r := range simulator.DemoRefunds(p) {
			res := runCmd(t, "contract", "--provider", string(p), "--refund-id", r.RefundID, "--config", e.config, "--json", "--strict")
			require.Equal(t, exitOK, res.code, "%s %s: %s%s", p, r.RefundID, res.stdout, res.stderr)
			out := decodeContract(t, res.stdout)
			require.Len(t, out, 1)
			assert.True(t, out[0].Conforms)
			require.Len(t, out[0].Exchanges, 1)
			assert.Empty(t, out[0].Exchanges[0].Violations)
			assert.Empty(t, out[0].Exchanges[0].Undeclared)
			assert.Contains(t, string(out[0].Result), `"provider":"`+string(p)+`"`)
		}
	}
}

// TestContractFaults runs every contract fault of every simulator through
// the command: each deviation is named by the exact member the simulator
// changed, undeclared members are listed apart (failing only with
// --strict), and the inquiry's result is still shown.
func TestContractFaults(t *testing.T) {
	e := newEnv(t, nil)
	for _, p := range refundkit.Providers() {
		id := simulator.DemoRefunds(p)[0].RefundID
		for _, f := range simulator.ContractFaults() {
			for _, strict := range []bool{false, true} {
				e.sims[p].Faults().Next(1, f)
				args := []string{"contract", "--provider", string(p), "--refund-id", id, "--config", e.config, "--json"}
				if strict {
					args = append(args, "--strict")
				}
				res := runCmd(t, args...)
				out := decodeContract(t, res.stdout)
				require.Len(t, out, 1, "%s %s", p, f)
				require.Len(t, out[0].Exchanges, 1)
				ex := out[0].Exchanges[0]
				assert.NotEmpty(t, out[0].Result, "the result is shown")
				member := simulator.DeviatedMember(p, f)
				switch {
				case f == simulator.FaultUndeclaredMember:
					assert.Empty(t, ex.Violations)
					require.Len(t, ex.Undeclared, 1)
					assert.Equal(t, contract.Finding{Side: contract.Response, Kind: contract.Undeclared, Where: member, Message: "member not in the spec"}, ex.Undeclared[0])
					assert.Equal(t, map[bool]int{false: exitOK, true: exitFailure}[strict], res.code, "%s %s strict=%v", p, f, strict)
				case f == simulator.FaultWrongContentType:
					require.Len(t, ex.Violations, 1, "%s %s", p, f)
					assert.Equal(t, "header Content-Type", ex.Violations[0].Where)
					assert.Equal(t, exitFailure, res.code)
				case member == "":
					assert.Empty(t, ex.Violations, "%s %s changes nothing", p, f)
					assert.Equal(t, exitOK, res.code)
				default:
					require.Len(t, ex.Violations, 1, "%s %s: %v", p, f, ex.Violations)
					assert.Equal(t, member, ex.Violations[0].Where, "%s %s", p, f)
					assert.Equal(t, contract.Response, ex.Violations[0].Side)
					assert.Equal(t, exitFailure, res.code)
					assert.False(t, out[0].Conforms)
				}
			}
		}
	}
}

// TestContractText checks the text report: the result line, the
// violation with its member and what is wrong, the summary.
func TestContractText(t *testing.T) {
	e := newEnv(t, nil)
	e.sims[refundkit.PayerMax].Faults().Next(1, simulator.FaultMissingRequired)
	res := runCmd(t, "contract", "--provider", "payermax", "--refund-id", "demo-payermax-succeeded", "--config", e.config)
	assert.Equal(t, exitFailure, res.code)
	assert.Contains(t, res.stdout, "payermax demo-payermax-succeeded: succeeded (provider status REFUND_SUCCESS, amount 10000 IDR, verified yes)\n")
	assert.Contains(t, res.stdout, "HTTP 200, 1 violation\n    response /msg: missing (required)\n")
	assert.Contains(t, res.stderr, "1 inquiry, 1 exchange checked: 1 violation, 0 undeclared members or headers")

	e.sims[refundkit.ZaloPay].Faults().Next(1, simulator.FaultUndeclaredMember)
	res = runCmd(t, "contract", "--provider", "zalopay", "--refund-id", "230407_2554_demo_succeeded", "--config", e.config)
	assert.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "conforms to the spec\n    the provider sends what the spec does not know:\n      response /simulatorUndeclared: member not in the spec\n")
}

// TestContractInput checks many refunds from a CSV file: every row gets a
// report, a bad row is reported and fails the run, and a deviation in one
// answer fails it too.
func TestContractInput(t *testing.T) {
	e := newEnv(t, nil)
	csv := "provider,refund_id\nnewpay,demo-newpay-succeeded\nalphapay,demo-alphapay-succeeded\nzalopay,230407_2554_demo_succeeded\n"
	in := writeFile(t, e.dir, "refunds.csv", csv)
	res := runCmd(t, "contract", "--input", in, "--config", e.config, "--json")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Len(t, decodeContract(t, res.stdout), 3)
	assert.Contains(t, res.stderr, "3 inquiries, 3 exchanges checked: 0 violations")

	e.sims[refundkit.AlphaPay].Faults().Next(1, simulator.FaultWrongType)
	bad := writeFile(t, e.dir, "bad.csv", csv+"nopay,x\n")
	res = runCmd(t, "contract", "--input", bad, "--config", e.config, "--json")
	assert.Equal(t, exitFailure, res.code)
	out := decodeContract(t, res.stdout)
	require.Len(t, out, 4)
	assert.False(t, out[1].Conforms)
	assert.Equal(t, "/result/resultStatus", out[1].Exchanges[0].Violations[0].Where)
	assert.Empty(t, out[3].Exchanges, "a bad row sends nothing")
	assert.Contains(t, string(out[3].Result), "unknown provider")
	assert.Contains(t, res.stderr, "1 inquiry could not be checked")
}

func TestContractUsage(t *testing.T) {
	for name, args := range map[string][]string{
		"nothing":             {},
		"no refund id":        {"--provider", "newpay"},
		"input and provider":  {"--input", "x.csv", "--provider", "newpay"},
		"foreign flag":        {"--provider", "newpay", "--refund-id", "x", "--refund-request-id", "y"},
		"unknown provider":    {"--provider", "nopay", "--refund-id", "x"},
		"positional":          {"--provider", "newpay", "--refund-id", "x", "extra"},
		"listen and provider": {"--listen", "127.0.0.1:0", "--provider", "newpay", "--refund-id", "x"},
		"count alone":         {"--provider", "newpay", "--refund-id", "x", "--count", "2"},
		"negative count":      {"--listen", "127.0.0.1:0", "--count", "-1"},
	} {
		res := runCmd(t, append([]string{"contract"}, args...)...)
		assert.Equal(t, exitUsage, res.code, name)
		assert.Contains(t, res.stderr, "Usage: refundkit contract", name)
	}
	res := runCmd(t, "contract", "-h")
	assert.Equal(t, exitOK, res.code)
	assert.Contains(t, res.stdout, "Members and headers the spec does not declare")
}
