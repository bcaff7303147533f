package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
	"github.com/refundkit/refundkit/simulator"
)

// mixedCSV has a good row for every provider, every kind of bad row, and a
// refund no provider knows.
const mixedCSV = `provider,refund_id,provider_refund_id
newpay,demo-newpay-succeeded,
payermax,demo-payermax-pending,
payermax,,20220117091657TI790000055003
zalopay,230407_2554_demo_failed,
alphapay,demo-alphapay-unknown,
paypal,R1,
newpay,,
zalopay,x
newpay,R1,T1
alphapay,no-such-refund,
zalopay,"broken"x,
 AlphaPay , demo-alphapay-succeeded ,
`

// mixedWant is mixedCSV's output, by line.
var mixedWant = [][]string{
	{"2", "newpay", "demo-newpay-succeeded", "succeeded", "1", "50000", "LAK", "true", "", "", ""},
	{"3", "payermax", "demo-payermax-pending", "pending", "REFUND_PENDING", "12345678901234.5678", "USD", "true", "", "", ""},
	{"4", "payermax", "", "failed", "REFUND_FAILED", "10000", "IDR", "true", "", "", ""},
	{"5", "zalopay", "230407_2554_demo_failed", "failed", "2", "", "", "false", "", "", ""},
	{"6", "alphapay", "demo-alphapay-unknown", "unknown", "REFUND_REVERSED", "1.00", "CAD", "true", "", "", ""},
	{"7", "paypal", "R1", "", "", "", "", "false", "invalid_request", `unknown provider "paypal" (want ` + providerList() + `)`, ""},
	{"8", "newpay", "", "", "", "", "", "false", "invalid_request", "refund_id is empty", ""},
	{"9", "zalopay", "x", "", "", "", "", "false", "invalid_request", "has 2 fields, want 3 like the header", ""},
	{"10", "newpay", "R1", "", "", "", "", "false", "invalid_request", "provider_refund_id is PayerMax's refundTradeNo; newpay does not take it", ""},
	{"11", "alphapay", "no-such-refund", "", "", "", "", "true", "not_found", "refund does not exist", ""},
	{"12", "", "", "", "", "", "", "false", "invalid_request", `not valid CSV: extraneous or missing " in quoted-field`, ""},
	{"13", "alphapay", "demo-alphapay-succeeded", "succeeded", "SUCCESS", "1.00", "CAD", "true", "", "", ""},
}

// readOutput parses reconcile's CSV output, checks the header, and returns
// the rows sorted by line.
func readOutput(t *testing.T, out string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	require.GreaterOrEqual(t, len(recs[0]), len(csvHeader))
	require.Equal(t, csvHeader, recs[0][:len(csvHeader)], "reconcile's columns first, then any passed through")
	rows := recs[1:]
	sort.Slice(rows, func(i, j int) bool { return lineOf(t, rows[i]) < lineOf(t, rows[j]) })
	return rows
}

func lineOf(t *testing.T, rec []string) int {
	n, err := strconv.Atoi(rec[0])
	require.NoError(t, err)
	return n
}

func TestReconcileMixedRows(t *testing.T) {
	e := newEnv(t, nil)
	var out, errOut bytes.Buffer
	sum, err := reconcile(context.Background(), strings.NewReader(mixedCSV), &out, &errOut, e.clients(t), reconcileOptions{concurrency: 4})
	require.NoError(t, err)

	assert.Equal(t, mixedWant, readOutput(t, out.String()))
	assert.Equal(t, `refundkit reconcile: line 7: unknown provider "paypal" (want `+providerList()+`)
refundkit reconcile: line 8: refund_id is empty
refundkit reconcile: line 9: has 2 fields, want 3 like the header
refundkit reconcile: line 10: provider_refund_id is PayerMax's refundTradeNo; newpay does not take it
refundkit reconcile: line 12: not valid CSV: extraneous or missing " in quoted-field
`, errOut.String(), "bad rows on stderr with their lines, in input order")

	assert.Equal(t, 12, sum.rows)
	assert.Equal(t, 5, sum.badRows)
	assert.Equal(t, 7, sum.inquiries, "bad rows are never asked about")
	assert.Equal(t, map[refundkit.Status]int{"succeeded": 2, "pending": 1, "failed": 2, "unknown": 1}, sum.statuses)
	assert.Equal(t, map[refundkit.Category]int{"invalid_request": 5, "not_found": 1}, sum.errors)

	var text bytes.Buffer
	sum.write(&text, false)
	for _, want := range []string{"refundkit reconcile: 12 rows read, 12 written in ", ", 7 inquiries\n",
		"  succeeded            2\n", "  pending              1\n", "  failed               2\n", "  unknown              1\n",
		"  errors               6\n", "    invalid_request    5 (5 bad input rows)\n", "    not_found          1\n"} {
		assert.Contains(t, text.String(), want)
	}
	assert.NotContains(t, text.String(), "rate_limited", "only categories that occurred")
}

func TestReconcileJSONLines(t *testing.T) {
	e := newEnv(t, nil)
	var out bytes.Buffer
	_, err := reconcile(context.Background(), strings.NewReader(mixedCSV), &out, io.Discard, e.clients(t), reconcileOptions{concurrency: 2, json: true})
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, len(mixedWant))
	byLine := map[int]string{}
	for _, l := range lines {
		var v struct{ Line int }
		require.NoError(t, json.Unmarshal([]byte(l), &v), l)
		byLine[v.Line] = l
	}
	assert.Equal(t, `{"line":3,"provider":"payermax","refund_id":"demo-payermax-pending","status":"pending","provider_status":"REFUND_PENDING","amount":{"value":"12345678901234.5678","currency":"USD"},"verified":true}`, byLine[3])
	assert.Equal(t, `{"line":5,"provider":"zalopay","refund_id":"230407_2554_demo_failed","status":"failed","provider_status":"2","amount":null,"verified":false}`, byLine[5])
	assert.Equal(t, `{"line":11,"provider":"alphapay","refund_id":"no-such-refund","error":{"category":"not_found","provider_code":"REFUND_NOT_EXIST","message":"refund does not exist","provider_message":"refund does not exist","explanation":"refund not found: provider code \"REFUND_NOT_EXIST\"","http_status":200,"attempts":1,"verified":true}}`, byLine[11])
	assert.Equal(t, `{"line":8,"provider":"newpay","refund_id":"","error":{"category":"invalid_request","provider_code":"","message":"refund_id is empty","provider_message":"","explanation":"refund_id is empty","http_status":0,"attempts":0,"verified":false}}`, byLine[8])
}

func TestReconcileCommand(t *testing.T) {
	e := newEnv(t, nil)
	input := writeFile(t, t.TempDir(), "refunds.csv", "\xef\xbb\xbf"+mixedCSV) // with a byte order mark
	output := filepath.Join(t.TempDir(), "results.csv")

	t.Run("to a file", func(t *testing.T) {
		r := runCmd(t, "reconcile", "--config", e.config, "--input", input, "--output", output, "--concurrency", "3")
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Empty(t, r.stdout)
		got, err := os.ReadFile(output)
		require.NoError(t, err)
		assert.Equal(t, mixedWant, readOutput(t, string(got)))
		assert.Contains(t, r.stderr, "refundkit reconcile: line 9: has 2 fields")
		assert.Contains(t, r.stderr, "refundkit reconcile: 12 rows read, 12 written in ")
		assert.NotContains(t, r.stderr, "\r", "no progress line when stderr is not a terminal")
	})
	t.Run("from stdin to stdout", func(t *testing.T) {
		r := runCmdIn(t, context.Background(), mixedCSV, "reconcile", "--config", e.config, "--input", "-")
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Equal(t, mixedWant, readOutput(t, r.stdout))
	})
	t.Run("json to stdout", func(t *testing.T) {
		r := runCmd(t, "reconcile", "--config", e.config, "--input", input, "--json")
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Equal(t, len(mixedWant), strings.Count(r.stdout, "\n"))
		assert.True(t, strings.HasPrefix(r.stdout, `{"line":`), r.stdout)
	})
	t.Run("interrupted", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r := runCmdIn(t, ctx, "", "reconcile", "--config", e.config, "--input", input)
		assert.Equal(t, exitInterrupted, r.code)
		assert.Contains(t, r.stderr, "refundkit reconcile (interrupted): 1 rows read, 1 written in ")
		assert.Equal(t, [][]string{{"2", "newpay", "demo-newpay-succeeded", "", "", "", "", "false", "temporary",
			"temporary failure: not asked: the run ended first: context canceled", ""}},
			readOutput(t, r.stdout), "the row read is reported, not dropped")
	})
}

func TestReconcileFatal(t *testing.T) {
	e := newEnv(t, nil)
	dir := t.TempDir()
	tests := []struct {
		name  string
		input string // file content; "" means no file at all
		args  []string
		want  string
	}{
		{"missing input", "", nil, "refundkit: reconcile: input: open "},
		{"empty input", "\n", nil, "input is empty: want a header line provider,refund_id[,provider_refund_id]"},
		{"missing column", "provider,provider_refund_id\n", nil, "input header: want the columns provider and refund_id"},
		{"repeated column", "provider,refund_id,provider\n", nil, `input header: column "provider" appears twice`},
		{"output is the input", "provider,refund_id\n", []string{"--output", "SELF"}, "is the input file"},
		{"no config", "provider,refund_id\n", []string{"--config", filepath.Join(dir, "none.yaml")}, "does not exist"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := filepath.Join(dir, fmt.Sprintf("in%d.csv", i))
			if tt.input != "" {
				writeFile(t, dir, filepath.Base(input), tt.input)
			}
			args := []string{"reconcile", "--config", e.config, "--input", input}
			for _, a := range tt.args {
				args = append(args, strings.ReplaceAll(a, "SELF", input))
			}
			r := runCmd(t, args...)
			assert.Equal(t, exitFailure, r.code)
			assert.Contains(t, r.stderr, tt.want)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line, no summary of a run that never began: %s", r.stderr)
			assert.Empty(t, r.stdout)
		})
	}
}

func TestReconcileUnconfiguredProvider(t *testing.T) {
	e := newEnv(t, nil)
	clients := e.clients(t)
	delete(clients, refundkit.NewPay)
	var out, errOut bytes.Buffer
	in := "provider,refund_id\nnewpay,demo-newpay-succeeded\nzalopay,230407_2554_demo_succeeded\nnewpay,demo-newpay-failed\n"
	sum, err := reconcile(context.Background(), strings.NewReader(in), &out, &errOut, clients, reconcileOptions{concurrency: 1})
	require.NoError(t, err)
	assert.Equal(t, [][]string{
		{"2", "newpay", "demo-newpay-succeeded", "", "", "", "", "false", "invalid_request", "provider newpay is not configured", ""},
		{"3", "zalopay", "230407_2554_demo_succeeded", "succeeded", "1", "", "", "false", "", "", ""},
		{"4", "newpay", "demo-newpay-failed", "", "", "", "", "false", "invalid_request", "provider newpay is not configured", ""},
	}, readOutput(t, out.String()))
	assert.Equal(t, "refundkit reconcile: line 2: provider newpay is not configured: its rows are written as invalid_request errors and not reported here again (--unconfigured stop ends the run instead)\n",
		errOut.String(), "said once, not once per row")
	assert.Equal(t, map[refundkit.Provider]int{refundkit.NewPay: 2}, sum.unconfigured)
	assert.Equal(t, 1, sum.inquiries)
	_, asked, _ := e.sims[refundkit.NewPay].Refund("demo-newpay-succeeded")
	assert.Zero(t, asked)
}

// failingWriter fails every write after the first n, keeping what it took.
type failingWriter struct {
	n    int
	took bytes.Buffer
}

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n == 0 {
		return 0, errors.New("disk full")
	}
	w.n--
	return w.took.Write(p)
}

func TestReconcileStopsOnIOErrors(t *testing.T) {
	e := newEnv(t, nil)
	clients := e.clients(t)

	t.Run("input fails midway", func(t *testing.T) {
		in := io.MultiReader(strings.NewReader("provider,refund_id\nzalopay,230407_2554_demo_succeeded\n"), iotest.ErrReader(errors.New("disk gone")))
		var out bytes.Buffer
		sum, err := reconcile(context.Background(), in, &out, io.Discard, clients, reconcileOptions{concurrency: 1})
		require.ErrorContains(t, err, "read input: disk gone")
		assert.True(t, sum.started)
		assert.Equal(t, 1, sum.rows, "the rows read before are still answered")
		assert.Len(t, readOutput(t, out.String()), 1)
	})
	t.Run("output fails", func(t *testing.T) {
		// Output goes out in batches of whole rows (batch.go): enough rows
		// for several, of which the first two are written.
		rows := 3 * batchBytes / 60
		in := strings.NewReader("provider,refund_id\n" + strings.Repeat("zalopay,230407_2554_demo_succeeded\n", rows))
		w := &failingWriter{n: 2}
		sum, err := reconcile(context.Background(), in, w, io.Discard, clients, reconcileOptions{concurrency: 4})
		require.ErrorContains(t, err, "write output: disk full")
		written := readOutput(t, w.took.String())
		assert.Positive(t, len(written))
		assert.Less(t, len(written), rows)
		assert.Equal(t, len(written), sum.rows, "the summary counts the rows written, header aside")
		assert.True(t, strings.HasSuffix(w.took.String(), "\n"), "each write ends at a row boundary")
	})
}

func TestReconcileTenThousandRows(t *testing.T) {
	e := newEnv(t, nil)
	// Every demo refund of every provider: all four simulators, every
	// status, real HTTP and real signatures. An RSA inquiry costs two
	// RSA-2048 signatures (the request's and the answer's, about 1.5ms each
	// on one core), so 10,000 of them would take tens of seconds on a small
	// machine: every 25th row goes to an RSA provider (400 rows, each of
	// their demo refunds about 30 times) and the rest to ZaloPay, whose
	// requests are HMAC-signed. What is under test is the command's
	// streaming, accounting and output; inquiry's BenchmarkReconcile
	// measures throughput per provider.
	type ref struct {
		provider refundkit.Provider
		id       string
		status   refundkit.Status
	}
	var rsa [][]ref // by provider
	var hmac []ref
	for _, p := range refundkit.Providers() {
		var refs []ref
		for _, r := range simulator.DemoRefunds(p) {
			refs = append(refs, ref{p, r.RefundID, demoStatus(t, r.RefundID)})
		}
		if p == refundkit.ZaloPay {
			hmac = append(hmac, refs...)
		} else {
			rsa = append(rsa, refs)
		}
	}
	const n = 10_000
	// Every stride-th row goes to an RSA provider, in turn, so that each
	// gets at least 100 rows however many there are.
	stride := min(25, n/(110*len(rsa)))
	refs := make([]ref, n)
	var in strings.Builder
	in.WriteString("provider,refund_id\n")
	want := map[refundkit.Status]int{}
	perProvider := map[refundkit.Provider]int{}
	for i := range refs {
		if k := i / stride; i%stride == 0 {
			of := rsa[k%len(rsa)]
			refs[i] = of[(k/len(rsa))%len(of)]
		} else {
			refs[i] = hmac[i%len(hmac)]
		}
		fmt.Fprintf(&in, "%s,%s\n", refs[i].provider, refs[i].id)
		want[refs[i].status]++
		perProvider[refs[i].provider]++
	}
	for _, p := range refundkit.Providers() {
		require.GreaterOrEqual(t, perProvider[p], 100, "%s has too few rows", p)
	}

	var out bytes.Buffer
	start := time.Now()
	sum, err := reconcile(context.Background(), strings.NewReader(in.String()), &out, io.Discard, e.clients(t), reconcileOptions{concurrency: 32})
	require.NoError(t, err)
	t.Logf("%d rows in %s", n, time.Since(start))

	assert.Equal(t, n, sum.rows)
	assert.Equal(t, n, sum.inquiries)
	assert.Empty(t, sum.errors)
	assert.Equal(t, want, sum.statuses)
	rows := readOutput(t, out.String())
	require.Len(t, rows, n)
	for i, row := range rows {
		require.Equal(t, strconv.Itoa(i+2), row[0], "every input line exactly once")
		r := refs[i]
		require.Equal(t, []string{string(r.provider), r.id, string(r.status)}, row[1:4], "line %s", row[0])
	}
}

func TestReconcileUntilFinal(t *testing.T) {
	e := newEnv(t, func(p refundkit.Provider) []simulator.Refund {
		switch p {
		case refundkit.PayerMax:
			return []simulator.Refund{{RefundID: "poll-payermax", Status: "REFUND_PENDING", Amount: "5", Currency: "USD",
				Transitions: []simulator.Transition{{After: 2, Status: "REFUND_SUCCESS"}}}}
		case refundkit.ZaloPay:
			return []simulator.Refund{{RefundID: "poll-zalopay", Status: "3", SubStatus: "3",
				Transitions: []simulator.Transition{{After: 1, Status: "2", SubStatus: "-3"}}}}
		}
		return nil
	})
	const input = "provider,refund_id\npayermax,poll-payermax\nzalopay,poll-zalopay\nnewpay,demo-newpay-succeeded\n"

	t.Run("core", func(t *testing.T) {
		var out bytes.Buffer
		sum, err := reconcile(context.Background(), strings.NewReader(input), &out, io.Discard, e.clients(t),
			reconcileOptions{concurrency: 2, untilFinal: true, poll: fastPoll})
		require.NoError(t, err)
		rows := readOutput(t, out.String())
		require.Len(t, rows, 3)
		assert.Equal(t, []string{"2", "payermax", "poll-payermax", "succeeded", "REFUND_SUCCESS"}, rows[0][:5])
		assert.Equal(t, []string{"3", "zalopay", "poll-zalopay", "failed", "2"}, rows[1][:5])
		assert.Equal(t, 3+2+1, sum.inquiries, "asked until final, and no more")
		_, asked, _ := e.sims[refundkit.PayerMax].Refund("poll-payermax")
		assert.Equal(t, 3, asked)
	})
	t.Run("without polling a pending refund stays pending", func(t *testing.T) {
		var out bytes.Buffer
		_, err := reconcile(context.Background(), strings.NewReader("provider,refund_id\npayermax,demo-payermax-pending\n"), &out, io.Discard,
			e.clients(t), reconcileOptions{concurrency: 1})
		require.NoError(t, err)
		assert.Equal(t, "pending", readOutput(t, out.String())[0][3])
	})
	t.Run("command", func(t *testing.T) {
		e := newEnv(t, func(p refundkit.Provider) []simulator.Refund {
			if p != refundkit.AlphaPay {
				return nil
			}
			return []simulator.Refund{{RefundID: "poll-alphapay", Status: "REFUND_IN_PROCESS", Amount: "250", Currency: "CAD",
				Transitions: []simulator.Transition{{After: 3, Status: "SUCCESS"}}}}
		})
		in := writeFile(t, t.TempDir(), "in.csv", "provider,refund_id\nalphapay,poll-alphapay\n")
		r := runCmd(t, "reconcile", "--config", e.config, "--input", in, "--until-final", "--poll-delay", "5ms", "--json")
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Equal(t, `{"line":2,"provider":"alphapay","refund_id":"poll-alphapay","status":"succeeded","provider_status":"SUCCESS","amount":{"value":"2.50","currency":"CAD"},"verified":true}`+"\n", r.stdout)
		assert.Contains(t, r.stderr, ", 4 inquiries\n")
	})
}

// fastPoll re-asks pending refunds within milliseconds.
var fastPoll = bulk.PollPolicy{InitialDelay: 5 * time.Millisecond, MaxAge: 10 * time.Second}

func TestProgressLine(t *testing.T) {
	c := &counters{}
	c.read.Store(50)
	c.rows.Store(10) // 1 bad, 9 taken: 3 answered, 2 being asked, 4 waiting
	c.taken.Store(9)
	c.answered.Store(3)
	c.asking.Store(2)
	c.done.Store(4)
	c.errs.Store(2)
	c.bad.Store(1)
	assert.Equal(t, "[############------------]  50% read  4 of 10 rows answered, 2 in flight, 4 waiting to poll, 2 errors, 2/s", progressLine(c, 100, 2*time.Second))
	assert.Equal(t, "4 of 10 rows answered, 2 in flight, 4 waiting to poll, 2 errors", progressLine(c, 0, 0), "no bar when the size is unknown")

	assert.False(t, isTerminal(&bytes.Buffer{}))
	f, err := os.CreateTemp(t.TempDir(), "x")
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f), "a regular file is not a terminal")
}

func TestReconcileProgressIsCleared(t *testing.T) {
	e := newEnv(t, nil)
	e.sims[refundkit.ZaloPay].Faults().SetSlowDelay(300 * time.Millisecond)
	e.sims[refundkit.ZaloPay].Faults().Next(1, simulator.FaultSlow)
	var errOut bytes.Buffer
	// With one inquiry in flight, the bad line 4 is read only once the slow
	// line 2 is done, by when the progress line is on screen.
	in := "provider,refund_id\nzalopay,230407_2554_demo_succeeded\nzalopay,230407_2554_demo_failed\nbogus,x\n"
	_, err := reconcile(context.Background(), strings.NewReader(in),
		io.Discard, &errOut, e.clients(t), reconcileOptions{concurrency: 1, progress: true, inputSize: 60})
	require.NoError(t, err)
	s := errOut.String()
	assert.Contains(t, s, clearLine+"[", "the progress line was drawn while the slow inquiry ran")
	assert.Contains(t, s, clearLine+"refundkit reconcile: line 4: unknown provider", "messages start on a clean line")
	last := strings.LastIndex(s, clearLine+"[")
	assert.Contains(t, s[last+len(clearLine):], clearLine, "the last progress line drawn is erased: %q", s)
}
