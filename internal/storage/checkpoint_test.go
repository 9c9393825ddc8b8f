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

// TestSQLiteCheckpointsInTheBackground checks that commits leave the
// write-ahead log to a background checkpoint, which copies it into the
// database file soon after, and that closing the store stops it.
func TestSQLiteCheckpointsInTheBackground(t *testing.T) {
	ctx := context.Background()
	opts := storagetest.Options(t, storage.SQLite)
	s, err := storage.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			s.Close()
		}
	})
	var pages int
	if err := s.InTx(ctx, func(tx *storage.Tx) error {
		return tx.QueryRow(ctx, "PRAGMA wal_autocheckpoint").Scan(&pages)
	}); err != nil {
		t.Fatal(err)
	}
	if pages != 0 {
		t.Fatalf("commits checkpoint after %d pages; want 0 (never: it is done in the background)", pages)
	}
	dbSize := func() int64 {
		t.Helper()
		st, err := os.Stat(filepath.Join(opts.DataDir, "relais.db"))
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
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
	done := make(chan error)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		closed = true
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return: the checkpoints did not stop")
	}
}
