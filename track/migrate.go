package track

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/golang-migrate/migrate/v4"
	migratesqlite "github.com/golang-migrate/migrate/v4/database/sqlite"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// migrations holds refundkit's own schema, one directory per dialect,
// with the same versions and the same tables in each.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// migrationsTable is golang-migrate's version table for refundkit's tables.
const migrationsTable = "refundkit_schema_migrations"

// migrateSchema brings the database to the schema this build knows: River's
// tables through River's migrator, refundkit's own through golang-migrate.
// A database that has a version either does not know is refused before
// anything is changed.
func migrateSchema(ctx context.Context, file string, db *sql.DB) error {
	rm, err := rivermigrate.New(riversqlite.New(db), &rivermigrate.Config{Line: "main"})
	if err != nil {
		return err
	}
	src, err := fs.Sub(migrations, "migrations/sqlite")
	if err != nil {
		return err
	}
	ours, err := iofs.New(src, ".")
	if err != nil {
		return err
	}
	drv, err := migratesqlite.WithInstance(db, &migratesqlite.Config{MigrationsTable: migrationsTable})
	if err != nil {
		return classify(file, fmt.Errorf("track: read schema version: %w", err))
	}
	m, err := migrate.NewWithInstance("iofs", ours, "sqlite", drv)
	if err != nil {
		return err
	}
	// m.Close would close db too: it is only ever left to the garbage
	// collector, which is fine for the iofs source.
	if err := checkVersions(ctx, file, rm, m, ours); err != nil {
		return err
	}
	if _, err := rm.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return classify(file, fmt.Errorf("track: migrate River's schema in %s: %w", file, err))
	}
	if err := m.Up(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return classify(file, fmt.Errorf("track: migrate refundkit's schema in %s: %w", file, err))
	}
	return nil
}

// checkVersions refuses a database migrated by a newer build (or left
// dirty by an interrupted migration).
func checkVersions[TTx any](ctx context.Context, file string, rm *rivermigrate.Migrator[TTx], m *migrate.Migrate, src interface {
	First() (uint, error)
	Next(uint) (uint, error)
}) error {
	known := rm.AllVersions()
	have, err := rm.ExistingVersions(ctx)
	if err != nil && containsFold(err.Error(), "not found in migrator bundle") {
		// River's own word for a version it does not know: a newer River.
		return fmt.Errorf("%w: %s: River's tables: %w", ErrSchemaTooNew, file, err)
	}
	if err != nil {
		return classify(file, fmt.Errorf("track: read River's schema version in %s: %w", file, err))
	}
	if len(have) > 0 && len(known) > 0 && have[len(have)-1].Version > known[len(known)-1].Version {
		return fmt.Errorf("%w: %s has River schema version %d, this build knows up to %d",
			ErrSchemaTooNew, file, have[len(have)-1].Version, known[len(known)-1].Version)
	}
	version, dirty, err := m.Version()
	if errors.Is(err, migrate.ErrNilVersion) {
		return nil
	}
	if err != nil {
		return classify(file, fmt.Errorf("track: read schema version in %s: %w", file, err))
	}
	if dirty {
		return fmt.Errorf("%w: %s is at version %d, marked dirty", ErrSchemaDirty, file, version)
	}
	latest, err := lastVersion(src)
	if err != nil {
		return err
	}
	if version > latest {
		return fmt.Errorf("%w: %s has refundkit schema version %d, this build knows up to %d", ErrSchemaTooNew, file, version, latest)
	}
	return nil
}

// lastVersion returns the highest migration version in src.
func lastVersion(src interface {
	First() (uint, error)
	Next(uint) (uint, error)
}) (uint, error) {
	v, err := src.First()
	if err != nil {
		return 0, fmt.Errorf("track: no migrations: %w", err)
	}
	for {
		n, err := src.Next(v)
		if errors.Is(err, fs.ErrNotExist) {
			return v, nil
		}
		if err != nil {
			return 0, err
		}
		v = n
	}
}
