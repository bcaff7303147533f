// Package track follows refunds to a final answer, durably.
//
// A [Tracker] keeps every refund it is given in a database (SQLite by
// default, created on first use), polls each one through the provider's
// [refundkit.Inquirer] on a schedule until its status is final or the
// tracker gives up, and records every answer. It survives crashes: kill the
// process at any moment and the next [Tracker.Run] carries on, with no
// refund lost and no transition recorded twice.
//
//	tr, err := track.Open(ctx, "refundkit.db", track.Options{Inquirers: clients})
//	_, err = tr.Add(ctx, track.Ref{Provider: refundkit.PayerMax, RefundID: "R1"})
//	err = tr.Run(ctx, track.RunOptions{}) // until every refund is final or stopped
//	r, err := tr.Get(ctx, track.Ref{Provider: refundkit.PayerMax, RefundID: "R1"})
//
// # How it works
//
// Polls are jobs of River (github.com/riverqueue/river), a job queue that
// keeps its jobs in the same database. Each poll job asks the provider
// once, then, in one transaction, stores the observation, updates the
// refund, schedules the next poll job per the provider's [Policy], and
// marks itself completed (river.JobCompleteTx). A crash before the commit
// leaves the job to run again; after it, everything is written. A poll job
// carries the refund's poll generation, so a poll that was replaced (by
// [Tracker.RecordNotification], or after a crash) does nothing.
//
// # What is stored
//
// One row per refund (refundkit_refund): its ids, the latest shared and
// provider status, amount, whether verified, attempts, when it was added,
// first and last observed, next poll, when it became final, and why it was
// stopped. One row per observation (refundkit_observation): time, source
// (inquiry or notification), status, provider status, verified, amount,
// error category and code, duration, and whether it changed the status.
// Raw response bodies are not stored unless [Options.KeepRaw] asks, since
// they may hold personal data.
//
// The schema is migrated on Open: River's tables by River's migrator,
// refundkit's by golang-migrate (table refundkit_schema_migrations). A
// database from a newer refundkit is refused ([ErrSchemaTooNew]).
//
// # The change hook
//
// [Options.OnChange] is called once per status transition, at least once:
// each call is a durable job written in the transition's own transaction,
// and a crash or an error from the hook makes it run again. Change.ID is
// stable; de-duplicate on it.
//
// # SQLite
//
// The database runs in WAL mode with a busy timeout, through one
// connection shared by the tracker and River, so they never contend within
// the process. One Run works a database file at a time (a file lock,
// FILE.lock); Add, Get and List work alongside it from other processes.
// Queries are portable SQL (times as microseconds, booleans as 0/1), the
// same on both databases.
//
// # PostgreSQL
//
// Open("postgres://...") keeps the same tables (same migrations, in
// migrations/postgres) in a PostgreSQL database, through pgx and River's
// riverpgxv5 driver. There, any number of processes may Run at once: River
// hands each poll job to exactly one of them (SELECT ... FOR UPDATE SKIP
// LOCKED), and the jobs of a process that died are rescued by the others
// after RescueAfter. Opening migrates under an advisory lock, so workers
// may start together. The password of the URL is never shown (File and
// errors use RedactDSN).
package track
