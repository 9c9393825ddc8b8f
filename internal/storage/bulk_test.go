package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/relais/relais/internal/storage"
	"github.com/relais/relais/internal/storage/storagetest"
)

// TestBulkWritesCheckpointInTheBackground checks that while bulk writers
// run, commits leave the write-ahead log to a background checkpoint that
// copies it into the database file, and that the last writer done gives
// the checkpoint back to the commits.
func TestBulkWritesCheckpointInTheBackground(t *testing.T) {
	ctx := context.Background()
	opts := storagetest.Options(t, storage.SQLite)
	s, err := storage.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	autoCheckpoint := func() int {
		t.Helper()
		var pages int
		if err := s.InTx(ctx, func(tx *storage.Tx) error {
			return tx.QueryRow(ctx, "PRAGMA wal_autocheckpoint").Scan(&pages)
		}); err != nil {
			t.Fatal(err)
		}
		return pages
	}
	dbSize := func() int64 {
		t.Helper()
		st, err := os.Stat(filepath.Join(opts.DataDir, "relais.db"))
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}

	first, err := s.BulkWrites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.BulkWrites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := autoCheckpoint(); got != 0 {
		t.Fatalf("during bulk writes, commits checkpoint after %d pages; want 0 (never)", got)
	}
	before := dbSize()
	if err := s.InTx(ctx, func(tx *storage.Tx) error {
		if _, err := tx.Exec(ctx, "CREATE TABLE bulk (v TEXT)"); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO bulk SELECT printf('%0100d', i) FROM n")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); dbSize() < before+1<<20; {
		if time.Now().After(deadline) {
			t.Fatalf("the database file stayed at %d bytes (%d before the write): the log was not checkpointed", dbSize(), before)
		}
		time.Sleep(20 * time.Millisecond)
	}

	first()
	first() // a second call changes nothing
	if got := autoCheckpoint(); got != 0 {
		t.Fatalf("with one bulk writer left, commits checkpoint after %d pages; want 0", got)
	}
	second()
	if got := autoCheckpoint(); got != 1000 {
		t.Fatalf("after the bulk writes, commits checkpoint after %d pages; want 1000", got)
	}
}
