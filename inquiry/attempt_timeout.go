package inquiry

import (
	"context"
	"math"
	"sync"
	"time"
)

// attemptContext bounds one attempt by Options.Timeout unless the
// *http.Client has a Timeout of its own. A shorter deadline on ctx wins.
// Without a timeout of ours the attempt runs on ctx itself: a context of
// its own would cost allocations (here and in net/http, which derives one
// from it) and release nothing, as receive closes every response body.
//
// With one, the attempt's context is a cancel context of ctx that a
// pooled timer cancels at the deadline, with context.DeadlineExceeded as
// its cause: what net/http returns for a canceled request is that cause,
// as with context.WithTimeout, whose own timer and closures would cost
// four allocations per attempt instead of two. Unlike WithTimeout's, the
// context does not report the attempt's deadline (Deadline reports ctx's),
// and its Err is context.Canceled once the deadline passed.
func (c *core) attemptContext(ctx context.Context) (context.Context, attemptEnd) {
	if c.opts.HTTPClient.Timeout > 0 || c.opts.Timeout < 0 {
		return ctx, attemptEnd{}
	}
	actx, cancel := context.WithCancelCause(ctx)
	t := attemptTimers.Get().(*attemptTimer)
	t.mu.Lock()
	t.cancel = cancel
	t.mu.Unlock()
	t.timer.Reset(c.opts.Timeout)
	return actx, attemptEnd{timer: t, cancel: cancel}
}

// attemptEnd releases an attempt's context and timer; its zero value
// releases nothing.
type attemptEnd struct {
	timer  *attemptTimer
	cancel context.CancelCauseFunc
}

// end stops the timer, returning it to the pool unless it fired (its
// function may then still be running), and cancels the attempt's context.
func (e attemptEnd) end() {
	if e.timer == nil {
		return
	}
	if e.timer.timer.Stop() {
		e.timer.mu.Lock()
		e.timer.cancel = nil
		e.timer.mu.Unlock()
		attemptTimers.Put(e.timer)
	}
	e.cancel(context.Canceled)
}

// attemptTimer is a stopped timer that, once Reset, cancels the context of
// the attempt it was handed to.
type attemptTimer struct {
	timer  *time.Timer
	mu     sync.Mutex
	cancel context.CancelCauseFunc // the running attempt's; nil in the pool
}

// fire cancels the attempt at its deadline.
func (t *attemptTimer) fire() {
	t.mu.Lock()
	cancel := t.cancel
	t.mu.Unlock()
	if cancel != nil {
		cancel(context.DeadlineExceeded)
	}
}

// attemptTimers holds stopped attemptTimers for reuse.
var attemptTimers = sync.Pool{New: func() any {
	t := new(attemptTimer)
	t.timer = time.AfterFunc(math.MaxInt64, t.fire)
	t.timer.Stop()
	return t
}}
