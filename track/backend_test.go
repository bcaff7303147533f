package track_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/internal/pgtest"
	"github.com/refundkit/refundkit/track"
)

// backend is one database the tracker's suite runs against.
type backend struct {
	name string
	// dsn returns a new, empty database.
	dsn func(t testing.TB) string
}

var backends = []backend{
	{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "refundkit.db") }},
	{"postgres", pgtest.DSN}, // skips (fails under CI=true) without $REFUNDKIT_TEST_POSTGRES
}

// eachDB runs test once per backend, as subtests named after them.
func eachDB(t *testing.T, test func(t *testing.T, db backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, b) })
	}
}

// open opens a tracker on a new database of the backend.
func (b backend) open(t testing.TB, opts track.Options) (*track.Tracker, string) {
	t.Helper()
	dsn := b.dsn(t)
	tr, err := track.Open(context.Background(), dsn, opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tr.Close() })
	return tr, dsn
}
