package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
)

const reconcileDetails = `
Asks about every refund in a CSV file and writes one result row per input
row, in the order the answers arrive. The input is read as a stream, never
held whole, so any size works.

Input: a header line with the columns provider and refund_id, and optionally
provider_refund_id ({provider_refund_id})
and refund_request_id ({refund_request_id}), in any order:

  provider,refund_id
  payermax,R1642411016202
  zalopay,230407_2554_1680839390123

Any other column (an export's order_id, amount, ...) is passed through to
the output row, after reconcile's own columns in CSV and as "input" in
JSON, so results can be joined back; one whose name clashes with an output
column or an earlier one gets an input_ prefix (amount -> input_amount).

A row for a provider the config has no section for is reported on stderr
once per provider, not per row; with --unconfigured skip (the default) such
rows are written as invalid_request errors, with --unconfigured stop the
run ends at the first one and exits 1.

Output (CSV, or JSON lines with --json), each row with its input line:

  line,provider,refund_id,status,provider_status,amount,currency,verified,error_category,error_message,gave_up

amount is in major units, exact. In CSV, a provider_status or error_message
that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
carriage return) is written with a leading apostrophe; JSON keeps it exact.
On an error row, verified says whether the
error answer's signature verified (an unsigned "not found" may be forged).
Every line after the header gives exactly one output row. A bad input row
(unknown or unconfigured provider, empty refund_id, wrong number of
fields, broken CSV, an empty line, a line over 64 KiB) is reported on
stderr with its line number and written as an invalid_request error row;
the run goes on. A quoted field may not span lines: a stray quote spoils
its own line only. A summary goes to stderr at the end (rows read and rows
written), and a progress line while running when stderr is a terminal. A
row read but not asked about because the run was interrupted is a
temporary error row. Rows are written in batches, at most 100ms after
they are answered; SIGINT and SIGTERM end the run with every row read
written, while a SIGKILL can lose the rows of its last 100ms (each write
ends at a row boundary; only a kill mid-write can leave a last row cut
short): --resume finishes such a run.

With --resume, reconcile carries on with the --output file an earlier run
left behind, however it ended (killed, crashed, interrupted): run the same
command again with --resume added. The rows in the file are kept as they
are; input lines that have a row there are not asked again, and the rows
of all the others are appended (no second CSV header). A last row cut
short by a kill is cut off and its line asked again. A missing or empty
file makes a normal run, so a long run can start with --resume. A file
whose CSV header is not the one this input gives, or that does not hold
reconcile's rows (JSON lines with --json), is an error and is left as it
is; a row whose refund_id is not the one the input has on its line ends
the run with an error, nothing more written, and so do rows for lines past
the input's end, once it is read (the rows of the lines before the file's
last row are held until the input is read past it). An interrupted
--resume run writes no "not asked" rows nor answers the interruption cut
short: --resume again asks about those (the "not asked" rows of a run
without --resume are kept). The summary counts the rows already written.

With --until-final, pending refunds are asked again, after --poll-delay and
then twice as long each time (at most 5m), until they are final or
--max-age has passed since their first inquiry. A refund still pending then
is reported as given up: gave_up is true in CSV, "gave_up":true in JSON
(absent otherwise), and the summary counts them. The progress line counts
rows answered out of rows read, inquiries in flight, and refunds waiting
for their next poll.

Exit status: 0 when every row was answered or reported (even as an error),
1 when the run could not finish (input that could not be read to its end,
bad header, unwritable output or one --resume cannot carry on with, unusable
config), 2 on a usage error, 130 when interrupted.`

// reconcileOptions are reconcile's settings, apart from its streams and
// clients.
type reconcileOptions struct {
	concurrency int
	untilFinal  bool
	poll        bulk.PollPolicy // with untilFinal
	json        bool            // JSON lines instead of CSV
	progress    bool            // draw a progress line on errOut
	// stopUnconfigured ends the run at the first row for a provider the
	// config lacks, instead of writing such rows as errors.
	stopUnconfigured bool
	inputSize        int64       // the input's size for the progress bar; 0 if unknown
	resume           *resumeFile // with --resume, the output file (resume.go)
}

// reconcileArgs are reconcile's flags once parsed and checked: the files
// it reads and writes, and the options of the run.
type reconcileArgs struct {
	input, output, configFile string
	resume                    bool
	opts                      reconcileOptions // inputSize, progress and resume are set once the files are open
}

func runReconcile(ctx context.Context, args []string, std stdio) int {
	a, code, done := parseReconcileArgs(args, std)
	if done {
		return code
	}
	cfg, err := loadConfig(a.configFile)
	if err != nil {
		return std.fail("reconcile", err)
	}
	clients, err := cfg.clients()
	if err != nil {
		return std.fail("reconcile", err)
	}
	in, size, closeIn, err := openInput(a.input, std.in)
	if err != nil {
		return std.fail("reconcile", err)
	}
	defer closeIn()
	out, closeOut, err := openOutputFlags(a.output, a.input, outputFlags(a.resume))
	if err != nil {
		return std.fail("reconcile", err)
	}
	if out == nil {
		out = std.out
	}
	if a.resume {
		a.opts.resume = &resumeFile{f: out.(*os.File), name: a.output}
	}
	a.opts.inputSize = size
	a.opts.progress = isTerminal(std.errOut)
	sum, runErr := reconcile(ctx, in, out, std.errOut, clients, a.opts)
	if err := closeOut(); err != nil && runErr == nil {
		runErr = fmt.Errorf("write output: %w", err)
	}
	return reconcileExit(ctx, std, sum, runErr)
}

// parseReconcileArgs defines reconcile's flags, parses args and checks
// them. When done is true the command must return code at once (after -h,
// or a usage error).
func parseReconcileArgs(args []string, std stdio) (a reconcileArgs, code int, done bool) {
	f := newFlags("reconcile",
		"refundkit reconcile --input refunds.csv [--output results.csv [--resume] | --json] [--concurrency N] [--until-final] [--unconfigured skip|stop] [--config FILE]",
		reconcileDetails)
	input := f.String("input", "", "the CSV `file` to read; - for stdin (required)")
	output := f.String("output", "", "the `file` to write (default stdout)")
	asJSON := f.Bool("json", false, "write JSON lines instead of CSV")
	resume := f.Bool("resume", false, "carry on with the --output file an earlier run left: ask only about the lines it has no row for, and append")
	concurrency := f.Int("concurrency", bulk.DefaultConcurrency, "how many inquiries to keep in flight")
	untilFinal := f.Bool("until-final", false, "ask again about pending refunds until they are final")
	pollDelay := f.Duration("poll-delay", bulk.DefaultPollInitialDelay, "with --until-final, the wait before the first repeat inquiry")
	maxAge := f.Duration("max-age", bulk.DefaultPollMaxAge, "with --until-final, how long after its first inquiry a refund is still asked about")
	configFile := f.String("config", "", "the config `file` (default $"+configEnv+", else ./"+defaultConfigFile+")")
	unconfigured := f.String("unconfigured", "skip", "rows for a provider the config lacks: skip (write them as errors, reported once) or stop (end the run, exit 1)")
	if code, done := f.parse(args, std); done {
		return a, code, true
	}
	set := map[string]bool{}
	f.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	switch {
	case *input == "":
		return a, f.usageError(std, "--input is required"), true
	case *resume && (*output == "" || *output == "-"):
		return a, f.usageError(std, "--resume needs --output FILE"), true
	case *concurrency < 1:
		return a, f.usageError(std, "--concurrency must be at least 1"), true
	case (set["poll-delay"] || set["max-age"]) && !*untilFinal:
		return a, f.usageError(std, "--poll-delay and --max-age need --until-final"), true
	case *pollDelay <= 0 || *maxAge <= 0:
		return a, f.usageError(std, "--poll-delay and --max-age must be positive"), true
	case *unconfigured != "skip" && *unconfigured != "stop":
		return a, f.usageError(std, "--unconfigured is skip or stop, not %q", *unconfigured), true
	}
	return reconcileArgs{input: *input, output: *output, configFile: *configFile, resume: *resume, opts: reconcileOptions{
		concurrency:      *concurrency,
		untilFinal:       *untilFinal,
		poll:             bulk.PollPolicy{InitialDelay: *pollDelay, MaxAge: *maxAge},
		json:             *asJSON,
		stopUnconfigured: *unconfigured == "stop",
	}}, exitOK, false
}

// reconcileExit ends a run that started: it prints the summary, once the
// input's header was read, and returns the exit status: runErr's failure,
// else interrupted, else OK.
func reconcileExit(ctx context.Context, std stdio, sum summary, runErr error) int {
	interrupted := runErr == nil && ctx.Err() != nil
	if sum.started {
		sum.write(std.errOut, interrupted)
	}
	switch {
	case runErr != nil:
		return std.fail("reconcile", runErr)
	case interrupted:
		return exitInterrupted
	}
	return exitOK
}

// reconcile reads rows from in, asks clients about each valid one, and
// writes one row per input row to out, in completion order: CSV with a
// header, or JSON lines. Bad rows are reported on errOut as they are read,
// and written as invalid_request error rows. The progress line, if any,
// goes to errOut too; the summary is the caller's to print.
//
// The error is non-nil only when the run could not finish: the input could
// not be read on (a missing or bad header included) or the output not
// written. The summary then counts the rows written before that; it is
// marked started once the header has been read.
func reconcile(ctx context.Context, in io.Reader, out, errOut io.Writer,
	clients []refundkit.Inquirer, opts reconcileOptions) (summary, error) {
	s := &sink{out: batch{out: out}, errOut: errOut, sum: newSummary(), c: &counters{live: opts.progress}, start: time.Now()}
	runner, configured, err := newRunner(clients, opts, s.c)
	if err != nil {
		return s.result(err)
	}
	rows, err := newRowReader(countingReader{r: in, n: &s.c.read}, func(p refundkit.Provider) bool { return configured[p] })
	if err != nil {
		return s.result(err)
	}
	s.names = outputNames(rows.extraColumns())
	skip, header, err := s.resume(opts)
	if err != nil {
		return s.result(err)
	}
	s.sum.started, s.hold = true, skip != nil
	s.write = newRowWriter(&s.out.buf, opts.json, s.names, header)
	var bar *progress
	if opts.progress {
		bar = startProgress(200*time.Millisecond, func() { s.draw(progressLine(s.c, opts.inputSize, time.Since(s.start))) })
	}

	f := &feed{sink: s, rows: rows, ctx: ctx, stopUnconfigured: opts.stopUnconfigured, pending: map[int64][]column{},
		skip: skip, resume: opts.resume != nil}
	for o := range runner.Run(ctx, f.items) {
		a := answer{line: o.Item.Tag, provider: string(o.Item.Provider), refundID: o.Item.Query.RefundID,
			res: o.Result, err: o.Err, input: f.taken(o.Item.Tag)}
		// Still pending from a polling run that was not cut short: its
		// --max-age has passed.
		a.gaveUp = opts.untilFinal && o.Err == nil && o.Result.Status == refundkit.StatusPending && ctx.Err() == nil
		if s.c.live {
			s.c.answered.Add(1)
		}
		if f.resume && ctx.Err() != nil && !resumeKeeps(a, opts.untilFinal) {
			continue // cut short: the next --resume run asks again
		}
		if !s.emit(a, o.Inquiries) {
			break
		}
	}
	bar.stop()
	s.clear()
	sum, err := s.result(f.err) // f's fields are read only now that Run has returned, when its feeding goroutine has ended
	sum.resume, sum.already = f.resume, f.skipped
	return sum, err
}

// newRowWriter writes the CSV header, if CSV and header, and returns the
// function that writes one row. out is the sink's batch buffer (see
// batch.go): a CSV row is encoded into its free space (csvrow.go), so
// writing it is one copy.
func newRowWriter(out *bytes.Buffer, asJSON bool, extra []string, header bool) func(answer) error {
	if asJSON {
		return func(a answer) error { return writeJSON(out, a) }
	}
	if header {
		out.Write(appendCSVRecord(out.AvailableBuffer(), append(slices.Clip(csvHeader), extra...)))
	}
	return func(a answer) error {
		out.Write(appendCSVRow(out.AvailableBuffer(), a)) // a bytes.Buffer's Write never fails
		return nil
	}
}
