package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/member"
	"github.com/relais/relais/internal/policy"
)

//go:embed templates
var templateFiles embed.FS

// pageTemplate is one page: the layout with the page's own blocks.
type pageTemplate struct {
	name string
	tmpl *template.Template
}

// mustParsePages parses every page under templates/pages with the layout.
func mustParsePages() map[string]*pageTemplate {
	pages, err := parsePages()
	if err != nil {
		panic(err)
	}
	return pages
}

func parsePages() (map[string]*pageTemplate, error) {
	base, err := template.New("base").ParseFS(templateFiles, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFiles, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*pageTemplate{}
	for _, n := range names {
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, n)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(path.Base(n), ".html")
		out[name] = &pageTemplate{name: name, tmpl: t}
	}
	return out, nil
}

// page is what every template sees.
type page struct {
	L       *locale
	Title   string // a catalogue key
	Path    string // the path without the language prefix, for the language switcher
	Query   string // the query string, kept by the language switcher
	Section string // the part of the site, to mark the navigation
	Actor   policy.Actor
	Name    string // the signed-in user's display name
	CSRF    string
	Flash   string // a catalogue key: what just happened
	Errors  map[string]string
	Form    url.Values
	FeedURL string
	Data    any
	// Bare pages (print views) have no navigation.
	Bare bool
}

// T returns the text of key in the page's language.
func (p *page) T(key string, args ...any) string { return p.L.T(key, args...) }

// Href is path in the page's language.
func (p *page) Href(path string) string { return "/" + p.L.Code + path }

// Switch is the current page in language code.
func (p *page) Switch(code string) string {
	u := "/" + code + p.Path
	if p.Query != "" {
		u += "?" + p.Query
	}
	return u
}

// LangName is the name of language code in that language.
func (p *page) LangName(code string) string { return locales[code].T("lang.self") }

// Langs are the interface languages.
func (p *page) Langs() []string { return Languages }

// Country is the name of a member country (or any ISO country) in the
// page's language.
func (p *page) Country(code string) string {
	if code == policy.GeneralSecretariat {
		return p.T("org.gs")
	}
	if c, ok := member.Lookup(code); ok {
		return c.Name(p.L.Code)
	}
	return code
}

// Can asks the policy whether the signed-in user may take action (on no
// particular resource), to decide which links to offer.
func (p *page) Can(action string) bool {
	return policy.Can(p.Actor, policy.Action(action), policy.Resource{}).Allowed
}

// SignedIn reports whether a user is signed in.
func (p *page) SignedIn() bool { return p.Actor.Authenticated() }

// Field is the value the form had.
func (p *page) Field(name string) string { return p.Form.Get(name) }

// Err is the error message of a form field.
func (p *page) Err(name string) string { return p.Errors[name] }

// Date and DateTime format times in the page's language.
func (p *page) Date(t time.Time) string     { return p.L.Date(t) }
func (p *page) DateTime(t time.Time) string { return p.L.DateTime(t) }

// Number formats n in the page's language.
func (p *page) Number(n int) string { return p.L.Number(n) }

// Is compares two strings, for marking the selected option.
func (p *page) Is(a, b string) bool { return a == b }

// Outcomes are the outcomes an audit entry may have.
func (p *page) Outcomes() []string { return []string{audit.Allowed, audit.Denied, audit.Failed} }

// NextQuery is the current query with after set, for the next page of a list.
func (p *page) NextQuery(after int64) string {
	q := url.Values{}
	for k, v := range p.Form {
		q[k] = v
	}
	q.Set("after", strconv.FormatInt(after, 10))
	return q.Encode()
}

// newPage starts the page of a call.
func (c *call) page(title string) *page {
	p := &page{L: c.loc, Title: title, Form: url.Values{}, Errors: map[string]string{}, Actor: c.actor()}
	p.Path = strings.TrimPrefix(c.r.URL.Path, "/"+c.loc.Code)
	if c.r.Method == http.MethodGet {
		p.Query = c.r.URL.RawQuery
	}
	if c.sess != nil {
		p.CSRF = c.sess.csrf
		if !c.sess.secondFactor {
			p.Name = c.sess.user.DisplayName
			if p.Name == "" {
				p.Name = c.sess.user.Username
			}
		}
	}
	if f := c.r.URL.Query().Get("done"); f != "" && c.loc.Has("flash."+f) {
		p.Flash = "flash." + f
	}
	return p
}

// render writes page p with template name.
func (w *Web) render(c *call, status int, name string, p *page) {
	pt, ok := w.pages[name]
	if !ok {
		w.log.Error("no such page template", "page", name)
		http.Error(c.rw, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := pt.tmpl.ExecuteTemplate(&buf, "layout", p); err != nil {
		w.log.Error("render page", "page", name, "err", err)
		http.Error(c.rw, "internal error", http.StatusInternalServerError)
		return
	}
	c.rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.rw.Header().Set("Content-Language", c.loc.Code)
	c.rw.WriteHeader(status)
	_, _ = c.rw.Write(buf.Bytes())
}

// errorData is what the error page shows.
type errorData struct {
	Message string // a catalogue key
	Detail  string // the service's own explanation, when there is one
	Status  int
}

func (w *Web) renderError(c *call, status int, key string) {
	p := c.page("error.title")
	p.Data = errorData{Message: key, Status: status}
	w.render(c, status, "error", p)
}

func (w *Web) renderErrorDetail(c *call, status int, key string, err error) {
	p := c.page("error.title")
	d := errorData{Message: key, Status: status}
	if fe, ok := fault.As(err); ok {
		d.Detail = c.loc.faultText(fe)
	}
	p.Data = d
	w.render(c, status, "error", p)
}

// faultText is the message of a service error in the interface language:
// the catalogue's text for its code when there is one, else the service's
// own (English) message, which at least says what to fix.
func (l *locale) faultText(fe *fault.Error) string {
	if fe.Code != "" && l.Has("fault."+fe.Code) {
		return l.T("fault." + fe.Code)
	}
	return fe.Message
}

// fieldErrors turns a service error that a form explains (invalid input,
// or a change the thing's state refuses) into messages by form field: every
// fault the error collects, the first of each field. formField names the
// form's field for the service's, "_" for above the form; text words a fault
// in the interface language. ok is false for an error the form does not
// explain.
func fieldErrors(err error, formField func(string) string, text func(*fault.Error) string) (errs map[string]string, ok bool) {
	fe, ok := fault.As(err)
	if !ok || (fe.Kind != fault.Invalid && fe.Kind != fault.Conflict) {
		return nil, false
	}
	faults := fe.Errors
	if len(faults) == 0 {
		faults = []*fault.Error{fe}
	}
	errs = map[string]string{}
	for _, e := range faults {
		if field := formField(e.Field); errs[field] == "" {
			errs[field] = text(e)
		}
	}
	return errs, true
}

// sameField shows a fault at the form field of the service's name, and one
// that names no field above the form.
func sameField(field string) string {
	if field == "" {
		return "_"
	}
	return field
}

// aboveForm shows every fault above the form, which has no field for it.
func aboveForm(string) string { return "_" }

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext keeps a post-sign-in destination only when it is a path of this
// site in the workspace, so that the sign-in page cannot send anyone away.
func safeNext(next, lang string) string {
	if next == "" || !strings.HasPrefix(next, "/"+lang+"/workspace/") || strings.ContainsAny(next, "\\\r\n") ||
		strings.HasPrefix(next, "//") {
		return "/" + lang + "/workspace/"
	}
	return next
}
