package changefeed_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/storage"
	"github.com/relais/relais/internal/storage/storagetest"
)

// Concurrent writers must neither fail (no "database is locked" on SQLite)
// nor let a follower miss or reorder a change.
func TestConcurrentWritersAndFollower(t *testing.T) {
	const writers, perWriter = 8, 25
	storagetest.Each(t, func(t *testing.T, s *storage.Store) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		feed := changefeed.New(s)
		j := journal.New(s, feed, nil)
		defer j.Close()

		var mu sync.Mutex
		var seen []changefeed.Change
		followCtx, stopFollow := context.WithCancel(ctx)
		followed := make(chan error, 1)
		go func() {
			followed <- feed.Follow(followCtx, 0, time.Hour, func(batch []changefeed.Change) error {
				mu.Lock()
				seen = append(seen, batch...)
				mu.Unlock()
				return nil
			})
		}()

		var wg sync.WaitGroup
		errs := make(chan error, writers*perWriter)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range perWriter {
					id := fmt.Sprintf("w%d-%d", w, i)
					err := j.Write(ctx, audit.Entry{Actor: "t", ActorOrg: "FR", Action: "test.write", ResourceKind: "thing", ResourceID: id},
						func(tx *journal.Tx) error {
							tx.Changed("thing", id, changefeed.Insert)
							return nil
						})
					if err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("concurrent write failed: %v", err)
		}

		deadline := time.Now().Add(20 * time.Second)
		for {
			mu.Lock()
			n := len(seen)
			mu.Unlock()
			if n >= writers*perWriter || time.Now().After(deadline) {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		stopFollow()
		<-followed

		mu.Lock()
		defer mu.Unlock()
		if len(seen) != writers*perWriter {
			t.Fatalf("follower saw %d changes, want %d", len(seen), writers*perWriter)
		}
		ids := map[string]bool{}
		for i, c := range seen {
			if c.Seq != int64(i+1) {
				t.Fatalf("change %d has seq %d: the feed must be gapless and ordered", i, c.Seq)
			}
			ids[c.EntityID] = true
		}
		if len(ids) != writers*perWriter {
			t.Fatalf("saw %d distinct entities, want %d", len(ids), writers*perWriter)
		}
		r, err := audit.Verify(ctx, s)
		if err != nil || !r.OK || r.Entries != writers*perWriter {
			t.Fatalf("audit after concurrent writes: %+v %v", r, err)
		}
	})
}

func TestAfterAndLatest(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, s *storage.Store) {
		ctx := context.Background()
		feed := changefeed.New(s)
		j := journal.New(s, feed, nil)
		defer j.Close()
		woken := feed.Changed()
		err := j.Write(ctx, audit.Entry{Action: "test.write"}, func(tx *journal.Tx) error {
			tx.Changed("notice", "1", changefeed.Insert)
			tx.Changed("notice", "1", changefeed.Update)
			tx.Changed("notice", "2", changefeed.Delete)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		select {
		case <-woken:
		case <-time.After(time.Second):
			t.Fatal("a commit did not wake the waiters")
		}
		// A failed write leaves no change behind.
		err = j.Write(ctx, audit.Entry{Action: "test.write"}, func(tx *journal.Tx) error {
			tx.Changed("notice", "3", changefeed.Insert)
			return fmt.Errorf("refused")
		})
		if err == nil {
			t.Fatal("failing write reported success")
		}
		latest, err := feed.Latest(ctx)
		if err != nil || latest != 3 {
			t.Fatalf("latest = %d, %v; want 3", latest, err)
		}
		after, err := feed.After(ctx, 1, 10)
		if err != nil {
			t.Fatal(err)
		}
		want := []changefeed.Change{{Seq: 2, Kind: "notice", EntityID: "1", Op: changefeed.Update}, {Seq: 3, Kind: "notice", EntityID: "2", Op: changefeed.Delete}}
		if len(after) != len(want) {
			t.Fatalf("after 1: %+v", after)
		}
		for i, c := range after {
			if c.Seq != want[i].Seq || c.Kind != want[i].Kind || c.EntityID != want[i].EntityID || c.Op != want[i].Op || c.At.IsZero() {
				t.Errorf("change %d = %+v, want %+v", i, c, want[i])
			}
		}
	})
}

// LatestOf tells a reader that applies some kinds whether it must wait:
// only changes of those kinds above its position count.
func TestLatestOf(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, s *storage.Store) {
		ctx := context.Background()
		feed := changefeed.New(s)
		j := journal.New(s, feed, nil)
		defer j.Close()
		// seq 1 person, 2 hit, 3 hit, 4 notice, 5 hit
		for _, kind := range []string{"person", "hit", "hit", "notice", "hit"} {
			err := j.Write(ctx, audit.Entry{Action: "test.write"}, func(tx *journal.Tx) error {
				tx.Changed(kind, "1", changefeed.Insert)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name  string
			after int64
			kinds []string
			want  int64
		}{
			{"newest of one kind", 0, []string{"person"}, 1},
			{"newest of several kinds", 0, []string{"person", "notice"}, 4},
			{"later changes of other kinds do not count", 1, []string{"person"}, 1},
			{"a change above the position counts", 3, []string{"notice", "vehicle"}, 4},
			{"nothing of the kinds above the position", 4, []string{"person", "notice"}, 4},
			{"a kind never written", 0, []string{"vehicle"}, 0},
			{"no kinds", 2, nil, 2},
			{"every kind", 0, []string{"person", "hit", "notice"}, 5},
		}
		for _, tt := range tests {
			got, err := feed.LatestOf(ctx, tt.after, tt.kinds)
			if err != nil || got != tt.want {
				t.Errorf("%s: LatestOf(%d, %v) = %d, %v; want %d", tt.name, tt.after, tt.kinds, got, err, tt.want)
			}
		}
	})
}

// A write with many changes (a manifest's hits) appends them all, in order,
// with consecutive sequence numbers, whatever the size of one insert.
func TestAppendManyChanges(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, s *storage.Store) {
		ctx := context.Background()
		feed := changefeed.New(s)
		j := journal.New(s, feed, nil)
		defer j.Close()
		for _, n := range []int{1, 999, 1000, 1001, 2500} {
			before, err := feed.Latest(ctx)
			if err != nil {
				t.Fatal(err)
			}
			err = j.Write(ctx, audit.Entry{Action: "test.write"}, func(tx *journal.Tx) error {
				for i := range n {
					tx.Changed("hit", fmt.Sprint(i), changefeed.Insert)
				}
				return nil
			})
			if err != nil {
				t.Fatalf("%d changes: %v", n, err)
			}
			got, err := feed.After(ctx, before, 10000)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != n {
				t.Fatalf("%d changes: %d appended", n, len(got))
			}
			for i, c := range got {
				if c.Seq != before+int64(i)+1 || c.EntityID != fmt.Sprint(i) || c.Kind != "hit" || c.Op != changefeed.Insert {
					t.Fatalf("%d changes: change %d is %+v", n, i, c)
				}
			}
		}
	})
}
