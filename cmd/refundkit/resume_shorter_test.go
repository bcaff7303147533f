package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReconcileResumeRefusesShorterInput resumes a finished run's output,
// cut short, with the same input cut short: the output has rows for lines
// the input no longer has, so the result cannot be one row per input
// line, and the run must end with an error.
func TestReconcileResumeRefusesShorterInput(t *testing.T) {
	clients := newEnv(t, nil).clients(t)
	var rows []string
	for i := range 40 {
		rows = append(rows, fmt.Sprintf("zalopay,230407_2554_demo_succeeded_%d,%d\n", i, i))
	}
	input := "provider,refund_id,n\n" + strings.Join(rows, "")
	name := filepath.Join(t.TempDir(), "out")
	resumeInProcess(t, clients, input, name, "csv")
	f, err := os.OpenFile(name, outputFlags(true), 0)
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	shorter := "provider,refund_id,n\n" + strings.Join(rows[:10], "")
	_, err = reconcile(context.Background(), strings.NewReader(shorter), f, io.Discard, clients, reconcileOptions{
		concurrency: 4, resume: &resumeFile{f: f, name: name}})
	require.Error(t, err, "the output has rows for lines 12 to 41, which the input does not have")
	assert.Contains(t, err.Error(), "the input has no line 41")
}

// TestReconcileResumeCRLFInput resumes, from cuts, a run over an input
// whose lines end in CRLF, as spreadsheet exports write them.
func TestReconcileResumeCRLFInput(t *testing.T) {
	clients := newEnv(t, nil).clients(t)
	input := "provider,refund_id,provider_refund_id,n\r\n"
	for _, l := range strings.Split(strings.SplitN(mixedCSV, "\n", 2)[1], "\n") {
		if l != "" {
			input += l + ",x\r\n"
		}
	}
	dir := t.TempDir()
	fullName := filepath.Join(dir, "full")
	resumeInProcess(t, clients, input, fullName, "csv")
	full, err := os.ReadFile(fullName)
	require.NoError(t, err)
	want := resumeRowsOf(t, "csv", fullName)
	for i, cut := range resumeCuts(string(full)) {
		name := filepath.Join(dir, fmt.Sprint(i))
		require.NoError(t, os.WriteFile(name, full[:cut], 0o600))
		resumeInProcess(t, clients, input, name, "csv")
		assert.Equal(t, want, resumeRowsOf(t, "csv", name), "cut at %d", cut)
	}
}

// TestReconcileResumeRefusesAnotherInputLate resumes, with a slow
// provider, a file with rows for lines 2 and 41 only, with an input whose
// line 41 is another refund: the run must end with an error having written
// nothing, though it asks about lines 3 to 40 for longer than a batch
// waits (the rows are held until the input is read past the file's last
// row).
func TestReconcileResumeRefusesAnotherInputLate(t *testing.T) {
	dir := t.TempDir()
	config := slowZaloPay(t, dir, 20*time.Millisecond)
	var rows []string
	for i := range 40 {
		rows = append(rows, fmt.Sprintf("zalopay,230407_2554_demo_succeeded_%d,%d\n", i, i))
	}
	input := writeFile(t, dir, "in.csv", "provider,refund_id,n\n"+strings.Join(rows, ""))
	out := filepath.Join(dir, "out.csv")
	args := []string{"reconcile", "--config", config, "--input", input, "--output", out, "--concurrency", "4"}
	require.Equal(t, exitOK, runCmd(t, args...).code)
	full, err := os.ReadFile(out)
	require.NoError(t, err)
	var kept string
	for _, l := range strings.SplitAfter(string(full), "\n") {
		if strings.HasPrefix(l, "line,") || strings.HasPrefix(l, "2,") || strings.HasPrefix(l, "41,") {
			kept += l
		}
	}
	require.NoError(t, os.WriteFile(out, []byte(kept), 0o600))
	rows[39] = "zalopay,230407_2554_demo_succeeded_x,39\n"
	writeFile(t, dir, "in.csv", "provider,refund_id,n\n"+strings.Join(rows, ""))
	res := runCmd(t, append(args, "--resume")...)
	assert.Equal(t, 1, res.code, "%s", res.stderr)
	assert.Contains(t, res.stderr, "the output's row for line 41 is not for refund_id")
	after, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, kept, string(after), "nothing written")
}
