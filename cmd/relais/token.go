package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/relais/relais/internal/policy"
)

const tokenUsage = `Usage: relais token SUBCOMMAND [flags]

Manages API tokens directly in the store (as the machine's operator). A
token is shown once, when it is created; relais keeps only its hash.

Subcommands:
  create USERNAME [--name NAME] [--ttl 90d]   prints the new token
  list USERNAME
  revoke TOKEN-ID

Every subcommand takes --data DIR or --db URL.`

func runToken(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	sub, rest, done, code := subcommand(args, tokenUsage, stdout)
	if done {
		return code
	}
	fs := flag.NewFlagSet("token "+sub, flag.ContinueOnError)
	var sf storeFlags
	sf.register(fs)
	name := fs.String("name", "cli", "what the token is for")
	ttl := fs.String("ttl", "90d", "lifetime: days (90d) or a Go duration (12h)")
	fs.Usage = func() { fmt.Fprintln(fs.Output(), tokenUsage) }
	target, done, code := parseTarget(fs, rest, stderr)
	if done {
		return code
	}
	if target == "" {
		fmt.Fprintf(stderr, "relais token %s: give the %s first\n", sub, map[bool]string{true: "token id", false: "username"}[sub == "revoke"])
		return 2
	}
	lifetime, err := parseTTL(*ttl)
	if err != nil {
		fmt.Fprintln(stderr, "relais token:", err)
		return 2
	}
	a, err := openApp(ctx, sf, nil)
	if err != nil {
		return fail(stderr, err)
	}
	defer a.Close()
	by := policy.Console
	switch sub {
	case "create":
		t, secret, err := a.Accounts.CreateToken(ctx, by, target, *name, lifetime)
		if err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintf(stdout, "token %d for %s, expires %s (shown only now):\n%s\n", t.ID, t.Username, t.ExpiresAt.Format(time.RFC3339), secret)
	case "list":
		tokens, err := a.Accounts.ListTokens(ctx, by, target)
		if err != nil {
			return fail(stderr, err)
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tCREATED\tEXPIRES\tSTATUS")
		for _, t := range tokens {
			status := "active"
			switch {
			case t.RevokedAt != nil:
				status = "revoked"
			case t.ExpiresAt.Before(time.Now()):
				status = "expired"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.CreatedAt.Format(time.DateTime), t.ExpiresAt.Format(time.DateTime), status)
		}
		tw.Flush()
	case "revoke":
		id, err := strconv.ParseInt(target, 10, 64)
		if err != nil {
			fmt.Fprintf(stderr, "relais token revoke: %q is not a token id (see relais token list USERNAME)\n", target)
			return 2
		}
		if err := a.Accounts.RevokeToken(ctx, by, id); err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintf(stdout, "token %d revoked\n", id)
	default:
		fmt.Fprintf(stderr, "relais token: unknown subcommand %q\n\n%s\n", sub, tokenUsage)
		return 2
	}
	return 0
}

func parseTTL(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("--ttl %q: give a number of days such as 90d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("--ttl %q: give days (90d) or a duration (12h)", s)
	}
	return d, nil
}
