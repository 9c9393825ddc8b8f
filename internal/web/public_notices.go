package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/member"
	"github.com/relais/relais/internal/notice"
)

// The public notice pages: the extracts of Red, Yellow and UN notices that
// the notice service publishes (published, with the bureau's consent and
// no excluded country), searched with the filters of the public API.

// publicLists are the public lists by the path segment that names them.
var publicLists = map[string]notice.PublicKind{
	"red":         notice.PublicRed,
	"yellow":      notice.PublicYellow,
	"un":          notice.PublicUNPersons,
	"un-entities": notice.PublicUNEntities,
}

// publicListOrder is the order of the lists in the site's tabs.
var publicListOrder = []string{"red", "yellow", "un", "un-entities"}

func (w *Web) publicNoticeRoutes() {
	w.handle("GET /{lang}/notices", public, func(c *call) { c.redirect("/notices/red") })
	w.handle("GET /{lang}/notices/{list}", public, w.publicNoticeList)
	w.handle("GET /{lang}/notices/{list}/{year}/{seq}", public, w.publicNoticeDetail)
	w.handle("GET /{lang}/notices/{list}/{year}/{seq}/photos/{pic}", public, w.publicNoticePhoto)
}

// publicPerPage is the length of a page of public notices.
const publicPerPage = 20

type publicListData struct {
	List    string
	Lists   []string
	Notices []notice.Notice
	Total   int
	Page    int
	Prev    int // neighbouring page numbers; 0 when there is none
	Next    int
	UN      bool // the UN lists filter by sanctions reference and resolution
}

func (w *Web) publicNoticeList(c *call) {
	list := c.r.PathValue("list")
	kind, ok := publicLists[list]
	if !ok {
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return
	}
	v := c.r.URL.Query()
	p := c.page("public_notices.title")
	p.Section = "public_notices"
	p.Form = v
	text := func(name string) string { return strings.TrimSpace(v.Get(name)) }
	q := notice.PublicQuery{Kind: kind, Name: text("name"), Forename: text("forename"), FreeText: text("freeText"),
		UNReference: text("unReference"), UNResolution: text("unResolution"), ResultPerPage: publicPerPage}
	for name, dst := range map[string]*string{"nationality": &q.Nationality, "arrestWarrantCountryId": &q.ArrestWarrantCountryID} {
		if s := text(name); s != "" {
			if !member.IsISOCountry(strings.ToUpper(s)) {
				p.Errors[name] = c.loc.T("public_notices.bad_country")
				continue
			}
			*dst = strings.ToUpper(s)
		}
	}
	if s := strings.ToUpper(text("sexId")); s == "M" || s == "F" || s == "U" {
		q.SexID = s
	}
	for name, dst := range map[string]*int{"ageMin": &q.AgeMin, "ageMax": &q.AgeMax} {
		if s := text(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 || n > 150 {
				p.Errors[name] = c.loc.T("public_notices.bad_age")
				continue
			}
			*dst = n
		}
	}
	q.Page, _ = strconv.Atoi(v.Get("page"))
	q.Page = max(q.Page, 1)
	d := publicListData{List: list, Lists: publicListOrder, Page: q.Page,
		UN: kind == notice.PublicUNPersons || kind == notice.PublicUNEntities}
	if len(p.Errors) == 0 {
		notices, total, err := w.svc.Notices.PublicSearch(c.ctx, q)
		if err != nil {
			w.fail(c, err)
			return
		}
		d.Notices, d.Total = notices, total
		if q.Page > 1 {
			d.Prev = q.Page - 1
		}
		if q.Page*publicPerPage < total {
			d.Next = q.Page + 1
		}
	}
	p.Data = d
	status := http.StatusOK
	if len(p.Errors) > 0 {
		status = http.StatusBadRequest
	}
	w.render(c, status, "public_notices", p)
}

type publicNoticeData struct {
	List string
	N    notice.Notice
}

// publicNotice reads the public extract named by the path.
func (w *Web) publicNotice(c *call) (string, notice.Notice, bool) {
	list := c.r.PathValue("list")
	kind, ok := publicLists[list]
	if !ok {
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return "", notice.Notice{}, false
	}
	n, err := w.svc.Notices.PublicGet(c.ctx, kind, c.r.PathValue("year")+"/"+c.r.PathValue("seq"))
	if err != nil {
		w.fail(c, err)
		return "", notice.Notice{}, false
	}
	return list, n, true
}

func (w *Web) publicNoticeDetail(c *call) {
	list, n, ok := w.publicNotice(c)
	if !ok {
		return
	}
	p := c.page("public_notices.title")
	p.Section = "public_notices"
	p.Data = publicNoticeData{List: list, N: n}
	w.render(c, http.StatusOK, "public_notice", p)
}

func (w *Web) publicNoticePhoto(c *call) {
	pic, err := strconv.ParseInt(c.r.PathValue("pic"), 10, 64)
	if err != nil {
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return
	}
	kind, ok := publicLists[c.r.PathValue("list")]
	if !ok {
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return
	}
	ref, data, err := w.svc.Notices.PublicPhoto(c.ctx, kind, c.r.PathValue("year")+"/"+c.r.PathValue("seq"), pic)
	if err != nil {
		w.fail(c, err)
		return
	}
	c.rw.Header().Set("Content-Type", ref.ContentType)
	c.rw.Header().Set("Cache-Control", "public, max-age=3600")
	c.rw.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = c.rw.Write(data)
}

// PageQuery is the current query with page set, for the pager.
func (p *page) PageQuery(n int) string {
	q := url.Values{}
	for k, v := range p.Form {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	return q.Encode()
}
