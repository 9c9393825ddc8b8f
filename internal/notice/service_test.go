package notice_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/relais/relais/internal/app/apptest"
	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/notice"
	"github.com/relais/relais/internal/policy"
)

func actor(t *testing.T, s *apptest.Server, username string) policy.Actor {
	t.Helper()
	u, err := s.Accounts.Get(context.Background(), policy.Console, username)
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}

// TestListDiffusionsByBox: each box holds what its name says, within what
// policy lets the asker see, newest first and paged in the query; each list
// is one audited read.
func TestListDiffusionsByBox(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		sent := []struct {
			from, name string
			to         []string
		}{
			{"ncb-fr", "A", []string{"DE"}},
			{"ncb-de", "B", []string{"FR"}},
			{"ncb-us", "C", []string{notice.AllMembers}},
			{"ncb-fr", "D", []string{notice.AllMembers}},
			{"ncb-jp", "E", []string{"BR"}},
		}
		for _, d := range sent {
			_, err := s.Notices.Send(ctx, actor(t, s, d.from), notice.DiffusionRequest{Kind: "information", Recipients: d.to,
				Subject: &notice.Subject{Name: d.name}})
			if err != nil {
				t.Fatal(err)
			}
		}
		cases := []struct {
			as     string
			f      notice.DiffusionFilter
			want   []string
			reject fault.Kind
		}{
			{"ncb-fr", notice.DiffusionFilter{Box: notice.BoxReceived}, []string{"C", "B"}, 0},
			{"ncb-fr", notice.DiffusionFilter{Box: notice.BoxSent}, []string{"D", "A"}, 0},
			{"ncb-fr", notice.DiffusionFilter{Box: notice.BoxAll}, []string{"D", "C", "B", "A"}, 0},
			{"ncb-fr", notice.DiffusionFilter{}, []string{"D", "C", "B", "A"}, 0},
			{"ncb-fr", notice.DiffusionFilter{Limit: 2, Offset: 1}, []string{"C", "B"}, 0},
			{"ncb-fr", notice.DiffusionFilter{Limit: 2, Offset: 4}, []string{}, 0},
			{"ncb-de", notice.DiffusionFilter{Box: notice.BoxReceived}, []string{"D", "C", "A"}, 0},
			{"ncb-de", notice.DiffusionFilter{Box: notice.BoxSent}, []string{"B"}, 0},
			{"ncb-jp", notice.DiffusionFilter{Box: notice.BoxReceived}, []string{"D", "C"}, 0},
			{"ncb-br", notice.DiffusionFilter{Box: notice.BoxReceived}, []string{"E", "D", "C"}, 0},
			{"gs-reviewer", notice.DiffusionFilter{}, []string{"E", "D", "C", "B", "A"}, 0},
			{"gs-reviewer", notice.DiffusionFilter{Box: notice.BoxReceived}, []string{}, 0},
			{"dpo", notice.DiffusionFilter{Limit: 1}, []string{"E"}, 0},
			{"admin", notice.DiffusionFilter{}, []string{}, 0},
			{"border-fr", notice.DiffusionFilter{}, nil, fault.Forbidden},
			{"ncb-fr", notice.DiffusionFilter{Box: "inbox"}, nil, fault.Invalid},
		}
		for _, tc := range cases {
			list, err := s.Notices.ListDiffusions(ctx, actor(t, s, tc.as), tc.f)
			if tc.reject != 0 {
				if !fault.Is(err, tc.reject) {
					t.Errorf("%s %+v: got %v, want a refusal of kind %d", tc.as, tc.f, err, tc.reject)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s %+v: %v", tc.as, tc.f, err)
			}
			got := []string{}
			for _, d := range list {
				got = append(got, d.Subject.Name)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s %+v: got %v, want %v", tc.as, tc.f, got, tc.want)
			}
		}

		// One audit entry per list, naming the box and what it showed.
		if err := s.Journal.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		before, _ := audit.List(ctx, s.Store, audit.Filter{Action: string(policy.DiffusionList), Actor: "ncb-jp", Limit: 1000})
		if _, err := s.Notices.ListDiffusions(ctx, actor(t, s, "ncb-jp"), notice.DiffusionFilter{Box: notice.BoxSent}); err != nil {
			t.Fatal(err)
		}
		if err := s.Journal.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		after, _ := audit.List(ctx, s.Store, audit.Filter{Action: string(policy.DiffusionList), Actor: "ncb-jp", Limit: 1000})
		if len(after) != len(before)+1 || !strings.Contains(after[len(after)-1].Detail, "box=sent") {
			t.Fatalf("audit entries of one list: %d, then %d: %+v", len(before), len(after), after[len(after)-1])
		}
	})
}

// TestUpdateRefusesAStaleVersion: a change made to a version that is no
// longer current is refused; one made to the current version, or to no
// version in particular, is saved.
func TestUpdateRefusesAStaleVersion(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		fr := actor(t, s, "ncb-fr")
		n, err := s.Notices.Create(ctx, fr, notice.Request{Data: validRed()})
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name    string
			version int
			want    int // the version after the step; 0: refused as stale
		}{
			{"change the current version", 1, 2},
			{"change a version saved over", 1, 0},
			{"change the current version again", 2, 3},
			{"change no version in particular", 0, 4},
			{"change a version yet to come", 9, 0},
		}
		for i, st := range steps {
			patch := []byte(`{"description":"step ` + string(rune('a'+i)) + `"}`)
			got, err := s.Notices.Update(ctx, fr, n.ID, st.version, patch)
			if st.want == 0 {
				fe, ok := fault.As(err)
				if !ok || fe.Kind != fault.Conflict || fe.Code != notice.StaleVersion {
					t.Fatalf("%s: got %v, want a stale version conflict", st.name, err)
				}
				continue
			}
			if err != nil || got.Version != st.want {
				t.Fatalf("%s: version %d, %v; want version %d", st.name, got.Version, err, st.want)
			}
		}
	})
}

// TestCreateNamesEveryFieldAtFault: the service's answer to a request with
// several faults names them all, the excluded countries with the data.
func TestCreateNamesEveryFieldAtFault(t *testing.T) {
	s := apptest.New(t, "sqlite")
	req := notice.Request{Data: notice.Data{Type: "red", Subject: &notice.Subject{}}, ExcludedCountries: []string{"FR", "ZZ"}}
	_, err := s.Notices.Create(context.Background(), actor(t, s, "ncb-fr"), req)
	fe, ok := fault.As(err)
	if !ok {
		t.Fatalf("got %v, want invalid fields", err)
	}
	var got []string
	for _, e := range fe.Errors {
		got = append(got, e.Field)
	}
	want := []string{"subject.name", "arrest_warrants", "excluded_countries[0]", "excluded_countries[1]"}
	if !slices.Equal(got, want) {
		t.Fatalf("fields at fault %v, want %v", got, want)
	}
}
