package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// resumeRows is how many input rows the kill test reconciles.
const resumeRows = 3000

// resumeStep is one run of the kill test: the signal it gets after a
// while (0: none, the run finishes), and how many bytes to tear off the
// output's end after it, as a write cut short would.
type resumeStep struct {
	resume bool
	sig    syscall.Signal
	after  time.Duration
	tear   bool
}

// resumeSteps are the kill test's runs: a plain run killed, then --resume
// runs killed (one leaving a torn row), interrupted, killed, and finished.
var resumeSteps = []resumeStep{
	{sig: syscall.SIGKILL, after: 400 * time.Millisecond},
	{resume: true, sig: syscall.SIGKILL, after: 500 * time.Millisecond, tear: true},
	{resume: true, sig: syscall.SIGINT, after: 400 * time.Millisecond},
	{resume: true, sig: syscall.SIGKILL, after: 300 * time.Millisecond},
	{resume: true},
}

// TestReconcileResumeAfterKill runs the real binary against a slow
// ZaloPay simulator, kills it with SIGKILL at several moments (once with
// the output's last row torn, as a kill during a write can leave it),
// interrupts one --resume run with SIGINT, and resumes until a run
// finishes. The output must then hold exactly one row per input line,
// none twice, each with its own input row's passed-through value, no "not
// asked" row; and every whole row the file held before a resume must be
// there byte for byte, in place.
func TestReconcileResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	config := slowZaloPay(t, dir, 3*time.Millisecond)
	input := writeFile(t, dir, "refunds.csv", resumeInput(resumeRows))
	steps := resumeSteps
	for _, tc := range []struct {
		name, format string
		args         []string
	}{
		{"csv", "csv", nil},
		{"json", "json", []string{"--json"}},
		{"until-final", "csv", []string{"--until-final", "--poll-delay", "20ms", "--max-age", "200ms"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			format := tc.format
			output := filepath.Join(dir, tc.name+"."+format)
			args := append([]string{"reconcile", "--config", config, "--input", input, "--output", output, "--concurrency", "4"}, tc.args...)
			// There, empty, even if the first run is killed before it
			// creates it.
			require.NoError(t, os.WriteFile(output, nil, 0o600))
			var before []string // the file's whole rows before each resume
			var stderr string
			var had int // whole rows before the last run
			for i, st := range steps {
				if st.resume {
					had = len(resumeRowsOf(t, format, output))
					b, err := os.ReadFile(output)
					require.NoError(t, err)
					before = append(before, string(b[:strings.LastIndexByte(string(b), '\n')+1]))
				}
				stderr = runStep(t, bin, args, st)
				rows := len(resumeRowsOf(t, format, output))
				t.Logf("run %d (%+v): %d rows", i+1, st, rows)
				if st.sig != 0 {
					require.Less(t, rows, resumeRows, "run %d was cut short", i+1)
				}
				if st.tear {
					tearLastRow(t, output)
				}
				if i > 0 && steps[i-1].tear {
					assert.Contains(t, stderr, "cut off its last row", "run %d", i+1)
				}
			}
			assert.Regexp(t, fmt.Sprintf(`already written +%d \(`, had), stderr, "the summary counts the rows the file had")
			final, err := os.ReadFile(output)
			require.NoError(t, err)
			for i, b := range before {
				require.True(t, strings.HasPrefix(string(final), b), "the rows before resume %d are kept byte for byte", i+1)
			}
			checkResumed(t, format, output, resumeRows, tc.name == "until-final")
		})
	}
}

// runStep runs the binary once as st says and returns its stderr.
func runStep(t *testing.T, bin string, args []string, st resumeStep) string {
	t.Helper()
	if st.resume {
		args = append(args, "--resume")
	}
	cmd := exec.Command(bin, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	if st.sig == 0 {
		require.NoError(t, cmd.Wait(), stderr.String())
		return stderr.String()
	}
	time.Sleep(st.after)
	require.NoError(t, cmd.Process.Signal(st.sig))
	_ = cmd.Wait()
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if st.sig == syscall.SIGKILL {
		require.True(t, ws.Signaled(), "killed mid-run: %s", stderr.String())
	} else {
		require.Equal(t, exitInterrupted, cmd.ProcessState.ExitCode(), stderr.String())
		require.Contains(t, stderr.String(), "(interrupted)")
	}
	return stderr.String()
}

// tearLastRow cuts the output's last row in half, as a kill in the middle
// of a write can leave it.
func tearLastRow(t *testing.T, name string) {
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	body := strings.TrimSuffix(string(b), "\n")
	last := len(body) - strings.LastIndexByte(body, '\n')
	require.NoError(t, os.Truncate(name, int64(len(b)-last/2)))
}

// checkResumed checks the output of the finished runs: one row for each of
// the n input lines, none twice, each with its input row's value of n;
// with untilFinal, every pending row given up.
func checkResumed(t *testing.T, format, name string, n int, untilFinal bool) {
	t.Helper()
	rows := resumeRowsOf(t, format, name)
	require.Len(t, rows, n)
	for line := int64(2); line < int64(n)+2; line++ {
		r, ok := rows[line]
		require.True(t, ok, "line %d has a row", line)
		assert.Equal(t, strconv.FormatInt(line-2, 10), r.n, "line %d's row is its own", line)
		assert.NotContains(t, r.raw, "not asked", "line %d was asked", line)
		if untilFinal && strings.Contains(r.raw, ",pending,") {
			// Only --until-final gives up; a run cut short writes no
			// pending answer whose polling it cut short.
			assert.True(t, r.gaveUp, "line %d: %s", line, r.raw)
		}
	}
}

// resumeRow is one output row: its passed-through n, and as written.
type resumeRow struct {
	n, raw string
	gaveUp bool
}

// resumeRowsOf reads the output's whole rows by line, failing on a line
// written twice. A CSV output has its header once, at the start.
func resumeRowsOf(t *testing.T, format, name string) map[int64]resumeRow {
	t.Helper()
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	text := string(b[:strings.LastIndexByte(string(b), '\n')+1])
	lines := strings.SplitAfter(text, "\n")
	lines = lines[:len(lines)-1]
	if format == "csv" && len(lines) > 0 {
		require.Equal(t, string(csvHeaderLine([]string{"n"})), lines[0])
		lines = lines[1:]
	}
	rows := map[int64]resumeRow{}
	for _, raw := range lines {
		line, n, gaveUp := resumeFields(t, format, raw)
		_, twice := rows[line]
		require.False(t, twice, "line %d written twice", line)
		rows[line] = resumeRow{n: n, raw: raw, gaveUp: gaveUp}
	}
	return rows
}

// resumeFields returns one output row's line, passed-through n and
// gave_up.
func resumeFields(t *testing.T, format, raw string) (int64, string, bool) {
	if format == "json" {
		var v struct {
			Line  int64             `json:"line"`
			Input map[string]string `json:"input"`
		}
		require.NoError(t, json.Unmarshal([]byte(raw), &v), raw)
		return v.Line, v.Input["n"], false
	}
	rec := strings.Split(strings.TrimSuffix(raw, "\n"), ",")
	line, err := strconv.ParseInt(rec[0], 10, 64)
	require.NoError(t, err, raw)
	return line, rec[len(rec)-1], rec[len(rec)-2] == "true"
}

// resumeInput is n input rows, each with its own n: ZaloPay's demo
// refunds in turn, an unknown one, and bad rows now and then.
func resumeInput(n int) string {
	ids := []string{"230407_2554_demo_succeeded", "230407_2554_demo_pending", "230407_2554_demo_failed",
		"230407_2554_demo_unknown", "230407_2554_nosuchrefund"}
	var b strings.Builder
	b.WriteString("provider,refund_id,n\n")
	for i := range n {
		switch {
		case i%97 == 5:
			fmt.Fprintf(&b, "bogus,X%d,%d\n", i, i)
		case i%89 == 7:
			fmt.Fprintf(&b, "zalopay,,%d\n", i)
		default:
			fmt.Fprintf(&b, "zalopay,%s,%d\n", ids[i%len(ids)], i)
		}
	}
	return b.String()
}

// slowZaloPay starts a ZaloPay simulator that waits delay before each
// answer, and writes a config for it into dir.
func slowZaloPay(t *testing.T, dir string, delay time.Duration) string {
	keys, err := testKeys()
	require.NoError(t, err)
	files, err := keys.WriteFiles(dir)
	require.NoError(t, err)
	sim, err := simulator.New(simulator.DemoConfig(keys, nil)[refundkit.ZaloPay])
	require.NoError(t, err)
	require.NoError(t, sim.Seed(simulator.DemoRefunds(refundkit.ZaloPay)...))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	cfg := newConfig(nil)
	simulatorSection(cfg, refundkit.ZaloPay, srv.URL, keys, files)
	body, err := cfg.marshal()
	require.NoError(t, err)
	return writeFile(t, dir, "refundkit.yaml", string(body))
}
