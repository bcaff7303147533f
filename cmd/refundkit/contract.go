package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/contract"
	"github.com/refundkit/refundkit/inquiry"
)

const contractDetails = `
Checks a provider's real answers against refundkit's spec of its API: makes
real inquiries through the SDK against the configured base_url (a sandbox, or
"refundkit simulate"), validates every request sent and every response
received against the provider's OpenAPI spec with kin-openapi (as the test
suite does), and reports each deviation where it is:

  response /data/refundAmount: want number, got string
  response header Signature: missing (required)
  response status: HTTP 418 is not in the spec (it lists 200, 4XX or 5XX)

Members and headers the spec does not declare are listed apart, under "the
provider sends what the spec does not know": the spec allows them, but they
are the hint that the provider's documentation changed. Headers of HTTP
itself (Date, Server, ...) are not listed.

The inquiry's result is shown too, as "refundkit inquire" shows it, but a
violation is never hidden behind a good status. Each inquiry is made once,
without retries, so that every answer is the provider's first.

--input FILE takes many refunds: a CSV with the columns provider,refund_id
and optionally provider_refund_id, as "refundkit reconcile" reads it.

--record DIR writes each exchange into DIR as <provider>-<n>.json: method,
path, headers and bodies, with signatures and secrets replaced by REDACTED
and identifiers (app and merchant ids, refund and order numbers) by
pseudonyms, the same value by the same pseudonym, so that the answer still
decodes and maps as it did. Dropped into contract/testdata/recordings, a
recording is a regression test: the test suite replays it through the SDK
(with signature checks skipped, in that replay only) and expects what its
"expect" says.

--listen ADDR checks refund notifications instead: it serves the notify
endpoint of every configured provider that pushes them ({pushing}),
at /notify/<provider> as "refundkit listen" does, each through
the real notification handler, and checks every notification the provider
pushes, and the acknowledgement it gets, against the callback in the spec.
There the request is the provider's: undeclared members and headers in it
are what the provider sends that the spec does not know. It runs until
Ctrl-C, or --count notifications.

With --json, stdout gets one JSON object per inquiry:
  {"provider","refund_id","conforms","result":{...as inquire --json...},
   "exchanges":[{"method","url","status","error","violations":[F],"undeclared":[F]}]}
where F is {"side":"request"|"response","kind","where","message"}.

Exit status: 0 every exchange conforms, 1 a violation (or, with --strict, an
undeclared member or header), or an inquiry that could not be checked (a bad
input row, no answer at all), 2 usage error.`

func runContract(ctx context.Context, args []string, std stdio) int {
	f := newFlags("contract",
		"refundkit contract (--provider P --refund-id ID [--provider-refund-id ID | --refund-request-id ID] | --input refunds.csv | --listen ADDR [--count N]) [--config FILE] [--json] [--strict] [--record DIR]",
		contractDetails)
	provider := f.providerFlag("the `provider`: " + providerList())
	refundID := f.String("refund-id", "", "the refund `id` the provider's inquiry takes, as for inquire")
	providerRefundID := f.String("provider-refund-id", "", helpText("the provider's own refund number (`id`): {provider_refund_id}"))
	refundRequestID := f.String("refund-request-id", "", helpText("the merchant's refund id (`id`): {refund_request_id}"))
	input := f.String("input", "", "a CSV `file` of refunds to check (columns provider,refund_id[,provider_refund_id]); - is stdin")
	configFile := f.String("config", "", "the config `file` (default $"+configEnv+", else ./"+defaultConfigFile+")")
	asJSON := f.Bool("json", false, "print one JSON object per inquiry on stdout")
	strict := f.Bool("strict", false, "fail on undeclared members and headers too")
	record := f.String("record", "", "write each exchange, secrets and identifiers redacted, into `dir` as a replayable recording")
	listen := f.String("listen", "", "check refund notifications instead: serve each configured provider's notify endpoint on `address`")
	count := f.Int("count", 0, "with --listen, stop after `n` notifications (0: at Ctrl-C)")
	if code, done := f.parse(args, std); done {
		return code
	}
	single := *provider != "" || *refundID != "" || *providerRefundID != "" || *refundRequestID != ""
	switch {
	case *listen != "" && (single || *input != ""):
		return f.usageError(std, "%v", errListenMode)
	case *count < 0 || (*count > 0 && *listen == ""):
		return f.usageError(std, "--count is a positive number of notifications, with --listen")
	case *listen != "":
	case *input != "" && single:
		return f.usageError(std, "--input takes the refunds from the file; leave out --provider and the ids")
	case *input == "" && *provider == "":
		return f.usageError(std, "--provider (with --refund-id) or --input is required")
	case *input == "":
		if msg := queryProblem(*provider, *refundID, *providerRefundID, *refundRequestID); msg != "" {
			return f.usageError(std, "%s", msg)
		}
	}
	cfg, err := loadConfig(*configFile)
	if err != nil {
		return std.fail("contract", err)
	}
	c := &contractRun{cfg: cfg, std: std, json: *asJSON, strict: *strict, record: *record, checkers: map[refundkit.Provider]*checked{}}
	if *listen != "" {
		if err := c.contractListen(ctx, *listen, *count); err != nil {
			return std.fail("contract", err)
		}
		return c.finish()
	}
	if *input == "" {
		q := refundkit.Query{RefundID: *refundID, ProviderRefundID: *providerRefundID, RefundRequestID: *refundRequestID}
		c.inquire(ctx, *provider, q, 0)
	} else if err := c.inquireAll(ctx, *input); err != nil {
		return std.fail("contract", err)
	}
	return c.finish()
}

// queryProblem says what is wrong with a single inquiry's flags, or "".
func queryProblem(p refundkit.Provider, refundID, providerRefundID, refundRequestID string) string {
	q := refundkit.Query{RefundID: refundID, ProviderRefundID: providerRefundID, RefundRequestID: refundRequestID}
	switch {
	case p == "":
		return "--provider is required"
	case notTaken(p, q, "--provider-refund-id", "--refund-request-id") != "":
		return notTaken(p, q, "--provider-refund-id", "--refund-request-id")
	case strings.TrimSpace(refundID) == "" && providerRefundID == "":
		return "--refund-id is required"
	}
	return ""
}

// contractRun is one run of the command: a checked client per provider,
// built when first needed, and the tallies for the summary and exit status.
type contractRun struct {
	cfg          *config
	std          stdio
	json, strict bool
	record       string // the --record directory, "" for none
	checkers     map[refundkit.Provider]*checked

	inquiries, exchanges, violations, undeclared, unchecked int
}

// checked is a provider's client, whose traffic goes through its checker.
type checked struct {
	client  refundkit.Inquirer
	checker *contract.Checker
}

// clientFor returns p's checked client.
func (c *contractRun) clientFor(p refundkit.Provider) (*checked, error) {
	if cl, ok := c.checkers[p]; ok {
		return cl, nil
	}
	chk, err := contract.NewChecker(nil, p)
	if err != nil {
		return nil, err
	}
	client, err := c.cfg.client(p, inquiry.WithHTTPClient(&http.Client{Transport: chk}), inquiry.WithRetry(inquiry.NoRetry()))
	if err != nil {
		return nil, err
	}
	cl := &checked{client: client, checker: chk}
	c.checkers[p] = cl
	return cl, nil
}

// inquire makes one inquiry and reports it.
func (c *contractRun) inquire(ctx context.Context, p refundkit.Provider, q refundkit.Query, line int64) {
	c.inquiries++
	a := answer{line: line, provider: string(p), refundID: q.RefundID}
	cl, err := c.clientFor(p)
	var exs []contract.Exchange
	if err != nil {
		a.err = err
	} else {
		a.res, a.err = cl.client.Inquire(ctx, q)
		exs = cl.checker.Exchanges()
	}
	c.report(a, exs)
	if c.record != "" {
		c.recordAll(a, q, exs)
	}
}

// inquireAll checks every refund in a CSV file; a bad row is reported and
// counted as unchecked.
func (c *contractRun) inquireAll(ctx context.Context, path string) error {
	var in io.Reader = c.std.in
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("input: %w", err)
		}
		defer f.Close()
		in = f
	}
	rows, err := newRowReader(in, c.cfg.has)
	if err != nil {
		return err
	}
	for ctx.Err() == nil {
		rw, err := rows.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("input: %w", err)
		}
		if rw.bad != "" {
			c.inquiries++
			c.report(answer{line: rw.line, provider: rw.provider, refundID: rw.refundID,
				err: fmt.Errorf("input line %d: %s", rw.line, rw.bad)}, nil)
			continue
		}
		c.inquire(ctx, rw.item.Provider, rw.item.Query, rw.line)
	}
	return ctx.Err()
}

// finish prints the summary on stderr and returns the exit status.
func (c *contractRun) finish() int {
	fmt.Fprintf(c.std.errOut, "refundkit contract: %d %s, %d %s checked: %d %s, %d undeclared %s\n",
		c.inquiries, plural(c.inquiries, "inquiry", "inquiries"), c.exchanges, plural(c.exchanges, "exchange", "exchanges"),
		c.violations, plural(c.violations, "violation", "violations"), c.undeclared, plural(c.undeclared, "member or header", "members or headers"))
	if c.unchecked > 0 {
		fmt.Fprintf(c.std.errOut, "refundkit contract: %d %s could not be checked\n", c.unchecked, plural(c.unchecked, "inquiry", "inquiries"))
	}
	if c.violations > 0 || c.unchecked > 0 || (c.strict && c.undeclared > 0) {
		return exitFailure
	}
	return exitOK
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
