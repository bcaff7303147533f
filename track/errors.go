package track

import (
	"errors"
	"fmt"
)

// The tracker's errors. Each is returned wrapped, with the database file or
// the refund it is about; test them with errors.Is.
var (
	// ErrNotTracked: the refund asked about is not in the database.
	ErrNotTracked = errors.New("track: refund not tracked")
	// ErrInvalidRef: a refund given to Add or RecordNotification cannot be
	// asked about (unknown provider, no id, an id the provider does not take).
	ErrInvalidRef = errors.New("track: invalid refund")
	// ErrReadOnly: the database file cannot be written.
	ErrReadOnly = errors.New("track: database is read-only")
	// ErrCorrupt: the file is not an SQLite database, or a damaged one.
	ErrCorrupt = errors.New("track: database file is not a valid database")
	// ErrSchemaTooNew: the database was written by a newer refundkit, whose
	// schema this one does not know. Nothing is changed.
	ErrSchemaTooNew = errors.New("track: database schema is newer than this refundkit")
	// ErrSchemaDirty: an earlier schema migration stopped half-way.
	ErrSchemaDirty = errors.New("track: database schema migration was interrupted")
	// ErrUnsupportedDatabase: the DSN names a database this build cannot use.
	ErrUnsupportedDatabase = errors.New("track: unsupported database")
	// ErrBusy: another process is already working on this database.
	ErrBusy = errors.New("track: database is in use by another tracker run")
	// ErrNoClient: a refund's provider has no Inquirer in Options.Inquirers.
	ErrNoClient = errors.New("track: no client for provider")
	// ErrInvalidCursor: a cursor given to Page is not one Page returned.
	ErrInvalidCursor = errors.New("track: invalid page cursor")
)

// sqliteCoder is the error type modernc.org/sqlite returns.
type sqliteCoder interface{ Code() int }

// SQLite primary result codes the tracker tells apart.
const (
	sqliteReadOnly = 8
	sqliteCorrupt  = 11
	sqliteCantOpen = 14
	sqliteNotADB   = 26
)

// classify turns an SQLite error about file into one of the tracker's
// errors where one fits, keeping the original for errors.As.
func classify(file string, err error) error {
	if err == nil {
		return nil
	}
	var c sqliteCoder
	if errors.As(err, &c) {
		switch c.Code() & 0xff {
		case sqliteReadOnly:
			return fmt.Errorf("%w: %s: %w", ErrReadOnly, file, err)
		case sqliteCorrupt, sqliteNotADB:
			return fmt.Errorf("%w: %s: %w", ErrCorrupt, file, err)
		case sqliteCantOpen:
			return fmt.Errorf("track: cannot open database %s: %w", file, err)
		}
	}
	return err
}
