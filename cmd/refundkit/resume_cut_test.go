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
	// A refund_id that is not UTF-8 too: JSON writes it otherwise.
	body := strings.SplitN(mixedCSV, "\n", 2)[1] + "zalopay,230407_\xff\xfe_x,\n"
	for i, l := range strings.Split(strings.Repeat(body, 3), "\n") {
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

// TestReconcileResumeRefusesAnotherInput resumes a finished run's output,
// cut short, with another input with the same header: a refund changed on
// one line, or two lines swapped. The run must end with an error, having
// written nothing.
func TestReconcileResumeRefusesAnotherInput(t *testing.T) {
	clients := newEnv(t, nil).clients(t)
	var rows []string
	for i := range 40 {
		rows = append(rows, fmt.Sprintf("zalopay,230407_2554_demo_succeeded_%d,%d\n", i, i))
	}
	input := "provider,refund_id,n\n" + strings.Join(rows, "")
	dir := t.TempDir()
	name := filepath.Join(dir, "out")
	resumeInProcess(t, clients, input, name, "csv")
	full, err := os.ReadFile(name)
	require.NoError(t, err)
	changed := strings.Replace(input, "_demo_succeeded_5,", "_demo_succeeded_x,", 1)
	swapped := "provider,refund_id,n\n" + strings.Join(append(append(append([]string{}, rows[:3]...), rows[4], rows[3]), rows[5:]...), "")
	for name, other := range map[string]string{"changed": changed, "swapped": swapped} {
		t.Run(name, func(t *testing.T) {
			file := writeFile(t, dir, name, string(full[:len(full)*2/3]))
			cut, err := os.ReadFile(file)
			require.NoError(t, err)
			f, err := os.OpenFile(file, outputFlags(true), 0)
			require.NoError(t, err)
			defer func() { _ = f.Close() }()
			_, err = reconcile(context.Background(), strings.NewReader(other), f, io.Discard, clients, reconcileOptions{
				concurrency: 4, resume: &resumeFile{f: f, name: file}})
			require.ErrorContains(t, err, "the output was written for another input, or the input has changed")
			after, err := os.ReadFile(file)
			require.NoError(t, err)
			assert.Equal(t, string(cut[:strings.LastIndexByte(string(cut), '\n')+1]), string(after), "nothing written")
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
