package web

import (
	"encoding/json"
	"fmt"
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
	w.handle("GET /{lang}/workspace/notices/{id}/edit", signedIn, w.noticeEdit)
	w.handle("POST /{lang}/workspace/notices/{id}/edit", signedIn, w.noticeUpdate)
	w.handle("GET /{lang}/workspace/notices/{id}/photos/{n}", signedIn, w.noticePhoto)
	w.handle("POST /{lang}/workspace/notices/{id}/photos", signedIn, w.noticeAddPhoto)
	w.handle("POST /{lang}/workspace/notices/{id}/{step}", signedIn, w.noticeStep)
}

// noticeStates are the states a notice list may be filtered by.
var noticeStates = []string{notice.Draft, notice.Submitted, notice.InReview, notice.InfoRequested,
	notice.Published, notice.Refused, notice.Cancelled, notice.Withdrawn}

type noticeListData struct {
	Notices []notice.Summary
	Total   int
	Types   []notice.Type
	States  []string
	New     []notice.Type // the types the user may request
	Next    int           // offset of the next page; 0 when this is the last
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
	d := noticeListData{Notices: list, Total: total, Types: notice.Types(), States: noticeStates, New: creatableTypes(c.actor())}
	if f.Offset+len(list) < total {
		d.Next = f.Offset + noticesPerPage
	}
	p.Data = d
	w.render(c, http.StatusOK, "notices", p)
}

// creatableTypes are the notice types the actor may request, in the
// organisation's order.
func creatableTypes(a policy.Actor) []notice.Type {
	var out []notice.Type
	for _, t := range notice.Types() {
		if policy.Can(a, policy.NoticeCreate, policy.Resource{Kind: notice.Kind, Owner: notice.OwnerFor(a, t)}).Allowed {
			out = append(out, t)
		}
	}
	return out
}

// noticeFormData is what the form of one notice type shows: which parts
// it has is the page's layout; which fields are required, the service says.
type noticeFormData struct {
	Type   notice.Type
	Action string        // where the form posts, without the language
	Edit   notice.Notice // the notice being changed; ID 0 on a new one
	// FieldsAtFault is true when the form comes back with messages by
	// its fields, which a notice above the form announces.
	FieldsAtFault bool
}

// fieldsAtFault reports whether errs has a message by a field, not only
// above the form.
func fieldsAtFault(errs map[string]string) bool {
	for f := range errs {
		if f != "_" {
			return true
		}
	}
	return false
}

// Person says how the form asks for a person: "required" for the types
// that are about one, "optional" for the others.
func (d noticeFormData) Person() string {
	if d.Type.AboutPerson() {
		return "required"
	}
	return "optional"
}

// DescribesThing is true for the types that may describe an event, a
// method or assets instead of a person: their description comes first.
func (d noticeFormData) DescribesThing() bool {
	return d.Type == notice.Orange || d.Type == notice.Purple || d.Type == notice.Silver
}

func newNoticeForm(t notice.Type) noticeFormData {
	return noticeFormData{Type: t, Action: "/workspace/notices"}
}

func (w *Web) noticeNew(c *call) {
	types := creatableTypes(c.actor())
	if len(types) == 0 {
		w.fail(c, fault.New(fault.Forbidden, "forbidden", "notices are requested by an officer of the requesting bureau"))
		return
	}
	t, ok := notice.ParseType(c.r.URL.Query().Get("type"))
	if !ok {
		t = types[0]
	}
	if !slices.Contains(types, t) {
		d := policy.Can(c.actor(), policy.NoticeCreate, policy.Resource{Kind: notice.Kind, Owner: notice.OwnerFor(c.actor(), t)})
		w.fail(c, fault.New(fault.Forbidden, "forbidden", "%s", d.Reason))
		return
	}
	p := c.page("notices.new")
	p.Section = "notices"
	p.Form.Set("type", string(t))
	p.Form.Set("public", "on")
	p.Data = newNoticeForm(t)
	w.render(c, http.StatusOK, "notice_new", p)
}

// fillRequest sets on req what the form of req's type shows, leaving the
// rest of the notice (fields only the API writes) as it is. Empty fields
// stay empty: the service says which of them it needs.
func fillRequest(req *notice.Request, f url.Values) {
	v := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	filled := func(keys ...string) bool {
		return slices.ContainsFunc(keys, func(k string) bool { return v(k) != "" })
	}
	t := req.Type
	req.Public = f.Get("public") != ""
	req.Description = v("description")

	s := req.Subject
	if s == nil {
		s = &notice.Subject{}
	}
	s.Name, s.Forename, s.DateOfBirth, s.PlaceOfBirth = v("name"), v("forename"), v("date_of_birth"), v("place_of_birth")
	s.Sex, s.DistinguishingMarks = v("sex"), v("distinguishing_marks")
	s.Aliases = lines(f.Get("aliases"))
	s.Nationalities = replaceFirst(s.Nationalities, v("nationality"))
	req.Subject = nil
	if t.AboutPerson() || filled(personFields...) {
		req.Subject = s
	}

	switch t {
	case notice.Red:
		// A red notice may rest on a conviction alone (sent through the
		// API); the form then adds a warrant only when one is typed in.
		if len(req.ArrestWarrants) == 0 && (req.Conviction == nil || filled(warrantFields...)) {
			req.ArrestWarrants = []notice.Warrant{{}}
		}
		if len(req.ArrestWarrants) > 0 {
			wr := &req.ArrestWarrants[0]
			wr.IssuingCountry, wr.Charge, wr.Reference, wr.Date = v("warrant_issuing_country"), v("warrant_charge"), v("warrant_reference"), v("warrant_date")
			// A number that does not read stays 0, which the service
			// refuses with its own explanation of the threshold.
			wr.MaxPenaltyYears, _ = strconv.ParseFloat(strings.ReplaceAll(v("warrant_max_penalty_years"), ",", "."), 64)
		}
	case notice.Yellow:
		req.Disappearance = eventFromForm(req.Disappearance, v, "disappearance")
	case notice.Black:
		req.Discovery = eventFromForm(req.Discovery, v, "discovery")
	case notice.UN:
		req.UN = &notice.UNInfo{Reference: v("un_reference"), Resolution: v("un_resolution"), Committee: v("un_committee")}
		req.Entity = nil
		if filled("entity_name", "entity_aliases", "entity_country") {
			req.Entity = &notice.Entity{Name: v("entity_name"), Aliases: lines(f.Get("entity_aliases")), Country: v("entity_country")}
		}
	}
}

// personFields and warrantFields are the form fields of a person and of an
// arrest warrant.
var (
	personFields  = []string{"name", "forename", "aliases", "date_of_birth", "place_of_birth", "sex", "nationality", "distinguishing_marks"}
	warrantFields = []string{"warrant_issuing_country", "warrant_charge", "warrant_reference", "warrant_date", "warrant_max_penalty_years"}
)

// eventFromForm sets the date, place and country of a disappearance or a
// discovery (fields prefix_date…), keeping what the form does not show; an
// event left empty is none.
func eventFromForm(e *notice.Event, v func(string) string, prefix string) *notice.Event {
	date, place, country := v(prefix+"_date"), v(prefix+"_place"), v(prefix+"_country")
	if date == "" && place == "" && country == "" {
		return nil
	}
	if e == nil {
		e = &notice.Event{}
	}
	e.Date, e.Place, e.Country = date, place, country
	return e
}

// lines splits a text area into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// replaceFirst sets the first of a list the form shows one of (a
// nationality), keeping the others.
func replaceFirst(list []string, v string) []string {
	var rest []string
	if len(list) > 1 {
		rest = list[1:]
	}
	if v == "" {
		return rest
	}
	return append([]string{v}, rest...)
}

// noticeForm is the form of a notice's current content.
func noticeForm(n notice.Notice) url.Values {
	f := url.Values{"type": {string(n.Type)}, "version": {strconv.Itoa(n.Version)}}
	set := func(k, v string) {
		if v != "" {
			f.Set(k, v)
		}
	}
	if n.Public {
		f.Set("public", "on")
	}
	set("description", n.Description)
	if s := n.Subject; s != nil {
		set("name", s.Name)
		set("forename", s.Forename)
		set("aliases", strings.Join(s.Aliases, "\n"))
		set("date_of_birth", s.DateOfBirth)
		set("place_of_birth", s.PlaceOfBirth)
		set("sex", s.Sex)
		if len(s.Nationalities) > 0 {
			set("nationality", s.Nationalities[0])
		}
		set("distinguishing_marks", s.DistinguishingMarks)
	}
	if len(n.ArrestWarrants) > 0 {
		wr := n.ArrestWarrants[0]
		set("warrant_issuing_country", wr.IssuingCountry)
		set("warrant_charge", wr.Charge)
		set("warrant_reference", wr.Reference)
		set("warrant_date", wr.Date)
		set("warrant_max_penalty_years", strconv.FormatFloat(wr.MaxPenaltyYears, 'f', -1, 64))
	}
	for prefix, e := range map[string]*notice.Event{"disappearance": n.Disappearance, "discovery": n.Discovery} {
		if e != nil {
			set(prefix+"_date", e.Date)
			set(prefix+"_place", e.Place)
			set(prefix+"_country", e.Country)
		}
	}
	if u := n.UN; u != nil {
		set("un_reference", u.Reference)
		set("un_resolution", u.Resolution)
		set("un_committee", u.Committee)
	}
	if e := n.Entity; e != nil {
		set("entity_name", e.Name)
		set("entity_aliases", strings.Join(e.Aliases, "\n"))
		set("entity_country", e.Country)
	}
	return f
}

// noticeFields are the fields of the notice forms; a service error on any
// other field is shown above the form.
var noticeFields = slices.Concat(personFields, warrantFields, []string{
	"disappearance_date", "disappearance_place", "disappearance_country",
	"discovery_date", "discovery_place", "discovery_country", "description",
	"un_reference", "un_resolution", "un_committee", "entity_name", "entity_aliases", "entity_country"})

var indexRE = regexp.MustCompile(`\[\d+\]`)

// noticeFormField is the form field of a field path of the notice service
// ("subject.nationalities[0]" → "nationality").
func noticeFormField(path string) string {
	f := indexRE.ReplaceAllString(path, "")
	f = strings.TrimPrefix(f, "subject.")
	// A part that is missing as a whole is shown at its first field.
	switch f {
	case "subject":
		f = "name"
	case "arrest_warrants":
		f = "warrant_charge"
	case "disappearance", "discovery":
		f += "_date"
	case "un":
		f = "un_reference"
	case "entity":
		f = "entity_name"
	case "nationalities":
		f = "nationality"
	}
	f = strings.NewReplacer("arrest_warrants.", "warrant_", "disappearance.", "disappearance_",
		"discovery.", "discovery_", "un.", "un_", "entity.", "entity_").Replace(f)
	if slices.Contains(noticeFields, f) {
		return f
	}
	return "_"
}

func (w *Web) noticeCreate(c *call) {
	req := notice.Request{}
	req.Type, _ = notice.ParseType(c.r.PostFormValue("type"))
	fillRequest(&req, c.r.PostForm)
	n, err := w.svc.Notices.Create(c.ctx, c.actor(), req)
	if errs, ok := fieldErrors(err, noticeFormField, c.loc.faultText); ok {
		t := req.Type
		if !slices.Contains(notice.Types(), t) {
			t = notice.Red
		}
		p := c.page("notices.new")
		p.Section = "notices"
		p.Form = c.r.PostForm
		p.Errors = errs
		d := newNoticeForm(t)
		d.FieldsAtFault = fieldsAtFault(errs)
		p.Data = d
		w.render(c, http.StatusBadRequest, "notice_new", p)
		return
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	c.redirect("/workspace/notices/" + strconv.FormatInt(n.ID, 10) + "?done=notice_created")
}

// editable loads a notice the actor may change in its present state: not
// found when the actor may not know of it, forbidden when policy refuses,
// a conflict when the state allows no change.
func (w *Web) editable(c *call, id int64) (notice.Notice, error) {
	n, err := w.svc.Notices.Get(c.ctx, c.actor(), id)
	if err != nil {
		return n, err
	}
	if d := policy.Can(c.actor(), policy.NoticeUpdate, resourceOf(n)); !d.Allowed {
		return n, fault.New(fault.Forbidden, "forbidden", "%s", d.Reason)
	}
	if !slices.Contains(notice.Actions(n.State), policy.NoticeUpdate) {
		return n, fault.New(fault.Conflict, "invalid_state", "a notice that is %s cannot be changed", n.State)
	}
	return n, nil
}

func (w *Web) renderEdit(c *call, n notice.Notice, status int, form url.Values, errs map[string]string) {
	p := c.page("notices.edit")
	p.Section = "notices"
	p.Path = "/workspace/notices/" + strconv.FormatInt(n.ID, 10) + "/edit"
	p.Form = form
	if errs != nil {
		p.Errors = errs
	}
	p.Data = noticeFormData{Type: n.Type, Action: p.Path, Edit: n, FieldsAtFault: fieldsAtFault(errs)}
	w.render(c, status, "notice_new", p)
}

func (w *Web) noticeEdit(c *call) {
	id, ok := w.noticeID(c)
	if !ok {
		return
	}
	n, err := w.editable(c, id)
	if err != nil {
		w.fail(c, err)
		return
	}
	w.renderEdit(c, n, http.StatusOK, noticeForm(n), nil)
}

// noticeUpdate saves the edited form as a new version: the service
// receives the merge patch from the notice as it is to the notice as the
// form has it, so that fields the form does not show stay as they are, and
// the version the form was opened at, so that a version saved meanwhile by
// someone else is not overwritten unseen.
func (w *Web) noticeUpdate(c *call) {
	id, ok := w.noticeID(c)
	if !ok {
		return
	}
	n, err := w.editable(c, id)
	if err != nil {
		w.fail(c, err)
		return
	}
	cur := notice.Request{Data: n.Data, Public: n.Public, ExcludedCountries: n.ExcludedCountries}
	next, err := cloneRequest(cur)
	if err != nil {
		w.fail(c, err)
		return
	}
	fillRequest(&next, c.r.PostForm)
	// A form without a version (opened before forms carried one) changes
	// the current version.
	opened, _ := strconv.Atoi(c.r.PostFormValue("version"))
	patch, err := notice.Patch(cur, next)
	if err == nil {
		_, err = w.svc.Notices.Update(c.ctx, c.actor(), id, opened, patch)
	}
	form := c.r.PostForm
	form.Set("type", string(n.Type))
	if fe, ok := fault.As(err); ok && fe.Code == notice.StaleVersion {
		w.renderStale(c, n, form)
		return
	}
	if errs, ok := fieldErrors(err, noticeFormField, c.loc.faultText); ok {
		status := http.StatusBadRequest
		if fault.Is(err, fault.Conflict) {
			status = http.StatusConflict
		}
		w.renderEdit(c, n, status, form, errs)
		return
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	c.redirect("/workspace/notices/" + strconv.FormatInt(id, 10) + "?done=notice_updated")
}

// renderStale shows the edit form again, with the user's unsaved changes,
// when another version was saved after the form was opened: it says which,
// and a second save, made knowingly, replaces that version.
// n is the notice as this request read it, the version the form missed.
func (w *Web) renderStale(c *call, n notice.Notice, form url.Values) {
	last := n.Versions[len(n.Versions)-1] // a notice has at least its first version
	msg := c.loc.T("notices.stale", last.Version, last.Author, c.loc.DateTime(last.At))
	form.Set("version", strconv.Itoa(last.Version))
	w.renderEdit(c, n, http.StatusConflict, form, map[string]string{"_": msg})
}

// cloneRequest copies a request deeply, so that the form's changes leave
// the original to compare with.
func cloneRequest(r notice.Request) (notice.Request, error) {
	var out notice.Request
	raw, err := json.Marshal(r)
	if err != nil {
		return out, fmt.Errorf("copy notice: %w", err)
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return out, fmt.Errorf("copy notice: %w", err)
	}
	return out, nil
}

// noticeValidate answers htmx's question about one field of a notice form
// as the officer leaves it: the service's message for that field, or
// nothing. The service checks the whole request and names every field at
// fault; only the one left is flagged, so that fields not yet reached are
// not.
func (w *Web) noticeValidate(c *call) {
	field := c.r.Header.Get("HX-Trigger-Name")
	req := notice.Request{}
	req.Type, _ = notice.ParseType(c.r.PostFormValue("type"))
	fillRequest(&req, c.r.PostForm)
	errs, _ := fieldErrors(req.Data.Validate(time.Now().UTC()), noticeFormField, c.loc.faultText)
	c.rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = io.WriteString(c.rw, html.EscapeString(errs[field]))
}

// noticeStep is one step the user may take on a notice.
type noticeStep struct {
	Name   string // the path segment and catalogue key: submit, start-review…
	Reason string // the form field the step needs ("" for none)
}

// noticeSteps are the workflow's steps with the policy action of each,
// in the order the page offers them. The notice package says which steps a
// state allows, policy who may take them; the service checks both again.
var noticeSteps = []struct {
	step   noticeStep
	action policy.Action
}{
	{noticeStep{Name: "submit"}, policy.NoticeSubmit},
	{noticeStep{Name: "start-review"}, policy.NoticeStartReview},
	{noticeStep{Name: "request-info", Reason: "questions"}, policy.NoticeRequestInfo},
	{noticeStep{Name: "refuse", Reason: "reason"}, policy.NoticeRefuse},
	{noticeStep{Name: "cancel", Reason: "reason"}, policy.NoticeCancel},
	{noticeStep{Name: "withdraw", Reason: "reason"}, policy.NoticeWithdraw},
}

type noticeDetailData struct {
	N         notice.Notice
	Steps     []noticeStep
	Approve   bool     // the review screen: the checklist and the approval
	Checklist []string // the items the reviewer confirms
	Edit      bool     // the user may change the notice (and add photos)
	Open      string   // the step whose form failed
}

// resourceOf is the notice as policy sees it, to choose the buttons.
func resourceOf(n notice.Notice) policy.Resource {
	au := policy.Audience{Mode: policy.AllMembers}
	if len(n.ExcludedCountries) > 0 {
		au = policy.Audience{Mode: policy.AllButListed, Countries: n.ExcludedCountries}
	}
	return policy.Resource{Kind: notice.Kind, ID: strconv.FormatInt(n.ID, 10), Owner: n.Owner, Audience: au, State: n.State}
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
	actor, res, allowed := c.actor(), resourceOf(n), notice.Actions(n.State)
	may := func(act policy.Action) bool {
		return slices.Contains(allowed, act) && policy.Can(actor, act, res).Allowed
	}
	d := noticeDetailData{N: n, Open: open, Checklist: notice.Checklist(n.Type)}
	for _, s := range noticeSteps {
		if may(s.action) {
			d.Steps = append(d.Steps, s.step)
		}
	}
	d.Approve = may(policy.NoticeApprove)
	d.Edit = may(policy.NoticeUpdate)
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
		for _, k := range notice.Checklist(n.Type) {
			a.Checklist[k] = a.Checklist[k]
		}
		_, err = svc.Approve(ctx, actor, id, a)
	default:
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return
	}
	// The step's form has one field: its reason, or its checklist.
	atStep := func(field string) string {
		if field == "" {
			return "_"
		}
		return step
	}
	if errs, ok := fieldErrors(err, atStep, c.loc.faultText); ok {
		w.renderNotice(c, id, http.StatusBadRequest, errs, step)
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

// Part names a part of a notice's data (a field the version history lists
// as changed) in the page's language.
func (p *page) Part(field string) string {
	if p.L.Has("notices.part." + field) {
		return p.T("notices.part." + field)
	}
	return field
}
