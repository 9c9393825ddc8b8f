package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/relais/relais/internal/storage"
	"github.com/relais/relais/internal/storage/storagetest"
)

// TestChecksComeBackWhateverEndsTheTransaction: a transaction that turned
// CHECK constraints off and ended without turning them on again (an error,
// a cancelled context) leaves the connection with its checks.
func TestChecksComeBackWhateverEndsTheTransaction(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, s *storage.Store) {
		ctx := context.Background()
		if err := s.InTx(ctx, func(tx *storage.Tx) error {
			_, err := tx.Exec(ctx, "CREATE TABLE checked (n INTEGER CHECK (n > 0))")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		failure := errors.New("batch failed")
		cctx, cancel := context.WithCancel(ctx)
		err := s.InTx(cctx, func(tx *storage.Tx) error {
			if err := tx.IgnoreChecks(cctx); err != nil {
				return err
			}
			cancel()
			return failure
		})
		if !errors.Is(err, failure) {
			t.Fatalf("InTx: %v", err)
		}
		err = s.InTx(ctx, func(tx *storage.Tx) error {
			_, err := tx.Exec(ctx, "INSERT INTO checked (n) VALUES (-1)")
			return err
		})
		if err == nil {
			t.Fatal("a row breaking the CHECK was written after the checks were left off")
		}
	})
}

// TestPanicInTransactionReleasesTheWriter: a panic inside a transaction
// reaches the caller and the write connection serves the next writer.
func TestPanicInTransactionReleasesTheWriter(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, s *storage.Store) {
		ctx := context.Background()
		func() {
			defer func() {
				if recover() == nil {
					t.Error("the panic did not reach the caller")
				}
			}()
			_ = s.InTx(ctx, func(tx *storage.Tx) error { panic("broken batch") })
		}()
		tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := s.InTx(tctx, func(tx *storage.Tx) error {
			_, err := tx.Exec(tctx, "CREATE TABLE after_panic (n INTEGER)")
			return err
		}); err != nil {
			t.Fatalf("the next transaction: %v", err)
		}
	})
}
