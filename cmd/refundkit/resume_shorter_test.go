package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
