package web

import (
	"html"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/newsroom"
	"github.com/relais/relais/internal/notice"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/screening"
)

type workspaceData struct {
	Drafts        []newsroom.Release // the press office's unpublished releases
	ToReview      []notice.Summary   // submitted requests the user may see
	InfoRequested []notice.Summary   // requests sent back with questions
	NewHits       []screening.Hit    // hits not yet decided
	Diffusions    []notice.Diffusion // the newest sent to the user's country
}

// waitingItems is how many waiting items of each kind the home page lists.
const waitingItems = 10

func (w *Web) workspaceHome(c *call) {
	p := c.page("workspace.title")
	p.Section = "workspace"
	var d workspaceData
	if policy.Can(c.actor(), policy.MediaReleaseList, policy.Resource{Kind: newsroom.ChangeKind, State: policy.MediaDraft}).Allowed {
		drafts, _, err := w.svc.Newsroom.List(c.ctx, c.actor(), newsroom.Filter{State: policy.MediaDraft, Limit: 10})
		if err != nil {
			w.fail(c, err)
			return
		}
		d.Drafts = drafts
	}
	// What waits: the lists show only what policy lets the user see, so a
	// bureau finds its own requests and the General Secretariat everyone's.
	if policy.Can(c.actor(), policy.NoticeList, policy.Resource{Kind: notice.Kind}).Allowed {
		for state, dst := range map[string]*[]notice.Summary{notice.Submitted: &d.ToReview, notice.InfoRequested: &d.InfoRequested} {
			list, _, err := w.svc.Notices.List(c.ctx, c.actor(), notice.Filter{State: state, Limit: waitingItems})
			if err != nil {
				w.fail(c, err)
				return
			}
			*dst = list
		}
	}
	if policy.Can(c.actor(), policy.HitList, policy.Resource{Kind: "hit"}).Allowed {
		hits, err := w.svc.Screening.ListHits(c.ctx, c.actor(), screening.HitFilter{Status: screening.HitNew, Limit: waitingItems})
		if err != nil {
			w.fail(c, err)
			return
		}
		d.NewHits = hits
	}
	diffusions, err := w.recentDiffusionsFor(c)
	if err != nil {
		w.fail(c, err)
		return
	}
	d.Diffusions = diffusions
	p.Data = d
	w.render(c, http.StatusOK, "workspace", p)
}

// --- press office ---

type pressListData struct {
	Releases []newsroom.Release
}

func (w *Web) pressList(c *call) {
	releases, _, err := w.svc.Newsroom.List(c.ctx, c.actor(), newsroom.Filter{State: "any", Limit: 100})
	if err != nil {
		w.fail(c, err)
		return
	}
	p := c.page("press.title")
	p.Section = "press"
	p.Data = pressListData{Releases: releases}
	w.render(c, http.StatusOK, "press_list", p)
}

func (w *Web) pressNew(c *call) {
	if d := policy.Can(c.actor(), policy.MediaReleaseWrite, policy.Resource{Kind: newsroom.ChangeKind}); !d.Allowed {
		w.fail(c, fault.New(fault.Forbidden, "forbidden", "%s", d.Reason))
		return
	}
	p := c.page("press.new")
	p.Section = "press"
	p.Form.Set("date", time.Now().UTC().Format(time.DateOnly))
	p.Form.Set("vlang", c.loc.Code)
	w.render(c, http.StatusOK, "press_new", p)
}

func versionFromForm(c *call) newsroom.Version {
	f := c.r.PostForm
	return newsroom.Version{Lang: f.Get("vlang"), Title: f.Get("title"), Place: f.Get("place"), Body: f.Get("body")}
}

func (w *Web) pressCreate(c *call) {
	r, err := w.svc.Newsroom.Create(c.ctx, c.actor(), c.r.PostFormValue("date"), versionFromForm(c))
	if errs, ok := fieldErrors(err, sameField, c.loc.faultText); ok {
		p := c.page("press.new")
		p.Section = "press"
		p.Form, p.Errors = c.r.PostForm, errs
		w.render(c, http.StatusBadRequest, "press_new", p)
		return
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	c.redirect("/workspace/news/" + strconv.FormatInt(r.ID, 10) + "?done=created")
}

// pressValidate answers htmx's question about one field of a release form
// as the writer leaves it: the message to show under the field, or nothing.
func (w *Web) pressValidate(c *call) {
	field := c.r.Header.Get("HX-Trigger-Name")
	msg := ""
	if field == "date" {
		if _, err := time.Parse(time.DateOnly, strings.TrimSpace(c.r.PostFormValue("date"))); err != nil {
			msg = c.loc.T("fault.invalid_date")
		}
	} else if fe, ok := fault.As(newsroom.CheckVersion(versionFromForm(c))); ok && fe.Field == field {
		msg = c.loc.faultText(fe)
	}
	c.rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = io.WriteString(c.rw, html.EscapeString(msg))
}

// versionForm is one language's form on the edit page.
type versionForm struct {
	Lang    string
	Version newsroom.Version
	Exists  bool
}

type pressEditData struct {
	Release  newsroom.Release
	Versions []versionForm
	Open     string // the language whose form failed, to show it first
}

func (w *Web) releaseID(c *call) (int64, bool) {
	id, err := strconv.ParseInt(c.r.PathValue("id"), 10, 64)
	if err != nil {
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return 0, false
	}
	return id, true
}

func (w *Web) pressEdit(c *call) {
	id, ok := w.releaseID(c)
	if !ok {
		return
	}
	w.renderPressEdit(c, id, http.StatusOK, nil)
}

func (w *Web) renderPressEdit(c *call, id int64, status int, errs map[string]string) {
	if d := policy.Can(c.actor(), policy.MediaReleaseWrite, policy.Resource{Kind: newsroom.ChangeKind}); !d.Allowed {
		w.fail(c, fault.NotFoundf("no such media release"))
		return
	}
	r, err := w.svc.Newsroom.Get(c.ctx, c.actor(), id)
	if err != nil {
		w.fail(c, err)
		return
	}
	d := pressEditData{Release: r}
	for _, l := range newsroom.Languages() {
		v, ok := r.Version(l)
		d.Versions = append(d.Versions, versionForm{Lang: l, Version: v, Exists: ok})
	}
	p := c.page("press.edit")
	p.Section = "press"
	if errs != nil {
		p.Errors = errs
		p.Form = c.r.PostForm
		d.Open = c.r.PostFormValue("vlang")
		// The failed form shows what was typed, not what is stored.
		for i := range d.Versions {
			if d.Versions[i].Lang == d.Open {
				d.Versions[i].Version = versionFromForm(c)
			}
		}
	}
	p.Data = d
	w.render(c, status, "press_edit", p)
}

// pressAction runs one change of release id and shows the edit page again:
// with the error next to its field, or with a note of what was done.
func (w *Web) pressAction(c *call, done string, act func(id int64) error) {
	id, ok := w.releaseID(c)
	if !ok {
		return
	}
	err := act(id)
	if errs, ok := fieldErrors(err, sameField, c.loc.faultText); ok {
		w.renderPressEdit(c, id, http.StatusBadRequest, errs)
		return
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	c.redirect("/workspace/news/" + strconv.FormatInt(id, 10) + "?done=" + done)
}

func (w *Web) pressVersion(c *call) {
	w.pressAction(c, "saved", func(id int64) error {
		return w.svc.Newsroom.SetVersion(c.ctx, c.actor(), id, versionFromForm(c))
	})
}

func (w *Web) pressDate(c *call) {
	w.pressAction(c, "saved", func(id int64) error {
		return w.svc.Newsroom.SetDate(c.ctx, c.actor(), id, c.r.PostFormValue("date"))
	})
}

func (w *Web) pressPhoto(c *call) {
	w.pressAction(c, "photo_added", func(id int64) error {
		f, _, err := c.r.FormFile("photo")
		if err != nil {
			return fault.InvalidField("photo", "invalid_photo", "choose a JPEG or PNG file")
		}
		defer f.Close()
		raw, err := io.ReadAll(io.LimitReader(f, newsroom.MaxPhotoBytes+1))
		if err != nil {
			return err
		}
		_, err = w.svc.Newsroom.AddPhoto(c.ctx, c.actor(), id, raw, c.r.PostFormValue("caption"))
		return err
	})
}

func (w *Web) pressPublish(c *call) {
	w.pressAction(c, "published", func(id int64) error { return w.svc.Newsroom.Publish(c.ctx, c.actor(), id) })
}

func (w *Web) pressWithdraw(c *call) {
	w.pressAction(c, "withdrawn", func(id int64) error { return w.svc.Newsroom.Withdraw(c.ctx, c.actor(), id) })
}

// --- data protection officer ---

type auditData struct {
	Entries []audit.Entry
	Next    int64
}

// auditPage is the length of a page of the audit view.
const auditPage = 50

func (w *Web) auditView(c *call) {
	ctx, actor := c.ctx, c.actor()
	if d := policy.Can(actor, policy.AuditRead, policy.Resource{Kind: "audit"}); !d.Allowed {
		e := audit.Event(ctx, actor, policy.AuditRead, "audit", "")
		e.Outcome, e.Reason = audit.Denied, d.Reason
		if err := w.svc.Journal.Record(ctx, e); err != nil {
			w.fail(c, err)
			return
		}
		w.renderError(c, http.StatusForbidden, "error.forbidden")
		return
	}
	q := c.r.URL.Query()
	p := c.page("audit.title")
	p.Section = "audit"
	p.Form = q
	f := audit.Filter{Actor: strings.TrimSpace(q.Get("actor")), ActorOrg: strings.ToUpper(strings.TrimSpace(q.Get("org"))),
		Action: strings.TrimSpace(q.Get("action")), ResourceKind: strings.TrimSpace(q.Get("kind")),
		ResourceID: strings.TrimSpace(q.Get("id")), Outcome: q.Get("outcome"), Limit: auditPage}
	if s := q.Get("after"); s != "" {
		f.AfterSeq, _ = strconv.ParseInt(s, 10, 64)
	}
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if s := strings.TrimSpace(q.Get(name)); s != "" {
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				p.Errors[name] = c.loc.T("fault.invalid_date")
				continue
			}
			if name == "to" {
				t = t.AddDate(0, 0, 1) // "to" is the last day shown, inclusive
			}
			*dst = t
		}
	}
	var d auditData
	if len(p.Errors) == 0 {
		entries, err := audit.List(ctx, w.svc.Journal.Store(), f)
		if err != nil {
			w.fail(c, err)
			return
		}
		// Reading the trail is itself in the trail.
		e := audit.Event(ctx, actor, policy.AuditRead, "audit", "")
		e.Detail = c.r.URL.RawQuery
		w.svc.Journal.RecordRead(e)
		d.Entries = entries
		if len(entries) == auditPage {
			d.Next = entries[len(entries)-1].Seq
		}
	}
	p.Data = d
	w.render(c, http.StatusOK, "audit", p)
}
