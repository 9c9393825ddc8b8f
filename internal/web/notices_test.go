package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/relais/relais/internal/app/apptest"
	"github.com/relais/relais/internal/notice"
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

// fieldError matches the message shown by a form field.
func fieldError(field string) *regexp.Regexp {
	return regexp.MustCompile(`id="` + regexp.QuoteMeta(field) + `-error"[^>]*>[^<]+</p>`)
}

// TestEveryNoticeTypeHasAForm fills the form of each type from empty, one
// step at a time: each post is refused with the message by the field the
// type still needs, until the notice is saved and shows what was typed.
func TestEveryNoticeTypeHasAForm(t *testing.T) {
	s := apptest.New(t, "sqlite")
	fr, gs := newClient(t, s), newClient(t, s)
	fr.signIn("en", "ncb-fr")
	gs.signIn("en", "gs-reviewer")
	type step struct {
		flagged string     // the field the post so far is refused at
		add     url.Values // what it needs
	}
	person := step{"name", url.Values{"name": {"Okafor"}, "forename": {"Ada"}}}
	one := func(field, value string) step { return step{field, url.Values{field: {value}}} }
	tests := []struct {
		typ    string
		by     *client
		fields []string // the form's own fields, beyond the person's
		steps  []step
		shown  string // a value the saved notice shows
	}{
		{"red", fr, []string{"warrant_charge", "warrant_max_penalty_years"},
			[]step{person, one("warrant_issuing_country", "FR"), one("warrant_charge", "Fraud"), one("warrant_max_penalty_years", "8")}, "Fraud"},
		{"yellow", fr, []string{"disappearance_date"}, []step{person}, "Okafor"},
		{"blue", fr, nil, []step{person}, "Okafor"},
		{"black", fr, []string{"discovery_date", "discovery_place"},
			[]step{{"name", url.Values{"name": {"Unknown"}, "discovery_place": {"Marseille"}}}}, "Marseille"},
		{"green", fr, nil, []step{person}, "Okafor"},
		{"orange", fr, nil, []step{one("description", "Parcel bombs sent to court houses")}, "Parcel bombs"},
		{"purple", fr, nil, []step{one("description", "Cocaine hidden in hollowed-out fruit")}, "hollowed-out"},
		{"silver", fr, nil, []step{one("description", "Villa in Nice bought through shell companies")}, "shell companies"},
		// A UN notice is about a person or an entity: the form asks for
		// the person first.
		{"un", gs, []string{"un_reference", "un_resolution", "entity_name"},
			[]step{one("un_reference", "QDe.004"), one("un_resolution", "1267"), {"name", url.Values{"entity_name": {"Example Front"}}}}, "Example Front"},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			for _, lang := range web.Languages {
				checkPage(t, tt.by.get("/"+lang+"/workspace/notices/new?type="+tt.typ), lang, "/"+lang+"/workspace/notices/new", 200)
			}
			a := tt.by.get("/en/workspace/notices/new?type=" + tt.typ)
			for _, f := range append(tt.fields, "name", "description") {
				if !strings.Contains(a.body, `name="`+f+`"`) {
					t.Errorf("the form has no field %s", f)
				}
			}
			form := url.Values{"type": {tt.typ}}
			for _, st := range tt.steps {
				a = tt.by.post("/en/workspace/notices", form)
				if a.status != http.StatusBadRequest || !fieldError(st.flagged).MatchString(a.body) {
					t.Fatalf("%v: %d, want a message by %s\n%s", form, a.status, st.flagged, a.body)
				}
				for k, v := range st.add {
					form[k] = v
				}
			}
			a = tt.by.post("/en/workspace/notices", form)
			if a.status != http.StatusSeeOther {
				t.Fatalf("complete form: %d\n%s", a.status, a.body)
			}
			path := strings.SplitN(a.header.Get("Location"), "?", 2)[0]
			if a := tt.by.get(path); !strings.Contains(a.body, tt.shown) || !strings.Contains(a.body, "state-draft") {
				t.Errorf("the saved %s notice does not show %q:\n%s", tt.typ, tt.shown, a.body)
			}
		})
	}
	// Only the General Secretariat requests UN Special Notices.
	if a := fr.get("/en/workspace/notices/new?type=un"); a.status != http.StatusForbidden {
		t.Errorf("a bureau opens the UN form: %d", a.status)
	}
	if a := fr.get("/en/workspace/notices"); strings.Contains(a.body, "new?type=un") || !strings.Contains(a.body, "new?type=silver") {
		t.Errorf("the bureau is offered the wrong forms:\n%s", a.body)
	}
	if a := gs.get("/en/workspace/notices"); !strings.Contains(a.body, "new?type=un") {
		t.Errorf("the GS is not offered the UN form:\n%s", a.body)
	}
}

// TestOwnerEditsADraft changes a draft through its form: the errors come
// by the fields, what the form does not show stays, and the history shows
// both versions. Nobody else may open the form, and a submitted request
// is no longer changed.
func TestOwnerEditsADraft(t *testing.T) {
	s := apptest.New(t, "sqlite")
	fr, de, gs := newClient(t, s), newClient(t, s), newClient(t, s)
	fr.signIn("en", "ncb-fr")
	de.signIn("en", "ncb-de")
	gs.signIn("en", "gs-reviewer")

	// Created through the API with an identity document, which the form
	// does not show.
	body := map[string]any{"type": "red", "public": true,
		"subject": map[string]any{"name": "Durand", "forename": "Maxime", "date_of_birth": "1984-07-02", "nationalities": []string{"FR", "BE"},
			"identity_documents": []map[string]any{{"type": "passport", "number": "19FR12345", "issuing_country": "FR"}}},
		"arrest_warrants": []map[string]any{{"issuing_country": "FR", "charge": "Armed robbery", "charge_translation": "Vol à main armée", "max_penalty_years": 20}}}
	r := s.Do(t, "POST", "/api/v1/notices", "ncb-fr", body)
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	id := strconv.FormatInt(int64(r.JSON["id"].(float64)), 10)
	path := "/en/workspace/notices/" + id

	if a := fr.get(path); !strings.Contains(a.body, `href="`+path+`/edit"`) {
		t.Fatalf("the draft offers no change:\n%s", a.body)
	}
	for _, lang := range web.Languages {
		p := "/" + lang + "/workspace/notices/" + id + "/edit"
		checkPage(t, fr.get(p), lang, p, 200)
	}
	a := fr.get(path + "/edit")
	for _, v := range []string{`value="Durand"`, `value="Armed robbery"`, `value="20"`, `<option value="FR" selected>`} {
		if !strings.Contains(a.body, v) {
			t.Errorf("the form lacks %s", v)
		}
	}

	form := url.Values{"type": {"red"}, "name": {"Durand"}, "forename": {""}, "date_of_birth": {"1984-07-02"}, "nationality": {"FR"},
		"warrant_issuing_country": {"FR"}, "warrant_charge": {"Armed robbery"}, "warrant_max_penalty_years": {"abc"}, "public": {"on"}}
	a = fr.post(path+"/edit", form)
	if a.status != http.StatusBadRequest || !fieldError("warrant_max_penalty_years").MatchString(a.body) || !strings.Contains(a.body, `value="abc"`) {
		t.Fatalf("a wrong penalty: %d\n%s", a.status, a.body)
	}
	form.Set("warrant_max_penalty_years", "25")
	form.Set("aliases", "Max D.\nLe Grand")
	form.Del("date_of_birth")
	if a := fr.post(path+"/edit", form); a.status != http.StatusSeeOther || a.header.Get("Location") != path+"?done=notice_updated" {
		t.Fatalf("save: %d %q\n%s", a.status, a.header.Get("Location"), a.body)
	}

	r = s.Do(t, "GET", "/api/v1/notices/"+id, "ncb-fr", nil)
	var n notice.Notice
	if err := json.Unmarshal(r.Body, &n); err != nil {
		t.Fatalf("read the notice: %v %s", err, r.Body)
	}
	sub, wr := n.Subject, n.ArrestWarrants[0]
	if sub.Forename != "" || sub.DateOfBirth != "" || !slices.Equal(sub.Aliases, []string{"Max D.", "Le Grand"}) ||
		!slices.Equal(sub.Nationalities, []string{"FR", "BE"}) || len(sub.IdentityDocuments) != 1 ||
		wr.MaxPenaltyYears != 25 || wr.ChargeTranslation != "Vol à main armée" || n.Version != 2 {
		t.Errorf("after the change: version %d, %+v %+v", n.Version, sub, wr)
	}

	for _, lang := range web.Languages {
		p := "/" + lang + "/workspace/notices/" + id
		checkPage(t, fr.get(p), lang, p, 200)
	}
	a = fr.get(path)
	if got := strings.Count(a.body, `<tr class="version">`); got != 2 {
		t.Errorf("%d versions shown, want 2:\n%s", got, a.body)
	}
	if !regexp.MustCompile(`<tr class="version">.*person, arrest warrants`).MatchString(a.body) || !strings.Contains(a.body, "Le Grand") {
		t.Errorf("the history does not say what changed:\n%s", a.body)
	}

	// Another bureau does not learn that the draft exists.
	if a := de.get(path + "/edit"); a.status != http.StatusNotFound {
		t.Errorf("another bureau opens the form: %d", a.status)
	}
	form.Del("csrf") // the bureau's own token, not the one the form was sent with
	if a := de.post(path+"/edit", form); a.status != http.StatusNotFound {
		t.Errorf("another bureau changes the draft: %d", a.status)
	}

	// Submitted, the request waits for review: no change, and the GS,
	// which reads it, may not change it either.
	if a := fr.post(path+"/submit", nil); a.status != http.StatusSeeOther {
		t.Fatalf("submit: %d", a.status)
	}
	if a := fr.get(path); strings.Contains(a.body, path+"/edit") {
		t.Error("a submitted request offers a change")
	}
	if a := fr.get(path + "/edit"); a.status != http.StatusConflict {
		t.Errorf("the form of a submitted request: %d", a.status)
	}
	if a := gs.get(path + "/edit"); a.status != http.StatusForbidden {
		t.Errorf("the GS opens the form: %d", a.status)
	}
}

// TestReviewChecklistComesFromTheNoticePackage opens the review screen of
// a Purple and a Red request: each shows exactly notice.Checklist of its
// type, and approval needs every item.
func TestReviewChecklistComesFromTheNoticePackage(t *testing.T) {
	s := apptest.New(t, "sqlite")
	fr, gs := newClient(t, s), newClient(t, s)
	fr.signIn("en", "ncb-fr")
	gs.signIn("en", "gs-reviewer")
	checkbox := regexp.MustCompile(`name="checklist" value="([a-z_0-9]+)"`)
	for _, form := range []url.Values{
		{"type": {"purple"}, "description": {"Cocaine hidden in hollowed-out fruit"}},
		redNotice(),
	} {
		typ := notice.Type(form.Get("type"))
		a := fr.post("/en/workspace/notices", form)
		if a.status != http.StatusSeeOther {
			t.Fatalf("%s: create: %d\n%s", typ, a.status, a.body)
		}
		path := strings.SplitN(a.header.Get("Location"), "?", 2)[0]
		for _, step := range []struct {
			c    *client
			name string
		}{{fr, "submit"}, {gs, "start-review"}} {
			if a := step.c.post(path+"/"+step.name, nil); a.status != http.StatusSeeOther {
				t.Fatalf("%s: %s: %d\n%s", typ, step.name, a.status, a.body)
			}
		}
		a = gs.get(path)
		var shown []string
		for _, m := range checkbox.FindAllStringSubmatch(a.body, -1) {
			shown = append(shown, m[1])
		}
		want := notice.Checklist(typ)
		if !slices.Equal(shown, want) {
			t.Errorf("%s: the checklist shows %v, want %v", typ, shown, want)
		}
		if a := gs.post(path+"/approve", url.Values{"checklist": want[:len(want)-1]}); a.status != http.StatusBadRequest {
			t.Errorf("%s: approved without %s: %d", typ, want[len(want)-1], a.status)
		}
		if a := gs.post(path+"/approve", url.Values{"checklist": want}); a.status != http.StatusSeeOther {
			t.Errorf("%s: approve: %d\n%s", typ, a.status, a.body)
		}
	}
}

// TestEmptyNoticeFormShowsEveryMissingField posts the form of a type
// empty: every field it needs is flagged at once, with a notice above the
// form, and a field that is not needed is not.
func TestEmptyNoticeFormShowsEveryMissingField(t *testing.T) {
	s := apptest.New(t, "sqlite")
	fr, gs := newClient(t, s), newClient(t, s)
	fr.signIn("en", "ncb-fr")
	gs.signIn("en", "gs-reviewer")
	tests := []struct {
		typ             string
		by              *client
		flagged, spared []string
	}{
		{"red", fr, []string{"name", "warrant_issuing_country", "warrant_charge", "warrant_max_penalty_years"}, []string{"warrant_reference", "description"}},
		{"un", gs, []string{"un_reference", "un_resolution", "name"}, []string{"un_committee", "entity_name"}},
		{"purple", fr, []string{"description"}, []string{"name"}},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			tt.by.get("/en/workspace/notices/new?type=" + tt.typ)
			a := tt.by.post("/en/workspace/notices", url.Values{"type": {tt.typ}})
			if a.status != http.StatusBadRequest || !strings.Contains(a.body, "Some fields need correcting") {
				t.Fatalf("empty %s form: %d\n%s", tt.typ, a.status, a.body)
			}
			for _, f := range tt.flagged {
				if !fieldError(f).MatchString(a.body) {
					t.Errorf("no message by %s", f)
				}
			}
			for _, f := range tt.spared {
				if fieldError(f).MatchString(a.body) {
					t.Errorf("a message by %s, which the notice does not need", f)
				}
			}
		})
	}
}

// TestEditOverANewerVersion: a form opened at one version and saved after
// someone saved another is refused, says so, and keeps what was typed; saved
// again, knowingly, it replaces that version.
func TestEditOverANewerVersion(t *testing.T) {
	s := apptest.New(t, "sqlite")
	fr := newClient(t, s)
	fr.signIn("en", "ncb-fr")
	r := s.Do(t, "POST", "/api/v1/notices", "ncb-fr", map[string]any{"type": "blue", "subject": map[string]any{"name": "Durand"}})
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	id := strconv.FormatInt(int64(r.JSON["id"].(float64)), 10)
	path := "/en/workspace/notices/" + id + "/edit"
	version := regexp.MustCompile(`name="version" value="(\d+)"`)
	read := func() notice.Notice {
		var n notice.Notice
		if err := json.Unmarshal(s.Do(t, "GET", "/api/v1/notices/"+id, "ncb-fr", nil).Body, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	a := fr.get(path)
	m := version.FindStringSubmatch(a.body)
	if m == nil || m[1] != "1" {
		t.Fatalf("the form does not carry the version it shows:\n%s", a.body)
	}
	// Meanwhile, someone else saves version 2.
	if r := s.Do(t, "PATCH", "/api/v1/notices/"+id, "ncb-fr", map[string]any{"description": "Seen in Lyon"}); r.Status != http.StatusOK {
		t.Fatalf("the other change: %d %s", r.Status, r.Body)
	}
	form := url.Values{"type": {"blue"}, "version": {m[1]}, "name": {"Durand"}, "forename": {"Typed-Forename"}}
	steps := []struct {
		name        string
		status      int
		warned      bool
		formVersion string // the version the form carries back; "" when saved
		saved       int    // the notice's version afterwards
	}{
		{"saved over version 2", http.StatusConflict, true, "2", 2},
		{"saved again, knowingly", http.StatusSeeOther, false, "", 3},
	}
	for _, st := range steps {
		a := fr.post(path, form)
		warned := strings.Contains(a.body, "saved version 2 of this notice")
		m := version.FindStringSubmatch(a.body)
		if a.status != st.status || warned != st.warned || (m != nil && m[1] != st.formVersion) || (m == nil && st.formVersion != "") {
			t.Fatalf("%s: %d, warned %v, form version %v\n%s", st.name, a.status, warned, m, a.body)
		}
		if st.warned && !strings.Contains(a.body, `value="Typed-Forename"`) {
			t.Errorf("%s: what was typed is lost", st.name)
		}
		if n := read(); n.Version != st.saved {
			t.Errorf("%s: the notice is at version %d, want %d", st.name, n.Version, st.saved)
		}
		if m != nil {
			form.Set("version", m[1])
		}
	}
	if n := read(); n.Subject.Forename != "Typed-Forename" {
		t.Errorf("the knowing save did not replace the version: %+v", n.Subject)
	}
}
