package main

import (
	"fmt"
	"io"
	"os"
)

// openInput opens the input file, or stdin for "-". size is the file's size
// when it is a regular file, else 0.
func openInput(name string, stdin io.Reader) (r io.Reader, size int64, closeFn func(), err error) {
	if name == "-" {
		return stdin, 0, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("input: %w", err)
	}
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	return f, size, func() { _ = f.Close() }, nil
}

// openOutput creates the output file; with no name it returns a nil writer
// (meaning stdout). It refuses to overwrite the input.
func openOutput(name, input string) (io.Writer, func() error, error) {
	return openOutputFlags(name, input, outputFlags(false))
}

// openOutputFlags is openOutput, opening the file with the os.OpenFile
// flags flags.
func openOutputFlags(name, input string, flags int) (io.Writer, func() error, error) {
	if name == "" || name == "-" {
		return nil, func() error { return nil }, nil
	}
	if in, err := os.Stat(input); err == nil {
		if out, err := os.Stat(name); err == nil && os.SameFile(in, out) {
			return nil, nil, fmt.Errorf("output %s is the input file", name)
		}
	}
	f, err := os.OpenFile(name, flags, 0o666)
	if err != nil {
		return nil, nil, fmt.Errorf("output: %w", err)
	}
	return f, f.Close, nil
}
