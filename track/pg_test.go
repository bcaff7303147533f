package track_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/internal/pgtest"
	"github.com/refundkit/refundkit/simulator"
	"github.com/refundkit/refundkit/track"
)

func TestPostgresRefusesBadSchemas(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, stmt string
		want       error
	}{
		{"newer refundkit schema", `UPDATE refundkit_schema_migrations SET version = 99`, track.ErrSchemaTooNew},
		{"newer River schema", `INSERT INTO river_migration (line, version) VALUES ('main', 999)`, track.ErrSchemaTooNew},
		{"dirty", `UPDATE refundkit_schema_migrations SET dirty = true`, track.ErrSchemaDirty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dsn := pgtest.DSN(t)
			tr, err := track.Open(ctx, dsn, track.Options{})
			require.NoError(t, err)
			require.NoError(t, tr.Close())
			pgExec(t, dsn, tt.stmt)
			tr, err = track.Open(ctx, dsn, track.Options{})
			if tr != nil {
				_ = tr.Close()
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func TestPostgresErrorsHideThePassword(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Port 1 on loopback: nothing listens, the connection is refused.
	_, err := track.Open(ctx, "postgres://refunds:s3cret-pw@127.0.0.1:1/refunds?sslmode=disable&connect_timeout=2", track.Options{})
	require.Error(t, err)
	require.NotContains(t, err.Error(), "s3cret-pw")
	require.Equal(t, "postgres://refunds:xxxxx@127.0.0.1:1/refunds?password=xxxxx",
		track.RedactDSN("postgres://refunds:pw@127.0.0.1:1/refunds?password=pw"))
}

// TestPostgresTrackersShareTheWork runs two trackers on one database at
// once: every refund settles, both do part of the work, and no refund is
// ever polled by both at the same time.
func TestPostgresTrackersShareTheWork(t *testing.T) {
	dsn := pgtest.DSN(t)
	s := newSims(t, refundkit.PayerMax)
	const n = 200
	var refs []track.Ref
	for i := range n {
		id := fmt.Sprintf("P-%03d", i)
		require.NoError(t, s.sim[refundkit.PayerMax].Seed(simulator.Refund{RefundID: id, Status: "REFUND_PENDING", Amount: "1.00", Currency: "USD",
			Transitions: []simulator.Transition{{After: 2, Status: "REFUND_SUCCESS"}}}))
		refs = append(refs, track.Ref{Provider: refundkit.PayerMax, RefundID: id})
	}
	ctx := context.Background()
	busy := &overlapCheck{inFlight: map[string]bool{}}
	var trackers []*track.Tracker
	var polls [2]atomic.Int64
	for i := range 2 {
		inq := busy.wrap(s.clients[0], &polls[i])
		tr, err := track.Open(ctx, dsn, track.Options{Inquirers: []refundkit.Inquirer{inq}, Policy: fastPolicy, Concurrency: 4})
		require.NoError(t, err)
		t.Cleanup(func() { _ = tr.Close() })
		trackers = append(trackers, tr)
	}
	_, err := trackers[0].Add(ctx, refs...)
	require.NoError(t, err)
	runCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var g errgroup.Group
	for _, tr := range trackers {
		g.Go(func() error { return tr.Run(runCtx, track.RunOptions{}) })
	}
	require.NoError(t, g.Wait())
	counts, err := trackers[1].Counts(ctx, track.Filter{})
	require.NoError(t, err)
	require.Equal(t, []track.Count{{Provider: refundkit.PayerMax, State: track.StateFinal, Status: refundkit.StatusSucceeded, N: n}}, counts)
	require.Zero(t, busy.overlaps.Load(), "a refund was polled by two trackers at once")
	require.Positive(t, polls[0].Load())
	require.Positive(t, polls[1].Load())
	require.GreaterOrEqual(t, polls[0].Load()+polls[1].Load(), int64(3*n))
}

// overlapCheck counts inquiries about a refund that start while another
// about the same refund is in flight.
type overlapCheck struct {
	mu       sync.Mutex
	inFlight map[string]bool
	overlaps atomic.Int64
}

func (o *overlapCheck) wrap(c refundkit.Inquirer, n *atomic.Int64) refundkit.Inquirer {
	return countingInquirer{Inquirer: c, o: o, n: n}
}

type countingInquirer struct {
	refundkit.Inquirer
	o *overlapCheck
	n *atomic.Int64
}

func (c countingInquirer) Inquire(ctx context.Context, q refundkit.Query) (*refundkit.Result, error) {
	c.n.Add(1)
	c.o.mu.Lock()
	if c.o.inFlight[q.RefundID] {
		c.o.overlaps.Add(1)
	}
	c.o.inFlight[q.RefundID] = true
	c.o.mu.Unlock()
	defer func() { c.o.mu.Lock(); delete(c.o.inFlight, q.RefundID); c.o.mu.Unlock() }()
	return c.Inquirer.Inquire(ctx, q)
}

// pgExec runs one statement on a test database, outside the tracker.
func pgExec(t *testing.T, dsn, stmt string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	_, err = conn.Exec(ctx, stmt)
	require.NoError(t, err)
}
