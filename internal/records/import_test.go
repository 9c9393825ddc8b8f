package records_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/records"
	"github.com/relais/relais/internal/storage"
	"github.com/relais/relais/internal/storage/storagetest"
)

// TestImportTravelDocumentsInBatches imports more documents than one
// statement holds, in batches of several statements, with broken lines in
// between: every good line is stored once, each batch is one range of ids
// in the change feed and one audit entry, and the broken lines are reported
// with their own numbers although a batch is written in another order.
func TestImportTravelDocumentsInBatches(t *testing.T) {
	const n, batchSize = 6000, 2500
	data := travelDocumentsCSV(n)
	// Break lines 101 and 4002 (line 1 is the header).
	lines := bytes.Split(data, []byte("\n"))
	lines[100] = []byte("ZZ1,FR,passport,misplaced,")
	lines[4001] = []byte(`"broken,FR,passport,stolen,`)
	data = bytes.Join(lines, []byte("\n"))

	storagetest.Each(t, func(t *testing.T, s *storage.Store) {
		ctx := context.Background()
		feed := changefeed.New(s)
		j := journal.New(s, feed, nil)
		t.Cleanup(func() { j.Close() })
		svc := records.NewService(j)
		var failed []records.LineError
		res, err := svc.Import(ctx, policy.Console, bytes.NewReader(data), records.ImportOptions{
			Kind: records.TravelDocuments, Format: records.CSV, Owner: "FR", Audience: policy.Audience{Mode: policy.AllMembers},
			BatchSize: batchSize, OnLineError: func(le records.LineError) { failed = append(failed, le) },
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Imported != n-2 || res.Failed != 2 {
			t.Fatalf("imported %d, failed %d; want %d and 2", res.Imported, res.Failed, n-2)
		}
		if len(failed) != 2 || failed[0].Line != 101 || failed[0].Field != "status" || failed[1].Line != 4002 || failed[1].Code != "invalid_csv" {
			t.Fatalf("line errors: %+v", failed)
		}

		// Every good number is stored once, under the owner.
		want := map[string]int{}
		for i, l := range lines[1:] {
			if len(l) == 0 || i == 99 || i == 4000 {
				continue
			}
			want[strings.SplitN(string(l), ",", 2)[0]]++
		}
		rows, err := s.Query(ctx, "SELECT id, number, owner FROM travel_documents")
		if err != nil {
			t.Fatal(err)
		}
		ids := map[int64]bool{}
		for rows.Next() {
			var id int64
			var number, owner string
			if err := rows.Scan(&id, &number, &owner); err != nil {
				t.Fatal(err)
			}
			if owner != "FR" {
				t.Fatalf("document %s owned by %q", number, owner)
			}
			want[number]--
			ids[id] = true
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		for number, left := range want {
			if left != 0 {
				t.Fatalf("document %s stored %d times too few", number, left)
			}
		}

		// One range change per batch; together they name every id.
		changes, err := feed.After(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var covered int
		var batches int
		for _, c := range changes {
			if c.Kind != records.ChangeTravelDocument {
				continue
			}
			batches++
			lo, hi, ok := records.ParseRange(c.EntityID)
			if !ok {
				t.Fatalf("change %q is not a range of ids", c.EntityID)
			}
			for id := lo; id <= hi; id++ {
				if ids[id] {
					covered++
				}
			}
		}
		if wantBatches := (n + batchSize - 1) / batchSize; batches != wantBatches || covered != len(ids) {
			t.Fatalf("%d range changes covering %d of %d ids; want %d changes covering all", batches, covered, len(ids), wantBatches)
		}
		var audited int
		if err := s.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = ?", string(policy.RecordImport)).Scan(&audited); err != nil {
			t.Fatal(err)
		}
		if audited != batches {
			t.Fatalf("%d audit entries for %d batches", audited, batches)
		}
	})
}
