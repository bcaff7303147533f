package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/track"
)

// defaultTrackDB is the tracker's database unless --db says otherwise.
const defaultTrackDB = "refundkit.db"

// trackCommands are the subcommands of "refundkit track".
var trackCommands = []command{
	{"add", "start tracking the refunds of a CSV file (as reconcile reads)", runTrackAdd},
	{"run", "poll tracked refunds until every one is final or stopped", runTrackRun},
	{"status", "count tracked refunds by provider, state and status, and list them", runTrackStatus},
	{"show", "show one tracked refund with its full history", runTrackShow},
	{"export", "write every tracked refund's latest state as CSV", runTrackExport},
}

func runTrack(ctx context.Context, args []string, std stdio) int {
	if len(args) == 0 {
		printTrackOverview(std.errOut)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		printTrackOverview(std.out)
		return exitOK
	}
	for _, c := range trackCommands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], std)
		}
	}
	fmt.Fprintf(std.errOut, "refundkit track: unknown command %q\n\n", args[0])
	printTrackOverview(std.errOut)
	return exitUsage
}

func printTrackOverview(w io.Writer) {
	fmt.Fprint(w, "refundkit track follows refunds to a final answer, durably, in an SQLite or PostgreSQL database.\n\n")
	fmt.Fprint(w, "Usage:\n  refundkit track <command> [flags]\n\nCommands:\n")
	for _, c := range trackCommands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nEvery command takes --db FILE or --db postgres://... (default $%s, else ./%s, created by \"track add\").\n", dbEnv, defaultTrackDB)
	fmt.Fprint(w, "Run \"refundkit track <command> -h\" for a command's flags.\n")
}

// dbEnv names the tracker's database when --db is not given.
const dbEnv = "REFUNDKIT_DB"

// dbFlag adds the --db flag: an SQLite file or a postgres:// URL, by
// default $REFUNDKIT_DB, else ./refundkit.db.
func dbFlag(f *cmdFlags) *string {
	def := os.Getenv(dbEnv)
	if def == "" {
		def = defaultTrackDB
	}
	return f.String("db", def, "the tracker's database: an SQLite `file` (created by \"track add\") or a postgres:// URL (default $"+dbEnv+", else ./"+defaultTrackDB+")")
}

// openTracker opens the database for a command that polls nothing.
func openTracker(ctx context.Context, file string) (*track.Tracker, error) {
	return track.Open(ctx, file, track.Options{})
}

// openExistingTracker opens the database for a command that polls nothing
// and reads what is there: an SQLite file must exist (see needDatabase).
func openExistingTracker(ctx context.Context, db string) (*track.Tracker, error) {
	if err := needDatabase(db); err != nil {
		return nil, err
	}
	return openTracker(ctx, db)
}

// needDatabase refuses an SQLite --db file that does not exist, for every
// command but "track add": a mistyped --db would otherwise be created empty
// and report no refunds (or, for track run, all done). PostgreSQL URLs are
// checked by opening them.
func needDatabase(db string) error {
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		return nil
	}
	if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no tracker database at %s (\"refundkit track add\" creates it): %w", db, fs.ErrNotExist)
	}
	return nil
}

// parseStatusFilter reads --status: a shared status, "not-asked", or a
// state (active, final, stopped).
func parseStatusFilter(s string, f *track.Filter) error {
	switch v := strings.ToLower(strings.TrimSpace(s)); {
	case v == "":
	case v == "not-asked":
		f.Status = track.NotAsked
	case refundkit.Status(v).Valid():
		f.Status = refundkit.Status(v)
	case v == string(track.StateActive), v == string(track.StateFinal), v == string(track.StateStopped):
		f.State = track.State(v)
	default:
		return fmt.Errorf("--status %q: want succeeded, pending, failed, unknown, not-asked, active, final or stopped", s)
	}
	return nil
}

// statusText is a refund's status for tables: "-" before any answer.
func statusText(s refundkit.Status) string { return orDash(string(s)) }

// rfc3339 writes t for JSON and CSV: RFC 3339 in UTC, empty when zero.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// timeText writes t for a table: local time, "-" when zero.
func timeText(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04:05.000")
}
