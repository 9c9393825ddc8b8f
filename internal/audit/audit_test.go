package audit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/storage"
	"github.com/relais/relais/internal/storage/storagetest"
)

// fill writes n audited changes through the journal.
func fill(t *testing.T, s *storage.Store, n int) {
	t.Helper()
	ctx := context.Background()
	j := journal.New(s, nil, nil)
	defer j.Close()
	for i := 1; i <= n; i++ {
		e := audit.Entry{Actor: "ncb-fr", ActorOrg: "FR", Action: "test.write", ResourceKind: "thing", ResourceID: fmt.Sprint(i)}
		if err := j.Write(ctx, e, func(tx *journal.Tx) error { return nil }); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
}

func TestVerifyDetectsTampering(t *testing.T) {
	cases := []struct {
		name    string
		tamper  []string // SQL run directly against the database
		wantBad int64
	}{
		{"honest store", nil, 0},
		{"edited actor", []string{"UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3"}, 3},
		{"edited outcome", []string{"UPDATE audit_log SET outcome = 'denied' WHERE seq = 1"}, 1},
		{"edited and rehashed entry", []string{"UPDATE audit_log SET resource_id = 'x', hash = 'ab' WHERE seq = 4"}, 4},
		{"deleted middle entry", []string{"DELETE FROM audit_log WHERE seq = 2"}, 2},
		{"deleted last entry", []string{"DELETE FROM audit_log WHERE seq = 5"}, 5},
		{"reordered entries", []string{
			"UPDATE audit_log SET seq = 100 WHERE seq = 2",
			"UPDATE audit_log SET seq = 2 WHERE seq = 3",
			"UPDATE audit_log SET seq = 3 WHERE seq = 100",
		}, 2},
		{"inserted entry", []string{
			"UPDATE audit_log SET seq = seq + 10 WHERE seq >= 3",
			"INSERT INTO audit_log SELECT 3, at, actor, actor_org, action, resource_kind, resource_id, outcome, reason, request_id, client_addr, detail, prev_hash, hash FROM audit_log WHERE seq = 2",
		}, 3},
	}
	storagetest.Each(t, func(t *testing.T, s *storage.Store) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ctx := context.Background()
				if _, err := s.Exec(ctx, "DELETE FROM audit_log"); err != nil {
					t.Fatal(err)
				}
				if _, err := s.Exec(ctx, "DELETE FROM audit_head"); err != nil {
					t.Fatal(err)
				}
				fill(t, s, 5)
				for _, q := range tc.tamper {
					if _, err := s.Exec(ctx, q); err != nil {
						t.Fatalf("tamper %q: %v", q, err)
					}
				}
				r, err := audit.Verify(ctx, s)
				if err != nil {
					t.Fatal(err)
				}
				if tc.wantBad == 0 {
					if !r.OK || r.Entries != 5 {
						t.Fatalf("honest chain reported broken: %+v", r)
					}
					return
				}
				if r.OK {
					t.Fatalf("tampering not detected: %+v", r)
				}
				if r.BadSeq != tc.wantBad {
					t.Errorf("first bad entry = %d (%s), want %d", r.BadSeq, r.Problem, tc.wantBad)
				}
			})
		}
	})
}

func TestListFilters(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, s *storage.Store) {
		ctx := context.Background()
		fill(t, s, 7)
		all, err := audit.List(ctx, s, audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 7 || all[0].Seq != 1 || all[6].Seq != 7 {
			t.Fatalf("got %d entries, want 7 in order", len(all))
		}
		page, err := audit.List(ctx, s, audit.Filter{AfterSeq: 5, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 2 || page[0].Seq != 6 {
			t.Fatalf("after 5: got %+v", page)
		}
		one, err := audit.List(ctx, s, audit.Filter{ResourceKind: "thing", ResourceID: "4"})
		if err != nil {
			t.Fatal(err)
		}
		if len(one) != 1 || one[0].ResourceID != "4" || one[0].PrevHash != all[2].Hash {
			t.Fatalf("resource filter: got %+v", one)
		}
	})
}
