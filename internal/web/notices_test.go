package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/relais/relais/internal/app/apptest"
	"github.com/relais/relais/internal/web"
)

// redNotice is a complete Red Notice form.
func redNotice() url.Values {
	return url.Values{"type": {"red"}, "name": {"Durand"}, "forename": {"Maxime"}, "date_of_birth": {"1984-07-02"},
		"sex": {"M"}, "nationality": {"FR"}, "warrant_issuing_country": {"FR"}, "warrant_charge": {"Armed robbery"},
		"warrant_reference": {"JI-2025-118"}, "warrant_date": {"2025-01-10"}, "warrant_max_penalty_years": {"20"}, "public": {"on"}}
}

var noticeLocation = regexp.MustCompile(`^/fr/workspace/notices/(\d+)\?done=notice_created$`)

// TestNoticeJourney runs a Red Notice through the workspace pages: a form
// with a missing field explained next to it, the draft hidden from other
// bureaux, submission, the GS review with its checklist, publication and
// the public extract in French and Arabic.
func TestNoticeJourney(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		fr, de, gs, anon := newClient(t, s), newClient(t, s), newClient(t, s), newClient(t, s)
		fr.signIn("fr", "ncb-fr")
		de.signIn("fr", "ncb-de")
		gs.signIn("fr", "gs-reviewer")

		for _, lang := range web.Languages {
			for _, p := range []string{"/workspace/notices", "/workspace/notices/new?type=red", "/workspace/notices/new?type=yellow", "/notices/red", "/notices/un"} {
				path := "/" + lang + p
				checkPage(t, fr.get(path), lang, strings.SplitN(path, "?", 2)[0], 200)
			}
		}
		a := fr.get("/fr/workspace/notices/new?type=red")

		// A missing charge is explained by its field, and what was typed stays.
		form := redNotice()
		form.Del("warrant_charge")
		a = fr.post("/fr/workspace/notices", form)
		if a.status != http.StatusBadRequest || !regexp.MustCompile(`id="warrant_charge-error"[^>]*>[^<]+</p>`).MatchString(a.body) ||
			!strings.Contains(a.body, `value="Durand"`) {
			t.Fatalf("missing charge: %d\n%s", a.status, a.body)
		}

		a = fr.post("/fr/workspace/notices", redNotice())
		m := noticeLocation.FindStringSubmatch(a.header.Get("Location"))
		if a.status != http.StatusSeeOther || m == nil {
			t.Fatalf("create: %d %q\n%s", a.status, a.header.Get("Location"), a.body)
		}
		path := "/workspace/notices/" + m[1]
		a = fr.get("/fr" + path + "?done=notice_created")
		checkPage(t, a, "fr", "/fr"+path, 200)
		if !strings.Contains(a.body, "Brouillon") || !strings.Contains(a.body, "Soumettre au Secrétariat général") {
			t.Fatalf("draft page:\n%s", a.body)
		}

		// Another bureau, and the GS before submission, do not learn it exists.
		for _, c := range []*client{de, anon} {
			if a := c.get("/fr" + path); c == de && a.status != http.StatusNotFound {
				t.Errorf("another bureau reads the draft: %d", a.status)
			}
		}
		if a := de.get("/en/workspace/notices?q=Durand"); strings.Contains(a.body, `href="/en`+path+`"`) {
			t.Error("another bureau lists the draft")
		}

		if a := fr.post("/fr"+path+"/submit", nil); a.status != http.StatusSeeOther {
			t.Fatalf("submit: %d\n%s", a.status, a.body)
		}
		// The bureau cannot approve its own request: no button, and the
		// service refuses the post.
		a = fr.get("/fr" + path)
		if strings.Contains(a.body, "/approve") || strings.Contains(a.body, "/start-review") {
			t.Error("the bureau is offered review steps")
		}

		// The reviewer's home lists what waits for review.
		if a := gs.get("/en/workspace/"); !strings.Contains(a.body, "Requests awaiting review") || !strings.Contains(a.body, "Durand") {
			t.Errorf("the reviewer's home does not list the request:\n%s", a.body)
		}
		a = gs.get("/en/workspace/notices?state=submitted")
		if !strings.Contains(a.body, "Durand") {
			t.Fatalf("the reviewer's list lacks the request:\n%s", a.body)
		}
		gs.get("/en" + path)
		if a := gs.post("/en"+path+"/start-review", nil); a.status != http.StatusSeeOther {
			t.Fatalf("start review: %d\n%s", a.status, a.body)
		}
		for _, lang := range web.Languages {
			checkPage(t, gs.get("/"+lang+path), lang, "/"+lang+path, 200)
		}
		a = gs.get("/en" + path)
		if !strings.Contains(a.body, `name="checklist" value="serious_offence"`) || !strings.Contains(a.body, "Automated pre-check") {
			t.Fatalf("review screen:\n%s", a.body)
		}
		// An incomplete checklist is refused with the service's reason.
		a = gs.post("/en"+path+"/approve", url.Values{"checklist": {"art2", "art3"}})
		if a.status != http.StatusBadRequest || !strings.Contains(a.body, `role="alert"`) {
			t.Fatalf("incomplete checklist: %d\n%s", a.status, a.body)
		}
		checkPage(t, a, "en", "/en"+path, http.StatusBadRequest)
		a = gs.post("/en"+path+"/approve", url.Values{"checklist": {"art2", "art3", "identifiers", "serious_offence"}, "comment": {"Compliant."}})
		if a.status != http.StatusSeeOther {
			t.Fatalf("approve: %d\n%s", a.status, a.body)
		}
		a = fr.get("/fr" + path)
		if !strings.Contains(a.body, "Publiée") || !strings.Contains(a.body, "Compliant.") {
			t.Fatalf("published notice:\n%s", a.body)
		}

		// The public extract, found by name, in French and Arabic.
		a = anon.get("/fr/notices/red?name=durand")
		checkPage(t, a, "fr", "/fr/notices/red", 200)
		ref := regexp.MustCompile(`href="/fr/notices/red/(\d{4}/\d+)"`).FindStringSubmatch(a.body)
		if ref == nil {
			t.Fatalf("public search:\n%s", a.body)
		}
		for _, lang := range web.Languages {
			p := "/" + lang + "/notices/red/" + ref[1]
			a := anon.get(p)
			checkPage(t, a, lang, p, 200)
			if !strings.Contains(a.body, "Armed robbery") {
				t.Errorf("%s: no charge", p)
			}
		}
		if a := anon.get("/ar/notices/red/" + ref[1]); !strings.Contains(a.body, "فرنسا") {
			t.Error("the Arabic extract does not name France in Arabic")
		}
		for _, p := range []string{"/fr/notices/yellow", "/fr/notices/un", "/fr/notices/un-entities", "/fr/notices/red?ageMin=20&ageMax=60&sexId=M&arrestWarrantCountryId=FR"} {
			checkPage(t, anon.get(p), "fr", strings.SplitN(p, "?", 2)[0], 200)
		}
		if a := anon.get("/fr/notices/red?name=nobody-at-all"); strings.Contains(a.body, "Durand") {
			t.Error("the name filter does not filter")
		}
		if a := anon.get("/fr/notices/red?ageMin=abc"); a.status != http.StatusBadRequest {
			t.Errorf("a wrong age: %d", a.status)
		}
		checkPage(t, anon.get("/fr/notices/red/2000/99999"), "fr", "/fr/notices/red/2000/99999", 404)
		checkPage(t, anon.get("/fr/notices/purple"), "fr", "/fr/notices/purple", 404)

		// The GS withdraws it, with a reason; it leaves the public site.
		if a := gs.post("/en"+path+"/withdraw", url.Values{"reason": {"Arrested."}}); a.status != http.StatusSeeOther {
			t.Fatalf("withdraw: %d\n%s", a.status, a.body)
		}
		if a := anon.get("/fr/notices/red/" + ref[1]); a.status != http.StatusNotFound {
			t.Errorf("a withdrawn notice is still public: %d", a.status)
		}
	})
}

// TestYellowNoticeAndCancel creates a Yellow Notice and cancels it with a
// reason, which the notice shows.
func TestYellowNoticeAndCancel(t *testing.T) {
	s := apptest.New(t, "sqlite")
	c := newClient(t, s)
	c.signIn("es", "ncb-br")
	checkPage(t, c.get("/es/workspace/notices/new?type=yellow"), "es", "/es/workspace/notices/new", 200)
	a := c.post("/es/workspace/notices", url.Values{"type": {"yellow"}, "name": {"Souza"}, "forename": {"Ana"},
		"date_of_birth": {"2009"}, "sex": {"F"}, "nationality": {"BR"}, "disappearance_date": {"2025-11"},
		"disappearance_place": {"Recife"}, "disappearance_country": {"BR"}})
	loc := a.header.Get("Location")
	if a.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", a.status, a.body)
	}
	path := strings.SplitN(loc, "?", 2)[0]
	c.get(path)
	if a := c.post(path+"/cancel", url.Values{"reason": {"Found safe."}}); a.status != http.StatusSeeOther {
		t.Fatalf("cancel: %d\n%s", a.status, a.body)
	}
	a = c.get(path)
	if !strings.Contains(a.body, "Cancelada") || !strings.Contains(a.body, "Found safe.") || !strings.Contains(a.body, "Recife") {
		t.Fatalf("cancelled notice:\n%s", a.body)
	}
	checkPage(t, c.get("/es/workspace/notices?type=yellow&state=cancelled"), "es", "/es/workspace/notices", 200)
	checkPage(t, c.get("/es/workspace/notices/abc"), "es", "/es/workspace/notices/abc", 404)
}

// TestNoticeFormValidatesAsYouGo asks, as htmx does when a field is left,
// for the message of one field: the service's own for the field at fault,
// nothing for a field that is right.
func TestNoticeFormValidatesAsYouGo(t *testing.T) {
	s := apptest.New(t, "sqlite")
	c := newClient(t, s)
	c.signIn("en", "ncb-fr")
	c.get("/en/workspace/notices/new?type=red")
	ask := func(field string, form url.Values) answer {
		form.Set("csrf", c.csrf)
		req, _ := http.NewRequest("POST", c.base+"/en/workspace/notices/validate", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Trigger-Name", field)
		return c.do(req)
	}
	bad := redNotice()
	bad.Set("date_of_birth", "1980-02-30")
	tests := []struct {
		field string
		form  url.Values
		msg   bool
	}{
		{"date_of_birth", bad, true},
		{"name", bad, false},
		{"date_of_birth", redNotice(), false},
		{"warrant_charge", func() url.Values { f := redNotice(); f.Del("warrant_charge"); return f }(), true},
		{"nationality", func() url.Values { f := redNotice(); f.Set("nationality", "XX"); return f }(), true},
	}
	for _, tt := range tests {
		a := ask(tt.field, tt.form)
		if a.status != http.StatusOK || (strings.TrimSpace(a.body) != "") != tt.msg {
			t.Errorf("%s: %d %q, want a message: %v", tt.field, a.status, a.body, tt.msg)
		}
	}
}
