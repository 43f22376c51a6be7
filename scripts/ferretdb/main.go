// Command ferretdb runs FerretDB for the ideas board: embedded on SQLite by default, or on a
// PostgreSQL database with -postgresql-url (several app servers sharing one database).
// It prints the MongoDB URI on its first stdout line, then serves until SIGTERM/SIGINT or, unless
// -follow-stdin=false (a service of its own), until its stdin closes, so it never outlives the Node
// process that started it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	dataDir := flag.String("data", "data/ferretdb", "folder for the SQLite files (unused with -postgresql-url)")
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL database to store in instead of SQLite, e.g. postgres://user@127.0.0.1:5432/reclaim")
	followStdin := flag.Bool("follow-stdin", true, "exit when stdin closes (false: run as a service of its own)")
	reportIndexes := flag.Bool("report-id-indexes", false, "print each SQLite collection table of -data and whether writes by _id use an index, then exit")
	flag.Parse()

	dir, err := filepath.Abs(*dataDir)
	if err == nil && *postgresURL == "" {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb: data folder:", err)
		os.Exit(1)
	}

	if *reportIndexes {
		if err := reportIDPathIndexes(dir); err != nil {
			fmt.Fprintln(os.Stderr, "ferretdb:", err)
			os.Exit(1)
		}
		return
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Handler:  "sqlite",
		// A multi-row INSERT under a unique index keeps a statement journal so it can roll back on a
		// duplicate; on disk, that journal costs a fifth of the database's CPU per batch of votes.
		// It only ever holds one statement's undo, so memory costs nothing in durability.
		SQLiteURL: "file:" + dir + "/?_pragma=temp_store(memory)",
		Logger:    logger,
	}
	if *postgresURL != "" {
		config.Handler = "postgresql"
		config.SQLiteURL = ""
		config.PostgreSQLURL = *postgresURL
	}
	f, err := ferretdb.New(config)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if *followStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	if *postgresURL == "" {
		go keepIDPathIndexes(ctx, dir, time.Second)
	}

	done := make(chan struct{})
	go func() {
		_ = f.Run(ctx)
		close(done)
	}()

	fmt.Println(f.MongoDBURI())
	<-done
}
