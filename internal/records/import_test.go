package records_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

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
		var progress []int64
		res, err := svc.Import(ctx, policy.Console, bytes.NewReader(data), records.ImportOptions{
			Kind: records.TravelDocuments, Format: records.CSV, Owner: "FR", Audience: policy.Audience{Mode: policy.AllMembers},
			BatchSize: batchSize, OnLineError: func(le records.LineError) { failed = append(failed, le) },
			OnBatch: func(imported int64) { progress = append(progress, imported) },
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Imported != n-2 || res.Failed != 2 {
			t.Fatalf("imported %d, failed %d; want %d and 2", res.Imported, res.Failed, n-2)
		}
		// told after each committed batch of batchSize records
		if want := []int64{batchSize, 2 * batchSize, n - 2}; !slices.Equal(progress, want) {
			t.Errorf("progress %v, want %v", progress, want)
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

// TestImportKeepsEachLinesHead imports documents whose lines give their own
// audience and review date, or leave them to the import, in batches where
// the records share their head and where they do not: each record is
// stored with its own, a bad review date is a line error, and the table's
// constraints still hold for the writes after the import.
func TestImportKeepsEachLinesHead(t *testing.T) {
	lines := []string{
		`{"number":"AB1000001","issuing_country":"FR","status":"stolen"}`,
		`{"number":"AB1000002","issuing_country":"FR","status":"lost","audience":{"mode":"only","countries":["DE","US"]},"review_on":"2031-01-01"}`,
		`{"number":"AB1000003","issuing_country":"FR","status":"lost","review_on":"2031-13-01"}`,
		`{"number":"AB1000004","issuing_country":"FR","status":"revoked","audience":{"mode":"except","countries":["RU"]},"review_on":"2032-02-02"}`,
		`{"number":"AB1000005","issuing_country":"FR","status":"revoked","audience":{"mode":"except","countries":["RU"]},"review_on":"2032-02-02"}`,
	}
	storagetest.Each(t, func(t *testing.T, s *storage.Store) {
		ctx := context.Background()
		j := journal.New(s, changefeed.New(s), nil)
		t.Cleanup(func() { j.Close() })
		svc := records.NewService(j)
		var failed []records.LineError
		before := storage.Now()
		res, err := svc.Import(ctx, policy.Console, strings.NewReader(strings.Join(lines, "\n")), records.ImportOptions{
			Kind: records.TravelDocuments, Format: records.JSONLines, Owner: "FR", Audience: policy.Audience{Mode: policy.AllMembers},
			BatchSize: 2, OnLineError: func(le records.LineError) { failed = append(failed, le) },
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Imported != 4 || res.Failed != 1 || len(failed) != 1 || failed[0].Line != 3 || failed[0].Field != "review_on" {
			t.Fatalf("imported %d, failed %d (%+v); want 4 imported and line 3 failed on review_on", res.Imported, res.Failed, failed)
		}
		stored, err := svc.List(ctx, policy.Console, records.TravelDocuments, records.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, rec := range stored {
			d := rec.(*records.TravelDocument)
			if d.Owner != "FR" || d.CreatedAt.Before(before) || !d.UpdatedAt.Equal(d.CreatedAt) {
				t.Errorf("document %s: owner %s, created %v, updated %v (import began %v)", d.Number, d.Owner, d.CreatedAt, d.UpdatedAt, before)
			}
			got[d.Number] = fmt.Sprintf("%s %v %s %s", d.Audience.Mode, d.Audience.Countries, d.ReviewOn, d.Status)
		}
		defaultReview := before.AddDate(records.DefaultReview, 0, 0).Format(time.DateOnly)
		want := map[string]string{
			"AB1000001": "all [] " + defaultReview + " stolen",
			"AB1000002": "only [DE US] 2031-01-01 lost",
			"AB1000004": "except [RU] 2032-02-02 revoked",
			"AB1000005": "except [RU] 2032-02-02 revoked",
		}
		if !maps.Equal(got, want) {
			t.Fatalf("stored documents:\n%v\nwant\n%v", got, want)
		}
		_, err = s.Exec(ctx, `INSERT INTO travel_documents (owner, audience_mode, audience_countries, review_on, number, issuing_country, doc_type, status, created_at, updated_at)
			VALUES ('FR', 'nobody', '', '2030-01-01', 'AB1', 'FR', 'passport', 'lost', ?, ?)`, before, before)
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), "check") {
			t.Fatalf("an audience the table forbids was written after the import (err %v)", err)
		}
	})
}
