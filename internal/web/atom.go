package web

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/newsroom"
	"github.com/relais/relais/internal/policy"
)

// Atom 1.0 (RFC 4287) documents, as much of them as the news feed uses.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID        string   `xml:"id"`
	Title     string   `xml:"title"`
	Updated   string   `xml:"updated"`
	Published string   `xml:"published,omitempty"`
	Link      atomLink `xml:"link"`
	Summary   atomText `xml:"summary"`
	Content   atomText `xml:"content"`
}

// feedSize is how many releases the feed carries.
const feedSize = 20

// baseURL is the scheme and host the request reached relais at, so that
// the feed's links work for its reader.
func baseURL(r *http.Request) string {
	scheme := "http"
	if secureRequest(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (w *Web) newsFeed(c *call) {
	releases, _, err := w.svc.Newsroom.List(c.ctx, policy.Anonymous, newsroom.Filter{Lang: c.loc.Code, Limit: feedSize})
	if err != nil {
		w.fail(c, err)
		return
	}
	base := baseURL(c.r) + "/" + c.loc.Code
	f := atomFeed{
		Lang:   c.loc.Code,
		ID:     base + "/news",
		Title:  c.loc.T("site.name") + " · " + c.loc.T("news.title"),
		Author: atomPerson{Name: c.loc.T("news.author")},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + "/news/feed.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/news"},
		},
	}
	// An empty feed still needs an updated time: the epoch of the
	// organisation's newsroom is as good as any and stays stable.
	updated := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, r := range releases {
		v, _ := r.Version(c.loc.Code)
		upd := r.UpdatedAt
		if v.UpdatedAt.After(upd) {
			upd = v.UpdatedAt
		}
		if upd.After(updated) {
			updated = upd
		}
		url := base + "/news/" + strconv.FormatInt(r.ID, 10)
		e := atomEntry{
			ID:      url,
			Title:   v.Title,
			Updated: upd.UTC().Format(time.RFC3339),
			Link:    atomLink{Rel: "alternate", Type: "text/html", Href: url},
			Summary: atomText{Type: "text", Body: v.Place + ", " + c.loc.Date(r.Day()) + " — " + firstParagraph(v)},
			Content: atomText{Type: "text", Body: v.Body},
		}
		if r.PublishedAt != nil {
			e.Published = r.PublishedAt.UTC().Format(time.RFC3339)
		}
		f.Entries = append(f.Entries, e)
	}
	f.Updated = updated.UTC().Format(time.RFC3339)
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		w.fail(c, err)
		return
	}
	c.rw.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = c.rw.Write([]byte(xml.Header))
	_, _ = c.rw.Write(out)
}

func firstParagraph(v newsroom.Version) string {
	ps := v.Paragraphs()
	if len(ps) == 0 {
		return ""
	}
	return strings.TrimSpace(ps[0])
}
