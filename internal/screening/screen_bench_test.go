package screening_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/relais/relais/internal/screening"
	"github.com/relais/relais/internal/storage"
	"github.com/relais/relais/internal/storage/storagetest"
)

// BenchmarkScreenWrites measures Screen on an SQLite store when its cost is
// the hits it writes: a batch of 100 document checks with one hit (the API
// benchmark's batch) and a manifest of 400 with 270 hits (the hits of a
// 400-passenger manifest against a million listed persons), without name
// searches.
//
//	go test -run XXX -bench ScreenWrites -count 5 ./internal/screening/
func BenchmarkScreenWrites(b *testing.B) {
	ctx := context.Background()
	j := openJournal(b, ctx, storagetest.Open(b, storage.SQLite))
	enterStolenDocument(b, ctx, j, "L898902C3")
	e := screening.New(j, nil)
	if _, err := e.Load(ctx); err != nil {
		b.Fatal(err)
	}
	for _, size := range []struct{ queries, hits int }{{100, 1}, {400, 270}} {
		b.Run(strconv.Itoa(size.queries)+"-queries-"+strconv.Itoa(size.hits)+"-hits", func(b *testing.B) {
			items := make([]screening.Item, size.queries)
			for i := range items {
				country := "FR"
				number := "CLEAN" + strconv.Itoa(i)
				if i < size.hits {
					number = "L898902C3"
				}
				items[i].Query = screening.Query{QID: "q" + strconv.Itoa(i), DocumentNumber: number, IssuingCountry: &country}
			}
			for b.Loop() {
				if _, err := e.Screen(ctx, borderDE, items); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
