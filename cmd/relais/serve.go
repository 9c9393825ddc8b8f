package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/relais/relais/internal/demo"
	"github.com/relais/relais/internal/server"
)

func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var sf storeFlags
	sf.register(fs)
	addr := fs.String("addr", envOr("RELAIS_ADDR", "127.0.0.1:8080"), "address to listen on (env RELAIS_ADDR)")
	withDemo := fs.Bool("demo", false, "create the demo accounts and data on an empty store (password: env RELAIS_DEMO_PASSWORD, or a random one printed once)")
	logFormat := fs.String("log-format", envOr("RELAIS_LOG_FORMAT", "text"), "request log format: text or json (env RELAIS_LOG_FORMAT)")
	grace := fs.Duration("shutdown-grace", 20*time.Second, "how long requests in flight may take to finish at shutdown")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: relais serve [flags]\n\nRuns the JSON API (/api/v1), the officers' web UI, the public site, /healthz, /readyz and /metrics.\n\nFlags:")
		fs.PrintDefaults()
	}
	if done, code := parseFlags(fs, args, stderr); done {
		return code
	}
	var handler slog.Handler = slog.NewTextHandler(stderr, nil)
	if *logFormat == "json" {
		handler = slog.NewJSONHandler(stderr, nil)
	}
	logger := slog.New(handler)
	slog.SetDefault(logger)

	a, err := openApp(ctx, sf, logger)
	if err != nil {
		return fail(stderr, err)
	}
	defer a.Close()
	logger.Info("store open", "store", a.Store.String())

	if *withDemo {
		res, err := demo.Seed(ctx, a.Accounts, os.Getenv("RELAIS_DEMO_PASSWORD"))
		if err != nil {
			return fail(stderr, err)
		}
		switch {
		case len(res.Created) == 0:
			fmt.Fprintln(stdout, "Demo accounts already exist; nothing changed.")
		case res.Random:
			fmt.Fprintf(stdout, "Demo accounts created: %v\nTheir password (shown only now): %s\n", res.Created, res.Password)
		default:
			fmt.Fprintf(stdout, "Demo accounts created: %v (password from RELAIS_DEMO_PASSWORD)\n", res.Created)
		}
		if n, err := demo.SeedNotices(ctx, a.Accounts, a.Notices); err != nil {
			return fail(stderr, err)
		} else if n > 0 {
			fmt.Fprintf(stdout, "Demo notices added: %d\n", n)
		}
		if n, err := demo.SeedNews(ctx, a.Accounts, a.Newsroom); err != nil {
			return fail(stderr, err)
		} else if n > 0 {
			logger.Info("demo media releases published", "count", n)
		}
	}

	srv := a.Server(*addr)
	err = srv.Run(ctx, *grace, func(listening string) {
		fmt.Fprintf(stdout, "relais is serving at %s\n", server.URL(listening))
		logger.Info("listening", "addr", listening)
	})
	if err != nil {
		return fail(stderr, err)
	}
	logger.Info("stopped")
	return 0
}
