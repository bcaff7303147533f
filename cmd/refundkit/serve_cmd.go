package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/service"
	"github.com/refundkit/refundkit/track"
)

// tokenEnv holds the API's bearer token when --token-file is not given.
const tokenEnv = "REFUNDKIT_API_TOKEN"

const serveDetails = `
Runs the tracker as a service: tracker workers (as "track run", until
stopped) plus one HTTP server with

  POST /notify/{provider}   the refund notifications of the providers
                            that push them ({pushing}),
                            verified by signature: each is recorded and
                            triggers a confirming poll
  /v1/refunds ...           the JSON API (add, get, list), bearer token
                            required: specs/service/refundkit-api.yaml
  GET /healthz              200 when the database answers, 503 when not
  GET /metrics              Prometheus metrics

On an SQLite --db one process works the database. On --db postgres://...
run as many as you like, on as many machines: they share one queue, each
poll runs in one of them, and a --rate-limit holds for all of them
together. SIGTERM (or ^C) stops taking jobs, lets the polls and requests in
flight finish, and exits 0.

The API token is read from --token-file, else $REFUNDKIT_API_TOKEN; at
least 16 characters. With $OTEL_EXPORTER_OTLP_ENDPOINT set, every
inquiry's OpenTelemetry span is exported over OTLP/HTTP.`

func runServe(ctx context.Context, args []string, std stdio) int {
	f := newFlags("serve", "refundkit serve [--addr 127.0.0.1:8080] [--db FILE|postgres://...] [--config FILE] [--ladder 1s,2s,5s] [--rate-limit payermax=20]", serveDetails)
	addr := f.String("addr", "127.0.0.1:8080", "the `address` to listen on")
	tokenFile := f.String("token-file", "", "a `file` holding the API's bearer token (default $"+tokenEnv+")")
	wf := addWorkerFlags(f)
	if code, done := f.parse(args, std); done {
		return code
	}
	opts, problem := wf.options()
	if problem != "" {
		return f.usageError(std, "%s", problem)
	}
	token, err := readToken(*tokenFile)
	if err != nil {
		return std.fail("serve", err)
	}
	cfg, err := loadConfig(*wf.configFile)
	if err != nil {
		return std.fail("serve", err)
	}
	clients, err := cfg.clients()
	if err != nil {
		return std.fail("serve", err)
	}
	tracing, stopTracing, err := setupTracing(ctx)
	if err != nil {
		return std.fail("serve", err)
	}
	defer func() { _ = stopTracing(context.WithoutCancel(ctx)) }()
	if tracing {
		fmt.Fprintln(std.errOut, "refundkit serve: exporting inquiry spans over OTLP")
	}
	metrics := newServeMetrics()
	for _, c := range clients {
		opts.Inquirers = append(opts.Inquirers, metrics.Instrument(c))
	}
	opts.Logger = slog.New(slog.NewTextHandler(std.errOut, &slog.HandlerOptions{Level: slog.LevelWarn}))
	tr, err := track.Open(ctx, *wf.db, opts)
	if err != nil {
		return std.fail("serve", err)
	}
	defer func() { _ = tr.Close() }()
	return serveHTTP(ctx, std, cfg, tr, serveSettings{addr: *addr, token: token, metrics: metrics, logger: opts.Logger, polls: *wf.concurrency})
}

// serveSettings are what the HTTP side of serve needs besides the config
// and the tracker.
type serveSettings struct {
	addr    string // to listen on
	token   string // the API's bearer token
	metrics *service.Metrics
	logger  *slog.Logger
	polls   int // polls at once, for the start-up line
}

// newServeMetrics returns the service's metrics on a fresh registry that
// also holds Go's and the process's collectors.
func newServeMetrics() *service.Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return service.NewMetrics(reg)
}

// serveHTTP builds the service over tr (with the notification handler of
// every configured provider that pushes), listens on s.addr and serves
// until ctx ends, then returns serve's exit status.
func serveHTTP(ctx context.Context, std stdio, cfg *config, tr *track.Tracker, s serveSettings) int {
	handlers, err := serveNotifyHandlers(cfg, tr, s.logger)
	if err != nil {
		return std.fail("serve", err)
	}
	svc, err := service.New(service.Config{Tracker: tr, Token: s.token, Notify: handlers, Metrics: s.metrics, Logger: s.logger})
	if err != nil {
		return std.fail("serve", err)
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return std.fail("serve", err)
	}
	fmt.Fprintf(std.errOut, "refundkit serve: listening on http://%s, database %s, %d polls at once\n", ln.Addr(), tr.File(), s.polls)
	if err := svc.Run(ctx, ln); err != nil {
		return std.fail("serve", err)
	}
	fmt.Fprintln(std.errOut, "refundkit serve: stopped")
	return exitOK
}

// serveNotifyHandlers builds the notification handler of every configured
// provider that pushes, delivering into tr.
func serveNotifyHandlers(cfg *config, tr *track.Tracker, logger *slog.Logger) ([]*notify.Handler, error) {
	var out []*notify.Handler
	for _, p := range cfg.providers() {
		if d, _ := providers.Lookup(p); d == nil || d.Notify == nil {
			continue // no refund notifications (ZaloPay, NewPay v2): polled only
		}
		h, err := cfg.notifyHandler(p, service.Deliver(tr), []notify.Option{notify.WithLogger(logger)})
		if err != nil {
			return nil, fmt.Errorf("config %s: %s: %w", cfg.path, p, err)
		}
		out = append(out, h)
	}
	return out, nil
}

// readToken reads the API token from file, else $REFUNDKIT_API_TOKEN.
func readToken(file string) (string, error) {
	token := os.Getenv(tokenEnv)
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("--token-file: %w", err)
		}
		token = string(b)
	}
	token = strings.TrimSpace(token)
	switch {
	case token == "":
		return "", errors.New("no API token: pass --token-file FILE or set $" + tokenEnv + " (at least 16 characters)")
	case len(token) < 16:
		return "", errors.New("the API token is shorter than 16 characters")
	}
	return token, nil
}
