package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkResumeRead reads a 1,000,000-row CSV output file as --resume
// does, and reports its cost per row: the rows' parse and the set of
// lines, one bit per line.
func BenchmarkResumeRead(b *testing.B) {
	const rows = 1_000_000
	var sb strings.Builder
	sb.WriteString(resumeHeader)
	for i := range rows {
		fmt.Fprintf(&sb, "%d,zalopay,230407_2554_demo_succeeded,succeeded,1,,,true,,,,%d\n", i+2, i)
	}
	name := filepath.Join(b.TempDir(), "out.csv")
	if err := os.WriteFile(name, []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(sb.Len()))
	b.ReportAllocs()
	for b.Loop() {
		lines, _, err := resumeOnce(b, name, false)
		if err != nil || lines.n != rows {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
}
