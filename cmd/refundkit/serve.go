package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/refundkit/refundkit/simulator"
)

// simServer is a simulator served over HTTP on a local address.
type simServer struct {
	url  string // the client's base URL: "http://127.0.0.1:port"
	srv  *http.Server
	done chan error // Serve's result, once it has returned
}

// serveSimulator starts serving sim on addr ("127.0.0.1:0" picks a free
// port) and returns once the listener is open, so the URL works at once.
func serveSimulator(sim *simulator.Simulator, addr string) (*simServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	s := &simServer{
		url: "http://" + ln.Addr().String(),
		srv: &http.Server{
			Handler:           sim,
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       2 * time.Minute,
		},
		done: make(chan error, 1),
	}
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

// shutdown stops accepting connections and waits, up to grace, for the
// requests in flight; then it closes whatever is left.
func (s *simServer) shutdown(grace time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		err = errors.Join(err, s.srv.Close())
	}
	if serr := <-s.done; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}
