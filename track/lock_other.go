//go:build !unix

package track

// lockRun does nothing where flock is not available: two runs on one
// database then both work, which is safe (every poll re-checks its
// generation inside its transaction) but wasteful.
func lockRun(string) (func(), error) { return func() {}, nil }
