package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
)

func runMigrate(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	var sf storeFlags
	sf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: relais migrate [flags]\n\nBrings the store's schema up to date (serve does this too at start) and exits.\n\nFlags:")
		fs.PrintDefaults()
	}
	if done, code := parseFlags(fs, args, stderr); done {
		return code
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	a, err := openApp(ctx, sf, logger)
	if err != nil {
		return fail(stderr, err)
	}
	defer a.Close()
	fmt.Fprintf(stdout, "schema up to date: %s\n", a.Store)
	return 0
}
