// Package inquirytest starts simulated providers for a test and hands back
// SDK clients already wired to them: one call instead of building keys,
// simulators, servers and four differently configured clients by hand.
//
//	env, err := inquirytest.Start(inquirytest.Options{}) // all four, demo refunds
//	if err != nil { ... }
//	defer env.Close()
//	res, err := env.Client(refundkit.PayerMax).Inquire(ctx, refundkit.Query{RefundID: "demo-payermax-pending"})
//
// Each provider gets its own [simulator.Simulator] on its own loopback
// [httptest.Server], configured with [simulator.DemoConfig]'s identities
// and one set of throwaway [simulator.Keys]; each client signs with the
// merchant key and verifies with the platform key, exactly as against the
// real provider. [Env.Simulator] gives the simulator behind a client, to
// seed more refunds or inject faults; [Env.Clients] suits
// [bulk.New].
//
// Why a package of its own: package simulator never imports package
// inquiry, so that the simulators test the clients without sharing their
// code or their bugs. Wiring the two together therefore lives above both,
// here, next to the package it builds clients of; the name follows
// net/http/httptest, a helper for testing code that uses inquiry.
package inquirytest

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/simulator"
)

// Options says which simulators to start and how. The zero value starts
// all four providers with their demo refunds and fresh keys.
type Options struct {
	// Providers to simulate, in the order Env.Clients returns them. Nil
	// means refundkit.Providers(): all four.
	Providers []refundkit.Provider
	// Refunds seeds each provider's simulator. Nil means
	// simulator.DemoRefunds for every provider; otherwise exactly these,
	// and a provider left out starts with none.
	Refunds map[refundkit.Provider][]simulator.Refund
	// Keys are the throwaway keys the simulators and clients share. Nil
	// means new ones from simulator.GenerateKeys (about a second of RSA
	// key generation: reuse one set across tests when that matters).
	Keys *simulator.Keys
	// Clock is the simulators' clock; nil means time.Now. Give the clients
	// the same one with inquiry.WithClock in ClientOptions.
	Clock func() time.Time
	// ClientOptions are applied to every client after the base URL, so
	// they may replace it (inquiry.WithRetry, inquiry.WithLogger, ...).
	ClientOptions []inquiry.Option
}

// Env is a set of running simulators and the clients wired to them. Its
// methods are safe for concurrent use; Close stops everything.
type Env struct {
	// Keys are the keys the simulators and clients use.
	Keys *simulator.Keys

	providers []refundkit.Provider
	sims      map[refundkit.Provider]*simulator.Simulator
	servers   map[refundkit.Provider]*httptest.Server
	clients   map[refundkit.Provider]refundkit.Inquirer
}

// Start starts a simulator for each provider in opts, seeds it, serves it
// on loopback and builds a client for it. On error nothing is left
// running.
func Start(opts Options) (*Env, error) {
	e := &Env{Keys: opts.Keys, providers: opts.Providers,
		sims:    map[refundkit.Provider]*simulator.Simulator{},
		servers: map[refundkit.Provider]*httptest.Server{},
		clients: map[refundkit.Provider]refundkit.Inquirer{}}
	if e.providers == nil {
		e.providers = refundkit.Providers()
	}
	if e.Keys == nil {
		var err error
		if e.Keys, err = simulator.GenerateKeys(); err != nil {
			return nil, fmt.Errorf("inquirytest: %w", err)
		}
	}
	cfg := simulator.DemoConfig(e.Keys, opts.Clock)
	for _, p := range e.providers {
		if err := e.start(p, cfg, opts); err != nil {
			e.Close()
			return nil, fmt.Errorf("inquirytest: %s: %w", p, err)
		}
	}
	return e, nil
}

func (e *Env) start(p refundkit.Provider, cfg simulator.Config, opts Options) error {
	if _, dup := e.sims[p]; dup {
		return fmt.Errorf("listed twice in Options.Providers")
	}
	pc, ok := cfg[p]
	if !ok {
		return fmt.Errorf("unknown provider %q", p)
	}
	sim, err := simulator.New(pc)
	if err != nil {
		return err
	}
	refunds := opts.Refunds[p]
	if opts.Refunds == nil {
		refunds = simulator.DemoRefunds(p)
	}
	if err := sim.Seed(refunds...); err != nil {
		return err
	}
	srv := httptest.NewServer(sim)
	e.sims[p], e.servers[p] = sim, srv
	client, err := NewClient(p, e.Keys, srv.URL, opts.ClientOptions...)
	if err != nil {
		return err
	}
	e.clients[p] = client
	return nil
}

// NewClient builds the client of provider p for a simulator at baseURL that
// was configured with simulator.DemoConfig(keys, ...): the demo identities,
// keys.Merchant.Private to sign, keys.Platform.Public to verify. opts come
// after the base URL.
func NewClient(p refundkit.Provider, keys *simulator.Keys, baseURL string, opts ...inquiry.Option) (refundkit.Inquirer, error) {
	return providers.DemoClient(p, keys, append([]inquiry.Option{inquiry.WithBaseURL(baseURL)}, opts...)...)
}

// Client returns the client wired to provider p's simulator, or nil if p
// was not started.
func (e *Env) Client(p refundkit.Provider) refundkit.Inquirer { return e.clients[p] }

// Clients returns every client, in the order of Options.Providers: what
// bulk.New takes.
func (e *Env) Clients() []refundkit.Inquirer {
	out := make([]refundkit.Inquirer, 0, len(e.providers))
	for _, p := range e.providers {
		out = append(out, e.clients[p])
	}
	return out
}

// Simulator returns provider p's simulator (to seed refunds, inject
// faults, read its stats), or nil if p was not started.
func (e *Env) Simulator(p refundkit.Provider) *simulator.Simulator { return e.sims[p] }

// URL returns the base URL of provider p's simulator, or "" if p was not
// started.
func (e *Env) URL(p refundkit.Provider) string {
	if srv, ok := e.servers[p]; ok {
		return srv.URL
	}
	return ""
}

// Providers lists the simulated providers, in the order of
// Options.Providers.
func (e *Env) Providers() []refundkit.Provider { return slices.Clone(e.providers) }

// Close stops every simulator's server, waiting for requests in flight.
func (e *Env) Close() {
	for _, srv := range e.servers {
		srv.Close()
	}
}
