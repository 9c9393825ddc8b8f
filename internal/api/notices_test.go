package api_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/app/apptest"
	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/changefeed"
)

func redNotice(name string, public bool, excluded ...string) map[string]any {
	if excluded == nil {
		excluded = []string{}
	}
	return map[string]any{
		"type": "red",
		"subject": map[string]any{
			"name": name, "forename": "Jean", "date_of_birth": "1979-03-14", "sex": "M",
			"nationalities": []string{"FR"}, "height_cm": 182, "weight_kg": 80, "eyes": "BRO", "hair": "BLA",
			"languages": []string{"FRE", "ENG"}, "place_of_birth": "Lyon", "country_of_birth": "FR",
		},
		"arrest_warrants":    []map[string]any{{"issuing_country": "FR", "charge": "Armed robbery", "charge_translation": "Vol à main armée", "max_penalty_years": 20}},
		"public":             public,
		"excluded_countries": excluded,
	}
}

var checklistRed = map[string]any{"checklist": map[string]bool{"art2": true, "art3": true, "identifiers": true, "serious_offence": true}, "comment": "meets the rules"}

func must(t *testing.T, r apptest.Response, status int, what string) apptest.Response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: got %d %s, want %d", what, r.Status, r.Body, status)
	}
	return r
}

func idOf(r apptest.Response) string { return fmt.Sprint(int64(r.JSON["id"].(float64))) }

// publish takes a new notice of ncb-fr through the whole review.
func publish(t *testing.T, s *apptest.Server, body map[string]any) string {
	t.Helper()
	id := idOf(must(t, s.Do(t, "POST", "/api/v1/notices", "ncb-fr", body), 201, "create"))
	must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/submit", "ncb-fr", nil), 200, "submit")
	must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/start-review", "gs-reviewer", nil), 200, "start review")
	must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/approve", "gs-reviewer", checklistRed), 200, "approve")
	return id
}

func TestNoticeLifecycle(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		startSeq, err := s.Feed.Latest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r := must(t, s.Do(t, "POST", "/api/v1/notices", "ncb-fr", redNotice("Dupont-Fictif", true)), 201, "create")
		id := idOf(r)
		year := time.Now().UTC().Year()
		if ref, _ := r.JSON["reference"].(string); !strings.HasPrefix(ref, fmt.Sprintf("%d/", year)) || len(ref) != 10 || r.JSON["state"] != "draft" {
			t.Fatalf("created notice: %s", r.Body)
		}
		ref := r.JSON["reference"].(string)

		// Another bureau cannot see a draft, nor act on it: 404, not 403.
		must(t, s.Do(t, "GET", "/api/v1/notices/"+id, "ncb-de", nil), 404, "other bureau reads draft")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/submit", "ncb-de", nil), 404, "other bureau submits draft")
		if l := s.Do(t, "GET", "/api/v1/notices?q=dupont", "ncb-de", nil); strings.Contains(string(l.Body), ref) {
			t.Fatalf("draft listed for another bureau: %s", l.Body)
		}
		// Reviewers see requests only once submitted.
		must(t, s.Do(t, "GET", "/api/v1/notices/"+id, "gs-reviewer", nil), 404, "reviewer reads draft")
		// A transition not allowed from the current state.
		r = must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/approve", "ncb-fr", checklistRed), 403, "owner approves draft")

		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/submit", "ncb-fr", nil), 200, "submit")
		if r := s.Do(t, "POST", "/api/v1/notices/"+id+"/submit", "ncb-fr", nil); r.Status != 409 || r.ErrorCode() != "invalid_state" {
			t.Fatalf("submit twice: %d %s", r.Status, r.Body)
		}
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/start-review", "ncb-fr", nil), 403, "owner starts review")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/start-review", "gs-reviewer", nil), 200, "start review")

		// Questions back to the bureau, answered, resubmitted.
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/request-info", "gs-reviewer", map[string]any{"comment": "Send the warrant's date."}), 200, "request info")
		r = must(t, s.Do(t, "GET", "/api/v1/notices/"+id, "ncb-fr", nil), 200, "owner reads")
		if r.JSON["state"] != "info_requested" || !strings.Contains(string(r.Body), "Send the warrant's date.") {
			t.Fatalf("owner does not see the questions: %s", r.Body)
		}
		must(t, s.Do(t, "PATCH", "/api/v1/notices/"+id, "ncb-fr", map[string]any{
			"arrest_warrants": []map[string]any{{"issuing_country": "FR", "charge": "Armed robbery", "max_penalty_years": 20, "date": "2024-05-02", "reference": "W-1"}},
		}), 200, "answer")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/submit", "ncb-fr", nil), 200, "resubmit")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/start-review", "gs-reviewer", nil), 200, "start review again")

		// The owner cannot approve its own request; an incomplete checklist is refused.
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/approve", "ncb-fr", checklistRed), 403, "owner approves")
		r = s.Do(t, "POST", "/api/v1/notices/"+id+"/approve", "gs-reviewer", map[string]any{"checklist": map[string]bool{"art2": true, "art3": true, "identifiers": true}})
		if r.Status != 400 || r.JSON["error"].(map[string]any)["field"] != "checklist.serious_offence" {
			t.Fatalf("approve without serious_offence: %d %s", r.Status, r.Body)
		}
		r = must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/approve", "gs-reviewer", checklistRed), 200, "approve")
		if r.JSON["state"] != "published" || r.JSON["review_date"] == nil {
			t.Fatalf("approved: %s", r.Body)
		}

		// Published: every member sees it, without the review record.
		r = must(t, s.Do(t, "GET", "/api/v1/notices/"+id, "ncb-de", nil), 200, "other bureau reads published")
		if r.JSON["reviews"] != nil || r.JSON["flags"] != nil {
			t.Fatalf("another bureau sees the review record: %s", r.Body)
		}
		must(t, s.Do(t, "GET", "/api/v1/notices/"+id, "border-de", nil), 200, "frontline reads published")
		must(t, s.Do(t, "GET", "/api/v1/notices/"+id, "press", nil), 404, "press reads notice")

		// A change outside the legal basis is published at once as a new version.
		r = must(t, s.Do(t, "PATCH", "/api/v1/notices/"+id, "ncb-fr", map[string]any{"subject": map[string]any{"distinguishing_marks": "Scar on the left hand"}}), 200, "update marks")
		if r.JSON["state"] != "published" || r.JSON["version"].(float64) != 3 {
			t.Fatalf("update outside the legal basis: %s", r.Body)
		}
		// A change of the charges goes back to review.
		r = must(t, s.Do(t, "PATCH", "/api/v1/notices/"+id, "ncb-fr", map[string]any{
			"arrest_warrants": []map[string]any{{"issuing_country": "FR", "charge": "Armed robbery and murder", "max_penalty_years": 30}},
		}), 200, "update charges")
		vs := r.JSON["versions"].([]any)
		lastV := vs[len(vs)-1].(map[string]any)
		if r.JSON["state"] != "submitted" || len(vs) != 4 || lastV["needs_review"] != true {
			t.Fatalf("update of the legal basis: %s", r.Body)
		}
		must(t, s.Do(t, "GET", "/api/v1/notices/"+id, "ncb-de", nil), 404, "other bureau reads re-submitted notice")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/start-review", "gs-reviewer", nil), 200, "re-review")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/approve", "gs-reviewer", checklistRed), 200, "re-approve")

		// Public extract while published; cancel removes it at once.
		pub := "/notices/v1/red/" + strings.ReplaceAll(ref, "/", "-")
		must(t, s.Do(t, "GET", pub, "", nil), 200, "public extract")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/cancel", "ncb-fr", map[string]any{}), 400, "cancel without reason")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/withdraw", "ncb-fr", map[string]any{"reason": "x"}), 403, "owner withdraws")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/cancel", "ncb-fr", map[string]any{"reason": "Arrested in Spain"}), 200, "cancel")
		must(t, s.Do(t, "GET", pub, "", nil), 404, "public extract after cancel")
		if l := s.Do(t, "GET", "/notices/v1/red?name=dupont", "", nil); l.JSON["total"].(float64) != 0 {
			t.Fatalf("cancelled notice still listed: %s", l.Body)
		}
		must(t, s.Do(t, "GET", "/api/v1/notices/"+id, "ncb-de", nil), 404, "other bureau reads cancelled")

		// Audit entries and changes for each transition.
		for _, act := range []string{"notice.create", "notice.submit", "notice.start_review", "notice.request_info", "notice.update", "notice.approve", "notice.cancel"} {
			es, err := audit.List(ctx, s.Store, audit.Filter{Action: act, ResourceKind: "notice", ResourceID: id, Outcome: audit.Allowed})
			if err != nil || len(es) == 0 {
				t.Errorf("no audit entry for %s: %v", act, err)
			}
		}
		denied, _ := audit.List(ctx, s.Store, audit.Filter{Action: "notice.approve", Outcome: audit.Denied, Actor: "ncb-fr"})
		if len(denied) == 0 {
			t.Error("the owner's attempt to approve is not in the audit trail")
		}
		if err := s.Journal.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		reads, _ := audit.List(ctx, s.Store, audit.Filter{Action: "notice.read", ResourceID: id, Actor: "ncb-de"})
		if len(reads) == 0 {
			t.Error("reads of the notice are not audited")
		}
		changes, err := s.Feed.After(ctx, startSeq, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var ops []changefeed.Op
		for _, c := range changes {
			if c.Kind == "notice" && c.EntityID == id {
				ops = append(ops, c.Op)
			}
		}
		// create, submit, start, request-info, answer, resubmit, start, approve,
		// update, update, start, approve, cancel
		if len(ops) != 13 || ops[0] != changefeed.Insert {
			t.Fatalf("changes of the notice: %v", ops)
		}
	})
}

func TestNoticeRefusalReachesOwner(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		body := redNotice("Martin-Fictif", false)
		body["arrest_warrants"] = []map[string]any{{"issuing_country": "FR", "charge": "Diffamation et injure publique", "max_penalty_years": 1}}
		id := idOf(must(t, s.Do(t, "POST", "/api/v1/notices", "ncb-fr", body), 201, "create"))
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/submit", "ncb-fr", nil), 200, "submit")
		r := must(t, s.Do(t, "GET", "/api/v1/notices/"+id, "gs-reviewer", nil), 200, "reviewer reads")
		flags := fmt.Sprint(r.JSON["flags"])
		for _, want := range []string{"penalty_below_threshold", "excluded_matter:defamation", "excluded_matter:insult"} {
			if !strings.Contains(flags, want) {
				t.Errorf("pre-check flag %s missing: %s", want, flags)
			}
		}
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/start-review", "gs-reviewer", nil), 200, "start review")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/refuse", "gs-reviewer", map[string]any{"reason": ""}), 400, "refuse without reason")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/refuse", "gs-reviewer", map[string]any{"reason": "Defamation is not an ordinary-law offence under Art. 3."}), 200, "refuse")
		r = must(t, s.Do(t, "GET", "/api/v1/notices/"+id, "ncb-fr", nil), 200, "owner reads refused")
		if r.JSON["state"] != "refused" || !strings.Contains(string(r.Body), "Defamation is not an ordinary-law offence") {
			t.Fatalf("refusal reason does not reach the owner: %s", r.Body)
		}
		must(t, s.Do(t, "GET", "/api/v1/notices/"+id, "ncb-us", nil), 404, "other bureau reads refused")
		must(t, s.Do(t, "PATCH", "/api/v1/notices/"+id, "ncb-fr", map[string]any{"public": true}), 409, "change refused")

		// A new request on the same person is flagged.
		id2 := idOf(must(t, s.Do(t, "POST", "/api/v1/notices", "ncb-fr", redNotice("Martin-Fictif", false)), 201, "create again"))
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id2+"/submit", "ncb-fr", nil), 200, "submit again")
		r = must(t, s.Do(t, "GET", "/api/v1/notices/"+id2, "ncb-fr", nil), 200, "owner reads")
		if !strings.Contains(fmt.Sprint(r.JSON["flags"]), "refused_before") {
			t.Fatalf("earlier refusal not flagged: %s", r.Body)
		}
	})
}

func TestNoticeExcludedCountry(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		id := publish(t, s, redNotice("Exclu-Fictif", true, "JP"))
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/photos", "ncb-fr", string(pngBytes(t))), 201, "photo")
		for _, path := range []string{"/api/v1/notices/" + id, "/api/v1/notices/" + id + "/photos/1"} {
			must(t, s.Do(t, "GET", path, "ncb-jp", nil), 404, "excluded "+path)
			must(t, s.Do(t, "GET", path, "ncb-de", nil), 200, "included "+path)
		}
		for _, as := range []string{"ncb-jp", "ncb-de"} {
			l := must(t, s.Do(t, "GET", "/api/v1/notices?q=exclu", as, nil), 200, "list")
			if got, want := l.JSON["total"].(float64), map[string]float64{"ncb-jp": 0, "ncb-de": 1}[as]; got != want {
				t.Errorf("%s lists %v notices, want %v: %s", as, got, want, l.Body)
			}
		}
		// A notice that excludes countries has no public extract.
		if l := s.Do(t, "GET", "/notices/v1/red?name=exclu", "", nil); l.JSON["total"].(float64) != 0 {
			t.Fatalf("excluding notice is public: %s", l.Body)
		}
	})
}

func TestNoticeBadInput(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		future := fmt.Sprintf("%d-01-01", time.Now().Year()+1)
		person := func(k, v string) map[string]any {
			b := redNotice("Faute-Fictif", false)
			b["subject"].(map[string]any)[k] = v
			return b
		}
		noWarrant := redNotice("Faute-Fictif", false)
		delete(noWarrant, "arrest_warrants")
		badIssuer := redNotice("Faute-Fictif", false)
		badIssuer["arrest_warrants"] = []map[string]any{{"issuing_country": "XX", "charge": "Fraud", "max_penalty_years": 5}}
		badNat := redNotice("Faute-Fictif", false)
		badNat["subject"].(map[string]any)["nationalities"] = []string{"FR", "QQ"}
		unByBureau := map[string]any{"type": "un", "un": map[string]any{"reference": "QDi.1", "resolution": "1267"}, "entity": map[string]any{"name": "Fictional Front"}}
		cases := []struct {
			name   string
			body   any
			status int
			field  string
		}{
			{"unknown type", map[string]any{"type": "magenta", "subject": map[string]any{"name": "X"}}, 400, "type"},
			{"red without warrant", noWarrant, 400, "arrest_warrants"},
			{"born in the future", person("date_of_birth", future), 400, "subject.date_of_birth"},
			{"29 February of a common year", person("date_of_birth", "1979-02-29"), 400, "subject.date_of_birth"},
			{"malformed date", person("date_of_birth", "14/03/1979"), 400, "subject.date_of_birth"},
			{"unknown warrant country", badIssuer, 400, "arrest_warrants[0].issuing_country"},
			{"unknown nationality", badNat, 400, "subject.nationalities[1]"},
			{"bad sex", person("sex", "X"), 400, "subject.sex"},
			{"unknown field", map[string]any{"type": "red", "colour": "red"}, 400, "colour"},
			{"UN notice by a bureau", unByBureau, 403, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := s.Do(t, "POST", "/api/v1/notices", "ncb-fr", tc.body)
				field, _ := r.JSON["error"].(map[string]any)["field"].(string)
				if r.Status != tc.status || field != tc.field {
					t.Fatalf("got %d %s, want %d field %q", r.Status, r.Body, tc.status, tc.field)
				}
			})
		}
		// Nothing was written.
		if l := s.Do(t, "GET", "/api/v1/notices?q=faute", "ncb-fr", nil); l.JSON["total"].(float64) != 0 {
			t.Fatalf("a refused request left a notice: %s", l.Body)
		}
		// A photo that is not an image.
		id := idOf(must(t, s.Do(t, "POST", "/api/v1/notices", "ncb-fr", redNotice("Photo-Fictif", false)), 201, "create"))
		r := s.Do(t, "POST", "/api/v1/notices/"+id+"/photos", "ncb-fr", "%PDF-1.4 not an image")
		if r.Status != 400 || r.ErrorCode() != "not_an_image" {
			t.Fatalf("non-image photo: %d %s", r.Status, r.Body)
		}
		r = s.Do(t, "POST", "/api/v1/notices/"+id+"/photos", "ncb-fr", string(pngBytes(t)[:40]))
		if r.Status != 400 || r.ErrorCode() != "invalid_image" {
			t.Fatalf("truncated photo: %d %s", r.Status, r.Body)
		}
		if n := s.Do(t, "GET", "/api/v1/notices/"+id, "ncb-fr", nil); len(n.JSON["photos"].([]any)) != 0 {
			t.Fatalf("a refused photo was stored: %s", n.Body)
		}
	})
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range 8 {
		img.Set(i, i, color.RGBA{200, 10, 10, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestNoticePhotoMultipart(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		id := idOf(must(t, s.Do(t, "POST", "/api/v1/notices", "ncb-fr", redNotice("Multi-Fictif", false)), 201, "create"))
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("photo", "face.png")
		_, _ = fw.Write(pngBytes(t))
		_ = mw.Close()
		req, _ := http.NewRequest("POST", s.URL+"/api/v1/notices/"+id+"/photos", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+s.Token(t, "ncb-fr"))
		r := must(t, s.Send(t, req), 201, "multipart photo")
		if r.JSON["content_type"] != "image/png" || r.JSON["n"].(float64) != 1 {
			t.Fatalf("photo: %s", r.Body)
		}
		got := s.Do(t, "GET", "/api/v1/notices/"+id+"/photos/1", "ncb-fr", nil)
		if got.Status != 200 || got.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("read photo: %d %s", got.Status, got.Header)
		}
		if _, err := png.Decode(bytes.NewReader(got.Body)); err != nil {
			t.Fatalf("stored photo is not a PNG: %v", err)
		}
		must(t, s.Do(t, "GET", "/api/v1/notices/"+id+"/photos/1", "ncb-de", nil), 404, "other bureau reads draft photo")
	})
}

func TestDiffusions(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		body := map[string]any{
			"kind": "wanted", "recipients": []string{"DE", "ES"},
			"subject":         map[string]any{"name": "Diffuse-Fictif", "forename": "Paul", "date_of_birth": "1985-07", "nationalities": []string{"FR"}},
			"arrest_warrants": []map[string]any{{"issuing_country": "FR", "charge": "Fraud", "max_penalty_years": 7}},
		}
		r := must(t, s.Do(t, "POST", "/api/v1/diffusions", "ncb-fr", body), 201, "send")
		id := idOf(r)
		for as, want := range map[string]int{"ncb-fr": 200, "ncb-de": 200, "ncb-us": 404, "gs-reviewer": 200, "border-de": 404} {
			must(t, s.Do(t, "GET", "/api/v1/diffusions/"+id, as, nil), want, as+" reads diffusion")
		}
		if l := must(t, s.Do(t, "GET", "/api/v1/diffusions", "ncb-us", nil), 200, "list"); len(l.JSON["diffusions"].([]any)) != 0 {
			t.Fatalf("non-recipient lists the diffusion: %s", l.Body)
		}
		if l := must(t, s.Do(t, "GET", "/api/v1/diffusions", "ncb-de", nil), 200, "list"); len(l.JSON["diffusions"].([]any)) != 1 {
			t.Fatalf("recipient does not list the diffusion: %s", l.Body)
		}
		all := map[string]any{"kind": "missing", "recipients": []string{"*"}, "subject": map[string]any{"name": "Perdu-Fictif", "forename": "Lea"}}
		id2 := idOf(must(t, s.Do(t, "POST", "/api/v1/diffusions", "ncb-br", all), 201, "send to all"))
		must(t, s.Do(t, "GET", "/api/v1/diffusions/"+id2, "ncb-jp", nil), 200, "any member reads a diffusion to all")

		bad := []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"kind": "gossip", "recipients": []string{"DE"}, "subject": map[string]any{"name": "X"}}, "kind"},
			{map[string]any{"kind": "missing", "recipients": []string{}, "subject": map[string]any{"name": "X"}}, "recipients"},
			{map[string]any{"kind": "missing", "recipients": []string{"ZZ"}, "subject": map[string]any{"name": "X"}}, "recipients[0]"},
			{map[string]any{"kind": "wanted", "recipients": []string{"DE"}, "subject": map[string]any{"name": "X"}}, "arrest_warrants"},
		}
		for _, b := range bad {
			r := s.Do(t, "POST", "/api/v1/diffusions", "ncb-fr", b.body)
			if r.Status != 400 || r.JSON["error"].(map[string]any)["field"] != b.field {
				t.Errorf("bad diffusion %v: %d %s", b.body, r.Status, r.Body)
			}
		}

		// Only the sender turns it into a notice request, once.
		must(t, s.Do(t, "POST", "/api/v1/diffusions/"+id+"/to-notice", "ncb-de", nil), 403, "recipient converts")
		r = must(t, s.Do(t, "POST", "/api/v1/diffusions/"+id+"/to-notice", "ncb-fr", nil), 201, "convert")
		if r.JSON["type"] != "red" || r.JSON["state"] != "draft" || r.JSON["subject"].(map[string]any)["name"] != "Diffuse-Fictif" || len(r.JSON["arrest_warrants"].([]any)) != 1 {
			t.Fatalf("notice from diffusion: %s", r.Body)
		}
		must(t, s.Do(t, "POST", "/api/v1/diffusions/"+id+"/to-notice", "ncb-fr", nil), 409, "convert twice")
	})
}

func TestUNNoticeNeedsAnotherReviewer(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		body := map[string]any{"type": "un", "un": map[string]any{"reference": "QDe.999", "resolution": "1267", "committee": "1267 Committee"},
			"entity": map[string]any{"name": "Fictional Liberation Front", "aliases": []string{"FLF"}}}
		r := must(t, s.Do(t, "POST", "/api/v1/notices", "gs-reviewer", body), 201, "GS creates UN notice")
		id := idOf(r)
		if r.JSON["owner"] != "GS" || r.JSON["public"] != true {
			t.Fatalf("UN notice: %s", r.Body)
		}
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/submit", "gs-reviewer", nil), 200, "submit")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/start-review", "gs-reviewer", nil), 200, "start review")
		cl := map[string]any{"checklist": map[string]bool{"art2": true, "art3": true, "identifiers": true}}
		r = s.Do(t, "POST", "/api/v1/notices/"+id+"/approve", "gs-reviewer", cl)
		if r.Status != 403 {
			t.Fatalf("creator approves own UN notice: %d %s", r.Status, r.Body)
		}
	})
}

func TestReviewDue(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		id := publish(t, s, redNotice("Ancien-Fictif", false))
		if _, err := s.Store.Exec(context.Background(), "UPDATE notices SET review_date = ? WHERE id = ?", time.Now().UTC().Add(-time.Hour), id); err != nil {
			t.Fatal(err)
		}
		must(t, s.Do(t, "GET", "/api/v1/notices/review-due", "ncb-fr", nil), 403, "bureau lists review-due")
		r := must(t, s.Do(t, "GET", "/api/v1/notices/review-due", "dpo", nil), 200, "dpo lists review-due")
		if !strings.Contains(string(r.Body), "Ancien-Fictif") {
			t.Fatalf("overdue notice not listed: %s", r.Body)
		}
	})
}

func TestOpenAPIDescribesNoticeRoutes(t *testing.T) {
	s := apptest.New(t, "sqlite")
	r := must(t, s.Do(t, "GET", "/api/v1/openapi.json", "", nil), 200, "openapi")
	if r.JSON["openapi"] != "3.0.3" {
		t.Fatalf("not an OpenAPI 3 document: %.200s", r.Body)
	}
	paths := r.JSON["paths"].(map[string]any)
	routes := map[string][]string{
		"/api/v1/notices": {"post", "get"}, "/api/v1/notices/review-due": {"get"}, "/api/v1/notices/{id}": {"get", "patch"},
		"/api/v1/notices/{id}/submit": {"post"}, "/api/v1/notices/{id}/start-review": {"post"}, "/api/v1/notices/{id}/request-info": {"post"},
		"/api/v1/notices/{id}/approve": {"post"}, "/api/v1/notices/{id}/refuse": {"post"}, "/api/v1/notices/{id}/cancel": {"post"},
		"/api/v1/notices/{id}/withdraw": {"post"}, "/api/v1/notices/{id}/photos": {"post"}, "/api/v1/notices/{id}/photos/{n}": {"get"},
		"/api/v1/diffusions": {"post", "get"}, "/api/v1/diffusions/{id}": {"get"}, "/api/v1/diffusions/{id}/to-notice": {"post"},
	}
	for p, methods := range routes {
		for _, m := range methods {
			if op, _ := paths[p].(map[string]any)[m].(map[string]any); op == nil {
				t.Errorf("%s %s is not described", strings.ToUpper(m), p)
			}
		}
	}
}

// TestNoticeErrorsListEveryField: a request with several faults is answered
// with all of them in errors, the first also where a single error is.
func TestNoticeErrorsListEveryField(t *testing.T) {
	s := apptest.New(t, "sqlite")
	cases := []struct {
		name   string
		body   map[string]any
		fields []string
	}{
		{"empty red notice", map[string]any{"type": "red"}, []string{"subject", "arrest_warrants"}},
		{"red notice with empty parts", map[string]any{"type": "red", "subject": map[string]any{"sex": "X"},
			"arrest_warrants": []map[string]any{{}}, "excluded_countries": []string{"FR"}},
			[]string{"subject.name", "subject.sex", "arrest_warrants[0].issuing_country", "arrest_warrants[0].charge",
				"arrest_warrants[0].max_penalty_years", "excluded_countries[0]"}},
		{"one fault", map[string]any{"type": "blue", "subject": map[string]any{"name": "Faute-Fictif", "sex": "X"}}, []string{"subject.sex"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := s.Do(t, "POST", "/api/v1/notices", "ncb-fr", tc.body)
			e, _ := r.JSON["error"].(map[string]any)
			list, _ := e["errors"].([]any)
			var got []string
			for _, x := range list {
				fe := x.(map[string]any)
				got = append(got, fe["field"].(string))
				if fe["code"] == "" || fe["message"] == "" {
					t.Errorf("%v does not say what to fix", fe)
				}
			}
			if r.Status != 400 || e["field"] != tc.fields[0] || e["code"] == "" || !slices.Equal(got, tc.fields) {
				t.Fatalf("got %d %s, want 400 with fields %v", r.Status, r.Body, tc.fields)
			}
		})
	}
}

// TestNoticeIfMatch: the ETag of a notice is its version; a PATCH that
// names a version in If-Match changes only that version, and one without
// If-Match changes the current one.
func TestNoticeIfMatch(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		created := must(t, s.Do(t, "POST", "/api/v1/notices", "ncb-fr", redNotice("Version-Fictif", false)), 201, "create")
		if created.Header.Get("ETag") != `"1"` {
			t.Fatalf("ETag of a new notice: %q", created.Header.Get("ETag"))
		}
		path := "/api/v1/notices/" + idOf(created)
		steps := []struct {
			name, ifMatch string
			status        int
			code, etag    string
		}{
			{"the version read", `"1"`, 200, "", `"2"`},
			{"a version saved over", `"1"`, 412, "stale_version", ""},
			{"no If-Match", "", 200, "", `"3"`},
			{"any version", "*", 200, "", `"4"`},
			{"not an ETag", "4", 400, "invalid_header", ""},
			{"the current version", `"4"`, 200, "", `"5"`},
		}
		for i, st := range steps {
			req, err := http.NewRequest("PATCH", s.URL+path, strings.NewReader(fmt.Sprintf(`{"description":"change %d"}`, i)))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+s.Token(t, "ncb-fr"))
			req.Header.Set("Content-Type", "application/merge-patch+json")
			if st.ifMatch != "" {
				req.Header.Set("If-Match", st.ifMatch)
			}
			r := s.Send(t, req)
			if r.Status != st.status || r.ErrorCode() != st.code || r.Header.Get("ETag") != st.etag {
				t.Fatalf("%s: got %d %s ETag %q, want %d %q ETag %q", st.name, r.Status, r.Body, r.Header.Get("ETag"), st.status, st.code, st.etag)
			}
		}
		got := must(t, s.Do(t, "GET", path, "ncb-fr", nil), 200, "read")
		if got.Header.Get("ETag") != `"5"` || got.JSON["description"] != "change 5" || got.JSON["version"].(float64) != 5 {
			t.Fatalf("after the changes: ETag %q %s", got.Header.Get("ETag"), got.Body)
		}
	})
}

// TestDiffusionBoxes: the list takes a box; without one it lists all.
func TestDiffusionBoxes(t *testing.T) {
	s := apptest.New(t, "sqlite")
	send := func(as, name string, to ...string) {
		body := map[string]any{"kind": "information", "recipients": to, "subject": map[string]any{"name": name}}
		must(t, s.Do(t, "POST", "/api/v1/diffusions", as, body), 201, "send "+name)
	}
	send("ncb-fr", "Sent-Fictif", "DE")
	send("ncb-de", "Received-Fictif", "FR")
	cases := []struct {
		query  string
		status int
		names  []string
	}{
		{"", 200, []string{"Received-Fictif", "Sent-Fictif"}},
		{"?box=all", 200, []string{"Received-Fictif", "Sent-Fictif"}},
		{"?box=received", 200, []string{"Received-Fictif"}},
		{"?box=sent", 200, []string{"Sent-Fictif"}},
		{"?box=sent&offset=1", 200, nil},
		{"?box=outbox", 400, nil},
	}
	for _, tc := range cases {
		r := s.Do(t, "GET", "/api/v1/diffusions"+tc.query, "ncb-fr", nil)
		list, _ := r.JSON["diffusions"].([]any)
		var names []string
		for _, d := range list {
			names = append(names, d.(map[string]any)["subject"].(map[string]any)["name"].(string))
		}
		if r.Status != tc.status || !slices.Equal(names, tc.names) {
			t.Errorf("%s: got %d %v, want %d %v", tc.query, r.Status, names, tc.status, tc.names)
		}
	}
}
