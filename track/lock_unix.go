//go:build unix

package track

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockRun takes the run lock of the database file: an exclusive flock on
// FILE.lock, which the kernel releases when the process ends, however it
// ends. It fails with ErrBusy while another process holds it.
func lockRun(file string) (func(), error) {
	f, err := os.OpenFile(file+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("track: run lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s", ErrBusy, file)
		}
		return nil, fmt.Errorf("track: run lock: %w", err)
	}
	return func() { _ = f.Close() }, nil
}
