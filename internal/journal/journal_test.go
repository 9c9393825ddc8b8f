package journal_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/storage"
	"github.com/relais/relais/internal/storage/storagetest"
)

func TestReadsAreAuditedInBatches(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, s *storage.Store) {
		ctx := context.Background()
		j := journal.New(s, nil, nil)
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 300 {
					j.RecordRead(audit.Entry{Actor: "border-de", ActorOrg: "DE", Action: "record.read", ResourceKind: "person", ResourceID: fmt.Sprintf("%d-%d", g, i)})
				}
			}()
		}
		wg.Wait()
		if err := j.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		r, err := audit.Verify(ctx, s)
		if err != nil || !r.OK || r.Entries != 1200 {
			t.Fatalf("after flush: %+v %v; want 1200 intact entries", r, err)
		}
		j.RecordRead(audit.Entry{Action: "record.read"})
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
		r, _ = audit.Verify(ctx, s)
		if r.Entries != 1201 {
			t.Fatalf("Close must write queued entries: %d entries", r.Entries)
		}
	})
}

func TestWriteIsAllOrNothing(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, s *storage.Store) {
		ctx := context.Background()
		j := journal.New(s, nil, nil)
		defer j.Close()
		err := j.Write(ctx, audit.Entry{Action: "user.manage"}, func(tx *journal.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO organisations (code, kind, name) VALUES ('ZZ', 'ncb', 'x')"); err != nil {
				return err
			}
			return fmt.Errorf("validation failed after the first row")
		})
		if err == nil {
			t.Fatal("want the error of fn")
		}
		var n int
		if err := s.QueryRow(ctx, "SELECT COUNT(*) FROM organisations WHERE code = 'ZZ'").Scan(&n); err != nil || n != 0 {
			t.Fatalf("half a write stayed: %d rows, %v", n, err)
		}
		if err := s.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log").Scan(&n); err != nil || n != 0 {
			t.Fatalf("audit entry of a failed write stayed: %d, %v", n, err)
		}
	})
}

func BenchmarkWrite(b *testing.B) {
	for _, e := range []storage.Engine{storage.SQLite, storage.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			s := storagetest.Open(b, e)
			j := journal.New(s, nil, nil)
			defer j.Close()
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				err := j.Write(ctx, audit.Entry{Action: "bench"}, func(tx *journal.Tx) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
		})
	}
}
