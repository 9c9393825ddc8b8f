package api_test

import (
	"testing"

	"github.com/relais/relais/internal/app/apptest"
)

// TestPublishedNoticesAreScreened follows person notices into screening:
// a published red notice is a match for the countries it circulates to, is
// not known to a country its owner excluded, and leaves the index when it is
// cancelled or withdrawn.
func TestPublishedNoticesAreScreened(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		// noticeMatches screens the name as user and returns the ids of the
		// notice matches.
		noticeMatches := func(user, name string) []string {
			t.Helper()
			q := []any{map[string]any{"qid": "q", "name": name, "birth_date": "1979-03-14"}}
			answers := jsonArray(t, must(t, s.Do(t, "POST", "/api/v1/screen", user, q), 200, "screen as "+user))
			if len(answers) != 1 {
				t.Fatalf("%d answers to one query", len(answers))
			}
			var ids []string
			ms, _ := answers[0].(map[string]any)["matches"].([]any)
			for _, m := range ms {
				m := m.(map[string]any)
				if m["kind"] == "notice" {
					if m["match"] != true || m["owner"] != "FR" {
						t.Fatalf("%s: notice candidate %v is not a match of FR", user, m)
					}
					ids = append(ids, m["id"].(string))
				}
			}
			return ids
		}
		expect := func(user, name string, want ...string) {
			t.Helper()
			got := noticeMatches(user, name)
			if len(got) != len(want) || len(want) == 1 && got[0] != want[0] {
				t.Fatalf("%s screens %q: notice matches %v, want %v", user, name, got, want)
			}
		}

		// A draft is not screened.
		body := redNotice("Dupont-Fictif", false, "JP")
		id := idOf(must(t, s.Do(t, "POST", "/api/v1/notices", "ncb-fr", body), 201, "create"))
		expect("border-de", "Jean Dupont-Fictif")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/submit", "ncb-fr", nil), 200, "submit")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/start-review", "gs-reviewer", nil), 200, "start review")
		expect("border-de", "Jean Dupont-Fictif")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/approve", "gs-reviewer", checklistRed), 200, "approve")

		// Published: found by a member's border officer, in another spelling
		// too; not by the excluded country.
		expect("border-de", "Jean Dupont-Fictif", id)
		expect("border-de", "DUPONT FICTIF, Jean", id)
		expect("ncb-fr", "Jean Dupont-Fictif", id)
		expect("ncb-jp", "Jean Dupont-Fictif")

		// Cancelled by its owner: gone from screening.
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/cancel", "ncb-fr", map[string]any{"reason": "Arrested in Spain"}), 200, "cancel")
		expect("border-de", "Jean Dupont-Fictif")

		// Withdrawn by the General Secretariat: gone as well.
		other := publish(t, s, redNotice("Martin-Exemple", false))
		expect("border-de", "Jean Martin-Exemple", other)
		must(t, s.Do(t, "POST", "/api/v1/notices/"+other+"/withdraw", "gs-reviewer", map[string]any{"reason": "Art. 3 concerns"}), 200, "withdraw")
		expect("border-de", "Jean Martin-Exemple")
	})
}
