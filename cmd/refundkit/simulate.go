package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

const simulateDetails = `
Serves simulated providers over HTTP until interrupted (Ctrl-C, SIGTERM):
all of them on one address (the default, or --provider all), each answering
at its own inquiry path, or one with --provider P. Each answers the
provider's refund inquiry as the provider does: the request is checked
against the provider's spec and signature, the answer signed with the
provider's key.

Every run makes fresh throwaway keys and writes them into --keys-dir
(default: a new temporary directory, removed on exit), with a ready
refundkit.yaml that has a section for every simulated provider, and a
refunds.csv that lists every seeded refund. The printed lines work as
they are: "refundkit inquire --config" for one refund, "refundkit
reconcile --config ... --input .../refunds.csv" for all of them.

The refunds come from --seed FILE, YAML or JSON, in the providers' raw
terms, keyed as simulator.Refund's JSON form: a mapping from provider to
its list of refunds (any provider may be left out), or, with --provider P,
just P's list:

  payermax:
    - refund_id: R1
      status: REFUND_PENDING      # the provider's own status value
      amount: 10.50               # written as given: major units, except AlphaPay's minor units
      currency: USD
      transitions:                # optional: later states, after N inquiries
        - {after: 2, status: REFUND_SUCCESS}
  zalopay:
    - {refund_id: 230407_2554_1, status: 1}

Without --seed, the demo refunds of "refundkit demo" (every status).`

// simulatorGrace is how long a stopping simulator waits for the requests in
// flight.
const simulatorGrace = 5 * time.Second

// simulation is what one run of simulate serves and wrote.
type simulation struct {
	providers []refundkit.Provider
	refunds   map[refundkit.Provider][]simulator.Refund
	sims      []*simulator.Simulator
	url       string
	dir       string // --keys-dir as given, or the temporary directory
	temporary bool
	files     simulationFiles
}

func runSimulate(ctx context.Context, args []string, std stdio) int {
	f := newFlags("simulate", "refundkit simulate [--provider P|all] [--addr 127.0.0.1:8080] [--seed FILE] [--keys-dir DIR]", simulateDetails)
	provider := f.String("provider", "all", "the `provider` to simulate: "+providerList()+", or all for every one on one address")
	addr := f.String("addr", "127.0.0.1:8080", "the `address` to listen on; port 0 picks a free one")
	seedFile := f.String("seed", "", "a YAML or JSON `file` of the refunds to serve (default: the demo refunds)")
	keysDir := f.String("keys-dir", "", "the `directory` for the throwaway keys, refundkit.yaml and refunds.csv (default: a new temporary one, removed on exit)")
	if code, done := f.parse(args, std); done {
		return code
	}
	s := &simulation{temporary: *keysDir == ""}
	var err error
	if s.providers, err = simulatedProviders(*provider); err != nil {
		return f.usageError(std, "--provider: %v", err)
	}
	if s.refunds, err = simulatedRefunds(*seedFile, s.providers); err != nil {
		return std.fail("simulate", err)
	}
	keys, err := simulator.GenerateKeys()
	if err != nil {
		return std.fail("simulate", err)
	}
	handler, err := s.build(keys)
	if err != nil {
		return std.fail("simulate", err)
	}
	dir, cleanup, err := keyDir(*keysDir)
	if err != nil {
		return std.fail("simulate", err)
	}
	defer cleanup()
	s.dir = dir
	srv, err := serveSimulator(handler, *addr)
	if err != nil {
		return std.fail("simulate", err)
	}
	s.url = srv.url
	if s.files, err = writeSimulationFiles(s, keys); err != nil {
		_ = srv.shutdown(simulatorGrace)
		return std.fail("simulate", err)
	}
	s.print(std)

	select {
	case <-ctx.Done():
	case err := <-srv.done: // Serve failed on its own
		return std.fail("simulate", err)
	}
	if err := srv.shutdown(simulatorGrace); err != nil {
		return std.fail("simulate", err)
	}
	var st simulator.Stats
	for _, sim := range s.sims {
		one := sim.Stats()
		st.Requests, st.Rejected, st.NotFound = st.Requests+one.Requests, st.Rejected+one.Rejected, st.NotFound+one.NotFound
	}
	fmt.Fprintf(std.errOut, "refundkit simulate: stopped after %d requests (%d rejected, %d for unknown refunds)\n",
		st.Requests, st.Rejected, st.NotFound)
	return exitOK
}

// simulatedProviders reads --provider: one provider, or all (also "").
func simulatedProviders(name string) ([]refundkit.Provider, error) {
	if n := strings.ToLower(strings.TrimSpace(name)); n == "" || n == "all" {
		return refundkit.Providers(), nil
	}
	p, err := parseProvider(name)
	if err != nil {
		return nil, fmt.Errorf("%w, or all", err)
	}
	return []refundkit.Provider{p}, nil
}

// simulatedRefunds reads the seed file, or gives each provider its demo
// refunds when there is none.
func simulatedRefunds(seedFile string, providers []refundkit.Provider) (map[refundkit.Provider][]simulator.Refund, error) {
	if seedFile != "" {
		return readSeedFile(seedFile, providers)
	}
	out := make(map[refundkit.Provider][]simulator.Refund, len(providers))
	for _, p := range providers {
		out[p] = simulator.DemoRefunds(p)
	}
	return out, nil
}

// build makes and seeds the simulators, and returns the handler that
// serves them: the simulator itself for one provider; for several, a mux
// that sends each provider's inquiry path to its simulator (the paths
// differ) and answers 404 for any other.
func (s *simulation) build(keys *simulator.Keys) (http.Handler, error) {
	cfg := simulator.DemoConfig(keys, nil)
	mux := http.NewServeMux()
	for _, p := range s.providers {
		sim, err := simulator.New(cfg[p])
		if err != nil {
			return nil, err
		}
		if err := sim.Seed(s.refunds[p]...); err != nil {
			return nil, err
		}
		s.sims = append(s.sims, sim)
		mux.Handle(sim.Path(), sim)
	}
	if len(s.sims) == 1 {
		return s.sims[0], nil
	}
	return mux, nil
}

// print tells the user where everything is and what to try.
func (s *simulation) print(std stdio) {
	w := std.out
	if len(s.providers) == 1 {
		fmt.Fprintf(w, "%s simulator listening on %s\n", s.providers[0], s.url)
	} else {
		fmt.Fprintf(w, "%s simulators listening on %s\n", providerNames(s.providers, "and"), s.url)
	}
	note := ""
	if s.temporary {
		note = " (throwaway; removed on exit)"
	}
	fmt.Fprintf(w, "  keys:    %s%s\n", s.dir, note)
	fmt.Fprintf(w, "  config:  %s\n", s.files.config)
	var (
		first   *simulator.Refund
		firstOf refundkit.Provider
		counts  []string
	)
	for _, p := range s.providers {
		rs := s.refunds[p]
		if len(rs) > 0 && first == nil {
			first, firstOf = &rs[0], p
		}
		counts = append(counts, fmt.Sprintf("%s %d", p, len(rs)))
	}
	if len(s.providers) == 1 {
		fmt.Fprintf(w, "  refunds: %d seeded: %s\n", len(s.refunds[s.providers[0]]), firstIDs(s.refunds[s.providers[0]]))
	} else {
		fmt.Fprintf(w, "  refunds: %s\n", strings.Join(counts, ", "))
	}
	fmt.Fprintf(w, "  list:    %s\n", s.files.refunds)
	if first != nil {
		fmt.Fprintf(w, "\nTry:\n  refundkit inquire --config %s --provider %s --refund-id %s\n",
			shellQuote(s.files.config), firstOf, shellQuote(printable(first.RefundID)))
		fmt.Fprintf(w, "  refundkit reconcile --config %s --input %s\n", shellQuote(s.files.config), shellQuote(s.files.refunds))
	}
	fmt.Fprint(w, "\nStop with Ctrl-C.\n")
}

// firstIDs lists the first few refund ids, printable.
func firstIDs(refunds []simulator.Refund) string {
	ids := make([]string, 0, 5)
	for i, r := range refunds {
		if i == 4 {
			ids = append(ids, "...")
			break
		}
		ids = append(ids, printable(r.RefundID))
	}
	return strings.Join(ids, ", ")
}

// providerNames lists providers as "newpay, payermax and zalopay".
func providerNames(ps []refundkit.Provider, conj string) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = string(p)
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + conj + " " + names[len(names)-1]
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
