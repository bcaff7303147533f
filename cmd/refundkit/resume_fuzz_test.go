package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzResumeRead gives --resume any file to carry on with. It must never
// panic; a file it refuses is left as it was; a file it takes is cut to a
// prefix of itself (never rewritten), which, read again, is taken whole
// with the same lines.
func FuzzResumeRead(f *testing.F) {
	for _, seed := range []string{"", resumeHeader, resumeHeader + resumeRow2 + resumeRow3[:9],
		resumeHeader + resumeRow2 + "3,\"a\nb\",x\n", resumeJSON2 + resumeJSON3[:12], "\x00\x00", "{\"line\":2}\n"} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, asJSON bool) {
		name := filepath.Join(t.TempDir(), "out")
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
		lines, _, err := resumeOnce(t, name, asJSON)
		after, rerr := os.ReadFile(name)
		if rerr != nil {
			t.Fatal(rerr)
		}
		if err != nil {
			if !bytes.Equal(after, data) {
				t.Fatalf("refused (%v), yet changed", err)
			}
			return
		}
		if !bytes.HasPrefix(data, after) {
			t.Fatalf("kept %q, not a prefix of %q", after, data)
		}
		again, _, err := resumeOnce(t, name, asJSON)
		if err != nil {
			t.Fatalf("what was kept is refused: %v", err)
		}
		if now, _ := os.ReadFile(name); !bytes.Equal(now, after) {
			t.Fatalf("what was kept, %q, is cut again to %q", after, now)
		}
		if (lines == nil) != (again == nil) || lines != nil && lines.n != again.n {
			t.Fatal("read again, the kept file has other lines")
		}
	})
}

// resumeOnce opens name as --resume does and readies it.
func resumeOnce(t testing.TB, name string, asJSON bool) (*lineSet, bool, error) {
	f, err := os.OpenFile(name, outputFlags(true), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	s := &sink{errOut: io.Discard, names: []string{"n"}}
	return s.resume(reconcileOptions{json: asJSON, resume: &resumeFile{f: f, name: name}})
}
