package simulator

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// closeWriter is a connection that can end its sending side only (TCP and
// TLS both can), so the receiver sees the body end early and can still
// answer.
type closeWriter interface{ CloseWrite() error }

// sendTruncated sends req with a Content-Length of the whole body but only
// its first half, then ends the sending side of the connection and reads
// the answer. net/http's client refuses to send a body shorter than its
// Content-Length, so this writes the request itself: the receiver must see
// a truncated body, not no request at all.
func sendTruncated(ctx context.Context, c *http.Client, req *http.Request, body []byte) (*http.Response, error) {
	conn, err := dialFor(ctx, c, req)
	if err != nil {
		return nil, err
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	_ = conn.SetDeadline(time.Now().Add(timeout))
	var b bytes.Buffer
	fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %s\r\nConnection: close\r\n",
		req.URL.RequestURI(), req.URL.Host, strconv.Itoa(len(body)))
	h := req.Header.Clone()
	h.Del("Content-Length")
	h.Del("Host")
	if err := h.Write(&b); err != nil {
		conn.Close()
		return nil, err
	}
	b.WriteString("\r\n")
	b.Write(body[:len(body)/2])
	if _, err := conn.Write(b.Bytes()); err != nil {
		conn.Close()
		return nil, err
	}
	if cw, ok := conn.(closeWriter); ok {
		_ = cw.CloseWrite()
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		conn.Close()
		return nil, err
	}
	resp.Body = struct {
		io.Reader
		io.Closer
	}{resp.Body, conn}
	return resp, nil
}

// dialFor connects to req's host as c would: TCP, and TLS for https with
// the client transport's TLS settings.
func dialFor(ctx context.Context, c *http.Client, req *http.Request) (net.Conn, error) {
	host, port := req.URL.Hostname(), req.URL.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[req.URL.Scheme]
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil || req.URL.Scheme != "https" {
		return conn, err
	}
	cfg := &tls.Config{}
	if t, ok := c.Transport.(*http.Transport); ok && t.TLSClientConfig != nil {
		cfg = t.TLSClientConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	tc := tls.Client(conn, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return tc, nil
}
