package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReconcileEveryLineOneRow feeds reconcile every kind of broken line,
// each followed by a good one, and checks that every input line gives
// exactly one output row: an answer, or an error with its line number.
// Above all, a stray quote does not swallow the lines after it.
func TestReconcileEveryLineOneRow(t *testing.T) {
	e := newEnv(t, nil)
	const ok, fine = "zalopay,230407_2554_demo_succeeded", "zalopay,230407_2554_demo_failed"
	lines := []struct {
		text string
		want string // the row's error message; "" for an answer
	}{
		{ok, ""},
		{`payermax,"pm-000110`, "not valid CSV: " + errUnclosedQuote.Error()},
		{fine, ""},
		{`zalopay,"broken"x`, `not valid CSV: extraneous or missing " in quoted-field`},
		{fine, ""},
		{`zalo"pay,x`, `not valid CSV: bare " in non-quoted-field`},
		{"", "line is empty"},
		{" \t ", "line is empty"},
		{"zalopay," + strings.Repeat("x", maxLineBytes+10), errLineTooLong.Error()},
		{fine, ""},
		{"zalopay,a,b", "has 3 fields, want 2 like the header"},
		{"newpay", "has 1 fields, want 2 like the header"},
		{`"zalopay","230407_2554_demo_succeeded"`, ""},
		{ok + "\r", ""}, // a CRLF line ending
		{fine, ""},      // the last line has no line ending
	}
	var in strings.Builder
	in.WriteString("provider,refund_id\n")
	for i, l := range lines {
		in.WriteString(l.text)
		if i < len(lines)-1 {
			in.WriteString("\n")
		}
	}
	input := writeFile(t, t.TempDir(), "in.csv", in.String())
	r := runCmd(t, "reconcile", "--config", e.config, "--input", input)
	require.Equal(t, exitOK, r.code, r.stderr)

	rows := readOutput(t, r.stdout)
	require.Len(t, rows, len(lines), "one output row per input line")
	for i, row := range rows {
		l := lines[i]
		require.Equal(t, strconv.Itoa(i+2), row[0], "line numbers, each once")
		if l.want == "" {
			assert.Empty(t, row[8], "line %s is answered: %v", row[0], row)
			assert.NotEmpty(t, row[3], "line %s has a status", row[0])
		} else {
			assert.Equal(t, []string{"invalid_request", l.want}, row[8:10], "line %s", row[0])
			assert.Contains(t, r.stderr, "line "+row[0]+": "+l.want)
		}
	}
	assert.Contains(t, r.stderr, "refundkit reconcile: 15 rows read, 15 written in ")
	assert.NotContains(t, r.stderr, "rows not written")
}

// TestReconcileInputCutShort checks that an input that cannot be read to
// its end fails the run, after writing the rows read before, and says
// where it stopped.
func TestReconcileInputCutShort(t *testing.T) {
	e := newEnv(t, nil)
	in := io.MultiReader(strings.NewReader("provider,refund_id\nzalopay,230407_2554_demo_succeeded\nzalopay,2304"),
		iotest.ErrReader(errors.New("disk gone")))
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"reconcile", "--config", e.config, "--input", "-"}, in, &out, &errOut)
	assert.Equal(t, exitFailure, code)
	assert.Len(t, readOutput(t, out.String()), 1)
	assert.Contains(t, errOut.String(), "refundkit reconcile: 1 rows read, 1 written in ")
	assert.Contains(t, errOut.String(), "refundkit: reconcile: read input: disk gone (line 3)\n")
}
