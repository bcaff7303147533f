package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReconcileInterruptedKeepsAnsweredRows runs the real binary, fed
// through a pipe that stays open, and checks what batched output (batch.go)
// promises: answered rows reach the output file within flushEvery while
// the run goes on, a SIGINT or SIGTERM ends the run with a row written for
// every row read (none lost, none twice), and a SIGKILL leaves whole rows
// only, every row flushed before it still there.
func TestReconcileInterruptedKeepsAnsweredRows(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	e := newEnv(t, nil)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			output := filepath.Join(t.TempDir(), "results.csv")
			cmd := exec.Command(bin, "reconcile", "--config", e.config, "--input", "-", "--output", output)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			stdin, err := cmd.StdinPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			t.Cleanup(func() { _ = cmd.Process.Kill() })
			feed := func(from, n int) {
				var b strings.Builder
				for i := range n {
					fmt.Fprintf(&b, "zalopay,230407_2554_demo_succeeded,%d\n", from+i)
				}
				_, err := io.WriteString(stdin, b.String())
				require.NoError(t, err)
			}
			_, err = io.WriteString(stdin, "provider,refund_id,n\n")
			require.NoError(t, err)
			feed(0, 20)
			// The run waits for more input; its answers must not.
			require.Eventually(t, func() bool { return countRows(t, output) == 20 }, 10*time.Second, 10*time.Millisecond,
				"answered rows are written within flushEvery, not at the end")
			feed(20, 300) // some answered, some in flight, some not yet read
			require.NoError(t, cmd.Process.Signal(sig))
			err = cmd.Wait()
			got := readOutputFile(t, output)
			seen := map[string]bool{}
			for _, r := range got {
				require.False(t, seen[r[0]], "line %s written twice", r[0])
				seen[r[0]] = true
			}
			for line := 2; line < 22; line++ {
				assert.True(t, seen[fmt.Sprint(line)], "the answered row of line %d is in the output", line)
			}
			if sig == syscall.SIGKILL {
				require.Error(t, err)
				return
			}
			require.Equal(t, exitInterrupted, cmd.ProcessState.ExitCode(), stderr.String())
			read := 0
			_, err = fmt.Sscanf(stderr.String()[strings.Index(stderr.String(), "(interrupted): "):], "(interrupted): %d rows read", &read)
			require.NoError(t, err, stderr.String())
			assert.GreaterOrEqual(t, read, 20)
			assert.Len(t, got, read, "a row written for every row read: %s", stderr.String())
		})
	}
}

// countRows counts the whole rows in reconcile's CSV output file so far,
// header aside.
func countRows(t *testing.T, name string) int {
	b, err := os.ReadFile(name)
	if err != nil || len(b) == 0 {
		return 0
	}
	return strings.Count(string(b), "\n") - 1
}

// readOutputFile parses a CSV output file, which must end with a whole row.
func readOutputFile(t *testing.T, name string) [][]string {
	t.Helper()
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	require.True(t, len(b) == 0 || strings.HasSuffix(string(b), "\n"), "the output ends at a row boundary")
	if len(b) == 0 {
		return nil
	}
	return readOutput(t, string(b))
}
