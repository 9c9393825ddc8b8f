package screening_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/relais/relais/internal/account"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/records"
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
	s := storagetest.Open(b, storage.SQLite)
	j := journal.New(s, changefeed.New(s), nil)
	defer j.Close()
	if err := account.New(j).EnsureOrganisations(ctx); err != nil {
		b.Fatal(err)
	}
	fr := policy.Actor{UserID: 1, Username: "officer@FR", Org: "FR", Roles: []policy.Role{policy.NCBOfficer}}
	doc := records.New(records.TravelDocuments)
	if err := json.Unmarshal([]byte(`{"number": "L898902C3", "issuing_country": "FR", "status": "stolen"}`), doc); err != nil {
		b.Fatal(err)
	}
	if _, err := records.NewService(j).Create(ctx, fr, doc); err != nil {
		b.Fatal(err)
	}
	e := screening.New(j, nil)
	if _, err := e.Load(ctx); err != nil {
		b.Fatal(err)
	}
	border := policy.Actor{UserID: 2, Username: "border@DE", Org: "DE", Roles: []policy.Role{policy.Frontline}}
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
				if _, err := e.Screen(ctx, border, items); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
