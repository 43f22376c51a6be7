// Command ferretdb runs FerretDB embedded on SQLite for the ideas board.
// It prints the MongoDB URI on its first stdout line, then serves until SIGTERM/SIGINT
// or until its stdin closes, so it never outlives the Node process that started it.
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

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	dataDir := flag.String("data", "data/ferretdb", "folder for the SQLite files")
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on")
	flag.Parse()

	dir, err := filepath.Abs(*dataDir)
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb: data folder:", err)
		os.Exit(1)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Handler:  "sqlite",
		// A multi-row INSERT under a unique index keeps a statement journal so it can roll back on a
		// duplicate; on disk, that journal costs a fifth of the database's CPU per batch of votes.
		// It only ever holds one statement's undo, so memory costs nothing in durability.
		SQLiteURL: "file:" + dir + "/?_pragma=temp_store(memory)",
		Logger:    logger,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop()
	}()

	done := make(chan struct{})
	go func() {
		_ = f.Run(ctx)
		close(done)
	}()

	fmt.Println(f.MongoDBURI())
	<-done
}
