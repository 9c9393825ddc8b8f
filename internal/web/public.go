package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/member"
	"github.com/relais/relais/internal/newsroom"
	"github.com/relais/relais/internal/policy"
)

func (w *Web) routes() {
	w.handle("GET /{lang}/{$}", public, w.home)
	w.handle("GET /{lang}/news", public, w.newsList)
	w.handle("GET /{lang}/news/feed.atom", public, w.newsFeed)
	w.handle("GET /{lang}/news/{id}", public, w.newsDetail)
	w.handle("GET /{lang}/news/{id}/print", public, w.newsPrint)
	w.handle("GET /{lang}/news/{id}/photos/{photo}", public, w.newsPhoto)
	w.handle("GET /{lang}/members", public, w.members)

	w.handle("GET /{lang}/workspace/sign-in", preSignIn, w.signInPage)
	w.handle("POST /{lang}/workspace/sign-in", preSignIn, w.signIn)
	w.handle("GET /{lang}/workspace/sign-in/code", preSignIn, w.codePage)
	w.handle("POST /{lang}/workspace/sign-in/code", preSignIn, w.code)
	w.handle("POST /{lang}/workspace/sign-out", signedIn, w.signOut)
	w.handle("GET /{lang}/workspace/{$}", signedIn, w.workspaceHome)
	w.handle("GET /{lang}/workspace/security", signedIn, w.security)
	w.handle("POST /{lang}/workspace/security/totp/new", signedIn, w.totpStart)
	w.handle("POST /{lang}/workspace/security/totp", signedIn, w.totpConfirm)
	w.handle("POST /{lang}/workspace/security/totp/remove", signedIn, w.totpRemove)

	w.handle("GET /{lang}/workspace/news", signedIn, w.pressList)
	w.handle("GET /{lang}/workspace/news/new", signedIn, w.pressNew)
	w.handle("POST /{lang}/workspace/news", signedIn, w.pressCreate)
	w.handle("POST /{lang}/workspace/news/validate", signedIn, w.pressValidate)
	w.handle("GET /{lang}/workspace/news/{id}", signedIn, w.pressEdit)
	w.handle("POST /{lang}/workspace/news/{id}/versions", signedIn, w.pressVersion)
	w.handle("POST /{lang}/workspace/news/{id}/date", signedIn, w.pressDate)
	w.handle("POST /{lang}/workspace/news/{id}/photos", signedIn, w.pressPhoto)
	w.handle("POST /{lang}/workspace/news/{id}/publish", signedIn, w.pressPublish)
	w.handle("POST /{lang}/workspace/news/{id}/withdraw", signedIn, w.pressWithdraw)

	w.handle("GET /{lang}/workspace/audit", signedIn, w.auditView)
	w.noticeRoutes()
	w.diffusionRoutes()
	w.screeningRoutes()
	w.recordRoutes()
	w.publicNoticeRoutes()

	w.handle("/{lang}/", public, func(c *call) { w.renderError(c, http.StatusNotFound, "error.not_found") })
}

func (w *Web) home(c *call) {
	p := c.page("home.title")
	p.Section = "home"
	p.FeedURL = c.href("/news/feed.atom")
	releases, _, err := w.svc.Newsroom.List(c.ctx, policy.Anonymous, newsroom.Filter{Lang: c.loc.Code, Limit: 3})
	if err != nil {
		w.fail(c, err)
		return
	}
	p.Data = releases
	w.render(c, http.StatusOK, "home", p)
}

// newsPerPage is the length of a page of the news list.
const newsPerPage = 10

type newsListData struct {
	Releases   []newsroom.Release
	Total      int
	Page, Last int
	Prev, Next int // neighbouring page numbers; 0 when there is none
}

func (w *Web) newsList(c *call) {
	pg, _ := strconv.Atoi(c.r.URL.Query().Get("page"))
	pg = max(pg, 1)
	releases, total, err := w.svc.Newsroom.List(c.ctx, policy.Anonymous,
		newsroom.Filter{Lang: c.loc.Code, Limit: newsPerPage, Offset: (pg - 1) * newsPerPage})
	if err != nil {
		w.fail(c, err)
		return
	}
	p := c.page("news.title")
	p.Section = "news"
	p.FeedURL = c.href("/news/feed.atom")
	d := newsListData{Releases: releases, Total: total, Page: pg, Last: max(1, (total+newsPerPage-1)/newsPerPage)}
	if pg > 1 {
		d.Prev = pg - 1
	}
	if pg < d.Last {
		d.Next = pg + 1
	}
	p.Data = d
	w.render(c, http.StatusOK, "news", p)
}

// newsData is a release shown in one language.
type newsData struct {
	Release newsroom.Release
	Version newsroom.Version
	Has     bool // the release has a version in the page's language
}

// loadRelease reads the release of the {id} in the path as the caller may
// see it.
func (w *Web) loadRelease(c *call) (newsData, bool) {
	id, err := strconv.ParseInt(c.r.PathValue("id"), 10, 64)
	if err != nil {
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return newsData{}, false
	}
	r, err := w.svc.Newsroom.Get(c.ctx, c.actor(), id)
	if err != nil {
		w.fail(c, err)
		return newsData{}, false
	}
	v, has := r.Version(c.loc.Code)
	return newsData{Release: r, Version: v, Has: has}, true
}

func (w *Web) newsDetail(c *call) {
	d, ok := w.loadRelease(c)
	if !ok {
		return
	}
	p := c.page("news.title")
	p.Section = "news"
	p.Data = d
	w.render(c, http.StatusOK, "news_detail", p)
}

func (w *Web) newsPrint(c *call) {
	d, ok := w.loadRelease(c)
	if !ok {
		return
	}
	if !d.Has {
		c.redirect("/news/" + c.r.PathValue("id"))
		return
	}
	p := c.page("news.title")
	p.Bare = true
	p.Data = d
	w.render(c, http.StatusOK, "news_print", p)
}

func (w *Web) newsPhoto(c *call) {
	id, err1 := strconv.ParseInt(c.r.PathValue("id"), 10, 64)
	photo, err2 := strconv.ParseInt(c.r.PathValue("photo"), 10, 64)
	if err1 != nil || err2 != nil {
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return
	}
	data, ct, err := w.svc.Newsroom.PhotoData(c.ctx, c.actor(), id, photo)
	if err != nil {
		w.fail(c, err)
		return
	}
	c.rw.Header().Set("Content-Type", ct)
	c.rw.Header().Set("Cache-Control", "public, max-age=3600")
	c.rw.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = c.rw.Write(data)
}

// memberRow is a member country as the directory lists it.
type memberRow struct {
	Code, Alpha3, Name, Region, City string
}

type membersData struct {
	Rows    []memberRow
	Q       string
	Region  string
	Regions []string
	Total   int
}

var regions = []string{member.RegionAfrica, member.RegionAmericas, member.RegionAsiaPacific,
	member.RegionEurope, member.RegionMiddleEastNorthAfrica}

func (w *Web) members(c *call) {
	if d := policy.Can(c.actor(), policy.MemberRead, policy.Resource{Kind: "member"}); !d.Allowed {
		w.fail(c, fault.New(fault.Forbidden, "forbidden", "%s", d.Reason))
		return
	}
	q := strings.TrimSpace(c.r.URL.Query().Get("q"))
	region := c.r.URL.Query().Get("region")
	if !slices.Contains(regions, region) {
		region = ""
	}
	all := member.All()
	d := membersData{Q: q, Region: region, Regions: regions, Total: len(all)}
	needle := strings.ToLower(q)
	for _, m := range all {
		row := memberRow{Code: m.Alpha2, Alpha3: m.Alpha3, Name: m.Name(c.loc.Code), Region: m.Region, City: m.NCBCity}
		if region != "" && m.Region != region {
			continue
		}
		if needle != "" && !strings.Contains(strings.ToLower(row.Name), needle) &&
			!strings.EqualFold(m.Alpha2, q) && !strings.EqualFold(m.Alpha3, q) &&
			!strings.Contains(strings.ToLower(m.Name("en")), needle) {
			continue
		}
		d.Rows = append(d.Rows, row)
	}
	// Sorted as the language sorts, not by code points: "Émirats" among the E.
	col := collate.New(language.MustParse(c.loc.Code), collate.Loose)
	slices.SortFunc(d.Rows, func(a, b memberRow) int { return col.CompareString(a.Name, b.Name) })
	p := c.page("members.title")
	p.Section = "members"
	p.Data = d
	w.render(c, http.StatusOK, "members", p)
}
