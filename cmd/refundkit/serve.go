package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// simServer is a simulator served over HTTP on a local address.
type simServer struct {
	url  string // the client's base URL: "http://127.0.0.1:port"
	srv  *http.Server
	done chan error // Serve's result, once it has returned

	inFlight atomic.Int64 // requests being answered
}

// serveSimulator starts serving h on addr ("127.0.0.1:0" picks a free
// port) and returns once the listener is open, so the URL works at once.
func serveSimulator(h http.Handler, addr string) (*simServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	s := &simServer{url: clientURL(ln.Addr()), done: make(chan error, 1)}
	s.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.inFlight.Add(1)
			defer s.inFlight.Add(-1)
			h.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

// clientURL is the base URL a client on this machine uses to reach a
// listener at addr: an unspecified address (--addr 0.0.0.0:8080 or :8080,
// every interface) is reached at 127.0.0.1, since "http://[::]:8080" names
// no host to connect to.
func clientURL(addr net.Addr) string {
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	return "http://" + addr.String()
}

// shutdown stops accepting connections and waits, up to grace, for the
// requests in flight; then it closes whatever is left. Running out of grace
// is an error only when a request was still being answered: a client's
// connection that never sent a request (a transport dials ahead) keeps
// http.Server.Shutdown waiting although nothing is lost by closing it.
func (s *simServer) shutdown(grace time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		n := s.inFlight.Load()
		err = errors.Join(s.srv.Close())
		if n > 0 {
			err = errors.Join(fmt.Errorf("%d requests still in flight after %v: %w", n, grace, ctx.Err()), err)
		}
	}
	if serr := <-s.done; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}
