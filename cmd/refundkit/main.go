// Command refundkit asks payment providers what happened to refunds, and
// runs fake providers to try it against.
//
// Usage:
//
//	refundkit demo                                   every simulated provider, every status, one table
//	refundkit inquire --provider P --refund-id ID    ask one provider about one refund
//	refundkit reconcile --input refunds.csv          ask about many refunds, one output row each
//	refundkit simulate                               run the simulated providers as a server
//	refundkit contract --provider P --refund-id ID   check a provider's answers against its spec
//	refundkit listen --addr 127.0.0.1:8090           receive, verify and print pushed refund notifications
//	refundkit track add|run|status|show|export       follow refunds to a final answer, in a database
//	refundkit serve --addr 127.0.0.1:8080            the tracker as a service (API, notifications, metrics)
//
// Run "refundkit <command> -h" for a command's flags. inquire and reconcile
// read their credentials from a YAML file: --config FILE, else
// $REFUNDKIT_CONFIG, else ./refundkit.yaml.
//
// Exit status: 0 on success, 1 when the command failed (an inquiry error, an
// unreadable file), 2 on a usage error, 130 when reconcile was interrupted.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInterrupted = 130
)

func main() {
	// SIGINT and SIGTERM cancel the context: simulate shuts down cleanly,
	// reconcile stops taking rows and prints its summary.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand: its name, a one-line summary for the overview,
// and the function that runs it with the arguments after its name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, std stdio) int
}

// stdio is the command's standard streams.
type stdio struct {
	in          io.Reader
	out, errOut io.Writer
}

// fail reports err, which ended command name, as one line on stderr and
// returns exitFailure.
func (std stdio) fail(name string, err error) int {
	fmt.Fprintln(std.errOut, errorLine(fmt.Errorf("%s: %w", name, err)))
	return exitFailure
}

var commands = []command{
	{"demo", "run every simulated provider in-process and inquire refunds in every status", runDemo},
	{"inquire", "ask one provider about one refund", runInquire},
	{"reconcile", "ask about every refund in a CSV file, writing one result row each", runReconcile},
	{"simulate", "serve simulated providers (all, or one) on a local address, with throwaway keys", runSimulate},
	{"contract", "check a provider's answers against refundkit's spec of its API, reporting every deviation", runContract},
	{"listen", "receive the refund notifications providers push, verified, and print each once", runListen},
	{"track", "follow refunds to a final answer, durably (add, run, status, show, export)", runTrack},
	{"serve", "run the tracker as a service: workers, notification endpoints, a JSON API, /healthz, /metrics", runServe},
}

// run is the whole command, with its environment passed in so that tests
// call it directly. It returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	std := stdio{in: stdin, out: stdout, errOut: stderr}
	if len(args) == 0 {
		printOverview(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		printOverview(stdout)
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], std)
		}
	}
	fmt.Fprintf(stderr, "refundkit: unknown command %q\n\n", args[0])
	printOverview(stderr)
	return exitUsage
}

func printOverview(w io.Writer) {
	fmt.Fprint(w, helpText("refundkit asks payment providers ({providers}) what happened to refunds.\n\n"))
	fmt.Fprint(w, "Usage:\n  refundkit <command> [flags]\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nStart with \"refundkit demo\". Run \"refundkit <command> -h\" for a command's flags.\n")
}
