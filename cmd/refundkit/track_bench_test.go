package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// BenchmarkTrackRunMemory measures the peak resident memory of a real
// "refundkit track run" process working for a fixed 8 seconds over a
// database of 10,000 and of 100,000 tracked refunds (ZaloPay, all pending),
// to show that memory does not grow with the number of refunds. Run it
// with -benchtime 1x: each iteration is a whole process. Linux only (it
// reads /proc).
func BenchmarkTrackRunMemory(b *testing.B) {
	bin := buildBinary(b)
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("refunds=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			config, input := memorySimulator(b, dir, n)
			db := filepath.Join(dir, "track.db")
			out, err := exec.Command(bin, "track", "add", "--db", db, "--input", input).CombinedOutput()
			require.NoError(b, err, string(out))
			var rss int64
			for b.Loop() {
				cmd := exec.Command(bin, "track", "run", "--db", db, "--config", config, "--ladder", "1h")
				var stderr strings.Builder
				cmd.Stderr = &stderr
				require.NoError(b, cmd.Start())
				time.Sleep(8 * time.Second)
				hwm := highWaterKiB(b, cmd.Process.Pid)
				require.NoError(b, cmd.Process.Signal(os.Interrupt))
				_ = cmd.Wait() // exit status 130: interrupted, as asked
				rss = max(rss, hwm)
				b.Log(lastLine(stderr.String()))
			}
			b.ReportMetric(float64(rss)/1024, "peak-RSS-MiB")
		})
	}
}

// highWaterKiB reads a running process's peak resident set (VmHWM) from
// /proc. (The rusage of a waited-for child is no good here: its ru_maxrss
// can include the parent's resident set from before the exec, and the
// parent holds the simulator's refunds.)
func highWaterKiB(b *testing.B, pid int) int64 {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Skipf("no /proc to read the peak RSS from: %v", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kib, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			require.NoError(b, err)
			return kib
		}
	}
	b.Fatalf("no VmHWM in /proc/%d/status", pid)
	return 0
}

// memorySimulator starts a ZaloPay simulator with n pending refunds and
// writes its config and the CSV that lists them.
func memorySimulator(b *testing.B, dir string, n int) (configFile, input string) {
	keys, err := testKeys()
	require.NoError(b, err)
	sim, err := simulator.New(simulator.DemoConfig(keys, nil)[refundkit.ZaloPay])
	require.NoError(b, err)
	refunds := make([]simulator.Refund, n)
	var csvRows strings.Builder
	csvRows.WriteString("provider,refund_id\n")
	for i := range refunds {
		refunds[i] = simulator.Refund{RefundID: fmt.Sprintf("261201_2554_mem%06d", i), Status: "3", SubStatus: "3"}
		fmt.Fprintf(&csvRows, "zalopay,%s\n", refunds[i].RefundID)
	}
	require.NoError(b, sim.Seed(refunds...))
	srv := httptest.NewServer(sim)
	b.Cleanup(srv.Close)
	cfg := &config{}
	simulatorSection(cfg, refundkit.ZaloPay, srv.URL, keys, simulator.KeyFiles{})
	body, err := cfg.marshal()
	require.NoError(b, err)
	return writeFile(b, dir, "refundkit.yaml", string(body)), writeFile(b, dir, "refunds.csv", csvRows.String())
}
