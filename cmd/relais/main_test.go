package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/relais/relais/internal/storage"
	"github.com/relais/relais/internal/storage/storagetest"
)

// relais runs the command line in-process and returns exit code and output.
func relais(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func storeArgs(t *testing.T, e storage.Engine) []string {
	opts := storagetest.Options(t, e)
	if opts.URL != "" {
		return []string{"--db", opts.URL}
	}
	return []string{"--data", opts.DataDir}
}

func TestUserTokenAuditCommands(t *testing.T) {
	for _, e := range []storage.Engine{storage.SQLite, storage.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			st := storeArgs(t, e)
			steps := []struct {
				args  []string
				stdin string
				code  int
				want  string
			}{
				{[]string{"migrate"}, "", 0, "schema up to date"},
				{[]string{"user", "add", "ncb-fr", "--org", "FR", "--roles", "ncb-officer", "--password-stdin"}, "correct horse battery\n", 0, "created ncb-fr"},
				{[]string{"user", "add", "dpo", "--org", "GS", "--roles", "dpo"}, "", 0, "password (shown only now)"},
				{[]string{"user", "add", "ncb-fr", "--org", "FR", "--roles", "ncb-officer"}, "", 1, "taken"},
				{[]string{"user", "add", "bad", "--org", "ZZ", "--roles", "ncb-officer"}, "", 1, "unknown country code"},
				{[]string{"user", "list"}, "", 0, "ncb-officer"},
				{[]string{"user", "set-roles", "ncb-fr", "--roles", "ncb-officer,frontline"}, "", 0, "roles of ncb-fr"},
				{[]string{"token", "create", "ncb-fr", "--name", "border system", "--ttl", "30d"}, "", 0, "relais_"},
				{[]string{"token", "list", "ncb-fr"}, "", 0, "border system"},
				{[]string{"token", "revoke", "1"}, "", 0, "revoked"},
				{[]string{"token", "revoke", "999"}, "", 1, "no such token"},
				{[]string{"user", "disable", "ncb-fr"}, "", 0, "disabled ncb-fr"},
				{[]string{"token", "create", "ncb-fr"}, "", 1, "disabled"},
				{[]string{"user", "enable", "ncb-fr"}, "", 0, "enabled ncb-fr"},
				{[]string{"audit", "verify"}, "", 0, "audit trail intact"},
			}
			for _, s := range steps {
				code, out, errOut := relais(t, s.stdin, append(s.args, st...)...)
				if code != s.code || !strings.Contains(out+errOut, s.want) {
					t.Fatalf("relais %v: exit %d, want %d with %q\nstdout: %s\nstderr: %s", s.args, code, s.code, s.want, out, errOut)
				}
			}
			// Tamper with the trail directly in the database.
			opts := storage.Options{DataDir: ""}
			if st[0] == "--db" {
				opts.URL = st[1]
			} else {
				opts.DataDir = st[1]
			}
			store, err := storage.Open(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := store.Exec(context.Background(), "UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 3"); err != nil {
				t.Fatal(err)
			}
			store.Close()
			code, out, _ := relais(t, "", append([]string{"audit", "verify"}, st...)...)
			if code != 1 || !strings.Contains(out, "BROKEN at entry 3") {
				t.Fatalf("tampered trail: exit %d, %s", code, out)
			}
		})
	}
}

func TestHelpAndUsage(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"user", "--help"}, {"token", "--help"}, {"audit", "--help"}, {"migrate", "--help"}, {"mrz", "--help"}} {
		code, out, errOut := relais(t, "", args...)
		if code != 0 || len(out+errOut) < 40 {
			t.Errorf("relais %v: exit %d, output %q", args, code, out+errOut)
		}
	}
	if code, _, _ := relais(t, "", "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
}

func TestMRZCommand(t *testing.T) {
	td3 := []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}
	cases := []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  string
	}{
		{"valid from arguments", td3, "", 0, `"valid":true`},
		{"valid from stdin", nil, td3[0] + "\n\n" + td3[1] + "\n", 0, `"document_number":"L898902C3"`},
		{"wrong check digit", []string{td3[0], td3[1][:9] + "7" + td3[1][10:]}, "", 1, `"check_digit_document_number"`},
		{"not an MRZ", []string{"hello"}, "", 2, `"parse_error":true`},
		{"nothing", nil, "", 2, `"reason":"empty"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, _ := relais(t, tc.stdin, append([]string{"mrz"}, tc.args...)...)
			if code != tc.code || !strings.Contains(out, tc.want) || strings.Count(out, "\n") != 1 {
				t.Fatalf("exit %d, want %d; output %s", code, tc.code, out)
			}
		})
	}
}
