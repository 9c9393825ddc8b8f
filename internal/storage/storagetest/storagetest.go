// Package storagetest gives tests a fresh, isolated store on every engine:
// embedded SQLite always, and PostgreSQL when RELAIS_TEST_POSTGRES_URL is
// set. Under CI=true a missing PostgreSQL fails the test instead of skipping.
package storagetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/relais/relais/internal/storage"
)

// PostgresURLEnv names the variable holding the test server's URL.
const PostgresURLEnv = "RELAIS_TEST_POSTGRES_URL"

// Each runs fn once per engine, as subtests named after the engine.
func Each(t *testing.T, fn func(t *testing.T, s *storage.Store)) {
	t.Helper()
	for _, e := range []storage.Engine{storage.SQLite, storage.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// Open returns a new empty, migrated store of engine e, removed when the
// test ends.
func Open(t testing.TB, e storage.Engine) *storage.Store {
	t.Helper()
	opts := Options(t, e)
	s, err := storage.Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("open %s store: %v", e, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Options returns the options of a new empty store of engine e (a temporary
// folder, or a fresh PostgreSQL schema), removed when the test ends.
func Options(t testing.TB, e storage.Engine) storage.Options {
	t.Helper()
	if e == storage.SQLite {
		return storage.Options{DataDir: t.TempDir()}
	}
	base := os.Getenv(PostgresURLEnv)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI must run the PostgreSQL tests (.ci/run starts a server)", PostgresURLEnv)
		}
		t.Skipf("PostgreSQL tests skipped: set %s to run them", PostgresURLEnv)
	}
	schema := "t_" + randomHex()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", PostgresURLEnv, err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresURLEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return storage.Options{URL: u.String()}
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
