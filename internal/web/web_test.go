package web_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/relais/relais/internal/app/apptest"
	"github.com/relais/relais/internal/demo"
	"github.com/relais/relais/internal/newsroom"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/web"
)

// client is a browser without JavaScript: cookies, no redirect following,
// and the CSRF token of the last page it read.
type client struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

func newClient(t *testing.T, s *apptest.Server) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: s.URL, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type answer struct {
	status int
	header http.Header
	body   string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) do(req *http.Request) answer {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, body: string(raw)}
	if m := csrfField.FindStringSubmatch(a.body); m != nil {
		c.csrf = m[1]
	}
	return a
}

func (c *client) get(path string) answer {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	return c.do(req)
}

func (c *client) getLang(path, acceptLanguage string) answer {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	req.Header.Set("Accept-Language", acceptLanguage)
	return c.do(req)
}

// post sends a form with the CSRF token of the last page read.
func (c *client) post(path string, form url.Values) answer {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) signIn(lang, username string) {
	c.t.Helper()
	c.get("/" + lang + "/workspace/sign-in")
	a := c.post("/"+lang+"/workspace/sign-in", url.Values{"username": {username}, "password": {apptest.Password}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/"+lang+"/workspace/" {
		c.t.Fatalf("sign in as %s: %d %s %s", username, a.status, a.header.Get("Location"), a.body)
	}
	c.get("/" + lang + "/workspace/")
}

func pressActor(t *testing.T, s *apptest.Server) policy.Actor {
	u, err := s.Accounts.Get(context.Background(), policy.Console, "press")
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}

func TestLanguageNegotiation(t *testing.T) {
	s := apptest.New(t, "sqlite")
	c := newClient(t, s)
	tests := []struct{ accept, want string }{
		{"", "/en/"},
		{"fr-FR,fr;q=0.9,en;q=0.8", "/fr/"},
		{"ar-EG", "/ar/"},
		{"es-419,es;q=0.9", "/es/"},
		{"de-DE,de;q=0.9", "/en/"},
		{"de-DE,fr;q=0.5", "/fr/"},
		{"zz;;;garbage", "/en/"},
	}
	for _, tt := range tests {
		a := c.getLang("/", tt.accept)
		if a.status != http.StatusSeeOther || a.header.Get("Location") != tt.want {
			t.Errorf("Accept-Language %q: %d → %q, want %q", tt.accept, a.status, a.header.Get("Location"), tt.want)
		}
	}
	if a := c.get("/fr"); a.status/100 != 3 || a.header.Get("Location") != "/fr/" {
		t.Errorf("/fr: %d %s", a.status, a.header.Get("Location"))
	}
}

var htmlTag = regexp.MustCompile(`<html lang="([a-z]+)" dir="(ltr|rtl)">`)

// checkPage checks what every page must have: the status, the language and
// direction, the security headers, a switcher to the same page in every
// language, and no text missing from the catalogue.
func checkPage(t *testing.T, a answer, lang, path string, status int) {
	t.Helper()
	if a.status != status {
		t.Fatalf("%s: status %d, want %d\n%s", path, a.status, status, a.body)
	}
	m := htmlTag.FindStringSubmatch(a.body)
	wantDir := "ltr"
	if lang == "ar" {
		wantDir = "rtl"
	}
	if m == nil || m[1] != lang || m[2] != wantDir {
		t.Errorf("%s: html tag %v, want lang=%s dir=%s", path, m, lang, wantDir)
	}
	if strings.Contains(a.body, "‼") {
		i := strings.Index(a.body, "‼")
		t.Errorf("%s: text missing from the %s catalogue near %q", path, lang, a.body[i:min(len(a.body), i+60)])
	}
	if csp := a.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("%s: Content-Security-Policy %q", path, csp)
	}
	if a.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: no nosniff", path)
	}
	if strings.HasSuffix(path, "/print") {
		if strings.Contains(a.body, `class="main-nav"`) {
			t.Errorf("%s: the print view has navigation", path)
		}
		return
	}
	rest := strings.TrimPrefix(path, "/"+lang)
	for _, other := range web.Languages {
		if !strings.Contains(a.body, `href="/`+other+rest) {
			t.Errorf("%s: no link to the same page in %s (%s)", path, other, "/"+other+rest)
		}
	}
	if strings.Contains(a.body, "<script>") || strings.Contains(a.body, " style=") || strings.Contains(a.body, " onclick=") {
		t.Errorf("%s: inline script or style", path)
	}
}

func TestEveryPageRendersInEveryLanguage(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		if _, err := demo.SeedNews(ctx, s.Accounts, s.Newsroom); err != nil {
			t.Fatal(err)
		}
		list, _, err := s.Newsroom.List(ctx, policy.Anonymous, newsroom.Filter{Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		id := ""
		for _, r := range list {
			if len(r.Langs()) == 4 {
				id = fmt.Sprint(r.ID)
			}
		}
		if id == "" {
			t.Fatal("no demo release in all four languages")
		}
		anon := newClient(t, s)
		press, dpo := newClient(t, s), newClient(t, s)
		press.signIn("en", "press")
		dpo.signIn("en", "dpo")
		for _, lang := range web.Languages {
			t.Run(lang, func(t *testing.T) {
				pages := []struct {
					c      *client
					path   string
					status int
				}{
					{anon, "/", 200},
					{anon, "/news", 200},
					{anon, "/news?page=2", 200},
					{anon, "/news/" + id, 200},
					{anon, "/news/" + id + "/print", 200},
					{anon, "/members", 200},
					{anon, "/members?q=fr&region=europe", 200},
					{anon, "/workspace/sign-in", 200},
					{anon, "/no/such/page", 404},
					{anon, "/news/999999", 404},
					{press, "/workspace/", 200},
					{press, "/workspace/news", 200},
					{press, "/workspace/news/new", 200},
					{press, "/workspace/news/" + id, 200},
					{press, "/workspace/security", 200},
					{dpo, "/workspace/", 200},
					{dpo, "/workspace/audit", 200},
					{dpo, "/workspace/audit?outcome=denied&from=2020-01-01&to=2099-12-31", 200},
					{dpo, "/workspace/audit?from=yesterday", 200},
				}
				for _, p := range pages {
					path := "/" + lang + p.path
					checkPage(t, p.c.get(path), lang, strings.SplitN(path, "?", 2)[0], p.status)
				}
			})
		}
		// Country names come in the interface language.
		if a := anon.get("/ar/members?q=FR"); !strings.Contains(a.body, "فرنسا") {
			t.Error("the Arabic member directory does not name France in Arabic")
		}
		if a := anon.get("/es/members?q=DE"); !strings.Contains(a.body, "Alemania") {
			t.Error("the Spanish member directory does not name Germany in Spanish")
		}
	})
}

func TestDatesAndNumbersPerLocale(t *testing.T) {
	s := apptest.New(t, "sqlite")
	if _, err := demo.SeedNews(context.Background(), s.Accounts, s.Newsroom); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, s)
	tests := []struct{ path, want string }{
		{"/en/news", "12 February 2026"},
		{"/fr/news", "12 février 2026"},
		{"/es/news", "12 de febrero de 2026"},
		{"/ar/news", "١٢ فبراير ٢٠٢٦"},
		{"/fr/members", "196"},
		{"/ar/members", "١٩٦"},
	}
	for _, tt := range tests {
		if a := c.get(tt.path); !strings.Contains(a.body, tt.want) {
			t.Errorf("%s does not show %q", tt.path, tt.want)
		}
	}
}

func TestAnonymousIsSentToSignIn(t *testing.T) {
	s := apptest.New(t, "sqlite")
	c := newClient(t, s)
	for _, path := range []string{"/fr/workspace/", "/fr/workspace/news", "/fr/workspace/audit", "/ar/workspace/security"} {
		a := c.get(path)
		want := "/" + path[1:3] + "/workspace/sign-in?next=" + url.QueryEscape(path)
		if a.status != http.StatusSeeOther || a.header.Get("Location") != want {
			t.Errorf("%s: %d → %q, want %q", path, a.status, a.header.Get("Location"), want)
		}
		if a.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: workspace answers may be cached", path)
		}
	}
	// After sign-in, the browser goes where it was going; never elsewhere.
	c.get("/fr/workspace/sign-in?next=/fr/workspace/audit")
	a := c.post("/fr/workspace/sign-in", url.Values{"username": {"dpo"}, "password": {apptest.Password}, "next": {"/fr/workspace/audit"}})
	if a.header.Get("Location") != "/fr/workspace/audit" {
		t.Errorf("after sign-in: %q", a.header.Get("Location"))
	}
	c2 := newClient(t, s)
	c2.get("/fr/workspace/sign-in")
	a = c2.post("/fr/workspace/sign-in", url.Values{"username": {"dpo"}, "password": {apptest.Password}, "next": {"//evil.example/fr/workspace/"}})
	if a.header.Get("Location") != "/fr/workspace/" {
		t.Errorf("sign-in followed an outside next: %q", a.header.Get("Location"))
	}
}

func TestSignInRefusals(t *testing.T) {
	s := apptest.New(t, "sqlite")
	c := newClient(t, s)
	c.get("/fr/workspace/sign-in")
	a := c.post("/fr/workspace/sign-in", url.Values{"username": {"ncb-fr"}, "password": {"wrong-password"}})
	if a.status != http.StatusUnauthorized || !strings.Contains(a.body, "Nom d&#39;utilisateur ou mot de passe incorrect") {
		t.Errorf("wrong password: %d %s", a.status, a.body)
	}
	if strings.Contains(a.body, "wrong-password") {
		t.Error("the page repeats the password")
	}
	a = c.post("/fr/workspace/sign-in", url.Values{"username": {""}, "password": {""}})
	if a.status != http.StatusBadRequest {
		t.Errorf("empty form: %d", a.status)
	}
}

func TestCSRF(t *testing.T) {
	s := apptest.New(t, "sqlite")
	anon := newClient(t, s)
	// The sign-in form itself is protected by its pre-session token.
	anon.get("/en/workspace/sign-in")
	for _, token := range []string{"", "forged"} {
		a := anon.post("/en/workspace/sign-in", url.Values{"username": {"ncb-fr"}, "password": {apptest.Password}, "csrf": {token}})
		if a.status != http.StatusForbidden {
			t.Errorf("sign-in with token %q: %d", token, a.status)
		}
	}
	press := newClient(t, s)
	press.signIn("en", "press")
	form := url.Values{"date": {"2026-03-01"}, "vlang": {"en"}, "title": {"T"}, "place": {"Lyon"}, "body": {"Text."}}
	for _, token := range []string{"", "forged", anon.csrf} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("csrf", token)
		if a := press.post("/en/workspace/news", f); a.status != http.StatusForbidden || !strings.Contains(a.body, "This form has expired") {
			t.Errorf("create with token %q: %d", token, a.status)
		}
	}
	if list, _, _ := s.Newsroom.List(context.Background(), pressActor(t, s), newsroom.Filter{State: "any"}); len(list) != 0 {
		t.Errorf("a forged form created %d releases", len(list))
	}
	// The right token works, as a form field and as htmx's header.
	if a := press.post("/en/workspace/news", form); a.status != http.StatusSeeOther {
		t.Errorf("create with the token: %d %s", a.status, a.body)
	}
	req, _ := http.NewRequest("POST", s.URL+"/en/workspace/news/validate", strings.NewReader("title=&vlang=en"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Trigger-Name", "title")
	req.Header.Set("X-CSRF-Token", press.csrf)
	if a := press.do(req); a.status != 200 || a.body != "This field is required." {
		t.Errorf("validate title: %d %q", a.status, a.body)
	}
	// Signing out is a form too.
	if a := press.post("/en/workspace/sign-out", url.Values{"csrf": {"forged"}}); a.status != http.StatusForbidden {
		t.Errorf("sign out with a forged token: %d", a.status)
	}
}

func TestSessionCookieAndTimeouts(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		c := newClient(t, s)
		c.get("/en/workspace/sign-in")
		a := c.post("/en/workspace/sign-in", url.Values{"username": {"ncb-fr"}, "password": {apptest.Password}})
		var cookie string
		for _, sc := range a.header.Values("Set-Cookie") {
			if strings.HasPrefix(sc, "relais_session=") {
				cookie = sc
			}
		}
		for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
			if !strings.Contains(cookie, want) {
				t.Errorf("session cookie %q lacks %s", cookie, want)
			}
		}
		id := strings.TrimPrefix(strings.SplitN(cookie, ";", 2)[0], "relais_session=")
		// Only a hash of the id is stored.
		var n int
		if err := s.Store.QueryRow(context.Background(), "SELECT COUNT(*) FROM web_sessions WHERE id_hash = ?", id).Scan(&n); err != nil || n != 0 {
			t.Errorf("the session id is stored in clear (%d, %v)", n, err)
		}
		ok := func() bool { return c.get("/en/workspace/").status == http.StatusOK }
		if !ok() {
			t.Fatal("a fresh session does not work")
		}
		age := func(column string, d time.Duration) {
			if _, err := s.Store.Exec(context.Background(), "UPDATE web_sessions SET "+column+" = ?", time.Now().UTC().Add(-d)); err != nil {
				t.Fatal(err)
			}
		}
		age("last_seen_at", web.IdleTimeout-2*time.Minute)
		if !ok() {
			t.Error("the session ended before its idle timeout")
		}
		age("last_seen_at", web.IdleTimeout+time.Minute)
		if ok() {
			t.Error("the session outlived its idle timeout")
		}
		c.signIn("en", "ncb-fr")
		age("created_at", web.AbsoluteTimeout+time.Minute)
		if ok() {
			t.Error("the session outlived its absolute timeout")
		}
		// Signing out ends the session on the server, not only in the browser.
		c.signIn("en", "ncb-fr")
		before := c.http.Jar.Cookies(mustURL(s.URL))
		if a := c.post("/en/workspace/sign-out", nil); a.status != http.StatusSeeOther || a.header.Get("Location") != "/en/?done=signed_out" {
			t.Fatalf("sign out: %d %s", a.status, a.header.Get("Location"))
		}
		replay := newClient(t, s)
		replay.http.Jar.SetCookies(mustURL(s.URL), before)
		if replay.get("/en/workspace/").status == http.StatusOK {
			t.Error("the session cookie still works after sign-out")
		}
	})
}

func mustURL(s string) *url.URL {
	u, _ := url.Parse(s)
	return u
}

var secretOnPage = regexp.MustCompile(`name="secret" value="([A-Z2-7]+)"`)

func TestTOTPEnrolmentAndSignIn(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		c := newClient(t, s)
		c.signIn("fr", "ncb-de")
		c.get("/fr/workspace/security")
		a := c.post("/fr/workspace/security/totp/new", nil)
		m := secretOnPage.FindStringSubmatch(a.body)
		if a.status != 200 || m == nil || !strings.Contains(a.body, `src="data:image/png;base64,`) {
			t.Fatalf("enrolment page: %d, secret %v", a.status, m)
		}
		secret := m[1]
		// A wrong code does not turn the factor on.
		a = c.post("/fr/workspace/security/totp", url.Values{"secret": {secret}, "code": {"000000"}})
		if a.status != http.StatusBadRequest || !strings.Contains(a.body, "Ce code est erroné") {
			t.Fatalf("wrong enrolment code: %d", a.status)
		}
		code, _ := totp.GenerateCode(secret, time.Now())
		a = c.post("/fr/workspace/security/totp", url.Values{"secret": {secret}, "code": {code}})
		if a.status != http.StatusSeeOther {
			t.Fatalf("confirm: %d %s", a.status, a.body)
		}
		c.get("/fr/workspace/security")
		c.post("/fr/workspace/sign-out", nil)

		// Sign-in now takes a code; the password alone opens nothing.
		c.get("/fr/workspace/sign-in")
		a = c.post("/fr/workspace/sign-in", url.Values{"username": {"ncb-de"}, "password": {apptest.Password}})
		if !strings.HasPrefix(a.header.Get("Location"), "/fr/workspace/sign-in/code") {
			t.Fatalf("after the password: %d %s", a.status, a.header.Get("Location"))
		}
		if a := c.get("/fr/workspace/"); a.status != http.StatusSeeOther {
			t.Errorf("the workspace opened before the code: %d", a.status)
		}
		c.get("/fr/workspace/sign-in/code")
		// The code used for enrolment may not be used again.
		if a := c.post("/fr/workspace/sign-in/code", url.Values{"code": {code}}); a.status != http.StatusBadRequest {
			t.Errorf("reused code: %d", a.status)
		}
		next, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
		a = c.post("/fr/workspace/sign-in/code", url.Values{"code": {next}})
		if a.status != http.StatusSeeOther || a.header.Get("Location") != "/fr/workspace/" {
			t.Fatalf("code: %d %s %s", a.status, a.header.Get("Location"), a.body)
		}
		if a := c.get("/fr/workspace/"); a.status != http.StatusOK {
			t.Errorf("workspace after the code: %d", a.status)
		}
		u, _ := s.Accounts.Get(context.Background(), policy.Console, "ncb-de")
		if !u.TOTP {
			t.Error("the account does not show its second factor")
		}
	})
}

func TestTooManyWrongCodesEndTheAttempt(t *testing.T) {
	s := apptest.New(t, "sqlite")
	ctx := context.Background()
	u, _ := s.Accounts.Get(ctx, policy.Console, "ncb-us")
	key, err := s.Accounts.NewTOTPKey(ctx, u.Actor(), "ncb-us")
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(key.Secret(), time.Now())
	if err := s.Accounts.EnableTOTP(ctx, u.Actor(), "ncb-us", key.Secret(), code); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, s)
	c.get("/en/workspace/sign-in")
	c.post("/en/workspace/sign-in", url.Values{"username": {"ncb-us"}, "password": {apptest.Password}})
	c.get("/en/workspace/sign-in/code")
	var a answer
	for range 5 {
		a = c.post("/en/workspace/sign-in/code", url.Values{"code": {"123456"}})
	}
	if a.status != http.StatusUnauthorized || !strings.Contains(a.body, "Too many wrong codes") {
		t.Errorf("fifth wrong code: %d", a.status)
	}
	if a := c.get("/en/workspace/sign-in/code"); a.header.Get("Location") != "/en/workspace/sign-in" {
		t.Errorf("the pending session survived: %d %s", a.status, a.header.Get("Location"))
	}
}

func TestDraftReleaseIsNotFoundForOthers(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		r, err := s.Newsroom.Create(context.Background(), pressActor(t, s), "2026-03-01",
			newsroom.Version{Lang: "fr", Title: "Brouillon confidentiel", Place: "Lyon", Body: "Pas encore public."})
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/fr/news/%d", r.ID)
		anon, ncb, press := newClient(t, s), newClient(t, s), newClient(t, s)
		ncb.signIn("fr", "ncb-fr")
		press.signIn("fr", "press")
		for name, c := range map[string]*client{"anonymous": anon, "ncb-fr": ncb} {
			for _, p := range []string{path, path + "/print", fmt.Sprintf("/fr/workspace/news/%d", r.ID)} {
				a := c.get(p)
				if a.status == http.StatusSeeOther {
					continue // the workspace asks the anonymous to sign in first
				}
				if a.status != http.StatusNotFound || strings.Contains(a.body, "Brouillon confidentiel") {
					t.Errorf("%s sees %s: %d", name, p, a.status)
				}
			}
		}
		if a := press.get(path); a.status != 200 || !strings.Contains(a.body, "Brouillon confidentiel") {
			t.Errorf("press office cannot preview its draft: %d", a.status)
		}
		if a := ncb.post(fmt.Sprintf("/fr/workspace/news/%d/publish", r.ID), nil); a.status != http.StatusNotFound {
			t.Errorf("a bureau publishing a draft: %d", a.status)
		}
	})
}

func TestPressOfficeWritesTranslatesAndPublishes(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		c := newClient(t, s)
		c.signIn("en", "press")
		c.get("/en/workspace/news/new")
		a := c.post("/en/workspace/news", url.Values{"date": {"2026-03-20"}, "vlang": {"en"}, "title": {""}, "place": {"Lyon"}, "body": {"x"}})
		if a.status != http.StatusBadRequest || !strings.Contains(a.body, `id="title-error" aria-live="polite">This field is required.`) {
			t.Fatalf("missing title: %d", a.status)
		}
		a = c.post("/en/workspace/news", url.Values{"date": {"2026-03-20"}, "vlang": {"en"}, "title": {"Operation <Lionfish>"}, "place": {"Lyon"}, "body": {"First paragraph.\n\nSecond paragraph."}})
		loc := a.header.Get("Location")
		if a.status != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=created") {
			t.Fatalf("create: %d %s", a.status, loc)
		}
		edit := strings.TrimSuffix(loc, "?done=created")
		id := edit[strings.LastIndex(edit, "/")+1:]
		c.get(edit)
		a = c.post(edit+"/versions", url.Values{"vlang": {"ar"}, "title": {"عملية"}, "place": {"ليون"}, "body": {"نص البيان."}})
		if a.status != http.StatusSeeOther {
			t.Fatalf("Arabic version: %d %s", a.status, a.body)
		}
		c.get(edit)
		if a := c.post(edit+"/publish", nil); a.status != http.StatusSeeOther {
			t.Fatalf("publish: %d", a.status)
		}
		anon := newClient(t, s)
		a = anon.get("/en/news/" + id)
		if !strings.Contains(a.body, "Operation &lt;Lionfish&gt;") || !strings.Contains(a.body, "<p>Second paragraph.</p>") {
			t.Errorf("the English release is not shown escaped, in paragraphs:\n%s", a.body)
		}
		if a := anon.get("/ar/news/" + id); !strings.Contains(a.body, "عملية") || !strings.Contains(a.body, `dir="rtl"`) {
			t.Error("the Arabic version is not shown right to left")
		}
		if a := anon.get("/fr/news/" + id); !strings.Contains(a.body, "Ce communiqué n&#39;existe pas en français") {
			t.Error("the French page does not say the release is missing in French")
		}
		if a := anon.get("/en/news/" + id + "/print"); strings.Contains(a.body, `class="main-nav"`) || !strings.Contains(a.body, "Second paragraph.") {
			t.Error("the print view has navigation or lacks the text")
		}
		// A photo that is not an image is refused with its reason.
		c.get(edit)
		a = c.upload(edit+"/photos", "photo", "evil.png", []byte("<script>alert(1)</script>"))
		if a.status != http.StatusBadRequest || !strings.Contains(a.body, "Choose a JPEG or PNG image") {
			t.Errorf("bad photo: %d", a.status)
		}
		a = c.upload(edit+"/photos", "photo", "p.png", tinyPNG(t))
		if a.status != http.StatusSeeOther {
			t.Errorf("photo: %d %s", a.status, a.body)
		}
		if a := anon.get("/en/news/" + id); !strings.Contains(a.body, "/photos/") {
			t.Error("the photo is not shown")
		}
	})
}

func TestAtomFeed(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		if _, err := demo.SeedNews(context.Background(), s.Accounts, s.Newsroom); err != nil {
			t.Fatal(err)
		}
		want := map[string]int{"en": 3, "fr": 2, "es": 2, "ar": 2}
		for _, lang := range web.Languages {
			a := newClient(t, s).get("/" + lang + "/news/feed.atom")
			if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "application/atom+xml") {
				t.Fatalf("%s feed: %d %s", lang, a.status, a.header.Get("Content-Type"))
			}
			var f struct {
				XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
				Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
				ID      string   `xml:"id"`
				Title   string   `xml:"title"`
				Updated string   `xml:"updated"`
				Author  struct {
					Name string `xml:"name"`
				} `xml:"author"`
				Links []struct {
					Rel  string `xml:"rel,attr"`
					Href string `xml:"href,attr"`
				} `xml:"link"`
				Entries []struct {
					ID      string `xml:"id"`
					Title   string `xml:"title"`
					Updated string `xml:"updated"`
					Link    struct {
						Href string `xml:"href,attr"`
					} `xml:"link"`
					Content string `xml:"content"`
				} `xml:"entry"`
			}
			if err := xml.Unmarshal([]byte(a.body), &f); err != nil {
				t.Fatalf("%s feed is not XML: %v\n%s", lang, err, a.body)
			}
			if f.Lang != lang {
				t.Errorf("%s feed: xml:lang %q", lang, f.Lang)
			}
			if f.ID == "" || f.Title == "" || f.Author.Name == "" {
				t.Errorf("%s feed lacks id, title or author: %+v", lang, f)
			}
			if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
				t.Errorf("%s feed: updated %q: %v", lang, f.Updated, err)
			}
			self := false
			for _, l := range f.Links {
				self = self || (l.Rel == "self" && strings.HasSuffix(l.Href, "/"+lang+"/news/feed.atom"))
			}
			if !self {
				t.Errorf("%s feed: no self link", lang)
			}
			if len(f.Entries) != want[lang] {
				t.Errorf("%s feed: %d entries, want %d", lang, len(f.Entries), want[lang])
			}
			ids := map[string]bool{}
			for _, e := range f.Entries {
				if _, err := time.Parse(time.RFC3339, e.Updated); err != nil || e.ID == "" || e.Title == "" || e.Content == "" || ids[e.ID] {
					t.Errorf("%s feed: bad entry %+v", lang, e)
				}
				ids[e.ID] = true
				if a := newClient(t, s).get(strings.TrimPrefix(e.Link.Href, s.URL)); a.status != 200 {
					t.Errorf("%s feed: entry link %s: %d", lang, e.Link.Href, a.status)
				}
			}
		}
	})
}

func TestStaticFiles(t *testing.T) {
	s := apptest.New(t, "sqlite")
	c := newClient(t, s)
	for path, ct := range map[string]string{"/static/style.css": "text/css", "/static/htmx.min.js": "text/javascript"} {
		a := c.get(path)
		if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), ct) || a.header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s: %d %s", path, a.status, a.header.Get("Content-Type"))
		}
	}
	if a := c.get("/static/htmx.min.js"); !strings.HasPrefix(a.body, "/*! htmx") {
		t.Error("htmx lacks its licence header")
	}
}

// upload sends a multipart form with one file and the CSRF token.
func (c *client) upload(path, field, name string, data []byte) answer {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", c.csrf)
	_ = mw.WriteField("caption", "A caption")
	fw, _ := mw.CreateFormFile(field, name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func tinyPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for x := range 32 {
		img.Set(x, x%24, color.RGBA{11, 53, 88, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
