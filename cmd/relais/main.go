// Command relais runs and administers relais, the platform for international
// police cooperation: `relais serve` runs the API, the officers' web UI and
// the public site; the other subcommands work on the same store.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/storage"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"serve", "run the JSON API, the officers' web UI and the public site", runServe},
		{"migrate", "bring the store's schema up to date and exit", runMigrate},
		{"user", "manage accounts: add, list, disable, enable, set-password, set-roles", runUser},
		{"token", "manage API tokens: create, list, revoke", runToken},
		{"audit", "check the audit trail: verify", runAudit},
		{"import", "import records: persons, travel-documents, vehicles, artworks (CSV or JSON lines)", runImport},
		{"screen", "screen documents, vehicles and persons from a JSON-lines file", runScreen},
		{"bench", "measure screening speed and memory on synthetic data", runBench},
		{"mrz", "parse a machine-readable zone (ICAO 9303) and print it as JSON", func(_ context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
			return runMRZ(args, stdin, stdout, stderr)
		}},
		{"version", "print the version", func(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) int {
			fmt.Fprintln(stdout, "relais", version)
			return 0
		}},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "relais — international police cooperation platform")
	fmt.Fprintln(w, "\nUsage: relais COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'relais COMMAND --help' for a command's flags.")
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdin, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "relais: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

// storeFlags are the flags of every command that opens the store.
type storeFlags struct {
	data string
	db   string
}

func (sf *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&sf.data, "data", envOr("RELAIS_DATA", "relais-data"), "folder of the embedded SQLite store (env RELAIS_DATA)")
	fs.StringVar(&sf.db, "db", os.Getenv("RELAIS_DB"), "PostgreSQL URL, postgres://...; overrides --data (env RELAIS_DB)")
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func openApp(ctx context.Context, sf storeFlags, logger *slog.Logger) (*app.App, error) {
	return app.Open(ctx, storage.Options{DataDir: sf.data, URL: sf.db}, logger)
}

// parseFlags parses args; it returns done=true with the exit code when the
// command must stop (help asked, or a flag error).
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) (done bool, code int) {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, 0
		}
		return true, 2
	}
	return false, 0
}

func fail(stderr io.Writer, err error) int {
	fmt.Fprintln(stderr, "relais:", err)
	return 1
}

// subcommand reads the shape shared by `relais user` and `relais token`:
// SUBCOMMAND [TARGET] [flags]. With no arguments or a help flag it prints
// usage and says the command is done.
func subcommand(args []string, usage string, stdout io.Writer) (sub string, rest []string, done bool, code int) {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stdout, usage)
		if len(args) == 0 {
			return "", nil, true, 2
		}
		return "", nil, true, 0
	}
	return args[0], args[1:], false, 0
}

// parseTarget takes the target named before the flags (a username, a token
// id) and parses the flags after it.
func parseTarget(fs *flag.FlagSet, rest []string, stderr io.Writer) (target string, done bool, code int) {
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		target, rest = rest[0], rest[1:]
	}
	if done, code := parseFlags(fs, rest, stderr); done {
		return "", true, code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "relais %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return "", true, 2
	}
	return target, false, 0
}
