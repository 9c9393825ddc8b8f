package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/relais/relais/internal/app/apptest"
	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/notice"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/web"
)

// wantedDiffusion is a complete form of a wanted-person diffusion to Germany.
func wantedDiffusion() url.Values {
	return url.Values{"kind": {"wanted"}, "recipients": {"DE"}, "name": {"Keller"}, "forename": {"Jonas"},
		"date_of_birth": {"1988-02-14"}, "sex": {"M"}, "nationality": {"FR"}, "warrant_issuing_country": {"FR"},
		"warrant_charge": {"Escroquerie en bande organisée"}, "warrant_date": {"2025-09-01"}, "warrant_max_penalty_years": {"10"}}
}

var diffusionLocation = regexp.MustCompile(`^/fr/workspace/diffusions/(\d+)\?done=diffusion_sent$`)

// errorNextTo matches the message shown next to a form field.
func errorNextTo(field string) *regexp.Regexp {
	return regexp.MustCompile(`id="` + regexp.QuoteMeta(field) + `-error"[^>]*>[^<]+</p>`)
}

// TestDiffusionJourney sends a diffusion from France to Germany: Germany
// finds it in its inbox and on its home page and reads it, the United
// States does not learn it exists, and France turns it into a notice request.
func TestDiffusionJourney(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		fr, de, us, gs := newClient(t, s), newClient(t, s), newClient(t, s), newClient(t, s)
		fr.signIn("fr", "ncb-fr")
		de.signIn("en", "ncb-de")
		us.signIn("en", "ncb-us")
		gs.signIn("en", "gs-reviewer")

		for _, lang := range web.Languages {
			for _, kind := range []string{"wanted", "missing", "information", "warning"} {
				checkPage(t, fr.get("/"+lang+"/workspace/diffusions/new?kind="+kind), lang, "/"+lang+"/workspace/diffusions/new", 200)
			}
			checkPage(t, fr.get("/"+lang+"/workspace/diffusions"), lang, "/"+lang+"/workspace/diffusions", 200)
		}

		fr.get("/fr/workspace/diffusions/new?kind=wanted")
		a := fr.post("/fr/workspace/diffusions", wantedDiffusion())
		m := diffusionLocation.FindStringSubmatch(a.header.Get("Location"))
		if a.status != http.StatusSeeOther || m == nil {
			t.Fatalf("send: %d %q\n%s", a.status, a.header.Get("Location"), a.body)
		}
		path := "/workspace/diffusions/" + m[1]
		a = fr.get("/fr" + path + "?done=diffusion_sent")
		checkPage(t, a, "fr", "/fr"+path, 200)
		if !strings.Contains(a.body, `class="flash"`) || !strings.Contains(a.body, "Allemagne") || !strings.Contains(a.body, "Keller") {
			t.Fatalf("the sender's page:\n%s", a.body)
		}
		link := `href="/en` + path + `"`

		// The recipient: in its inbox, on its home page, and readable.
		if a := de.get("/en/workspace/diffusions"); !strings.Contains(a.body, link) || !strings.Contains(a.body, "Wanted person") {
			t.Errorf("Germany's inbox lacks the diffusion:\n%s", a.body)
		}
		if a := de.get("/en/workspace/diffusions?box=sent"); strings.Contains(a.body, link) {
			t.Error("Germany's sent box lists a diffusion France sent")
		}
		if a := de.get("/en/workspace/"); !strings.Contains(a.body, "Recent diffusions to your country") || !strings.Contains(a.body, link) {
			t.Errorf("Germany's home does not list the diffusion:\n%s", a.body)
		}
		for _, lang := range web.Languages {
			checkPage(t, de.get("/"+lang+path), lang, "/"+lang+path, 200)
		}
		a = de.get("/en" + path)
		if !strings.Contains(a.body, "Escroquerie en bande organisée") || !strings.Contains(a.body, "France") {
			t.Errorf("Germany's view of the diffusion:\n%s", a.body)
		}
		if strings.Contains(a.body, "/to-notice") {
			t.Error("a recipient is offered to turn the diffusion into a notice")
		}
		// A recipient knows the diffusion, so is refused; a stranger is
		// told that there is no such page.
		if a := de.post("/en"+path+"/to-notice", nil); a.status != http.StatusForbidden {
			t.Errorf("a recipient turns the diffusion into a notice: %d", a.status)
		}

		// Neither the sender's inbox nor another bureau holds it.
		if a := fr.get("/fr/workspace/diffusions"); strings.Contains(a.body, `href="/fr`+path+`"`) {
			t.Error("France's inbox lists what France sent")
		}
		if a := fr.get("/fr/workspace/diffusions?box=sent"); !strings.Contains(a.body, `href="/fr`+path+`"`) {
			t.Errorf("France's sent box lacks the diffusion:\n%s", a.body)
		}
		checkPage(t, us.get("/en"+path), "en", "/en"+path, http.StatusNotFound)
		if a := us.post("/en"+path+"/to-notice", nil); a.status != http.StatusNotFound {
			t.Errorf("another bureau turns the diffusion into a notice: %d", a.status)
		}
		if a := us.get("/en/workspace/diffusions"); strings.Contains(a.body, link) {
			t.Error("the United States list a diffusion sent to Germany")
		}
		if a := us.get("/en/workspace/"); strings.Contains(a.body, link) {
			t.Error("the United States' home lists a diffusion sent to Germany")
		}
		checkPage(t, us.get("/en/workspace/diffusions/abc"), "en", "/en/workspace/diffusions/abc", http.StatusNotFound)

		// The General Secretariat oversees every diffusion; it sends none.
		a = gs.get("/en/workspace/diffusions")
		if !strings.Contains(a.body, link) || strings.Contains(a.body, "/workspace/diffusions/new") {
			t.Errorf("the General Secretariat's list:\n%s", a.body)
		}
		if a := gs.get("/en/workspace/diffusions/new"); a.status != http.StatusForbidden {
			t.Errorf("the General Secretariat opens the diffusion form: %d", a.status)
		}

		// The sender turns it into a notice request, once.
		a = fr.get("/fr" + path)
		if !strings.Contains(a.body, `action="/fr`+path+`/to-notice"`) {
			t.Fatalf("the sender is not offered a notice request:\n%s", a.body)
		}
		a = fr.post("/fr"+path+"/to-notice", nil)
		n := regexp.MustCompile(`^/fr/workspace/notices/(\d+)\?done=notice_created$`).FindStringSubmatch(a.header.Get("Location"))
		if a.status != http.StatusSeeOther || n == nil {
			t.Fatalf("to notice: %d %q\n%s", a.status, a.header.Get("Location"), a.body)
		}
		a = fr.get("/fr" + path)
		if strings.Contains(a.body, "/to-notice") || !strings.Contains(a.body, `href="/fr/workspace/notices/`+n[1]+`"`) {
			t.Errorf("after the notice request:\n%s", a.body)
		}
		if a := fr.post("/fr"+path+"/to-notice", nil); a.status != http.StatusBadRequest || !strings.Contains(a.body, "déjà devenue") {
			t.Errorf("a second notice request: %d\n%s", a.status, a.body)
		}
		if a := fr.get("/fr/workspace/notices/" + n[1]); !strings.Contains(a.body, "Keller") {
			t.Errorf("the notice request lacks the diffusion's data:\n%s", a.body)
		}
	})
}

// TestDiffusionFormShowsErrorsByTheirFields sends faulty diffusions: each
// error is shown next to its field, in the page's language, with what was
// typed kept.
func TestDiffusionFormShowsErrorsByTheirFields(t *testing.T) {
	s := apptest.New(t, "sqlite")
	c := newClient(t, s)
	c.signIn("fr", "ncb-fr")
	c.get("/fr/workspace/diffusions/new")
	tests := []struct {
		name   string
		lang   string
		change func(url.Values)
		field  string
		text   string // part of the message
	}{
		{"no recipients", "fr", func(f url.Values) { f.Del("recipients") }, "recipients", "Choisissez au moins un pays"},
		{"no recipients in Arabic", "ar", func(f url.Values) { f.Del("recipients") }, "recipients", "اختر بلدا واحدا على الأقل"},
		{"every member and a country", "en", func(f url.Values) { f.Add("recipients", "*") }, "recipients", "not both"},
		{"to itself", "en", func(f url.Values) { f["recipients"] = []string{"DE", "FR"} }, "recipients", "your own bureau"},
		{"no name", "en", func(f url.Values) { f.Del("name"); f.Del("forename") }, "name", ""},
		{"no warrant nor conviction", "es", func(f url.Values) {
			for _, k := range []string{"warrant_issuing_country", "warrant_charge", "warrant_date", "warrant_max_penalty_years"} {
				f.Del(k)
			}
		}, "warrant_charge", "orden de detención o una condena"},
		{"no penalty", "en", func(f url.Values) { f.Set("warrant_max_penalty_years", "0") }, "warrant_max_penalty_years", "999"},
		{"conviction without sentence", "en", func(f url.Values) {
			f.Set("conviction_issuing_country", "FR")
			f.Set("conviction_charge", "Fraud")
		}, "conviction_sentence_years", "sentence in years"},
		{"date of birth in the future", "en", func(f url.Values) { f.Set("date_of_birth", "2999") }, "date_of_birth", ""},
		{"disappearance in the future", "en", func(f url.Values) {
			f.Set("kind", "missing")
			f.Set("disappearance_date", "2999-01")
		}, "disappearance_date", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := wantedDiffusion()
			tt.change(form)
			a := c.post("/"+tt.lang+"/workspace/diffusions", form)
			checkPage(t, a, tt.lang, "/"+tt.lang+"/workspace/diffusions", http.StatusBadRequest)
			m := errorNextTo(tt.field).FindString(a.body)
			if m == "" || !strings.Contains(m, tt.text) {
				t.Errorf("error by %s: %q\n%s", tt.field, m, a.body)
			}
			if name := form.Get("name"); name != "" && !strings.Contains(a.body, `value="`+name+`"`) {
				t.Error("the typed name is lost")
			}
			if strings.Contains(a.body, "‼") {
				t.Error("a text is missing from the catalogue")
			}
		})
	}
	// The ticked countries stay ticked.
	form := wantedDiffusion()
	form["recipients"] = []string{"DE", "BR"}
	form.Del("name")
	form.Del("forename")
	a := c.post("/en/workspace/diffusions", form)
	for _, code := range []string{"DE", "BR"} {
		if !regexp.MustCompile(`id="recipient-` + code + `" name="recipients" value="` + code + `" checked`).MatchString(a.body) {
			t.Errorf("%s is no longer ticked", code)
		}
	}
}

// TestDiffusionCountryPicker checks the picker: country names in the
// interface language, grouped by region, without the user's own country.
func TestDiffusionCountryPicker(t *testing.T) {
	s := apptest.New(t, "sqlite")
	c := newClient(t, s)
	c.signIn("ar", "ncb-fr")
	tests := []struct {
		lang, code, name string
	}{
		{"ar", "DE", "ألمانيا"},
		{"ar", "BR", "البرازيل"},
		{"es", "DE", "Alemania"},
		{"fr", "US", "États-Unis"},
		{"en", "JP", "Japan"},
	}
	for _, tt := range tests {
		a := c.get("/" + tt.lang + "/workspace/diffusions/new")
		want := `<label for="recipient-` + tt.code + `" data-code="` + tt.code + `">` + tt.name + `</label>`
		if !strings.Contains(a.body, want) {
			t.Errorf("%s: no %s", tt.lang, want)
		}
	}
	a := c.get("/ar/workspace/diffusions/new")
	if strings.Contains(a.body, `id="recipient-FR"`) {
		t.Error("the picker offers the bureau's own country")
	}
	if !strings.Contains(a.body, "<legend>أوروبا</legend>") || !strings.Contains(a.body, `src="/static/country-picker.js"`) {
		t.Error("the picker is not grouped by region, or lacks its script")
	}
	if a := c.get("/static/country-picker.js"); a.status != http.StatusOK || !strings.Contains(a.body, "country-picker") {
		t.Errorf("the picker's script: %d", a.status)
	}
}

// TestDiffusionInboxPages lists more diffusions than a page holds: the
// newest first, and the rest on the next page.
func TestDiffusionInboxPages(t *testing.T) {
	s := apptest.New(t, "sqlite")
	ctx := context.Background()
	u, err := s.Accounts.Get(ctx, policy.Console, "ncb-us")
	if err != nil {
		t.Fatal(err)
	}
	const sent = 27
	for i := range sent {
		_, err := s.Notices.Send(ctx, u.Actor(), notice.DiffusionRequest{Kind: "information", Recipients: []string{"JP"},
			Subject: &notice.Subject{Name: fmt.Sprintf("Person%02d", i)}})
		if err != nil {
			t.Fatal(err)
		}
	}
	c := newClient(t, s)
	c.signIn("en", "ncb-jp")
	first := c.get("/en/workspace/diffusions")
	second := c.get("/en/workspace/diffusions?box=inbox&page=2")
	checkPage(t, second, "en", "/en/workspace/diffusions", 200)
	tests := []struct {
		page       answer
		has, lacks string
		next       bool
	}{
		{first, "Person26", "Person01", true},
		{second, "Person01", "Person26", false},
	}
	for i, tt := range tests {
		if !strings.Contains(tt.page.body, tt.has) || strings.Contains(tt.page.body, tt.lacks) {
			t.Errorf("page %d: want %s, not %s", i+1, tt.has, tt.lacks)
		}
		if got := strings.Contains(tt.page.body, `rel="next"`); got != tt.next {
			t.Errorf("page %d: next link %v, want %v", i+1, got, tt.next)
		}
	}
	if rows := len(regexp.MustCompile(`href="/en/workspace/diffusions/\d+"`).FindAllString(first.body, -1)); rows != 25 {
		t.Errorf("the first page lists %d diffusions", rows)
	}
	if i, j := strings.Index(first.body, "Person26"), strings.Index(first.body, "Person25"); i < 0 || j < i {
		t.Error("the newest diffusion is not first")
	}
}

// TestDiffusionBoxesReadOnlyWhatTheyShow: however many diffusions a
// country has, a page of its inbox or its home page is one audited read
// of the diffusions it shows; a diffusion the country sent to every member
// is in its sent box, not its inbox.
func TestDiffusionBoxesReadOnlyWhatTheyShow(t *testing.T) {
	s := apptest.New(t, "sqlite")
	ctx := context.Background()
	actorOf := func(username string) policy.Actor {
		u, err := s.Accounts.Get(ctx, policy.Console, username)
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	send := func(as string, name string, to ...string) {
		if _, err := s.Notices.Send(ctx, actorOf(as), notice.DiffusionRequest{Kind: "information", Recipients: to,
			Subject: &notice.Subject{Name: name}}); err != nil {
			t.Fatal(err)
		}
	}
	// More than the 500 diffusions one read of the service could return.
	const received = 501
	for i := range received {
		send("ncb-us", fmt.Sprintf("Person%03d", i), "JP")
	}
	send("ncb-jp", "Own-Fictif", notice.AllMembers)
	c := newClient(t, s)
	c.signIn("en", "ncb-jp")
	rows := regexp.MustCompile(`href="/en/workspace/diffusions/\d+"`)
	tests := []struct {
		path       string
		rows       int
		has, lacks string
	}{
		{"/en/workspace/", 5, "Person500", "Own-Fictif"},
		{"/en/workspace/diffusions", 25, "Person500", "Own-Fictif"},
		{"/en/workspace/diffusions?box=inbox&page=21", 1, "Person000", "Own-Fictif"},
		{"/en/workspace/diffusions?box=sent", 1, "Own-Fictif", "Person0"},
	}
	for _, tt := range tests {
		if err := s.Journal.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		listed := audit.Filter{Action: string(policy.DiffusionList), Actor: "ncb-jp", Limit: 1000}
		before, err := audit.List(ctx, s.Store, listed)
		if err != nil {
			t.Fatal(err)
		}
		a := c.get(tt.path)
		if err := s.Journal.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		after, err := audit.List(ctx, s.Store, listed)
		if err != nil {
			t.Fatal(err)
		}
		if a.status != http.StatusOK || len(rows.FindAllString(a.body, -1)) != tt.rows || !strings.Contains(a.body, tt.has) || strings.Contains(a.body, tt.lacks) {
			t.Errorf("%s: %d, %d diffusions, want %d with %s and without %s", tt.path, a.status, len(rows.FindAllString(a.body, -1)), tt.rows, tt.has, tt.lacks)
		}
		if len(after) != len(before)+1 {
			t.Errorf("%s: %d audited lists, want 1", tt.path, len(after)-len(before))
		}
	}
}
