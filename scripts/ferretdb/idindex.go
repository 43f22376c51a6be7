package main

// FerretDB v1's SQLite backend indexes _id as `_ferretdb_sjson->"_id"`, but deletes and updates
// find their rows with `_ferretdb_sjson->'$._id' IN (...)`: the same value, another expression, so
// SQLite scans the whole table for every deleteOne. A retracted vote then cost the database time in
// proportion to all the votes stored, which a script toggling one vote could turn against the
// server. An index on the expression the writes use makes them a search. FerretDB does not know of
// it and need not: it only adds a way for SQLite to find rows.

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registered as "sqlite", the driver FerretDB itself uses
)

// idPathIndexSuffix names our index beside FerretDB's own (theirs end in "__id_").
const idPathIndexSuffix = "__id_path"

// idPathTables lists each collection's table in one database file and whether it has
// the index on the writes' _id expression.
func idPathTables(ctx context.Context, db *sql.DB) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		return nil, err
	}
	tables := map[string]bool{}
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			rows.Close()
			return nil, err
		}
		tables[table] = false
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	indexes, err := db.QueryContext(ctx, `SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name GLOB '*' || ?`, idPathIndexSuffix)
	if err != nil {
		return nil, err
	}
	defer indexes.Close()
	for indexes.Next() {
		var table string
		if err := indexes.Scan(&table); err != nil {
			return nil, err
		}
		if _, ok := tables[table]; ok {
			tables[table] = true
		}
	}
	return tables, indexes.Err()
}

func openDatabaseFile(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// indexDatabaseFile adds the missing indexes to one database file's collections.
func indexDatabaseFile(ctx context.Context, path string) error {
	db, err := openDatabaseFile(path)
	if err != nil {
		return err
	}
	defer db.Close()
	tables, err := idPathTables(ctx, db)
	if err != nil {
		// A file FerretDB has only just created may not have its metadata table yet.
		if strings.Contains(err.Error(), "no such table") {
			return nil
		}
		return err
	}
	for table, indexed := range tables {
		if indexed {
			continue
		}
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+idPathIndexSuffix, table)
		if _, err := db.ExecContext(ctx, q); err != nil && !strings.Contains(err.Error(), "no such table") {
			return err
		}
	}
	return nil
}

// keepIDPathIndexes indexes every collection of every database in dir, now and whenever a new one
// appears (FerretDB makes tables on first use), until ctx ends.
func keepIDPathIndexes(ctx context.Context, dir string, every time.Duration) {
	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			if err := indexDatabaseFile(ctx, file); err != nil && ctx.Err() == nil {
				fmt.Fprintf(os.Stderr, "ferretdb: indexing %s: %v\n", filepath.Base(file), err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// reportIDPathIndexes prints, for each database file in dir, each collection's table and whether
// it has the index: `-report-id-indexes` (what the tests check).
func reportIDPathIndexes(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.sqlite"))
	if err != nil {
		return err
	}
	for _, file := range files {
		db, err := openDatabaseFile(file)
		if err != nil {
			return err
		}
		tables, err := idPathTables(context.Background(), db)
		db.Close()
		if err != nil {
			return err
		}
		for table, indexed := range tables {
			fmt.Printf("%s %s %t\n", strings.TrimSuffix(filepath.Base(file), ".sqlite"), table, indexed)
		}
	}
	return nil
}
