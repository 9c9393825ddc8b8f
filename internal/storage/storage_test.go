package storage

import "testing"

func TestRebindDollar(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2"},
		{"SELECT '?' FROM t WHERE a = ?", "SELECT '?' FROM t WHERE a = $1"},
		{`SELECT "a?b" FROM t WHERE x IN (?, ?, ?)`, `SELECT "a?b" FROM t WHERE x IN ($1, $2, $3)`},
		{"UPDATE t SET s = 'it''s ?' WHERE id = ?", "UPDATE t SET s = 'it''s ?' WHERE id = $1"},
	}
	for _, tc := range cases {
		if got := rebindDollar(tc.in); got != tc.want {
			t.Errorf("rebindDollar(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRedactURL(t *testing.T) {
	got := redactURL("postgres://relais:s3cret@db.example:5432/relais?sslmode=require")
	if got != "postgres://relais@db.example:5432/relais?sslmode=require" {
		t.Errorf("password not removed: %s", got)
	}
}
