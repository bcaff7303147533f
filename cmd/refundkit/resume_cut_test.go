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

	"github.com/refundkit/refundkit"
)

// TestReconcileResumeFromAnyCut cuts a finished run's output at row
// boundaries and in the middle of rows, as a kill would leave it at any
// moment, and resumes from each: the result must hold the same rows as
// the finished run, one per line, the cut file's whole rows unchanged at
// its start, and the summary must count them as already written. The
// input has every kind of bad row, and its rows answer in another order
// than they are read, so that the rows a cut keeps are not a run of lines.
func TestReconcileResumeFromAnyCut(t *testing.T) {
	clients := newEnv(t, nil).clients(t)
	var input strings.Builder
	input.WriteString("provider,refund_id,provider_refund_id,n\n")
	for i, l := range strings.Split(strings.Repeat(strings.SplitN(mixedCSV, "\n", 2)[1], 3), "\n") {
		if l != "" {
			fmt.Fprintf(&input, "%s,%d\n", l, i)
		}
	}
	for _, format := range []string{"csv", "json"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			fullName := filepath.Join(dir, "full")
			sum := resumeInProcess(t, clients, input.String(), fullName, format)
			assert.Zero(t, sum.already, "a missing file makes a normal run")
			full, err := os.ReadFile(fullName)
			require.NoError(t, err)
			want := resumeRowsOf(t, format, fullName)
			require.Len(t, want, sum.rows)
			for i, cut := range resumeCuts(string(full)) {
				name := filepath.Join(dir, fmt.Sprint(i))
				require.NoError(t, os.WriteFile(name, full[:cut], 0o600))
				had := resumeRowsOf(t, format, name)
				sum := resumeInProcess(t, clients, input.String(), name, format)
				got, err := os.ReadFile(name)
				require.NoError(t, err)
				whole := strings.LastIndexByte(string(full[:cut]), '\n') + 1
				require.True(t, strings.HasPrefix(string(got), string(full[:whole])), "cut at %d: the whole rows are kept", cut)
				assert.Equal(t, want, resumeRowsOf(t, format, name), "cut at %d", cut)
				assert.Equal(t, len(had), sum.already, "cut at %d: rows already written", cut)
				assert.Equal(t, len(want)-len(had), sum.rows, "cut at %d: rows written", cut)
			}
		})
	}
}

// resumeCuts are offsets to cut a finished output at: every third row
// boundary, the middle of the row after it, and the very start and end.
func resumeCuts(full string) []int {
	cuts := []int{0, 5, len(full)}
	at := 0
	for i, row := range strings.SplitAfter(full, "\n") {
		if i%3 == 0 && at+len(row) < len(full) {
			cuts = append(cuts, at+len(row), at+len(row)+1)
		}
		if i%3 == 1 {
			cuts = append(cuts, at+len(row)/2)
		}
		at += len(row)
	}
	return cuts
}

// resumeInProcess runs reconcile --resume on input in this process,
// writing to name in format, and returns its summary.
func resumeInProcess(t *testing.T, clients []refundkit.Inquirer, input, name, format string) summary {
	t.Helper()
	f, err := os.OpenFile(name, outputFlags(true), 0o600)
	require.NoError(t, err)
	defer func() { require.NoError(t, f.Close()) }()
	sum, err := reconcile(context.Background(), strings.NewReader(input), f, io.Discard, clients, reconcileOptions{
		concurrency: 4, json: format == "json", inputSize: int64(len(input)), resume: &resumeFile{f: f, name: name}})
	require.NoError(t, err)
	return sum
}
