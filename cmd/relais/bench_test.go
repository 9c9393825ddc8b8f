package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/relais/relais/internal/storage"
)

func TestBenchCommand(t *testing.T) {
	for _, e := range []storage.Engine{storage.SQLite, storage.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			args := append([]string{"bench", "--documents", "3000", "--persons", "400", "--queries", "150",
				"--duration", "300ms", "--http", "--batch", "50", "--clients", "2"}, storeArgs(t, e)...)
			if url := os.Getenv("RELAIS_TEST_POSTGRES_URL"); url != "" && e == storage.Postgres {
				args = append(args, "--pg", url)
			}
			code, out, errOut := relais(t, "", args...)
			if code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
			}
			want := []string{
				`persons +index build +400 persons`,
				`persons +name queries, 2 goroutine\(s\) +[0-9,]+/s`,
				`persons +relais recall / false-positive rate +recall 0\.\d+`,
				`documents +import into (SQLite|PostgreSQL) +3000 in`,
				`documents +heap per document \(after GC\) +\d+\.\d bytes`,
				`documents +exact checks, 1 goroutine\(s\) +[0-9,]+/s`,
				`manifest +400 passengers \(document \+ name\) +\d+ manifests, p50`,
				`http +POST /api/v1/screen, 50 per batch, 2 clients +[0-9,]+/s`,
			}
			if strings.Contains(strings.Join(args, " "), "--pg") {
				want = append(want, `pg +pg_trgm recall / false-positive rate +recall`, `pg +throughput ratio relais / pg_trgm +\d+\.\d×`)
			}
			for _, w := range want {
				if !regexp.MustCompile(`(?m)^` + w).MatchString(out) {
					t.Errorf("the table has no line %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, "WRONG ANSWERS") {
				t.Errorf("listed documents were not found:\n%s", out)
			}
		})
	}
}

func TestBenchFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"bench", "--queries", "0"}, "--queries"},
		{[]string{"bench", "--batch", "1001"}, "at most 1000"},
		{[]string{"bench", "--documents", "300000000"}, "--documents is at most"},
		{[]string{"bench", "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, errOut := relais(t, "", tt.args...)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
		})
	}
}
