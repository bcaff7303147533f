package service

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/refundkit/refundkit/track"
)

// ShutdownGrace is how long Run waits for HTTP requests in flight once its
// context ends.
const ShutdownGrace = 10 * time.Second

// Run serves the service on ln and works the tracker's polls
// (Tracker.Run with KeepRunning) until ctx ends. Then it stops gracefully:
// it stops accepting connections and taking jobs, lets the requests and
// polls in flight finish, and returns nil. An error is returned when
// either side fails on its own.
func (s *Service) Run(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       s.cfg.Timeout + 10*time.Second, // the body too
		WriteTimeout:      s.cfg.Timeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	trackErr := make(chan error, 1)
	go func() { trackErr <- s.cfg.Tracker.Run(ctx, track.RunOptions{KeepRunning: true}) }()

	var err error
	select {
	case <-ctx.Done():
	case err = <-serveErr:
		err = fmt.Errorf("service: http: %w", err)
	case err = <-trackErr:
		err = fmt.Errorf("service: tracker: %w", err)
		trackErr <- nil
	}
	cancel()
	shutCtx, stop := context.WithTimeout(context.WithoutCancel(ctx), ShutdownGrace)
	defer stop()
	if serr := srv.Shutdown(shutCtx); serr != nil {
		_ = srv.Close()
	}
	if terr := <-trackErr; terr != nil && !errors.Is(terr, context.Canceled) && err == nil {
		err = fmt.Errorf("service: tracker: %w", terr)
	}
	return err
}
