package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relais/relais/internal/storage"
)

func TestImportAndScreenCommands(t *testing.T) {
	for _, e := range []storage.Engine{storage.SQLite, storage.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			st := storeArgs(t, e)
			dir := t.TempDir()
			docs := filepath.Join(dir, "docs.csv")
			csv := "number,issuing_country,type,status,reported_at\n" +
				"AB123456,FR,passport,stolen,2025-01-02\n" +
				"CD-654 321,DEU,id-card,lost,\n" +
				"\"broken,FR,passport,stolen,\n" + // line 4: unclosed quote
				"EF111,FR,passport,misplaced,\n" + // line 5: unknown status
				"GH222,ES,visa,revoked,2024-12-31\n"
			if err := os.WriteFile(docs, []byte(csv), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := relais(t, "", append([]string{"import", "travel-documents", docs, "--owner", "FR", "--quiet"}, st...)...)
			if code != 1 || !strings.Contains(out, "imported 3 travel-documents for FR") ||
				!strings.Contains(errOut, "line 4: a quoted field is not closed") || !strings.Contains(errOut, "line 5: status:") {
				t.Fatalf("import: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			// The same file again: nothing to do; with --restart: everything again.
			code, out, _ = relais(t, "", append([]string{"import", "travel-documents", docs, "--owner", "FR", "--quiet"}, st...)...)
			if code != 0 || !strings.Contains(out, "imported in full for FR already") {
				t.Fatalf("second import: exit %d %s", code, out)
			}
			people := filepath.Join(dir, "persons.jsonl")
			lines := `{"id":"P-1","name":"Sergei Borisovich Ivanov","aliases":[],"birth_date":"1980-01-12","nationality":"KZ","sex":"M"}
{"id":"P-2","name":"João Ferreira Magalhães","aliases":[],"birth_date":"1962-10-12","nationality":"BR","sex":"M"}
{"id":"P-3","name":"Andrew Kenneth Scott","aliases":["Andy Scott"],"birth_date":null,"nationality":"US","sex":"M"}
`
			if err := os.WriteFile(people, []byte(lines), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errOut = relais(t, "", append([]string{"import", "persons", people, "--owner", "DE", "--batch", "1", "--quiet"}, st...)...)
			if code != 0 || !strings.Contains(out, "imported 3 persons for DE") {
				t.Fatalf("import persons: exit %d %s %s", code, out, errOut)
			}
			// Interrupt the import after line 1, as a crash after the first
			// batch would: the next run imports lines 2 and 3 only.
			store := openStore(t, st)
			ctx := context.Background()
			if _, err := store.Exec(ctx, "DELETE FROM persons WHERE id IN ('P-2', 'P-3')"); err != nil {
				t.Fatal(err)
			}
			if _, err := store.Exec(ctx, "UPDATE import_progress SET last_line = 1, done = ? WHERE kind = 'persons'", false); err != nil {
				t.Fatal(err)
			}
			store.Close()
			code, out, errOut = relais(t, "", append([]string{"import", "persons", people, "--owner", "DE", "--quiet"}, st...)...)
			if code != 0 || !strings.Contains(out, "resumed after line 1") || !strings.Contains(out, "imported 2 persons for DE") {
				t.Fatalf("resumed import: exit %d %s %s", code, out, errOut)
			}
			code, out, _ = relais(t, "", append([]string{"import", "persons", people, "--owner", "DE", "--restart", "--quiet"}, st...)...)
			if code != 1 || !strings.Contains(out, "imported 0 persons") || !strings.Contains(out, "3 lines not imported") {
				t.Fatalf("reimport persons: exit %d %s", code, out)
			}

			queries := `{"qid":"1","document_number":"AB123456","issuing_country":"FR"}
{"qid":"2","name":"Sergey Ivanov","birth_date":"1980-01-12"}
{"qid":"3","vin":"1M8GDM9AXKP042789"}
not json
{"qid":"5","document_number":"CD654321"}
`
			code, out, errOut = relais(t, queries, append([]string{"screen", "-", "--org", "US"}, st...)...)
			if code != 0 {
				t.Fatalf("screen: exit %d %s %s", code, out, errOut)
			}
			got := strings.Split(strings.TrimSpace(out), "\n")
			if len(got) != 5 {
				t.Fatalf("screen answered %d lines: %s", len(got), out)
			}
			var answers []map[string]any
			for _, l := range got {
				var a map[string]any
				if err := json.Unmarshal([]byte(l), &a); err != nil {
					t.Fatalf("answer %q: %v", l, err)
				}
				answers = append(answers, a)
			}
			firstMatch := func(a map[string]any) map[string]any {
				ms, _ := a["matches"].([]any)
				if len(ms) == 0 {
					return nil
				}
				return ms[0].(map[string]any)
			}
			if m := firstMatch(answers[0]); m == nil || m["match"] != true || m["owner"] != "FR" {
				t.Errorf("document: %s", got[0])
			}
			if m := firstMatch(answers[1]); m == nil || m["id"] != "P-1" || m["match"] != true {
				t.Errorf("person: %s", got[1])
			}
			if e, _ := answers[2]["error"].(map[string]any); e["code"] != "vin_check_digit" {
				t.Errorf("vin: %s", got[2])
			}
			if e, _ := answers[3]["error"].(map[string]any); e["code"] != "invalid_json" {
				t.Errorf("garbage: %s", got[3])
			}
			if m := firstMatch(answers[4]); m == nil || m["match"] != true {
				t.Errorf("number alone: %s", got[4])
			}
		})
	}
}

func openStore(t *testing.T, st []string) *storage.Store {
	t.Helper()
	opts := storage.Options{}
	if st[0] == "--db" {
		opts.URL = st[1]
	} else {
		opts.DataDir = st[1]
	}
	store, err := storage.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return store
}
