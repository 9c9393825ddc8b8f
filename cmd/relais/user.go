package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/relais/relais/internal/account"
	"github.com/relais/relais/internal/policy"
)

const userUsage = `Usage: relais user SUBCOMMAND [flags]

Manages accounts directly in the store (as the machine's operator).

Subcommands:
  add USERNAME --org CODE --roles ROLE[,ROLE] [--name "Display Name"] [--password-stdin]
      creates an account; without --password-stdin a random password is printed once
  list
  disable USERNAME     disables the account and revokes its tokens
  enable USERNAME
  set-password USERNAME [--password-stdin]
  set-roles USERNAME --roles ROLE[,ROLE]

Roles: gs-admin, gs-reviewer, ncb-officer, frontline, dpo, press.
Organisations: a member country's ISO code (its National Central Bureau) or GS.
Every subcommand takes --data DIR or --db URL.`

func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	sub, rest, done, code := subcommand(args, userUsage, stdout)
	if done {
		return code
	}
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	var sf storeFlags
	sf.register(fs)
	org := fs.String("org", "", "organisation: member country code or GS")
	roles := fs.String("roles", "", "comma-separated roles")
	name := fs.String("name", "", "display name")
	passwordStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	fs.Usage = func() { fmt.Fprintln(fs.Output(), userUsage) }
	username, done, code := parseTarget(fs, rest, stderr)
	if done {
		return code
	}
	if sub != "list" && username == "" {
		fmt.Fprintf(stderr, "relais user %s: give the username first\n", sub)
		return 2
	}
	a, err := openApp(ctx, sf, nil)
	if err != nil {
		return fail(stderr, err)
	}
	defer a.Close()
	by := policy.Console

	readPassword := func() (string, bool, error) {
		if !*passwordStdin {
			return randomSecret(), true, nil
		}
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", false, fmt.Errorf("read password from standard input: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), false, nil
	}

	switch sub {
	case "add":
		pw, generated, err := readPassword()
		if err != nil {
			return fail(stderr, err)
		}
		u, err := a.Accounts.Create(ctx, by, account.NewUser{
			Username: username, DisplayName: *name, Org: *org, Roles: policy.ParseRoles(*roles), Password: pw,
		})
		if err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintf(stdout, "created %s (organisation %s, roles %s)\n", u.Username, u.Org, *roles)
		if generated {
			fmt.Fprintf(stdout, "password (shown only now): %s\n", pw)
		}
	case "list":
		users, err := a.Accounts.List(ctx, by)
		if err != nil {
			return fail(stderr, err)
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tORG\tROLES\tSTATUS\tNAME")
		for _, u := range users {
			status := "active"
			if u.Disabled {
				status = "disabled"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.Org, policy.JoinRoles(u.Roles, ","), status, u.DisplayName)
		}
		tw.Flush()
	case "disable", "enable":
		if err := a.Accounts.SetDisabled(ctx, by, username, sub == "disable"); err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintf(stdout, "%sd %s\n", sub, username)
	case "set-password":
		pw, generated, err := readPassword()
		if err != nil {
			return fail(stderr, err)
		}
		if err := a.Accounts.SetPassword(ctx, by, username, pw); err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintf(stdout, "password of %s changed\n", username)
		if generated {
			fmt.Fprintf(stdout, "new password (shown only now): %s\n", pw)
		}
	case "set-roles":
		if err := a.Accounts.SetRoles(ctx, by, username, policy.ParseRoles(*roles)); err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintf(stdout, "roles of %s set to %s\n", username, *roles)
	default:
		fmt.Fprintf(stderr, "relais user: unknown subcommand %q\n\n%s\n", sub, userUsage)
		return 2
	}
	return 0
}

func randomSecret() string {
	b := make([]byte, 15)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
