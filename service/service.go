// Package service is refundkit's tracker as an HTTP service, the library
// under `refundkit serve`: tracker workers plus one HTTP server with
//
//   - the providers' notification endpoints, POST /notify/{provider}: a
//     verified notification is recorded as an observation and schedules an
//     immediate confirming poll (one per refund however many arrive);
//   - a JSON API under /v1 (add refunds, get one with its history, list
//     with filters and pagination), described by specs/service and
//     guarded by a bearer token compared in constant time;
//   - GET /healthz (the database answers) and GET /metrics (Prometheus).
//
// Every route has a body size limit and a time limit; no answer quotes a
// secret or a request body. Several services on one PostgreSQL database
// share the work (see package track).
package service

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/track"
)

// Defaults for zero Config fields.
const (
	DefaultMaxBodyBytes = 1 << 20
	DefaultTimeout      = 30 * time.Second
	// DefaultOverdue is how long a refund's poll may be due before
	// the refundkit_refunds_overdue gauge counts it.
	DefaultOverdue = time.Minute
)

// Config configures a Service.
type Config struct {
	// Tracker is the tracker the API reads and writes. Required.
	Tracker *track.Tracker
	// Token is the bearer token every /v1 request must carry. Required:
	// the API is never open.
	Token string
	// Notify are the notification handlers, served at /notify/{provider}:
	// build them with package notify's constructors and Deliver(Tracker).
	Notify []*notify.Handler
	// Metrics receives the service's metrics; nil means a new registry,
	// served at /metrics.
	Metrics *Metrics
	// MaxBodyBytes caps API request bodies; zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Timeout bounds each request; zero means DefaultTimeout.
	Timeout time.Duration
	// Overdue is the threshold of the overdue gauge; zero means
	// DefaultOverdue.
	Overdue time.Duration
	// Logger receives one line per failed request; nil discards them.
	Logger *slog.Logger
}

// Service is the HTTP side of a tracker. It is an http.Handler.
type Service struct {
	cfg Config
	mux *http.ServeMux
}

// New checks cfg and builds the service's routes.
func New(cfg Config) (*Service, error) {
	switch {
	case cfg.Tracker == nil:
		return nil, errors.New("service: no tracker")
	case len(cfg.Token) < 16:
		return nil, errors.New("service: the API token must be at least 16 characters")
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Overdue <= 0 {
		cfg.Overdue = DefaultOverdue
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics(prometheus.NewRegistry())
	}
	s := &Service{cfg: cfg, mux: http.NewServeMux()}
	cfg.Metrics.watch(cfg.Tracker, cfg.Overdue)
	api := func(h http.HandlerFunc) http.Handler { return s.limit(s.auth(h)) }
	s.mux.Handle("POST /v1/refunds", api(s.addRefunds))
	s.mux.Handle("GET /v1/refunds", api(s.listRefunds))
	s.mux.Handle("GET /v1/refunds/{provider}/{refund_id}", api(s.getRefund))
	s.mux.Handle("/v1/", api(s.notFound))
	s.mux.Handle("GET /healthz", s.limit(http.HandlerFunc(s.health)))
	s.mux.Handle("GET /metrics", s.limit(promhttp.HandlerFor(cfg.Metrics.gatherer, promhttp.HandlerOpts{Timeout: cfg.Timeout})))
	seen := map[refundkit.Provider]bool{}
	for _, h := range cfg.Notify {
		if seen[h.Provider()] {
			return nil, errors.New("service: two notification handlers for " + string(h.Provider()))
		}
		seen[h.Provider()] = true
		s.mux.Handle("/notify/"+string(h.Provider()), s.limit(s.notification(h)))
	}
	s.mux.Handle("/", s.limit(http.HandlerFunc(s.notFound)))
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// limit bounds the time of every request (503 with a JSON error when it
// runs out) and its body (each handler reads through MaxBytesReader too).
func (s *Service) limit(h http.Handler) http.Handler {
	body, _ := jsonBody("unavailable", "the request ran out of time")
	return http.TimeoutHandler(h, s.cfg.Timeout, string(body))
}

// health answers 200 when the database answers within the request's time,
// 503 otherwise.
func (s *Service) health(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Tracker.Ping(r.Context()); err != nil {
		s.cfg.Logger.WarnContext(r.Context(), "refundkit serve: health check", "error", err.Error())
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Service) notFound(w http.ResponseWriter, _ *http.Request) {
	writeError(w, http.StatusNotFound, "not_found", "no such endpoint")
}
