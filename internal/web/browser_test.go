package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/relais/relais/internal/app/apptest"
)

// chromiumPath is where Debian installs chromium (.ci/browser.sh does).
const chromiumPath = "/usr/bin/chromium"

// browserFailures is where a failing journey leaves a screenshot of its page
// (ignored by git; t.TempDir would be gone when someone looks).
const browserFailures = "testdata/browser-failures"

// journey drives one headless chromium through relais.
type journey struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func newJourney(t *testing.T, s *apptest.Server) *journey {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is missing at %s (install it: . .ci/browser.sh && install_chromium)", chromiumPath)
		}
		t.Skipf("chromium is not installed at %s; browser journeys skipped", chromiumPath)
	}
	profile, err := os.MkdirTemp("", "relais-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		_ = os.RemoveAll(profile)
	})
	return &journey{t: t, ctx: ctx, base: s.URL}
}

// fail leaves a screenshot of the page and stops the journey.
func (j *journey) fail(step string, err error) {
	j.t.Helper()
	name := regexp.MustCompile(`[^A-Za-z0-9_-]+`).ReplaceAllString(j.t.Name()+"-"+step, "_")
	shot := filepath.Join(browserFailures, name+".png")
	if png, serr := chromedp.Run(j.ctx, chromedp.CaptureScreenshot()); serr == nil {
		if os.MkdirAll(browserFailures, 0o755) == nil && os.WriteFile(shot, png, 0o644) == nil {
			abs, _ := filepath.Abs(shot)
			j.t.Logf("screenshot of the failing page: %s", abs)
		}
	}
	loc, _ := chromedp.Run(j.ctx, chromedp.Location())
	j.t.Fatalf("%s (at %s): %v", step, loc, err)
}

// do runs steps, failing the journey with a screenshot on error.
func (j *journey) do(step string, steps ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	if err := chromedp.Do(j.ctx, steps...); err != nil {
		j.fail(step, err)
	}
}

// submit clicks sel, which loads a new page, and waits until that page is
// there and shows waitFor (the old page may show it too, so its own
// document is marked first).
func (j *journey) submit(step, sel, waitFor string) {
	j.t.Helper()
	if _, err := chromedp.Run(j.ctx, chromedp.Evaluate[bool]("window.relaisOldPage = true")); err != nil {
		j.fail(step, err)
	}
	j.do(step, chromedp.Click(chromedp.CSS(sel)))
	for {
		old, err := chromedp.Run(j.ctx, chromedp.Evaluate[bool]("window.relaisOldPage === true"))
		if err == nil && !old {
			break
		}
		if j.ctx.Err() != nil {
			j.fail(step, fmt.Errorf("the page did not change: %w", j.ctx.Err()))
		}
		time.Sleep(50 * time.Millisecond)
	}
	j.do(step, chromedp.WaitVisible(chromedp.CSS(waitFor)))
}

func (j *journey) open(path string) {
	j.t.Helper()
	j.do("open "+path, chromedp.Navigate(j.base+path), chromedp.WaitVisible(chromedp.CSS("main")))
}

// text returns the text of the first element matching the CSS selector.
func (j *journey) text(sel string) string {
	j.t.Helper()
	s, err := chromedp.Run(j.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		j.fail("read "+sel, err)
	}
	return s
}

func (j *journey) eval(expr string) string {
	j.t.Helper()
	s, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		j.fail("evaluate "+expr, err)
	}
	return s
}

// expect fails the journey unless the text of sel contains want.
func (j *journey) expect(sel, want string) {
	j.t.Helper()
	if got := j.text(sel); !strings.Contains(got, want) {
		j.fail("expect "+sel, fmt.Errorf("%q does not contain %q", got, want))
	}
}

// Screenshots are of the viewport: chromium's full-page capture shifts
// right-to-left pages sideways.

// shot keeps a screenshot of the page for people to look at, when
// RELAIS_BROWSER_SHOTS names a folder.
func (j *journey) shot(name string) {
	dir := os.Getenv("RELAIS_BROWSER_SHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(j.ctx, chromedp.CaptureScreenshot())
	if err == nil {
		_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
}

func (j *journey) signIn(lang, username string) {
	j.t.Helper()
	j.open("/" + lang + "/workspace/sign-in")
	j.do("sign in as "+username,
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), apptest.Password),
	)
	j.submit("sign in as "+username, "main button[type=submit]", ".user")
}

func (j *journey) signOut() {
	j.t.Helper()
	j.submit("sign out", ".user button", ".flash")
}

func TestBrowserJourneys(t *testing.T) {
	s := apptest.New(t, "sqlite")
	j := newJourney(t, s)

	t.Run("press office publishes a release, read in two languages and in print", func(t *testing.T) {
		j.t = t
		j.signIn("en", "press")
		j.open("/en/workspace/news/new")
		j.shot("press-new-en")
		j.do("write the English version",
			chromedp.SetValue(chromedp.CSS("#date"), "2026-03-21"),
			chromedp.SendKeys(chromedp.CSS("#title"), "Operation Lionfish: 1,200 kg of cocaine seized"),
			chromedp.SendKeys(chromedp.CSS("#place"), "Lyon"),
			chromedp.SendKeys(chromedp.CSS("#body"), "Police in 14 countries seized drugs and arrested 42 suspects."),
		)
		j.submit("create the draft", "main form button[type=submit]", ".flash")
		release := j.eval("location.pathname.split('/').pop()")
		j.do("translate into French",
			chromedp.SendKeys(chromedp.CSS("#fr-title"), "Opération Lionfish : 1 200 kg de cocaïne saisis"),
			chromedp.SendKeys(chromedp.CSS("#fr-place"), "Lyon"),
			chromedp.SendKeys(chromedp.CSS("#fr-body"), "Les polices de 14 pays ont saisi de la drogue et arrêté 42 suspects."),
		)
		j.submit("save the French version", `section[aria-labelledby="h-fr"] button[type=submit]`, ".flash")
		j.submit("publish", `form[action$="/publish"] button`, ".state-published")
		j.shot("press-edit-en")
		j.signOut()

		j.open("/fr/news")
		j.expect("main", "Opération Lionfish")
		j.submit("open the French release", ".news-list a", "article.release")
		j.expect("article.release h1", "Opération Lionfish : 1 200 kg de cocaïne saisis")
		j.expect("article.release .meta", "21 mars 2026")
		j.shot("news-fr")
		j.submit("switch to English", `.languages a[hreflang="en"]`, "article.release")
		j.expect("article.release h1", "Operation Lionfish")
		if lang := j.eval("document.documentElement.lang"); lang != "en" {
			j.fail("switch to English", fmt.Errorf("html lang %q", lang))
		}
		j.open("/en/news/" + release + "/print")
		j.expect("article.release", "42 suspects")
		if n := j.eval("String(document.querySelectorAll('nav, .site-header').length)"); n != "0" {
			j.fail("print view", fmt.Errorf("%s navigation elements", n))
		}
		j.shot("news-print-en")
	})

	t.Run("the public site in Arabic is right to left", func(t *testing.T) {
		j.t = t
		j.open("/fr/")
		j.submit("switch to Arabic", `.languages a[hreflang="ar"]`, "main")
		if dir := j.eval("document.documentElement.dir"); dir != "rtl" {
			j.fail("Arabic direction", fmt.Errorf("dir=%q", dir))
		}
		// The layout mirrors: the brand sits on the right.
		if side := j.eval(`(() => { const r = document.querySelector('.brand').getBoundingClientRect(); return r.left > window.innerWidth / 2 ? "right" : "left" })()`); side != "right" {
			j.fail("Arabic layout", fmt.Errorf("brand on the %s", side))
		}
		j.shot("home-ar")
		j.open("/ar/members?q=FR")
		j.expect("table", "فرنسا")
		j.shot("members-ar")
	})

	t.Run("keyboard only: the skip link comes first and shows", func(t *testing.T) {
		j.t = t
		j.open("/en/")
		j.do("tab to the skip link", chromedp.KeyEvent("\t"))
		if cls := j.eval("document.activeElement.className"); cls != "skip-link" {
			j.fail("first tab stop", fmt.Errorf("focus on %q", cls))
		}
		if top := j.eval(`String(document.activeElement.getBoundingClientRect().top >= 0)`); top != "true" {
			j.fail("skip link", fmt.Errorf("not visible when focused"))
		}
	})

	t.Run("a bureau signs in", func(t *testing.T) {
		j.t = t
		j.signIn("fr", "ncb-fr")
		j.expect("main h1", "Bienvenue")
		j.expect("main .lead", "France")
		j.shot("workspace-fr")
		j.signOut()
	})

	t.Run("a bureau creates and submits a Red notice; the GS publishes it", func(t *testing.T) {
		j.t = t
		j.signIn("fr", "ncb-fr")
		j.open("/fr/workspace/notices/new?type=red")
		j.do("fill in the Red Notice",
			chromedp.SendKeys(chromedp.CSS("#name"), "Lemaire"),
			chromedp.SendKeys(chromedp.CSS("#forename"), "Bastien"),
			chromedp.SendKeys(chromedp.CSS("#date_of_birth"), "1979-11-23"),
			chromedp.SetValue(chromedp.CSS("#sex"), "M"),
			chromedp.SetValue(chromedp.CSS("#nationality"), "FR"),
			chromedp.SetValue(chromedp.CSS("#warrant_issuing_country"), "FR"),
			chromedp.SendKeys(chromedp.CSS("#warrant_charge"), "Trafic de stupéfiants en bande organisée"),
			chromedp.SetValue(chromedp.CSS("#warrant_date"), "2025-06-30"),
			chromedp.SendKeys(chromedp.CSS("#warrant_max_penalty_years"), "30"),
		)
		j.shot("notice-new-fr")
		j.submit("save the draft", "main form button[type=submit]", ".state-draft")
		notice := j.eval("location.pathname.replace(/^\\/fr/, '')")
		j.submit("submit the request", "form.step-submit button", ".state-submitted")
		j.signOut()

		j.signIn("en", "gs-reviewer")
		j.open("/en" + notice)
		j.submit("start the review", "form.step-start-review button", "section.review")
		j.shot("notice-review-en")
		j.do("tick the checklist",
			chromedp.Click(chromedp.CSS("#check-art2")),
			chromedp.Click(chromedp.CSS("#check-art3")),
			chromedp.Click(chromedp.CSS("#check-identifiers")),
			chromedp.Click(chromedp.CSS("#check-serious_offence")),
		)
		j.submit("approve", "section.review button[type=submit]", ".state-published")
		j.signOut()

		j.open("/fr/notices/red?name=lemaire")
		j.submit("open the public extract", ".notice-card a", "article.public-notice")
		j.expect("article.public-notice h1", "Lemaire")
		j.expect("article.public-notice", "Trafic de stupéfiants")
		j.shot("notice-public-fr")
		j.submit("switch to Arabic", `.languages a[hreflang="ar"]`, "article.public-notice")
		if dir := j.eval("document.documentElement.dir"); dir != "rtl" {
			j.fail("Arabic extract", fmt.Errorf("dir=%q", dir))
		}
		j.expect("article.public-notice", "فرنسا")
		j.shot("notice-public-ar")
	})
	t.Run("a bureau reports a stolen passport; a border officer screens it", func(t *testing.T) {
		j.t = t
		// Policy lets the owning bureau enter records and frontline
		// officers screen: the German bureau reports, its border officer
		// checks.
		j.signIn("en", "ncb-de")
		j.open("/en/workspace/records/travel-documents/new")
		j.do("report the passport",
			chromedp.SendKeys(chromedp.CSS("#number"), "C4KX9R2T1"),
			chromedp.SetValue(chromedp.CSS("#issuing_country"), "DE"),
		)
		j.submit("save the report", "main form button[type=submit]", ".reported")
		j.shot("passport-reported-en")
		j.signOut()

		j.signIn("en", "border-de")
		j.open("/en/workspace/screening")
		j.do("type the number", chromedp.SendKeys(chromedp.CSS("#document_number"), "C4KX9R2T1"))
		j.submit("screen", "main form button[type=submit]", ".results")
		j.expect(".matches", "Stolen")
		j.shot("screening-en")
		j.signOut()
	})

	t.Run("a bureau sends a diffusion to Germany through the country picker; Germany reads it", func(t *testing.T) {
		j.t = t
		j.signIn("fr", "ncb-fr")
		j.submit("open the diffusions", `.main-nav a[href="/fr/workspace/diffusions"]`, "main h1")
		j.submit("write a diffusion", `main a.button[href="/fr/workspace/diffusions/new"]`, ".country-picker")
		j.submit("choose a wanted person", `.tabs a[href$="kind=wanted"]`, "#warrant_charge")
		// The filter narrows the picker to Germany; the keyboard ticks it.
		j.do("find Germany in the picker",
			chromedp.WaitVisible(chromedp.CSS("#recipients-filter")),
			chromedp.SendKeys(chromedp.CSS("#recipients-filter"), "allem"),
			chromedp.WaitNotVisible(chromedp.CSS("#recipient-US")),
			chromedp.WaitVisible(chromedp.CSS("#recipient-DE")),
			chromedp.Focus(chromedp.CSS("#recipient-DE")),
			chromedp.KeyEvent(" "),
		)
		if ticked := j.eval("String(document.querySelector('#recipient-DE').checked)"); ticked != "true" {
			j.fail("tick Germany", fmt.Errorf("the Germany box is not ticked"))
		}
		j.do("describe the wanted person",
			chromedp.SendKeys(chromedp.CSS("#name"), "Keller"),
			chromedp.SendKeys(chromedp.CSS("#forename"), "Jonas"),
			chromedp.SendKeys(chromedp.CSS("#date_of_birth"), "1988-02-14"),
			chromedp.SetValue(chromedp.CSS("#sex"), "M"),
			chromedp.SetValue(chromedp.CSS("#nationality"), "FR"),
			chromedp.SetValue(chromedp.CSS("#warrant_issuing_country"), "FR"),
			chromedp.SendKeys(chromedp.CSS("#warrant_charge"), "Escroquerie en bande organisée"),
			chromedp.SetValue(chromedp.CSS("#warrant_date"), "2025-09-01"),
			chromedp.SendKeys(chromedp.CSS("#warrant_max_penalty_years"), "10"),
		)
		j.shot("diffusion-new-fr")
		j.submit("send the diffusion", "main form button[type=submit]", ".flash")
		j.expect("main h1", "Keller")
		j.expect("main .facts", "Allemagne")
		j.signOut()

		j.signIn("en", "ncb-de")
		j.submit("open the inbox", `.main-nav a[href="/en/workspace/diffusions"]`, "table.diffusions")
		j.expect("table.diffusions", "Keller")
		j.expect("table.diffusions", "France")
		j.submit("read the diffusion", "table.diffusions tbody a", ".facts")
		j.expect("main h1", "Wanted person")
		j.expect("main", "Escroquerie en bande organisée")
		j.shot("diffusion-read-en")
		j.signOut()
	})
}
