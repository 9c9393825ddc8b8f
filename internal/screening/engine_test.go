package screening_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/account"
	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/names"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/records"
	"github.com/relais/relais/internal/screening"
	"github.com/relais/relais/internal/storage"
	"github.com/relais/relais/internal/storage/storagetest"
)

var (
	officerFR = policy.Actor{UserID: 1, Username: "officer@FR", Org: "FR", Roles: []policy.Role{policy.NCBOfficer}}
	borderDE  = policy.Actor{UserID: 2, Username: "border@DE", Org: "DE", Roles: []policy.Role{policy.Frontline}}
)

// openJournal opens a journal over s with the member organisations stored.
func openJournal(tb testing.TB, ctx context.Context, s *storage.Store) *journal.Journal {
	tb.Helper()
	j := journal.New(s, changefeed.New(s), nil)
	tb.Cleanup(func() { j.Close() })
	if err := account.New(j).EnsureOrganisations(ctx); err != nil {
		tb.Fatal(err)
	}
	return j
}

// enterStolenDocument enters a French passport reported stolen by France.
func enterStolenDocument(tb testing.TB, ctx context.Context, j *journal.Journal, number string) {
	tb.Helper()
	doc := records.New(records.TravelDocuments)
	if err := json.Unmarshal([]byte(`{"number": "`+number+`", "issuing_country": "FR", "status": "stolen"}`), doc); err != nil {
		tb.Fatal(err)
	}
	if _, err := records.NewService(j).Create(ctx, officerFR, doc); err != nil {
		tb.Fatal(err)
	}
}

// listedPersons is a person source of its own change-feed kind that lists
// the persons given.
type listedPersons []screening.ListedPerson

func (listedPersons) Kind() string              { return "wanted" }
func (listedPersons) ReadAction() policy.Action { return policy.RecordRead }
func (l listedPersons) All(_ context.Context, fn func(screening.ListedPerson) error) error {
	for _, p := range l {
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}
func (l listedPersons) Get(_ context.Context, id string) (screening.ListedPerson, bool, error) {
	for _, p := range l {
		if p.ID == id {
			return p, true, nil
		}
	}
	return screening.ListedPerson{}, false, nil
}

// Sync waits for the changes the indexes apply, and only for them: a hit
// another request wrote must not hold a request up until the follower has
// read it, while a record entered before the request must be found.
func TestSyncWaitsOnlyForIndexedChanges(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, s *storage.Store) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		j := openJournal(t, ctx, s)
		e := screening.New(j, nil)
		e.AddPersonSource(listedPersons(nil))
		seq, err := e.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// No follower yet: Sync returns only if it need not wait.
		synced := func() error {
			ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
			defer cancel()
			return e.Sync(ctx)
		}
		change := func(kind string) {
			t.Helper()
			err := j.Write(ctx, audit.Entry{Action: "test.write"}, func(tx *journal.Tx) error {
				tx.Changed(kind, "1", changefeed.Insert)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		change("hit")
		change(records.ChangeArtwork)
		if err := synced(); err != nil {
			t.Fatalf("Sync after changes the indexes ignore: %v, want no wait", err)
		}
		change("wanted")
		if err := synced(); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Sync after a change of a person source, not yet applied: %v, want a wait until the deadline", err)
		}

		enterStolenDocument(t, ctx, j, "L898902C3")
		if err := synced(); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Sync after a document entered, not yet applied: %v, want a wait until the deadline", err)
		}

		fctx, stop := context.WithCancel(ctx)
		followed := make(chan error, 1)
		go func() { followed <- e.Follow(fctx, seq) }()
		defer func() {
			stop()
			<-followed
		}()
		if err := e.Sync(ctx); err != nil {
			t.Fatalf("Sync with the follower running: %v", err)
		}
		if n := e.CheckDocument(borderDE, "FR", "L898902C3"); n != 1 {
			t.Fatalf("the document entered before Sync: %d matches, want 1", n)
		}
		change("hit")
		if err := synced(); err != nil {
			t.Fatalf("Sync after another hit, follower running: %v", err)
		}
	})
}

// Every hit of a batch is stored with the query and the record of its own
// match, however many hits the batch writes at once.
func TestHitsLineUpWithTheirMatches(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, s *storage.Store) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		j := openJournal(t, ctx, s)
		numbers := []string{"L898902C3", "XA1234567", "ZB7654321"}
		for _, n := range numbers {
			enterStolenDocument(t, ctx, j, n)
		}
		e := screening.New(j, nil)
		if _, err := e.Load(ctx); err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{1, 7, 2500} {
			items := make([]screening.Item, size)
			for i := range items {
				country := "FR"
				number := "CLEAN" + strconv.Itoa(i)
				if i%5 != 4 {
					number = numbers[i%len(numbers)]
				}
				items[i].Query = screening.Query{QID: "q" + strconv.Itoa(i), DocumentNumber: number, IssuingCountry: &country}
			}
			answers, err := e.Screen(ctx, borderDE, items)
			if err != nil {
				t.Fatalf("%d queries: %v", size, err)
			}
			seen := map[int64]bool{}
			for i, a := range answers {
				want := 0
				if i%5 != 4 {
					want = 1
				}
				if len(a.Matches) != want {
					t.Fatalf("%d queries: query %s has %d matches, want %d", size, a.QID, len(a.Matches), want)
				}
				for _, m := range a.Matches {
					if m.HitID == 0 || seen[m.HitID] {
						t.Fatalf("%d queries: query %s has hit id %d, want a new one", size, a.QID, m.HitID)
					}
					seen[m.HitID] = true
					h, err := e.GetHit(ctx, borderDE, strconv.FormatInt(m.HitID, 10))
					if err != nil {
						t.Fatal(err)
					}
					if h.QID != a.QID || h.RecordID != m.ID || h.RecordKind != m.Kind || !strings.Contains(string(h.Query), items[i].Query.DocumentNumber) {
						t.Fatalf("%d queries: hit %d is qid %s, %s %s, query %s; want qid %s, %s %s", size, m.HitID,
							h.QID, h.RecordKind, h.RecordID, h.Query, a.QID, m.Kind, m.ID)
					}
				}
			}
		}
	})
}

// A person the asker may see is answered even when namesakes it may not
// see agree better with the query and outnumber what a search compares:
// they are left out before the search ranks its candidates.
func TestNameQueryShowsWhatTheAskerMaySee(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, s *storage.Store) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var persons listedPersons
		for i := range 300 {
			persons = append(persons, screening.ListedPerson{Kind: "wanted", ID: "fr" + strconv.Itoa(i), Owner: "FR",
				Audience: policy.Audience{Mode: policy.OnlyListed, Countries: []string{"FR"}},
				Person:   names.Person{Name: "Li Na", BirthDate: "1980-02-03", Nationality: "CN"}})
		}
		persons = append(persons, screening.ListedPerson{Kind: "wanted", ID: "de", Owner: "DE",
			Audience: policy.Audience{Mode: policy.AllMembers}, Person: names.Person{Name: "Li Na"}})
		e := screening.New(openJournal(t, ctx, s), nil)
		e.AddPersonSource(persons)
		if _, err := e.Load(ctx); err != nil {
			t.Fatal(err)
		}
		birth, nationality := "1980-02-03", "CN"
		answers, err := e.Screen(ctx, borderDE, []screening.Item{{Query: screening.Query{QID: "q", Name: "Li Na", BirthDate: &birth, Nationality: &nationality}}})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, m := range answers[0].Matches {
			ids = append(ids, m.ID)
		}
		if len(ids) != 1 || ids[0] != "de" {
			t.Errorf("matches %v, want only the person DE may see", ids)
		}
	})
}
