package records_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/records"
	"github.com/relais/relais/internal/storage"
	"github.com/relais/relais/internal/storage/storagetest"
)

// travelDocumentsCSV makes n lines of travel documents in CSV with a header,
// with numbers that are not in order (as a real file's are not).
func travelDocumentsCSV(n int) []byte {
	countries := []string{"FR", "DE", "US", "BR", "NG", "JP", "IT", "ES", "GB", "IN"}
	types := []string{"passport", "id-card", "visa", "residence-permit"}
	statuses := []string{"stolen", "lost", "revoked"}
	var b bytes.Buffer
	b.Grow(n * 40)
	b.WriteString("number,issuing_country,type,status,reported_at\n")
	x := uint64(88172645463325252)
	for i := range n {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		fmt.Fprintf(&b, "%c%c%07d,%s,%s,%s,20%02d-%02d-%02d\n", 'A'+byte(x%26), 'A'+byte(x/26%26), x/676%10000000,
			countries[i%len(countries)], types[x/7%4], statuses[x/11%3], 10+x%16, 1+x/3%12, 1+x/5%28)
	}
	return b.Bytes()
}

// BenchmarkImportTravelDocuments imports 200,000 travel documents per
// iteration into a fresh store of each engine and reports documents per
// second.
func BenchmarkImportTravelDocuments(b *testing.B) {
	const n = 200_000
	data := travelDocumentsCSV(n)
	for _, e := range []storage.Engine{storage.SQLite, storage.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			var total int64
			var took time.Duration
			for b.Loop() {
				b.StopTimer()
				store := storagetest.Open(b, e)
				j := journal.New(store, changefeed.New(store), nil)
				svc := records.NewService(j)
				b.StartTimer()
				start := time.Now()
				res, err := svc.Import(context.Background(), policy.Console, bytes.NewReader(data), records.ImportOptions{
					Kind: records.TravelDocuments, Format: records.CSV, Owner: "FR", Audience: policy.Audience{Mode: policy.AllMembers},
				})
				took += time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				if res.Imported != n {
					b.Fatalf("imported %d documents, want %d", res.Imported, n)
				}
				total += res.Imported
				b.StopTimer()
				j.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(total)/took.Seconds(), "docs/s")
		})
	}
}
