package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
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
// with -benchtime 1x: each iteration is a whole process.
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
				require.NoError(b, cmd.Process.Signal(os.Interrupt))
				_ = cmd.Wait() // exit status 130: interrupted, as asked
				ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
				require.True(b, ok)
				rss = max(rss, ru.Maxrss) // KiB on Linux
				b.Log(lastLine(stderr.String()))
			}
			b.ReportMetric(float64(rss)/1024, "peak-RSS-MiB")
		})
	}
}

// memorySimulator starts a ZaloPay simulator with n pending refunds and
// writes its config and the CSV that lists them.
func memorySimulator(b *testing.B, dir string, n int) (configFile, input string) {
	keys, err := testKeys()
	require.NoError(b, err)
	sim, err := simulator.New(refundkit.ZaloPay, simulator.DemoConfig(keys, nil))
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
	simulatorSection(cfg, refundkit.ZaloPay, srv.URL, simulator.KeyFiles{}, keys.Key1)
	body, err := cfg.marshal()
	require.NoError(b, err)
	return writeFile(b, dir, "refundkit.yaml", string(body)), writeFile(b, dir, "refunds.csv", csvRows.String())
}
