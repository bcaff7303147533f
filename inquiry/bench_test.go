//go:build unix

package inquiry_test

// The SDK's performance against its floor. BENCHMARKS.md has the machine,
// the figures and the commands; in short:
//
//	go test -run '^$' -bench '^Benchmark(Inquire|Baseline)$' -benchmem -count 10 ./inquiry/
//	go test -run '^$' -bench InquireRatio -benchtime 3s -count 5 ./inquiry/
//	go test -run '^$' -bench Reconcile -benchmem -count 3 ./inquiry/
//
// Every benchmark runs against the pre-signed loopback servers of
// baseline_test.go. Besides ns/op, B/op and allocs/op, Inquire, Baseline and
// Reconcile report cpu-ns, the process's CPU time (user and system, client
// and in-process server) per inquiry: its inverse is the per-core rate,
// which is what compares a concurrent reconcile run with one sequential
// exchange.
//
// (The file builds on unix only, for getrusage.)

import (
	"fmt"
	"iter"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
	"github.com/refundkit/refundkit/inquiry"
)

// BenchmarkInquire is one inquiry through the SDK per op: validation,
// signing, the generated client, HTTP, verification, decoding and mapping.
func BenchmarkInquire(b *testing.B) { benchmarkInquire(b) }

// BenchmarkInquireNoTimeout is BenchmarkInquire without the per-attempt
// timeout (WithTimeout(-1)): what that safety feature costs, in
// allocations above all (a context per attempt, and the one net/http
// derives from it).
func BenchmarkInquireNoTimeout(b *testing.B) { benchmarkInquire(b, inquiry.WithTimeout(-1)) }

func benchmarkInquire(b *testing.B, opts ...inquiry.Option) {
	e := newBenchEnv(b)
	for _, p := range baselined {
		b.Run(string(p), func(b *testing.B) {
			c := e.sdk(b, p, opts...)
			q := refundkit.Query{RefundID: benchRefundID}
			ctx := b.Context()
			measure(b, "op", 1, func() {
				res, err := c.Inquire(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				if res.Status != refundkit.StatusSucceeded {
					b.Fatalf("status %q", res.Status)
				}
			})
		})
	}
}

// BenchmarkBaseline is the same exchange by hand (baseline_test.go), the
// floor BenchmarkInquire is held to.
func BenchmarkBaseline(b *testing.B) {
	e := newBenchEnv(b)
	for _, p := range baselined {
		b.Run(string(p), func(b *testing.B) {
			c := e.baseline(b, p)
			ctx := b.Context()
			measure(b, "op", 1, func() {
				res, err := c.inquire(ctx, benchRefundID)
				if err != nil {
					b.Fatal(err)
				}
				if res.status != refundkit.StatusSucceeded {
					b.Fatalf("status %q", res.status)
				}
			})
		})
	}
}

// BenchmarkInquireRatio alternates one hand-written exchange and one SDK
// inquiry inside one loop and reports the median of the per-pair time
// ratios as x-baseline (which of the two goes first alternates too). On a
// shared machine a neighbour's load then slows both sides of a pair alike,
// and the median ignores the pairs it disturbed, so the ratio holds steady
// where separate ns/op figures drift by tens of percent. zalopay-control
// pairs the baseline with itself: its distance from 1 is the noise floor.
func BenchmarkInquireRatio(b *testing.B) {
	e := newBenchEnv(b)
	for _, name := range []string{"newpay", "payermax", "zalopay", "alphapay", "newpay2", "zalopay-control"} {
		b.Run(name, func(b *testing.B) {
			p := refundkit.Provider(strings.TrimSuffix(name, "-control"))
			ctx := b.Context()
			base := e.baseline(b, p)
			floor := func() (refundkit.Status, error) {
				res, err := base.inquire(ctx, benchRefundID)
				return res.status, err
			}
			measured := floor
			if name == string(p) {
				c, q := e.sdk(b, p), refundkit.Query{RefundID: benchRefundID}
				measured = func() (refundkit.Status, error) {
					res, err := c.Inquire(ctx, q)
					if err != nil {
						return "", err
					}
					return res.Status, nil
				}
			}
			var ratios []float64
			for i := 0; b.Loop(); i++ {
				var f, m time.Duration
				if i%2 == 0 {
					f = timeOne(b, floor)
					m = timeOne(b, measured)
				} else {
					m = timeOne(b, measured)
					f = timeOne(b, floor)
				}
				ratios = append(ratios, float64(m)/float64(f))
			}
			slices.Sort(ratios)
			b.ReportMetric(ratios[len(ratios)/2], "x-baseline")
		})
	}
}

// timeOne times one inquiry, which must answer StatusSucceeded.
func timeOne(b *testing.B, inquire func() (refundkit.Status, error)) time.Duration {
	start := time.Now()
	status, err := inquire()
	d := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	if status != refundkit.StatusSucceeded {
		b.Fatalf("status %q", status)
	}
	return d
}

// BenchmarkReconcile runs n refunds through bulk.Runner with the default
// concurrency, over the SDK's clients: "mixed" spreads them evenly over the
// four providers, "zalopay" is ZaloPay alone (HMAC, no RSA), to hold
// against BenchmarkBaseline/zalopay's per-core rate. One op is one run of n
// items; per-item figures are reported, and peak-live-B, the largest live
// heap the garbage collector saw during the runs, which must not grow with
// n.
func BenchmarkReconcile(b *testing.B) {
	e := newBenchEnv(b)
	for _, set := range []struct {
		name      string
		providers []refundkit.Provider
	}{
		{"mixed", baselined},
		{"zalopay", []refundkit.Provider{refundkit.ZaloPay}},
	} {
		clients := make([]refundkit.Inquirer, len(set.providers))
		for i, p := range set.providers {
			clients[i] = e.sdk(b, p)
		}
		runner, err := bulk.New(clients)
		if err != nil {
			b.Fatal(err)
		}
		for _, n := range []int{1_000, 10_000} {
			b.Run(fmt.Sprintf("%s/items=%d", set.name, n), func(b *testing.B) {
				items := reconcileItems(set.providers, n)
				ctx := b.Context()
				peak := watchLiveHeap()
				measure(b, "item", n, func() {
					got := 0
					for o := range runner.Run(ctx, items) {
						if o.Err != nil {
							b.Fatal(o.Err)
						}
						if o.Result.Status != refundkit.StatusSucceeded {
							b.Fatalf("status %q", o.Result.Status)
						}
						got++
					}
					if got != n {
						b.Fatalf("%d outcomes, want %d", got, n)
					}
				})
				b.ReportMetric(float64(peak()), "peak-live-B")
			})
		}
	}
}

// reconcileItems yields n items about benchRefundID, the providers taking
// turns.
func reconcileItems(providers []refundkit.Provider, n int) iter.Seq[bulk.Item] {
	return func(yield func(bulk.Item) bool) {
		for i := range n {
			it := bulk.Item{Provider: providers[i%len(providers)], Query: refundkit.Query{RefundID: benchRefundID}, Tag: int64(i)}
			if !yield(it) {
				return
			}
		}
	}
}

// measure runs op in a b.Loop, each op standing for perOp units, and
// reports allocations and, per unit, wall time, CPU time and (when perOp is
// more than 1) bytes and allocations.
func measure(b *testing.B, unit string, perOp int, op func()) {
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu := cpuTime()
	ops := 0
	for b.Loop() {
		op()
		ops++
	}
	cpu = cpuTime() - cpu
	units := float64(ops * perOp)
	b.ReportMetric(float64(cpu.Nanoseconds())/units, "cpu-ns/"+unit)
	if perOp > 1 {
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/units, "ns/"+unit)
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/units, "B/"+unit)
		b.ReportMetric(float64(after.Mallocs-before.Mallocs)/units, "allocs/"+unit)
	}
}

// cpuTime is the CPU time the process has used so far, user and system.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		panic(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// watchLiveHeap samples the live heap (as marked by the last garbage
// collection) every few milliseconds until the returned function is called,
// which reports the largest value seen.
func watchLiveHeap() (peak func() uint64) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var (
		highest uint64
		done    = make(chan struct{})
		wg      sync.WaitGroup
	)
	read := func() {
		metrics.Read(sample)
		if v := sample[0].Value.Uint64(); v > highest {
			highest = v
		}
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				read()
				return
			case <-t.C:
				read()
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return highest
	}
}
