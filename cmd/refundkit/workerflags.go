package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/track"
)

// workerFlags are the flags of the commands that poll: track run and serve.
type workerFlags struct {
	db, configFile, ladder *string
	maxAge, rescueAfter    *time.Duration
	concurrency            *int
	rateLimits             rateLimitFlag
}

// addWorkerFlags defines --db, --config, --ladder, --max-age,
// --concurrency, --rescue-after and --rate-limit.
func addWorkerFlags(f *cmdFlags) *workerFlags {
	w := &workerFlags{db: dbFlag(f), rateLimits: rateLimitFlag{}}
	w.configFile = f.String("config", "", "the config `file` (default $"+configEnv+", else ./"+defaultConfigFile+")")
	w.ladder = f.String("ladder", "", "comma-separated poll `waits` replacing the default ladder, such as 1s,2s,5s")
	w.maxAge = f.Duration("max-age", track.DefaultMaxAge, "stop polling a refund this long after it was added")
	w.concurrency = f.Int("concurrency", track.DefaultConcurrency, "how many polls run at once")
	w.rescueAfter = f.Duration("rescue-after", track.DefaultRescueAfter, "how long a poll may run before it is retried as lost")
	f.Var(w.rateLimits, "rate-limit", "`provider=N`: at most N inquiries a second to that provider, shared by every worker on the database (repeatable)")
	return w
}

// options returns the tracker options the flags ask for, without
// Inquirers; a non-empty problem is a usage error.
func (w *workerFlags) options() (opts track.Options, problem string) {
	policy := track.Policy{MaxAge: *w.maxAge}
	if *w.ladder != "" {
		steps, err := parseLadder(*w.ladder)
		if err != nil {
			return opts, "--ladder: " + err.Error()
		}
		policy.Ladder, policy.BackoffInitial, policy.BackoffMax = steps, steps[0], max(steps[len(steps)-1], steps[0])
	}
	if *w.maxAge <= 0 || *w.concurrency < 1 {
		return opts, "--max-age must be positive and --concurrency at least 1"
	}
	return track.Options{Policy: policy, Concurrency: *w.concurrency, RescueAfter: *w.rescueAfter, RateLimits: w.rateLimits}, ""
}

// rateLimitFlag collects --rate-limit provider=N.
type rateLimitFlag map[refundkit.Provider]float64

func (r rateLimitFlag) String() string {
	var parts []string
	for p, n := range r {
		parts = append(parts, fmt.Sprintf("%s=%g", p, n))
	}
	return strings.Join(parts, ",")
}

func (r rateLimitFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("want provider=N, such as payermax=20")
	}
	p, err := parseProvider(name)
	if err != nil {
		return err
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
	if err != nil || n <= 0 || n > 1e6 {
		return fmt.Errorf("%s: want a positive number of inquiries a second", s)
	}
	r[p] = n
	return nil
}
