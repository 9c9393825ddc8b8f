package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/relais/relais/internal/audit"
)

func runAudit(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "verify" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stdout, "Usage: relais audit verify [flags]\n\nWalks the whole audit trail and checks its hash chain: exits 0 when intact, 1 naming the first entry that was edited, removed or moved.")
			return 0
		}
		fmt.Fprintln(stderr, "Usage: relais audit verify [--data DIR | --db URL] [--json]")
		return 2
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	var sf storeFlags
	sf.register(fs)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: relais audit verify [flags]\n\nWalks the whole audit trail and checks its hash chain: exits 0 when intact, 1 naming the first entry that was edited, removed or moved.\n\nFlags:")
		fs.PrintDefaults()
	}
	if done, code := parseFlags(fs, args[1:], stderr); done {
		return code
	}
	a, err := openApp(ctx, sf, nil)
	if err != nil {
		return fail(stderr, err)
	}
	defer a.Close()
	report, err := audit.Verify(ctx, a.Store)
	if err != nil {
		return fail(stderr, err)
	}
	if *asJSON {
		_ = json.NewEncoder(stdout).Encode(report)
	} else if report.OK {
		fmt.Fprintf(stdout, "audit trail intact: %d entries, head %s\n", report.Entries, short(report.LastHash))
	} else {
		fmt.Fprintf(stdout, "audit trail BROKEN at entry %d: %s\n", report.BadSeq, report.Problem)
	}
	if !report.OK {
		return 1
	}
	return 0
}

func short(h string) string {
	if len(h) > 16 {
		return h[:16]
	}
	return h
}
