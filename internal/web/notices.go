package web

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/notice"
	"github.com/relais/relais/internal/policy"
)

// The notice pages of the workspace. The notice service decides everything
// (who may see, change and review, which step follows which); the pages only
// offer the steps that policy allows the user on the notice in its state and
// show the service's answer.

func (w *Web) noticeRoutes() {
	w.handle("GET /{lang}/workspace/notices", signedIn, w.noticeList)
	w.handle("GET /{lang}/workspace/notices/new", signedIn, w.noticeNew)
	w.handle("POST /{lang}/workspace/notices", signedIn, w.noticeCreate)
	w.handle("POST /{lang}/workspace/notices/validate", signedIn, w.noticeValidate)
	w.handle("GET /{lang}/workspace/notices/{id}", signedIn, w.noticeDetail)
	w.handle("GET /{lang}/workspace/notices/{id}/photos/{n}", signedIn, w.noticePhoto)
	w.handle("POST /{lang}/workspace/notices/{id}/photos", signedIn, w.noticeAddPhoto)
	w.handle("POST /{lang}/workspace/notices/{id}/{step}", signedIn, w.noticeStep)
}

// noticeStates are the states a notice list may be filtered by.
var noticeStates = []string{notice.Draft, notice.Submitted, notice.InReview, notice.InfoRequested,
	notice.Published, notice.Refused, notice.Cancelled, notice.Withdrawn}

// formTypes are the notice types the workspace has a form for.
var formTypes = []notice.Type{notice.Red, notice.Yellow}

type noticeListData struct {
	Notices []notice.Summary
	Total   int
	Types   []notice.Type
	States  []string
	CanNew  bool
	Next    int // offset of the next page; 0 when this is the last
}

// noticesPerPage is the length of a page of the notice list.
const noticesPerPage = 50

func (w *Web) noticeList(c *call) {
	q := c.r.URL.Query()
	f := notice.Filter{Type: q.Get("type"), State: q.Get("state"), Country: strings.ToUpper(strings.TrimSpace(q.Get("country"))),
		Q: strings.TrimSpace(q.Get("q")), Limit: noticesPerPage}
	f.Offset, _ = strconv.Atoi(q.Get("offset"))
	f.Offset = max(f.Offset, 0)
	list, total, err := w.svc.Notices.List(c.ctx, c.actor(), f)
	if err != nil {
		w.fail(c, err)
		return
	}
	p := c.page("notices.title")
	p.Section = "notices"
	p.Form = q
	d := noticeListData{Notices: list, Total: total, Types: notice.Types(), States: noticeStates,
		CanNew: policy.Can(c.actor(), policy.NoticeCreate, policy.Resource{Kind: notice.Kind, Owner: c.actor().Org}).Allowed}
	if f.Offset+len(list) < total {
		d.Next = f.Offset + noticesPerPage
	}
	p.Data = d
	w.render(c, http.StatusOK, "notices", p)
}

type noticeNewData struct {
	Type  notice.Type
	Types []notice.Type
}

func (w *Web) noticeNew(c *call) {
	if d := policy.Can(c.actor(), policy.NoticeCreate, policy.Resource{Kind: notice.Kind, Owner: c.actor().Org}); !d.Allowed {
		w.fail(c, fault.New(fault.Forbidden, "forbidden", "%s", d.Reason))
		return
	}
	t, ok := notice.ParseType(c.r.URL.Query().Get("type"))
	if !ok || !slices.Contains(formTypes, t) {
		t = notice.Red
	}
	p := c.page("notices.new")
	p.Section = "notices"
	p.Form.Set("type", string(t))
	p.Form.Set("public", "on")
	p.Data = noticeNewData{Type: t, Types: formTypes}
	w.render(c, http.StatusOK, "notice_new", p)
}

// requestFromForm builds a notice request from the form of its type. Empty
// fields stay empty: the service says which of them it needs.
func requestFromForm(f url.Values) notice.Request {
	v := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	t, _ := notice.ParseType(v("type"))
	req := notice.Request{Public: f.Get("public") != ""}
	req.Type = t
	s := &notice.Subject{Name: v("name"), Forename: v("forename"), DateOfBirth: v("date_of_birth"),
		PlaceOfBirth: v("place_of_birth"), Sex: v("sex")}
	if n := v("nationality"); n != "" {
		s.Nationalities = []string{n}
	}
	req.Subject = s
	req.Description = v("description")
	switch t {
	case notice.Red:
		wr := notice.Warrant{IssuingCountry: v("warrant_issuing_country"), Charge: v("warrant_charge"),
			Reference: v("warrant_reference"), Date: v("warrant_date")}
		if y := v("warrant_max_penalty_years"); y != "" {
			// A number that does not read stays 0, which the service refuses
			// with its own explanation of the threshold.
			wr.MaxPenaltyYears, _ = strconv.ParseFloat(strings.ReplaceAll(y, ",", "."), 64)
		}
		req.ArrestWarrants = []notice.Warrant{wr}
	case notice.Yellow:
		req.Disappearance = &notice.Event{Date: v("disappearance_date"), Place: v("disappearance_place"),
			Country: v("disappearance_country")}
	}
	return req
}

// noticeFields are the fields of the notice forms; a service error on any
// other field is shown above the form.
var noticeFields = []string{"name", "forename", "date_of_birth", "place_of_birth", "sex", "nationality",
	"warrant_issuing_country", "warrant_charge", "warrant_reference", "warrant_date", "warrant_max_penalty_years",
	"disappearance_date", "disappearance_place", "disappearance_country", "description"}

var indexRE = regexp.MustCompile(`\[\d+\]`)

// noticeFormField is the form field of a field path of the notice service
// ("subject.nationalities[0]" → "nationality").
func noticeFormField(path string) string {
	f := indexRE.ReplaceAllString(path, "")
	f = strings.TrimPrefix(f, "subject.")
	switch f {
	case "subject":
		f = "name"
	case "arrest_warrants":
		f = "warrant_charge"
	case "disappearance":
		f = "disappearance_date"
	case "nationalities":
		f = "nationality"
	}
	f = strings.NewReplacer("arrest_warrants.", "warrant_", "disappearance.", "disappearance_").Replace(f)
	if slices.Contains(noticeFields, f) {
		return f
	}
	return "_"
}

func (w *Web) noticeCreate(c *call) {
	req := requestFromForm(c.r.PostForm)
	n, err := w.svc.Notices.Create(c.ctx, c.actor(), req)
	if fe, ok := fault.As(err); ok && fe.Kind == fault.Invalid {
		t := req.Type
		if !slices.Contains(formTypes, t) {
			t = notice.Red
		}
		p := c.page("notices.new")
		p.Section = "notices"
		p.Form = c.r.PostForm
		p.Errors = map[string]string{noticeFormField(fe.Field): c.loc.faultText(fe)}
		p.Data = noticeNewData{Type: t, Types: formTypes}
		w.render(c, http.StatusBadRequest, "notice_new", p)
		return
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	c.redirect("/workspace/notices/" + strconv.FormatInt(n.ID, 10) + "?done=notice_created")
}

// noticeValidate answers htmx's question about one field of a notice form
// as the officer leaves it: the service's message for that field, or
// nothing. The service checks the whole request and names the first field
// at fault; a field is flagged only when it is that one.
func (w *Web) noticeValidate(c *call) {
	field := c.r.Header.Get("HX-Trigger-Name")
	req := requestFromForm(c.r.PostForm)
	msg := ""
	if fe, ok := fault.As(req.Data.Validate(time.Now().UTC())); ok && noticeFormField(fe.Field) == field {
		msg = c.loc.faultText(fe)
	}
	c.rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = io.WriteString(c.rw, html.EscapeString(msg))
}

// noticeStep is one step the user may take on a notice.
type noticeStep struct {
	Name   string // the path segment and catalogue key: submit, start-review…
	Reason string // the form field the step needs ("" for none)
}

// noticeSteps are the workflow's steps, each with the policy action that
// allows it and the states it starts from. The states only choose which
// buttons to offer; the service checks the transition.
var noticeSteps = []struct {
	step   noticeStep
	action policy.Action
	from   []string
}{
	{noticeStep{Name: "submit"}, policy.NoticeSubmit, []string{notice.Draft, notice.InfoRequested}},
	{noticeStep{Name: "start-review"}, policy.NoticeStartReview, []string{notice.Submitted}},
	{noticeStep{Name: "request-info", Reason: "questions"}, policy.NoticeRequestInfo, []string{notice.InReview}},
	{noticeStep{Name: "refuse", Reason: "reason"}, policy.NoticeRefuse, []string{notice.InReview}},
	{noticeStep{Name: "cancel", Reason: "reason"}, policy.NoticeCancel,
		[]string{notice.Draft, notice.Submitted, notice.InReview, notice.InfoRequested, notice.Published}},
	{noticeStep{Name: "withdraw", Reason: "reason"}, policy.NoticeWithdraw, []string{notice.Published}},
}

type noticeDetailData struct {
	N         notice.Notice
	Steps     []noticeStep
	Approve   bool     // the review screen: the checklist and the approval
	Checklist []string // the items the reviewer confirms
	AddPhoto  bool
	Open      string // the step whose form failed
}

// resourceOf is the notice as policy sees it, to choose the buttons.
func resourceOf(n notice.Notice) policy.Resource {
	au := policy.Audience{Mode: policy.AllMembers}
	if len(n.ExcludedCountries) > 0 {
		au = policy.Audience{Mode: policy.AllButListed, Countries: n.ExcludedCountries}
	}
	return policy.Resource{Kind: notice.Kind, ID: strconv.FormatInt(n.ID, 10), Owner: n.Owner, Audience: au, State: n.State}
}

// checklist lists what a reviewer confirms before approving a notice of
// type t: the items the service's approval asks for.
func checklist(t notice.Type) []string {
	items := []string{"art2", "art3", "identifiers"}
	if t == notice.Red {
		items = append(items, "serious_offence")
	}
	return items
}

func (w *Web) noticeID(c *call) (int64, bool) {
	id, err := strconv.ParseInt(c.r.PathValue("id"), 10, 64)
	if err != nil {
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return 0, false
	}
	return id, true
}

func (w *Web) noticeDetail(c *call) {
	id, ok := w.noticeID(c)
	if !ok {
		return
	}
	w.renderNotice(c, id, http.StatusOK, nil, "")
}

func (w *Web) renderNotice(c *call, id int64, status int, errs map[string]string, open string) {
	n, err := w.svc.Notices.Get(c.ctx, c.actor(), id)
	if err != nil {
		w.fail(c, err)
		return
	}
	actor, res := c.actor(), resourceOf(n)
	d := noticeDetailData{N: n, Open: open, Checklist: checklist(n.Type)}
	for _, s := range noticeSteps {
		if slices.Contains(s.from, n.State) && policy.Can(actor, s.action, res).Allowed {
			d.Steps = append(d.Steps, s.step)
		}
	}
	d.Approve = n.State == notice.InReview && policy.Can(actor, policy.NoticeApprove, res).Allowed
	d.AddPhoto = (n.State == notice.Draft || n.State == notice.InfoRequested) && policy.Can(actor, policy.NoticeUpdate, res).Allowed
	p := c.page("notices.title")
	p.Section = "notices"
	// After a failed step the language switcher leads to the notice, not
	// to the step's form action.
	p.Path = "/workspace/notices/" + strconv.FormatInt(id, 10)
	if errs != nil {
		p.Errors = errs
		p.Form = c.r.PostForm
	}
	p.Data = d
	w.render(c, status, "notice_detail", p)
}

// noticeStep runs a step of the workflow and shows the notice again: with
// the error by its form, or with a note of what was done.
func (w *Web) noticeStep(c *call) {
	id, ok := w.noticeID(c)
	if !ok {
		return
	}
	step := c.r.PathValue("step")
	why := strings.TrimSpace(c.r.PostFormValue("reason"))
	ctx, actor, svc := c.ctx, c.actor(), w.svc.Notices
	var err error
	switch step {
	case "submit":
		_, err = svc.Submit(ctx, actor, id)
	case "start-review":
		_, err = svc.StartReview(ctx, actor, id)
	case "request-info":
		why = strings.TrimSpace(c.r.PostFormValue("questions"))
		_, err = svc.RequestInfo(ctx, actor, id, why)
	case "refuse":
		_, err = svc.Refuse(ctx, actor, id, why)
	case "cancel":
		_, err = svc.Cancel(ctx, actor, id, why)
	case "withdraw":
		_, err = svc.Withdraw(ctx, actor, id, why)
	case "approve":
		a := notice.Approval{Checklist: map[string]bool{}, Comment: strings.TrimSpace(c.r.PostFormValue("comment"))}
		for _, k := range c.r.PostForm["checklist"] {
			a.Checklist[k] = true
		}
		// An unticked item is sent as false, so that the service names the
		// first one missing.
		n, gerr := svc.Get(ctx, actor, id)
		if gerr != nil {
			w.fail(c, gerr)
			return
		}
		for _, k := range checklist(n.Type) {
			a.Checklist[k] = a.Checklist[k]
		}
		_, err = svc.Approve(ctx, actor, id, a)
	default:
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return
	}
	if fe, ok := fault.As(err); ok && (fe.Kind == fault.Invalid || fe.Kind == fault.Conflict) {
		field := "_"
		if fe.Kind == fault.Invalid && fe.Field != "" {
			field = step
		}
		w.renderNotice(c, id, http.StatusBadRequest, map[string]string{field: c.loc.faultText(fe)}, step)
		return
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	c.redirect("/workspace/notices/" + strconv.FormatInt(id, 10) + "?done=notice_" + strings.ReplaceAll(step, "-", "_"))
}

func (w *Web) noticeAddPhoto(c *call) {
	id, ok := w.noticeID(c)
	if !ok {
		return
	}
	err := func() error {
		f, _, err := c.r.FormFile("photo")
		if err != nil {
			return fault.InvalidField("photo", "invalid_photo", "choose a JPEG or PNG file")
		}
		defer f.Close()
		raw, err := io.ReadAll(io.LimitReader(f, notice.MaxPhotoBytes+1))
		if err != nil {
			return err
		}
		_, err = w.svc.Notices.AddPhoto(c.ctx, c.actor(), id, raw)
		return err
	}()
	if fe, ok := fault.As(err); ok && fe.Kind == fault.Invalid {
		w.renderNotice(c, id, http.StatusBadRequest, map[string]string{"photo": c.loc.faultText(fe)}, "")
		return
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	c.redirect("/workspace/notices/" + strconv.FormatInt(id, 10) + "?done=photo_added")
}

func (w *Web) noticePhoto(c *call) {
	id, ok := w.noticeID(c)
	if !ok {
		return
	}
	nth, err := strconv.Atoi(c.r.PathValue("n"))
	if err != nil {
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return
	}
	ref, data, err := w.svc.Notices.Photo(c.ctx, c.actor(), id, nth)
	if err != nil {
		w.fail(c, err)
		return
	}
	c.rw.Header().Set("Content-Type", ref.ContentType)
	c.rw.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = c.rw.Write(data)
}

// formField is one field of a form template: its name (also the catalogue
// key of its label, and of its hint when the catalogue has one) and its
// input type.
type formField struct {
	P          *page
	Name, Type string
	Hint       string
}

// NF describes field name of a notice form for the field templates.
func (p *page) NF(name, typ string) formField {
	f := formField{P: p, Name: name, Type: typ}
	if p.L.Has("notices.h." + name) {
		f.Hint = p.T("notices.h." + name)
	}
	return f
}

// Sexes are the values of a subject's sex the forms offer.
func (p *page) Sexes() []string { return []string{"F", "M", "U"} }

// NextOffset is the current query with offset set, for the next page of a
// list.
func (p *page) NextOffset(offset int) string {
	q := url.Values{}
	for k, v := range p.Form {
		q[k] = v
	}
	q.Set("offset", strconv.Itoa(offset))
	return q.Encode()
}
