package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Rows as reconcile writes them, for an input with one passed-through
// column, n.
const (
	resumeHeader = "line,provider,refund_id,status,provider_status,amount,currency,verified,error_category,error_message,gave_up,n\n"
	resumeRow2   = "2,zalopay,230407_2554_demo_succeeded,succeeded,1,,,true,,,,a\n"
	resumeRow3   = "3,zalopay,230407_2554_demo_failed,failed,2,,,true,,,,b\n"
	resumeRow4   = "4,bogus,X,,,,,false,invalid_request,unknown provider,,c\n"
	resumeJSON2  = `{"line":2,"provider":"zalopay","refund_id":"R2","status":"succeeded","provider_status":"1","amount":null,"verified":true,"input":{"n":"a"}}` + "\n"
	resumeJSON3  = `{"line":3,"provider":"zalopay","refund_id":"R3","error":{"category":"not_found"},"input":{"n":"b"}}` + "\n"
)

// TestResumeReadsOutputFile checks what --resume makes of the output file
// an earlier run left: the lines it has rows for, how much of it is kept
// (a last row cut short is cut off), whether the CSV header is still to be
// written, and that a file that is not this input's output is an error
// and left as it is.
func TestResumeReadsOutputFile(t *testing.T) {
	for _, tc := range resumeReadCases {
		t.Run(tc.name, func(t *testing.T) { checkResumeRead(t, tc) })
	}
}

// resumeReadCase is one output file for TestResumeReadsOutputFile.
type resumeReadCase struct {
	name      string
	json      bool
	names     []string // the passed-through columns' output names
	inputSize int64
	file      string
	keep      string // the file after; "" with err
	lines     []int64
	header    bool   // the CSV header is still to be written
	err       string // the error, if it is one
}

var resumeReadCases = []resumeReadCase{
	{name: "empty", names: []string{"n"}, header: true},
	{name: "header only", names: []string{"n"}, file: resumeHeader, keep: resumeHeader},
	{name: "header cut short", names: []string{"n"}, file: resumeHeader[:20], header: true},
	{name: "whole rows", names: []string{"n"}, file: resumeHeader + resumeRow2 + resumeRow4 + resumeRow3,
		keep: resumeHeader + resumeRow2 + resumeRow4 + resumeRow3, lines: []int64{2, 3, 4}},
	{name: "partial last row", names: []string{"n"}, file: resumeHeader + resumeRow2 + resumeRow3[:17],
		keep: resumeHeader + resumeRow2, lines: []int64{2}},
	{name: "last row whole but for its newline", names: []string{"n"}, file: resumeHeader + resumeRow2 + strings.TrimSuffix(resumeRow3, "\n"),
		keep: resumeHeader + resumeRow2, lines: []int64{2}},
	{name: "last row cut inside a quoted field", names: []string{"n"}, file: resumeHeader + resumeRow2 + "3,zalopay,R3,,,,,false,temporary,\"two\n",
		keep: resumeHeader + resumeRow2, lines: []int64{2}},
	{name: "no passed-through columns", file: "line,provider,refund_id,status,provider_status,amount,currency,verified,error_category,error_message,gave_up\n2,zalopay,R2,pending,3,,,true,,,\n",
		keep: "line,provider,refund_id,status,provider_status,amount,currency,verified,error_category,error_message,gave_up\n2,zalopay,R2,pending,3,,,true,,,\n", lines: []int64{2}},
	{name: "header without the input's column", names: []string{"n", "order_id"}, file: resumeHeader + resumeRow2, err: "not the header this run writes"},
	{name: "header of another input", file: resumeHeader + resumeRow2, err: "not the header this run writes"},
	{name: "CSV with a bad row before the last", names: []string{"n"}, file: resumeHeader + resumeRow2[:17] + "\n" + resumeRow3, err: "row 1: has 3 fields"},
	{name: "CSV with a broken row before the last", names: []string{"n"}, file: resumeHeader + "2,\"x\"y,\n" + resumeRow3, err: "row 1: "},
	{name: "CSV with a whole last row that is not ours", names: []string{"n"}, file: resumeHeader + resumeRow2 + "3,zalopay,R3,done,,,,true,,,,b\n", err: `row 2: status "done"`},
	{name: "CSV with a line twice", names: []string{"n"}, file: resumeHeader + resumeRow2 + resumeRow2, err: "row 2: line 2: a second row for it"},
	{name: "CSV line beyond the input", names: []string{"n"}, inputSize: 1, file: resumeHeader + resumeRow3, err: "line 3: the input has no such data line"},
	{name: "CSV line 1", names: []string{"n"}, file: resumeHeader + "1" + resumeRow2[1:], err: "line 1: the input has no such data line"},
	{name: "some other CSV", names: []string{"n"}, file: "provider,refund_id,n\nzalopay,R1,a\n", err: "not the header this run writes"},
	{name: "JSON lines resumed as CSV", names: []string{"n"}, file: resumeJSON2, err: "resume with --json"},
	{name: "JSON", json: true, names: []string{"n"}, file: resumeJSON2 + resumeJSON3, keep: resumeJSON2 + resumeJSON3, lines: []int64{2, 3}},
	{name: "JSON empty", json: true, names: []string{"n"}},
	{name: "JSON partial last row", json: true, names: []string{"n"}, file: resumeJSON2 + resumeJSON3[:30], keep: resumeJSON2, lines: []int64{2}},
	{name: "JSON partial only row", json: true, names: []string{"n"}, file: resumeJSON3[:30]},
	{name: "JSON only row cut in its first bytes", json: true, names: []string{"n"}, file: `{"li`},
	{name: "JSON garbage after the last row", json: true, names: []string{"n"}, file: resumeJSON2 + "\x00\x00\x00\n", keep: resumeJSON2, lines: []int64{2}},
	{name: "JSON without the input's column", json: true, names: []string{"n", "order_id"}, file: resumeJSON2, err: `row 1: has 1 passed-through columns`},
	{name: "JSON of another input", json: true, file: resumeJSON2, err: `row 1: has 1 passed-through columns`},
	{name: "JSON broken before the last row", json: true, names: []string{"n"}, file: resumeJSON2[:30] + "\n" + resumeJSON3, err: "row 1: not valid JSON"},
	{name: "JSON not ours", json: true, file: `{"a":1}` + "\n", err: `row 1: no "line"`},
	{name: "JSON not ours, cut short", json: true, file: `{"a":1`, err: "row 1 is not one of reconcile's JSON rows"},
	{name: "not JSON at all", json: true, file: "hello\n", err: "row 1 is not one of reconcile's JSON rows"},
	{name: "CSV output resumed as JSON", json: true, names: []string{"n"}, file: resumeHeader + resumeRow2, err: "resume without --json"},
}

// checkResumeRead readies tc.file as --resume does and checks the outcome.
func checkResumeRead(t *testing.T, tc resumeReadCase) {
	name := writeFile(t, t.TempDir(), "out", tc.file)
	f, err := os.OpenFile(name, outputFlags(true), 0)
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	var notes bytes.Buffer
	s := &sink{errOut: &notes, names: tc.names}
	lines, header, err := s.resume(reconcileOptions{json: tc.json, inputSize: tc.inputSize, resume: &resumeFile{f: f, name: name}})
	after, rerr := os.ReadFile(name)
	require.NoError(t, rerr)
	if tc.err != "" {
		require.ErrorContains(t, err, tc.err)
		assert.ErrorContains(t, err, "is not reconcile output for this input (left as it is)")
		assert.Equal(t, tc.file, string(after), "the file is left as it is")
		return
	}
	require.NoError(t, err)
	assert.Equal(t, tc.keep, string(after))
	if !tc.json {
		assert.Equal(t, tc.header, header, "the CSV header is still to be written")
	}
	var got []int64
	for l := range int64(64) {
		if lines != nil && lines.has(l) {
			got = append(got, l)
		}
	}
	assert.Equal(t, tc.lines, got)
	assert.Equal(t, len(tc.file) != len(tc.keep), strings.Contains(notes.String(), "cut off its last row"), notes.String())
	pos, err := f.Seek(0, 1)
	require.NoError(t, err)
	assert.Equal(t, int64(len(tc.keep)), pos, "the run appends at the end of what is kept")
}

// TestResumeNeedsOutputFile: --resume has nothing to resume from on
// stdout.
func TestResumeNeedsOutputFile(t *testing.T) {
	for _, args := range [][]string{{}, {"--output", "-"}} {
		r := runCmd(t, append([]string{"reconcile", "--input", "in.csv", "--resume"}, args...)...)
		assert.Equal(t, exitUsage, r.code)
		assert.Contains(t, r.stderr, "--resume needs --output FILE")
	}
}

// TestLineSet checks the set of lines --resume skips: lines far apart,
// each with its mark, the first of which stays.
func TestLineSet(t *testing.T) {
	var s lineSet
	in := []int64{2, 63, 64, 127, 128, 1_000_003}
	for _, l := range in {
		assert.True(t, s.add(l, uint8(l)|1))
	}
	assert.False(t, s.add(64, 7), "already there")
	assert.Equal(t, uint8(65), s.mark(64), "the first mark stays")
	assert.Zero(t, s.mark(65))
	assert.Zero(t, s.mark(1<<40))
	assert.Equal(t, len(in), s.n)
	for l := range int64(1_000_010) {
		want := false
		for _, x := range in {
			want = want || x == l
		}
		if s.has(l) != want {
			t.Fatalf("has(%d) = %v", l, !want)
		}
	}
	assert.False(t, s.has(1<<40), "beyond the set")
	assert.Len(t, s.marks, 1_000_004, "one byte per line")
}

// TestRefundMark: a refund_id's mark is never 0 (no row), survives what
// JSON output does to bytes that are not UTF-8, and tells refund ids
// apart.
func TestRefundMark(t *testing.T) {
	assert.Equal(t, refundMark("R1\xff\xfe"), refundMark("R1\uFFFD\uFFFD"))
	seen := map[uint8]bool{}
	for i := range 5000 {
		m := refundMark(fmt.Sprintf("230407_2554_%d", i))
		require.NotZero(t, m)
		seen[m] = true
	}
	assert.Len(t, seen, 255, "every mark is used")
	assert.NotEqual(t, refundMark("230407_2554_demo_failed"), refundMark("230407_2554_demo_succeeded"))
}
