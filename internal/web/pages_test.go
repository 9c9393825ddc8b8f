package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/relais/relais/internal/app/apptest"
	"github.com/relais/relais/internal/demo"
	"github.com/relais/relais/internal/web"
)

// TestEveryReachablePageIsAccessible follows every link (and every search
// form, sent as it stands) from the public home and from the workspace home
// of each role, in every language, and checks each page against the rules
// of pageChecks. Problems are reported once, with the pages that have them.
func TestEveryReachablePageIsAccessible(t *testing.T) {
	s := apptest.New(t, "sqlite")
	ctx := context.Background()
	if _, err := demo.SeedNews(ctx, s.Accounts, s.Newsroom); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedNotices(ctx, s.Accounts, s.Notices); err != nil {
		t.Fatal(err)
	}
	// A person record shared with everyone, so that record pages are
	// reachable from the lists.
	fr := newClient(t, s)
	fr.signIn("en", "ncb-fr")
	fr.get("/en/workspace/records/persons/new")
	if a := fr.post("/en/workspace/records/persons", url.Values{"name": {"Jean Valjean"}, "birth_date": {"1969"},
		"nationality": {"FR"}, "sex": {"M"}, "reason": {"Escaped convict"}, "audience_mode": {"all"}}); a.status != http.StatusSeeOther {
		t.Fatalf("enter a person: %d\n%s", a.status, a.body)
	}

	crawls := []struct {
		who   string   // a demo account; empty for the public
		start string   // without the language prefix
		reach []string // pages the crawl must find, without the language prefix
	}{
		{"", "/", []string{"/news", "/notices/red", "/members"}},
		{"ncb-fr", "/workspace/", []string{"/workspace/notices", "/workspace/diffusions", "/workspace/records", "/workspace/hits"}},
		{"gs-reviewer", "/workspace/", []string{"/workspace/notices", "/workspace/diffusions"}},
		{"border-de", "/workspace/", []string{"/workspace/screening"}},
		{"dpo", "/workspace/", []string{"/workspace/audit", "/workspace/review-due"}},
		{"press", "/workspace/", []string{"/workspace/news"}},
	}
	// Pages no link leads to, with the answer they must give.
	errorPages := []struct {
		who, path string
		status    int
	}{
		{"", "/no/such/page", http.StatusNotFound},
		{"", "/news/999999", http.StatusNotFound},
		{"border-de", "/workspace/news/new", http.StatusForbidden},
		{"press", "/workspace/notices/999999", http.StatusNotFound},
	}

	problems := map[string][]string{} // problem → pages
	visited := 0
	for _, lang := range web.Languages {
		for _, cr := range crawls {
			c := newClient(t, s)
			if cr.who != "" {
				c.signIn(lang, cr.who)
			}
			cw := &crawler{c: c, lang: lang, who: cr.who, seen: map[string]bool{}, problems: problems}
			cw.crawl("/" + lang + cr.start)
			for _, p := range cr.reach {
				if !cw.seen["/"+lang+p] {
					t.Errorf("%s in %s: no link leads to %s", cw.name(), lang, p)
				}
			}
			if len(cw.seen) >= maxPagesPerCrawl {
				t.Errorf("%s in %s: more than %d pages; a link generator loops", cw.name(), lang, maxPagesPerCrawl)
			}
			visited += len(cw.seen)
		}
		for _, ep := range errorPages {
			c := newClient(t, s)
			if ep.who != "" {
				c.signIn(lang, ep.who)
			}
			path := "/" + lang + ep.path
			a := c.get(path)
			cw := &crawler{c: c, lang: lang, who: ep.who, seen: map[string]bool{}, problems: problems}
			if a.status != ep.status {
				cw.report(path, fmt.Sprintf("status %d, want %d", a.status, ep.status))
				continue
			}
			cw.check(path, a)
		}
	}
	t.Logf("%d pages checked in %d languages", visited, len(web.Languages))
	keys := make([]string, 0, len(problems))
	for k := range problems {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		pages := problems[k]
		more := ""
		if len(pages) > 4 {
			more = fmt.Sprintf(" and %d more", len(pages)-4)
			pages = pages[:4]
		}
		t.Errorf("%s\n\ton %s%s", k, strings.Join(pages, ", "), more)
	}
}

// maxPagesPerCrawl stops a crawl that would never end.
const maxPagesPerCrawl = 400

// crawler visits the pages one user reaches in one language.
type crawler struct {
	c        *client
	lang     string
	who      string
	seen     map[string]bool
	problems map[string][]string
}

func (cw *crawler) name() string {
	if cw.who == "" {
		return "the public"
	}
	return cw.who
}

// report notes problem on page; the same problem in other languages counts
// as one.
func (cw *crawler) report(page, problem string) {
	key := problem
	if cw.lang != "" {
		key = strings.ReplaceAll(problem, "/"+cw.lang+"/", "/{lang}/")
	}
	key = "[" + cw.name() + "] " + key
	cw.problems[key] = append(cw.problems[key], page)
}

func (cw *crawler) crawl(start string) {
	queue := []string{start}
	cw.seen[start] = true
	for len(queue) > 0 && len(cw.seen) < maxPagesPerCrawl {
		path := queue[0]
		queue = queue[1:]
		a := cw.c.get(path)
		var next []string
		switch {
		case a.status == http.StatusSeeOther || a.status == http.StatusFound:
			next = []string{a.header.Get("Location")}
		case a.status != http.StatusOK:
			cw.report(path, fmt.Sprintf("a link leads to status %d", a.status))
			continue
		case !strings.HasPrefix(a.header.Get("Content-Type"), "text/html"):
			continue // a photo, a feed
		default:
			next = cw.check(path, a)
		}
		for _, n := range next {
			u, err := url.Parse(n)
			if err != nil || u.IsAbs() || !strings.HasPrefix(u.Path, "/"+cw.lang+"/") {
				continue
			}
			u.Fragment = ""
			if key := u.String(); !cw.seen[key] {
				cw.seen[key] = true
				queue = append(queue, key)
			}
		}
	}
}

// check reports what is wrong with page and returns the addresses it leads
// to: its links and its search forms sent as they stand.
func (cw *crawler) check(page string, a answer) []string {
	doc := parseHTML(a.body)
	p := &checkedPage{lang: cw.lang, path: page, doc: doc, body: a.body}
	for _, c := range pageChecks {
		for _, problem := range c.check(p) {
			cw.report(page, c.name+": "+problem)
		}
	}
	var next []string
	for _, e := range doc {
		if e.name == "a" && e.has("href") && !e.has("hreflang") && !strings.HasPrefix(e.attr("href"), "#") {
			next = append(next, resolve(page, e.attr("href")))
		}
	}
	return append(next, getForms(page, doc)...)
}

// resolve turns href on page into a path.
func resolve(page, href string) string {
	base, _ := url.Parse(page)
	ref, err := url.Parse(href)
	if err != nil {
		return href
	}
	return base.ResolveReference(ref).String()
}

// getForms returns the address each GET form of doc sends to, with the
// values its fields have.
func getForms(page string, doc []element) []string {
	var out []string
	for i, f := range doc {
		if f.name != "form" || strings.EqualFold(f.attr("method"), "post") {
			continue
		}
		q := url.Values{}
		for j, e := range doc {
			if e.form != i || !e.has("name") || e.has("disabled") {
				continue
			}
			switch e.name {
			case "input":
				typ := strings.ToLower(e.attr("type"))
				if (typ == "checkbox" || typ == "radio") && !e.has("checked") || typ == "submit" || typ == "file" {
					continue
				}
				q.Add(e.attr("name"), e.attr("value"))
			case "select":
				q.Add(e.attr("name"), selectedOption(doc, j))
			case "textarea":
				q.Add(e.attr("name"), e.text)
			}
		}
		target := resolve(page, f.attr("action"))
		if !f.has("action") {
			target = strings.SplitN(page, "?", 2)[0]
		}
		out = append(out, target+"?"+q.Encode())
	}
	return out
}

// selectedOption is the value a select sends: its selected option, else
// its first.
func selectedOption(doc []element, sel int) string {
	first, found := "", false
	for _, o := range doc {
		if o.name != "option" || o.selectAt != sel {
			continue
		}
		v := o.attr("value")
		if !o.has("value") {
			v = strings.TrimSpace(o.text)
		}
		if o.has("selected") {
			return v
		}
		if !found {
			first, found = v, true
		}
	}
	return first
}

// checkedPage is a page under check.
type checkedPage struct {
	lang, path, body string
	doc              []element
}

func (p *checkedPage) all(name string) []element {
	var out []element
	for _, e := range p.doc {
		if e.name == name {
			out = append(out, e)
		}
	}
	return out
}

func (p *checkedPage) ids() map[string]int {
	ids := map[string]int{}
	for _, e := range p.doc {
		if e.has("id") {
			ids[e.attr("id")]++
		}
	}
	return ids
}

// needsLabel reports whether e is a field that a person fills in or ticks.
func needsLabel(e element) bool {
	switch e.name {
	case "select", "textarea":
		return true
	case "input":
		switch strings.ToLower(e.attr("type")) {
		case "hidden", "submit", "button", "reset", "image":
			return false
		}
		return true
	}
	return false
}

// pageChecks are the rules every page keeps.
var pageChecks = []struct {
	name  string
	check func(p *checkedPage) []string
}{
	{"language", func(p *checkedPage) []string {
		h := p.all("html")
		dir := "ltr"
		if p.lang == "ar" {
			dir = "rtl"
		}
		if len(h) != 1 || h[0].attr("lang") != p.lang || h[0].attr("dir") != dir {
			return []string{fmt.Sprintf("<html> is not lang=%q dir=%q", p.lang, dir)}
		}
		return nil
	}},
	{"headings", func(p *checkedPage) []string {
		if n := len(p.all("h1")); n != 1 {
			return []string{fmt.Sprintf("%d <h1>, want exactly one", n)}
		}
		return nil
	}},
	{"ids", func(p *checkedPage) []string {
		var out []string
		for id, n := range p.ids() {
			if n > 1 {
				out = append(out, fmt.Sprintf("id %q is used %d times", id, n))
			}
		}
		sort.Strings(out)
		return out
	}},
	{"references", func(p *checkedPage) []string {
		ids := p.ids()
		var out []string
		for _, e := range p.doc {
			refs := map[string][]string{
				"aria-labelledby":  strings.Fields(e.attr("aria-labelledby")),
				"aria-describedby": strings.Fields(e.attr("aria-describedby")),
				"aria-controls":    strings.Fields(e.attr("aria-controls")),
			}
			if e.name == "label" && e.has("for") {
				refs["for"] = []string{e.attr("for")}
			}
			if e.name == "a" && strings.HasPrefix(e.attr("href"), "#") && len(e.attr("href")) > 1 {
				refs["href"] = []string{e.attr("href")[1:]}
			}
			for attr, targets := range refs {
				for _, id := range targets {
					if ids[id] == 0 {
						out = append(out, fmt.Sprintf("<%s %s> names id %q, which the page lacks", e.name, attr, id))
					}
				}
			}
		}
		return out
	}},
	{"labels", func(p *checkedPage) []string {
		labelled := map[string]bool{}
		for _, l := range p.all("label") {
			labelled[l.attr("for")] = true
		}
		var out []string
		for _, e := range p.doc {
			if !needsLabel(e) {
				continue
			}
			if e.inLabel || e.has("id") && labelled[e.attr("id")] ||
				strings.TrimSpace(e.attr("aria-label")) != "" || strings.TrimSpace(e.attr("aria-labelledby")) != "" {
				continue
			}
			out = append(out, fmt.Sprintf("<%s name=%q> has no label", e.name, e.attr("name")))
		}
		return out
	}},
	{"images", func(p *checkedPage) []string {
		var out []string
		for _, e := range p.all("img") {
			if !e.has("alt") {
				out = append(out, fmt.Sprintf("<img src=%q> has no alt", e.attr("src")))
			}
		}
		return out
	}},
	{"focus order", func(p *checkedPage) []string {
		var out []string
		for _, e := range p.doc {
			if n, err := strconv.Atoi(e.attr("tabindex")); err == nil && n > 0 {
				out = append(out, fmt.Sprintf("<%s tabindex=%d> breaks the reading order", e.name, n))
			}
		}
		body := slices.IndexFunc(p.doc, func(e element) bool { return e.name == "body" })
		first := slices.IndexFunc(p.doc, func(e element) bool {
			return e.name == "a" || e.name == "button" || e.name == "input" || e.name == "select" || e.name == "textarea"
		})
		if body >= 0 && first > body &&
			(p.doc[first].name != "a" || p.doc[first].attr("href") != "#main") {
			out = append(out, "the first thing to focus is not the skip link to #main")
		}
		return out
	}},
	{"csrf", func(p *checkedPage) []string {
		var out []string
		for i, f := range p.doc {
			if f.name != "form" || !strings.EqualFold(f.attr("method"), "post") {
				continue
			}
			ok := slices.ContainsFunc(p.doc, func(e element) bool {
				return e.form == i && e.name == "input" && e.attr("type") == "hidden" && e.attr("name") == "csrf" && e.attr("value") != ""
			})
			if !ok {
				out = append(out, fmt.Sprintf("the form posting to %s has no CSRF token", f.attr("action")))
			}
		}
		return out
	}},
	{"inline code", func(p *checkedPage) []string {
		var out []string
		for _, e := range p.doc {
			if e.name == "script" && !e.has("src") || e.name == "style" {
				out = append(out, fmt.Sprintf("an inline <%s>", e.name))
			}
			for k := range e.attrs {
				if k == "style" || strings.HasPrefix(k, "on") {
					out = append(out, fmt.Sprintf("<%s %s=…> is inline code the CSP blocks", e.name, k))
				}
			}
		}
		return out
	}},
	{"catalogue", func(p *checkedPage) []string {
		// The catalogue prints a missing key as ‼key.
		if i := strings.Index(p.body, "‼"); i >= 0 {
			j := i + len("‼")
			for j < len(p.body) && (p.body[j] == '.' || p.body[j] == '_' || p.body[j] >= 'a' && p.body[j] <= 'z') {
				j++
			}
			return []string{fmt.Sprintf("text missing from the catalogue: %s", p.body[i:j])}
		}
		return nil
	}},
	{"links", func(p *checkedPage) []string {
		var out []string
		for _, e := range p.doc {
			var target string
			switch {
			case e.name == "a" && e.has("href"):
				target = e.attr("href")
			case e.name == "form" && e.has("action"):
				target = e.attr("action")
			default:
				continue
			}
			u, err := url.Parse(target)
			if err != nil || u.IsAbs() || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "/static/") {
				continue
			}
			for k := range u.Query() {
				if strings.ContainsAny(k, "=&") {
					// html/template escapes a query printed after a literal "?".
					out = append(out, fmt.Sprintf("<%s> %.80s has its query escaped twice", e.name, target))
					break
				}
			}
			other := e.attr("hreflang")
			if e.name == "a" && other != "" {
				// The language switcher: the same page in another language.
				if !strings.HasPrefix(u.Path, "/"+other+"/") || !sameAfterLang(u.Path, p.path) {
					out = append(out, fmt.Sprintf("the %s link %s is not this page in %s", other, target, other))
				}
				continue
			}
			if !strings.HasPrefix(u.Path, "/"+p.lang+"/") {
				out = append(out, fmt.Sprintf("<%s> leads to %s, out of /%s/", e.name, target, p.lang))
			}
		}
		return out
	}},
}

// sameAfterLang reports whether two paths differ only in their language.
func sameAfterLang(a, b string) bool {
	strip := func(s string) string {
		s = strings.SplitN(s, "?", 2)[0]
		if i := strings.Index(s[1:], "/"); i >= 0 {
			return s[i+1:]
		}
		return s
	}
	return strip(a) == strip(b)
}

// element is one start tag of a page.
type element struct {
	name     string
	attrs    map[string]string
	text     string // of script, style, textarea, title and option
	inLabel  bool   // inside a <label>
	form     int    // index of the enclosing form; -1 outside
	selectAt int    // index of the enclosing select; -1 outside
}

func (e element) has(name string) bool    { _, ok := e.attrs[name]; return ok }
func (e element) attr(name string) string { return e.attrs[name] }
func isNameByte(b byte) bool              { return b == '-' || b == ':' || isAlnum(b) }
func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}
func isSpace(b byte) bool                   { return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' }
func indexFold(s, sub string, from int) int { return indexAt(strings.ToLower(s), sub, from) }

func indexAt(s, sub string, from int) int {
	if i := strings.Index(s[from:], sub); i >= 0 {
		return from + i
	}
	return -1
}

// rawText elements hold text up to their end tag, not markup.
var rawText = map[string]bool{"script": true, "style": true, "textarea": true, "title": true}

// parseHTML lists the start tags of an HTML document, with their attributes
// and where they sit (in a label, in a form, in a select). It reads the
// markup relais writes, not every HTML a browser forgives.
func parseHTML(s string) []element {
	var out []element
	labels, form, sel := 0, -1, -1
	for i := 0; i < len(s); {
		lt := indexAt(s, "<", i)
		if lt < 0 {
			break
		}
		i = lt + 1
		switch {
		case strings.HasPrefix(s[lt:], "<!--"):
			end := indexAt(s, "-->", lt+4)
			if end < 0 {
				return out
			}
			i = end + 3
			continue
		case strings.HasPrefix(s[lt:], "<!"), strings.HasPrefix(s[lt:], "<?"):
			if end := indexAt(s, ">", lt); end >= 0 {
				i = end + 1
			}
			continue
		case strings.HasPrefix(s[lt:], "</"):
			j := lt + 2
			for j < len(s) && isNameByte(s[j]) {
				j++
			}
			switch strings.ToLower(s[lt+2 : j]) {
			case "label":
				labels = max(0, labels-1)
			case "form":
				form = -1
			case "select":
				sel = -1
			}
			if end := indexAt(s, ">", j); end >= 0 {
				i = end + 1
			}
			continue
		case lt+1 >= len(s) || !isAlnum(s[lt+1]):
			continue // a bare "<" in text
		}
		j := lt + 1
		for j < len(s) && isNameByte(s[j]) {
			j++
		}
		e := element{name: strings.ToLower(s[lt+1 : j]), attrs: map[string]string{}, inLabel: labels > 0, form: form, selectAt: sel}
		for j < len(s) {
			for j < len(s) && (isSpace(s[j]) || s[j] == '/') {
				j++
			}
			if j >= len(s) || s[j] == '>' {
				break
			}
			k := j
			for k < len(s) && !isSpace(s[k]) && s[k] != '=' && s[k] != '>' && s[k] != '/' {
				k++
			}
			name := strings.ToLower(s[j:k])
			value := ""
			if k < len(s) && s[k] == '=' {
				k++
				if k < len(s) && (s[k] == '"' || s[k] == '\'') {
					end := indexAt(s, string(s[k]), k+1)
					if end < 0 {
						return out
					}
					value, k = s[k+1:end], end+1
				} else {
					v := k
					for k < len(s) && !isSpace(s[k]) && s[k] != '>' {
						k++
					}
					value = s[v:k]
				}
			}
			if k == j {
				k++ // a stray character; skip it
			}
			e.attrs[name] = html.UnescapeString(value)
			j = k
		}
		i = j + 1
		if rawText[e.name] {
			end := indexFold(s, "</"+e.name, i)
			if end < 0 {
				end = len(s)
			}
			e.text, i = html.UnescapeString(s[i:end]), end
		}
		if e.name == "option" {
			end := indexAt(s, "<", i)
			if end < 0 {
				end = len(s)
			}
			e.text = html.UnescapeString(s[i:end])
		}
		out = append(out, e)
		switch e.name {
		case "label":
			labels++
		case "form":
			form = len(out) - 1
		case "select":
			sel = len(out) - 1
		}
	}
	return out
}

func TestParseHTML(t *testing.T) {
	doc := parseHTML(`<!doctype html><html lang="fr" dir=ltr><!-- <h1> --><body>
<form method="post" action="/fr/x"><label>Nom <input name=a value="l&#39;x"></label>
<select id=s name=s><option value="1">un<option value="2" selected>deux</select>
<textarea name=t><b>not a tag</b></textarea></form><p>3 < 4</p><img src="/a.png" alt=""></body></html>`)
	var names []string
	for _, e := range doc {
		names = append(names, e.name)
	}
	if got := strings.Join(names, " "); got != "html body form label input select option option textarea p img" {
		t.Fatalf("elements: %s", got)
	}
	tests := []struct {
		what      string
		got, want any
	}{
		{"html dir", doc[0].attr("dir"), "ltr"},
		{"input in the label", doc[4].inLabel, true},
		{"select outside the label", doc[5].inLabel, false},
		{"input in the form", doc[4].form, 2},
		{"escaped value", doc[4].attr("value"), "l'x"},
		{"selected option", selectedOption(doc, 5), "2"},
		{"textarea text", doc[8].text, "<b>not a tag</b>"},
		{"img after the form", doc[10].form, -1},
		{"empty alt is present", doc[10].has("alt"), true},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %v, want %v", tt.what, tt.got, tt.want)
		}
	}
}

// goodPage is a page that keeps every rule; the cases of
// TestPageChecksFindProblems break one rule each.
const goodPage = `<!doctype html><html lang="fr" dir="ltr"><head><title>T</title>
<script src="/static/htmx.min.js" defer></script></head><body>
<a class="skip-link" href="#main">Aller au contenu</a>
<nav><a href="/en/workspace/x" hreflang="en">English</a><a href="/fr/news?page=2">Suite</a></nav>
<main id="main"><h1>Titre</h1>
<form method="post" action="/fr/workspace/x"><input type="hidden" name="csrf" value="tok">
<label for="q">Nom</label><input id="q" name="q" aria-describedby="q-error"><p id="q-error"></p>
<label>Pays <select name="c"><option>FR</option></select></label>
<textarea name="t" aria-label="Texte"></textarea><button type="submit">Envoyer</button></form>
<img src="/x.png" alt=""></main></body></html>`

func TestPageChecksFindProblems(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"good", "", "", ""},
		{"language", `dir="ltr"`, `dir="rtl"`, "language: <html> is not"},
		{"no h1", "<h1>Titre</h1>", "", "headings: 0 <h1>"},
		{"two h1", "<h1>Titre</h1>", "<h1>A</h1><h1>B</h1>", "headings: 2 <h1>"},
		{"duplicate id", `<h1>`, `<h1 id="q">`, `ids: id "q" is used 2 times`},
		{"dangling describedby", `<p id="q-error"></p>`, "", `references: <input aria-describedby> names id "q-error"`},
		{"no label", `<label for="q">Nom</label>`, "", `labels: <input name="q"> has no label`},
		{"img without alt", `alt=""`, "", "images: <img"},
		{"positive tabindex", `<h1>`, `<h1 tabindex="2">`, "focus order: <h1 tabindex=2>"},
		{"skip link not first", `<a class="skip-link"`, `<a href="/fr/">x</a><a class="skip-link"`, "focus order: the first thing"},
		{"no csrf", `value="tok"`, `value=""`, "csrf: the form posting to /fr/workspace/x"},
		{"inline script", `</main>`, `<script>alert(1)</script></main>`, "inline code: an inline <script>"},
		{"style attribute", `<h1>`, `<h1 style="color:red">`, "inline code: <h1 style=…>"},
		{"event handler", `<h1>`, `<h1 onclick="x()">`, "inline code: <h1 onclick=…>"},
		{"missing text", "Titre", "‼news.title", "catalogue: text missing from the catalogue: ‼news.title"},
		{"other language", `/fr/news?page=2`, `/es/news?page=2`, "links: <a> leads to /es/news?page=2, out of /fr/"},
		{"switcher elsewhere", `/en/workspace/x`, `/en/news`, "links: the en link /en/news is not this page in en"},
		{"escaped query", `page=2`, `page%3d2%26q%3dx`, "links: <a> /fr/news?page%3d2%26q%3dx has its query escaped twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.Replace(goodPage, tt.old, tt.new, 1)
			if body == goodPage && tt.old != "" {
				t.Fatalf("%q is not in the good page", tt.old)
			}
			p := &checkedPage{lang: "fr", path: "/fr/workspace/x", doc: parseHTML(body), body: body}
			var got []string
			for _, c := range pageChecks {
				for _, problem := range c.check(p) {
					got = append(got, c.name+": "+problem)
				}
			}
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("problems on a good page: %q", got)
			case tt.want != "" && (len(got) != 1 || !strings.HasPrefix(got[0], tt.want)):
				t.Errorf("got %q, want one problem %q", got, tt.want)
			}
		})
	}
}
