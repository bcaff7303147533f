package track

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
)

// jobQueue is the River client over the tracker's database, with the
// transactional calls taking the tracker's own transactions.
type jobQueue interface {
	InsertTx(ctx context.Context, tx dbTx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertManyTx(ctx context.Context, tx dbTx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	// completeTx marks a poll job done inside tx, the same transaction as
	// the observation it recorded.
	completeTx(ctx context.Context, tx dbTx, job *river.Job[pollArgs]) error
}

// riverQueue is a River client of driver D with transactions TTx; native
// unwraps the tracker's transaction to D's.
type riverQueue[TTx any, D riverdriver.Driver[TTx]] struct {
	*river.Client[TTx]
	native func(dbTx) TTx
}

func (q riverQueue[TTx, D]) InsertTx(ctx context.Context, tx dbTx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	return q.Client.InsertTx(ctx, q.native(tx), args, opts)
}

func (q riverQueue[TTx, D]) InsertManyTx(ctx context.Context, tx dbTx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	return q.Client.InsertManyTx(ctx, q.native(tx), params)
}

func (q riverQueue[TTx, D]) completeTx(ctx context.Context, tx dbTx, job *river.Job[pollArgs]) error {
	_, err := river.JobCompleteTx[D](ctx, q.native(tx), job)
	return err
}

// newQueue builds the River client of the tracker's backend.
func newQueue(db database, cfg *river.Config) (jobQueue, error) {
	switch d := db.(type) {
	case pgDB:
		c, err := river.NewClient(riverpgxv5.New(d.pool), cfg)
		if err != nil {
			return nil, err
		}
		return riverQueue[pgx.Tx, *riverpgxv5.Driver]{c, func(tx dbTx) pgx.Tx { return tx.(*pgTx).tx }}, nil
	case sqlDB:
		c, err := river.NewClient(riversqlite.New(d.DB), cfg)
		if err != nil {
			return nil, err
		}
		return riverQueue[*sql.Tx, *riversqlite.Driver]{c, func(tx dbTx) *sql.Tx { return tx.(sqlTx).Tx }}, nil
	}
	panic("track: unknown database type")
}
