package simulator

import (
	"net"
	"net/http"
	"strconv"
	"time"
)

// transportFault applies the faults that act before any answer: an HTTP
// 500, a rate limit, a reset connection, or a delay. It reports whether the
// request still gets an answer (false: the fault has answered, or the client
// went away while the answer was delayed).
func (s *Simulator) transportFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	switch f {
	case FaultHTTP500:
		http.Error(w, "simulator: injected internal server error", http.StatusInternalServerError)
		return false
	case FaultRateLimit:
		w.Header().Set("Retry-After", retryAfterSeconds(s.faults.retryAfter()))
		http.Error(w, "simulator: injected rate limit", http.StatusTooManyRequests)
		return false
	case FaultConnReset:
		reset(w)
		return false
	case FaultSlow:
		t := time.NewTimer(s.faults.slowDelay())
		select {
		case <-r.Context().Done():
			t.Stop()
			return false
		case <-t.C:
		}
	}
	return true
}

var paddingBytes = func() []byte {
	b := make([]byte, oversizePadding)
	for i := range b {
		b[i] = ' '
	}
	b[len(b)-1] = '\n'
	return b
}()

// padding returns JSON white space, more than 1 MiB of it. Callers must not
// modify it.
func padding() []byte { return paddingBytes }

// reset closes the client's connection abruptly: SO_LINGER 0 makes the
// kernel send a TCP RST instead of a FIN. Where the connection cannot be
// hijacked (HTTP/2), aborting the handler resets the stream instead.
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// retryAfterSeconds writes d as a Retry-After delay in whole seconds,
// rounded up.
func retryAfterSeconds(d time.Duration) string {
	return strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10)
}
