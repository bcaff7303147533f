package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/refundkit/refundkit/track"
)

const trackRunDetails = `
Polls the tracked refunds through the providers of the config file until
every refund is final (succeeded, failed) or stopped, then exits; with
--once, until every refund that was due at the start has been polled once.
A progress line shows on stderr (redrawn on a terminal, every 5s
otherwise), and a summary at the end.

Each refund is polled on a ladder of waits (default 1m, 5m, 15m, 1h, 6h,
then daily) until --max-age after it was added. Rate limits wait for the
provider's Retry-After; temporary errors back off exponentially with
jitter; auth, signature and invalid_request errors stop the refund at
once; not_found is asked again 3 times first. --ladder replaces the
ladder for every provider, and then also bounds the error backoff (its
first and last steps), so a demo or a test settles in seconds.

Everything is written to the database as it happens: interrupt or kill the
run at any moment and the next run carries on. Only one run works a
database at a time.`

func runTrackRun(ctx context.Context, args []string, std stdio) int {
	f := newFlags("track run", "refundkit track run [--db FILE] [--config FILE] [--once] [--ladder 1s,2s,5s] [--max-age D]", trackRunDetails)
	wf := addWorkerFlags(f)
	once := f.Bool("once", false, "poll each refund that is due once, then exit")
	if code, done := f.parse(args, std); done {
		return code
	}
	opts, problem := wf.options()
	if problem != "" {
		return f.usageError(std, "%s", problem)
	}
	if err := needDatabase(*wf.db); err != nil {
		return std.fail("track run", err)
	}
	cfg, err := loadConfig(*wf.configFile)
	if err != nil {
		return std.fail("track run", err)
	}
	if opts.Inquirers, err = cfg.clients(); err != nil {
		return std.fail("track run", err)
	}
	tr, err := track.Open(ctx, *wf.db, opts)
	if err != nil {
		return std.fail("track run", err)
	}
	defer func() { _ = tr.Close() }()
	pl := &progressPrinter{std: std, terminal: isTerminal(std.errOut), start: time.Now()}
	err = tr.Run(ctx, track.RunOptions{Once: *once, Progress: pl.report, ProgressEvery: pl.every()})
	pl.finish()
	switch {
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		return exitInterrupted
	case err != nil:
		return std.fail("track run", err)
	}
	return exitOK
}

// parseLadder reads "1s,2s,5s".
func parseLadder(s string) ([]time.Duration, error) {
	var steps []time.Duration
	for _, part := range strings.Split(s, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil {
			return nil, err
		}
		if d <= 0 {
			return nil, fmt.Errorf("step %q is not positive", part)
		}
		steps = append(steps, d)
	}
	return steps, nil
}

// progressPrinter draws track run's progress line.
type progressPrinter struct {
	std      stdio
	terminal bool
	start    time.Time
	mu       sync.Mutex
	last     track.Progress
	drawn    bool
}

func (p *progressPrinter) every() time.Duration {
	if p.terminal {
		return 250 * time.Millisecond
	}
	return 5 * time.Second
}

func (p *progressPrinter) report(pr track.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = pr
	line := fmt.Sprintf("%d refunds: %d final, %d stopped, %d active (%d due)  %s",
		pr.Total, pr.Final, pr.Stopped, pr.Active, pr.Due, time.Since(p.start).Round(time.Second))
	if p.terminal {
		fmt.Fprintf(p.std.errOut, "\r\033[K%s", line)
		p.drawn = true
		return
	}
	fmt.Fprintln(p.std.errOut, line)
}

// finish ends the progress line and prints the summary.
func (p *progressPrinter) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintln(p.std.errOut)
	}
	pr := p.last
	fmt.Fprintf(p.std.errOut, "refundkit track run: %d refunds: %d final, %d stopped, %d still active, after %s\n",
		pr.Total, pr.Final, pr.Stopped, pr.Active, time.Since(p.start).Round(time.Millisecond))
}
