//go:build unix

package main

// reconcile against its floor: a plain loop with the standard library and
// the same SDK client doing the same inquiries. BENCHMARKS.md has the
// figures and the commands:
//
//	go test -run '^$' -bench ReconcileRatio -benchtime 20x -count 5 ./cmd/refundkit/
//	go test -run '^$' -bench ReconcileOwnCost -benchtime 20x -count 5 ./cmd/refundkit/

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
)

// reconcileBenchRows is how many rows each side reads per pair.
const reconcileBenchRows = 5_000

// BenchmarkReconcileRatio alternates, in one loop, reconcile over
// reconcileBenchRows ZaloPay rows and plainReconcile over the same rows,
// both against the same `refundkit simulate --provider zalopay` process
// with the same SDK client and concurrency, both writing to /dev/null
// through an *os.File (so every write is a real system call). It reports
// the medians of the per-pair ratios of this process's CPU time (getrusage:
// user and system; the simulator's is its own process's) and of bytes
// allocated.
// control pairs the plain loop with itself: its distance from 1 is the
// noise floor.
func BenchmarkReconcileRatio(b *testing.B) {
	zalopay := simulateZaloPay(b)
	input := "provider,refund_id\n" + strings.Repeat("zalopay,230407_2554_demo_succeeded\n", reconcileBenchRows)
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = devNull.Close() })
	ctx := b.Context()
	plain := func() error {
		return plainReconcile(ctx, strings.NewReader(input), devNull, zalopay, bulk.DefaultConcurrency)
	}
	for _, name := range []string{"zalopay", "control"} {
		b.Run(name, func(b *testing.B) {
			measured := plain
			if name == "zalopay" {
				measured = func() error {
					sum, err := reconcile(ctx, strings.NewReader(input), devNull, io.Discard, []refundkit.Inquirer{zalopay},
						reconcileOptions{concurrency: bulk.DefaultConcurrency})
					if err == nil && sum.statuses[refundkit.StatusSucceeded] != reconcileBenchRows {
						err = errors.New("not every row succeeded")
					}
					return err
				}
			}
			var cpu, mem []float64
			for i := 0; b.Loop(); i++ {
				var fc, mc, fb, mb float64
				if i%2 == 0 {
					fc, fb = costOf(b, plain)
					mc, mb = costOf(b, measured)
				} else {
					mc, mb = costOf(b, measured)
					fc, fb = costOf(b, plain)
				}
				cpu, mem = append(cpu, mc/fc), append(mem, mb/fb)
			}
			b.ReportMetric(median(cpu), "x-plain-cpu")
			b.ReportMetric(median(mem), "x-plain-B")
		})
	}
}

// BenchmarkReconcileOwnCost is reconcile's own work per row, without a
// network: reconcile and plainReconcile over reconcileBenchRows rows, each
// asking an Inquirer that answers at once and writing to io.Discard,
// reporting this process's CPU time per row (cpu-ns/row) and allocations
// per row (allocs/row).
func BenchmarkReconcileOwnCost(b *testing.B) {
	amount, err := refundkit.ParseMoney("10000", "VND")
	if err != nil {
		b.Fatal(err)
	}
	c := instantInquirer{res: refundkit.Result{Status: refundkit.StatusSucceeded, ProviderStatus: "1", Amount: &amount, Verified: true}}
	input := "provider,refund_id\n" + strings.Repeat("zalopay,230407_2554_demo_succeeded\n", reconcileBenchRows)
	ctx := b.Context()
	for _, side := range []struct {
		name string
		run  func() error
	}{
		{"reconcile", func() error {
			_, err := reconcile(ctx, strings.NewReader(input), io.Discard, io.Discard, []refundkit.Inquirer{c},
				reconcileOptions{concurrency: bulk.DefaultConcurrency})
			return err
		}},
		{"plain", func() error {
			return plainReconcile(ctx, strings.NewReader(input), io.Discard, c, bulk.DefaultConcurrency)
		}},
	} {
		b.Run(side.name, func(b *testing.B) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := processCPU()
			for b.Loop() {
				if err := side.run(); err != nil {
					b.Fatal(err)
				}
			}
			rows := float64(b.N * reconcileBenchRows)
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(processCPU()-start)/rows, "cpu-ns/row")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/rows, "allocs/row")
		})
	}
}

// instantInquirer answers every inquiry at once with a copy of res.
type instantInquirer struct{ res refundkit.Result }

func (instantInquirer) Provider() refundkit.Provider { return refundkit.ZaloPay }

func (c instantInquirer) Inquire(context.Context, refundkit.Query) (*refundkit.Result, error) {
	res := c.res
	return &res, nil
}

// costOf runs run once and returns the process's CPU time and the bytes
// allocated meanwhile.
func costOf(b *testing.B, run func() error) (cpuNs, bytes float64) {
	var before, after runtime.MemStats
	runtime.GC() // each side starts from the same heap and pays for its own garbage
	runtime.ReadMemStats(&before)
	start := processCPU()
	if err := run(); err != nil {
		b.Fatal(err)
	}
	cpu := processCPU() - start
	runtime.ReadMemStats(&after)
	return float64(cpu), float64(after.TotalAlloc - before.TotalAlloc)
}

func median(v []float64) float64 {
	slices.Sort(v)
	return v[len(v)/2]
}

// processCPU is the CPU time the process has used so far, user and system.
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		panic(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// plainReconcile is the floor: the same job with the standard library and
// one SDK client. A csv.Reader, a pool of concurrency goroutines calling
// Inquire, and a csv.Writer over a bufio.Writer flushed at the end, writing
// the columns reconcile writes. It has no input checks, passed-through
// columns, progress, summary, bad-row handling, batching by time, or
// interruption handling.
func plainReconcile(ctx context.Context, in io.Reader, out io.Writer, c refundkit.Inquirer, concurrency int) error {
	r := csv.NewReader(in)
	if _, err := r.Read(); err != nil {
		return err
	}
	type job struct {
		line int
		id   string
	}
	type done struct {
		job
		res *refundkit.Result
		err error
	}
	jobs, results := make(chan job, concurrency), make(chan done, concurrency)
	var wg sync.WaitGroup
	for range concurrency {
		wg.Go(func() {
			for j := range jobs {
				res, err := c.Inquire(ctx, refundkit.Query{RefundID: j.id})
				results <- done{j, res, err}
			}
		})
	}
	var readErr error
	go func() {
		defer close(jobs)
		for line := 2; ; line++ {
			rec, err := r.Read()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					readErr = err
				}
				return
			}
			jobs <- job{line, rec[1]}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	bw := bufio.NewWriterSize(out, 32<<10)
	w := csv.NewWriter(bw)
	_ = w.Write(csvHeader)
	for d := range results {
		rec := []string{strconv.Itoa(d.line), string(refundkit.ZaloPay), d.id, "", "", "", "", "", "", "", ""}
		if d.err != nil {
			rec[8], rec[9] = string(refundkit.CategoryOf(d.err)), d.err.Error()
		} else {
			rec[3], rec[4], rec[7] = string(d.res.Status), d.res.ProviderStatus, strconv.FormatBool(d.res.Verified)
			if m := d.res.Amount; m != nil {
				rec[5], rec[6] = m.Value(), m.Currency()
			}
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return errors.Join(readErr, w.Error())
}

// simulateZaloPay starts `refundkit simulate --provider zalopay` on a free
// port and returns an SDK client for it, built from the refundkit.yaml the
// simulator writes, the way the commands build theirs.
func simulateZaloPay(b *testing.B) refundkit.Inquirer {
	bin, dir := buildBinary(b), b.TempDir()
	cmd := exec.Command(bin, "simulate", "--provider", "zalopay", "--addr", "127.0.0.1:0", "--keys-dir", dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(out)
	for lines.Scan() && !strings.Contains(lines.Text(), "listening on") {
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	cfg, err := loadConfig(filepath.Join(dir, "refundkit.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	client, err := cfg.client(refundkit.ZaloPay)
	if err != nil {
		b.Fatal(err)
	}
	return client
}
