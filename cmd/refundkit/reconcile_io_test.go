package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failingWriter fails every write after the first n, keeping what it took.
type failingWriter struct {
	n    int
	took bytes.Buffer
}

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n == 0 {
		return 0, errors.New("disk full")
	}
	w.n--
	return w.took.Write(p)
}

func TestReconcileStopsOnIOErrors(t *testing.T) {
	e := newEnv(t, nil)
	clients := e.clients(t)

	t.Run("input fails midway", func(t *testing.T) {
		in := io.MultiReader(strings.NewReader("provider,refund_id\nzalopay,230407_2554_demo_succeeded\n"), iotest.ErrReader(errors.New("disk gone")))
		var out bytes.Buffer
		sum, err := reconcile(context.Background(), in, &out, io.Discard, clients, reconcileOptions{concurrency: 1})
		require.ErrorContains(t, err, "read input: disk gone")
		assert.True(t, sum.started)
		assert.Equal(t, 1, sum.rows, "the rows read before are still answered")
		assert.Len(t, readOutput(t, out.String()), 1)
	})
	t.Run("output fails", func(t *testing.T) {
		// Output goes out in batches of whole rows (batch.go): enough rows
		// for several, of which the first two are written.
		rows := 3 * batchBytes / 60
		in := strings.NewReader("provider,refund_id\n" + strings.Repeat("zalopay,230407_2554_demo_succeeded\n", rows))
		w := &failingWriter{n: 2}
		sum, err := reconcile(context.Background(), in, w, io.Discard, clients, reconcileOptions{concurrency: 4})
		require.ErrorContains(t, err, "write output: disk full")
		written := readOutput(t, w.took.String())
		assert.Positive(t, len(written))
		assert.Less(t, len(written), rows)
		assert.Equal(t, len(written), sum.rows, "the summary counts the rows written, header aside")
		assert.True(t, strings.HasSuffix(w.took.String(), "\n"), "each write ends at a row boundary")
	})
}
