package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/refundkit/refundkit"
)

// cmdFlags is one subcommand's FlagSet with its usage text. The FlagSet
// prints nothing itself: parse reports -h on stdout and usage errors on
// stderr, each once.
type cmdFlags struct {
	*flag.FlagSet
	synopsis string // "refundkit inquire --provider P ..."
	details  string // what the command does, a paragraph or two
}

func newFlags(name, synopsis, details string) *cmdFlags {
	fs := flag.NewFlagSet("refundkit "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &cmdFlags{FlagSet: fs, synopsis: synopsis, details: helpText(details)}
}

// parse parses args. When done is true the command must return code at
// once: after -h (usage on stdout, exit 0) or a usage error (the error and
// the synopsis on stderr, exit 2). Positional arguments are usage errors: every
// command takes flags only.
func (f *cmdFlags) parse(args []string, std stdio) (code int, done bool) {
	if code, done := f.parseFlags(args, std); done {
		return code, true
	}
	if f.NArg() > 0 {
		return f.usageError(std, "unexpected argument %q (every option is a flag)", f.Arg(0)), true
	}
	return exitOK, false
}

// parseFlags parses args like parse, but leaves positional arguments in
// f.Args() for the caller.
func (f *cmdFlags) parseFlags(args []string, std stdio) (code int, done bool) {
	err := f.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		f.printUsage(std.out)
		return exitOK, true
	case err != nil:
		return f.usageError(std, "%v", err), true
	}
	return exitOK, false
}

// usageError prints the problem and the synopsis on stderr and returns
// exitUsage.
func (f *cmdFlags) usageError(std stdio, format string, args ...any) int {
	fmt.Fprintf(std.errOut, "%s: %s\nUsage: %s\nRun \"%s -h\" for details.\n",
		f.Name(), fmt.Sprintf(format, args...), f.synopsis, f.Name())
	return exitUsage
}

// printUsage writes the synopsis, the details and, for a command that has
// any, the flags.
func (f *cmdFlags) printUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", f.synopsis, strings.TrimSpace(f.details))
	n := 0
	f.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprint(w, "\nFlags:\n")
	f.SetOutput(w)
	f.PrintDefaults()
	f.SetOutput(io.Discard)
}

// providerFlag defines --provider, parsed with parseProvider: a name that
// is not a provider is a usage error from the flag package itself. The
// provider stays "" when the flag is not given.
func (f *cmdFlags) providerFlag(usage string) *refundkit.Provider {
	var p refundkit.Provider
	f.Var(providerValue{&p}, "provider", usage)
	return &p
}

type providerValue struct{ p *refundkit.Provider }

func (v providerValue) String() string {
	if v.p == nil {
		return ""
	}
	return string(*v.p)
}

func (v providerValue) Set(s string) error {
	p, err := parseProvider(s)
	if err != nil {
		return err
	}
	*v.p = p
	return nil
}

// parseProvider reads a provider name as the flags, the config file and the
// CSV input write it: lower case, though any case is accepted.
func parseProvider(s string) (refundkit.Provider, error) {
	p := refundkit.Provider(strings.ToLower(strings.TrimSpace(s)))
	if !p.Valid() {
		return "", fmt.Errorf("unknown provider %q (want %s)", s, providerList())
	}
	return p, nil
}

// providerList names every provider: "newpay, payermax, zalopay or alphapay".
func providerList() string { return providerNames(refundkit.Providers(), "or") }
