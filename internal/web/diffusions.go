package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/member"
	"github.com/relais/relais/internal/notice"
	"github.com/relais/relais/internal/policy"
)

// The diffusion pages of the workspace: a bureau writes to the countries it
// chooses, its recipients read at once, and the sender may turn a diffusion
// into a notice request. The notice service decides who sees and does what;
// the pages only choose which links and buttons to offer.

func (w *Web) diffusionRoutes() {
	w.handle("GET /{lang}/workspace/diffusions", signedIn, w.diffusionList)
	w.handle("GET /{lang}/workspace/diffusions/new", signedIn, w.diffusionNew)
	w.handle("POST /{lang}/workspace/diffusions", signedIn, w.diffusionSend)
	w.handle("GET /{lang}/workspace/diffusions/{id}", signedIn, w.diffusionDetail)
	w.handle("POST /{lang}/workspace/diffusions/{id}/to-notice", signedIn, w.diffusionToNotice)
}

// Boxes of the diffusion list: a bureau's inbox (sent to its country) and
// what it sent; those who do not send (the General Secretariat's overseers)
// see every diffusion policy shows them.
const (
	boxInbox = "inbox"
	boxSent  = "sent"
	boxAll   = "all"
)

// diffusionKinds are the kinds of diffusion, in the order the form offers them.
var diffusionKinds = []string{"wanted", "missing", "information", "warning"}

// diffusionsPerPage is the length of a page of the diffusion list.
const diffusionsPerPage = 25

// recentDiffusions is how many diffusions the workspace home lists.
const recentDiffusions = 5

// sendDecision is whether policy lets the user send diffusions for their
// bureau.
func sendDecision(a policy.Actor) policy.Decision {
	return policy.Can(a, policy.DiffusionSend, policy.Resource{Kind: notice.DiffusionKind, Owner: a.Org})
}

// boxesFor are the boxes the user's list offers, the first one shown by default.
func boxesFor(a policy.Actor) []string {
	if sendDecision(a).Allowed {
		return []string{boxInbox, boxSent}
	}
	return []string{boxAll}
}

// serviceBoxes are the notice service's names of the boxes.
var serviceBoxes = map[string]string{boxInbox: notice.BoxReceived, boxSent: notice.BoxSent, boxAll: notice.BoxAll}

// diffusionBox reads n diffusions of box after skipping offset of them,
// newest first, and reports whether more follow.
func (w *Web) diffusionBox(c *call, box string, offset, n int) ([]notice.Diffusion, bool, error) {
	list, err := w.svc.Notices.ListDiffusions(c.ctx, c.actor(),
		notice.DiffusionFilter{Box: serviceBoxes[box], Offset: offset, Limit: n + 1})
	if err != nil {
		return nil, false, err
	}
	if len(list) > n {
		return list[:n], true, nil
	}
	return list, false, nil
}

// recentDiffusionsFor are the newest diffusions of the user's first box
// (the inbox of a bureau) for the workspace home; nothing when policy does
// not let the user list diffusions.
func (w *Web) recentDiffusionsFor(c *call) ([]notice.Diffusion, error) {
	if !policy.Can(c.actor(), policy.DiffusionList, policy.Resource{Kind: notice.DiffusionKind}).Allowed {
		return nil, nil
	}
	list, _, err := w.diffusionBox(c, boxesFor(c.actor())[0], 0, recentDiffusions)
	return list, err
}

type diffusionListData struct {
	Box        string
	Boxes      []string
	Diffusions []notice.Diffusion
	Page       int
	Prev, Next int // neighbouring page numbers; 0 when there is none
	CanSend    bool
}

func (w *Web) diffusionList(c *call) {
	q := c.r.URL.Query()
	boxes := boxesFor(c.actor())
	box := q.Get("box")
	if !slices.Contains(boxes, box) {
		box = boxes[0]
	}
	pg, _ := strconv.Atoi(q.Get("page"))
	pg = max(pg, 1)
	list, more, err := w.diffusionBox(c, box, (pg-1)*diffusionsPerPage, diffusionsPerPage)
	if err != nil {
		w.fail(c, err)
		return
	}
	d := diffusionListData{Box: box, Boxes: boxes, Diffusions: list, Page: pg, CanSend: sendDecision(c.actor()).Allowed}
	if pg > 1 {
		d.Prev = pg - 1
	}
	if more {
		d.Next = pg + 1
	}
	p := c.page("diffusions.title")
	p.Section = "diffusions"
	p.Data = d
	w.render(c, http.StatusOK, "diffusion_list", p)
}

// regionChoice is one region of the country picker.
type regionChoice struct {
	Region    string
	Countries []countryOption
}

type diffusionFormData struct {
	Kind    string
	Kinds   []string
	Regions []regionChoice
	All     bool // sent to every member
}

// recipientChoices are the member countries the user's bureau may write to,
// by region, in the page's language, with those of the form ticked.
func recipientChoices(c *call, chosen []string) []regionChoice {
	var out []regionChoice
	for _, r := range regions {
		rc := regionChoice{Region: r}
		for _, o := range countryNames()[c.loc.Code] {
			m, _ := member.Lookup(o.Code)
			if m.Region != r || o.Code == c.actor().Org {
				continue
			}
			o.Selected = slices.Contains(chosen, o.Code)
			rc.Countries = append(rc.Countries, o)
		}
		out = append(out, rc)
	}
	return out
}

func (w *Web) renderDiffusionForm(c *call, status int, kind string, form url.Values, errs map[string]string) {
	p := c.page("diffusions.new")
	p.Section = "diffusions"
	p.Form = form
	if errs != nil {
		p.Errors = errs
	}
	p.Data = diffusionFormData{Kind: kind, Kinds: diffusionKinds, Regions: recipientChoices(c, form["recipients"]),
		All: slices.Contains(form["recipients"], notice.AllMembers)}
	w.render(c, status, "diffusion_new", p)
}

func (w *Web) diffusionNew(c *call) {
	if d := sendDecision(c.actor()); !d.Allowed {
		w.fail(c, fault.New(fault.Forbidden, "forbidden", "%s", d.Reason))
		return
	}
	kind := c.r.URL.Query().Get("kind")
	if !slices.Contains(diffusionKinds, kind) {
		kind = diffusionKinds[0]
	}
	w.renderDiffusionForm(c, http.StatusOK, kind, url.Values{"kind": {kind}}, nil)
}

// diffusionFromForm builds a diffusion from its form. A warrant, a
// conviction or a disappearance is sent only when one of its fields is
// filled in; the service says which of them the kind needs.
func diffusionFromForm(f url.Values) notice.DiffusionRequest {
	v := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	anyOf := func(keys ...string) bool {
		return slices.ContainsFunc(keys, func(k string) bool { return v(k) != "" })
	}
	// A number that does not read stays 0, which the service refuses with
	// its own explanation.
	num := func(k string) float64 {
		n, _ := strconv.ParseFloat(strings.ReplaceAll(v(k), ",", "."), 64)
		return n
	}
	req := notice.DiffusionRequest{Kind: v("kind"), Description: v("description")}
	for _, r := range f["recipients"] {
		if r = strings.TrimSpace(r); r != "" {
			req.Recipients = append(req.Recipients, r)
		}
	}
	s := &notice.Subject{Name: v("name"), Forename: v("forename"), DateOfBirth: v("date_of_birth"),
		PlaceOfBirth: v("place_of_birth"), Sex: v("sex")}
	if n := v("nationality"); n != "" {
		s.Nationalities = []string{n}
	}
	req.Subject = s
	switch req.Kind {
	case "wanted":
		if anyOf(warrantFields...) {
			req.ArrestWarrants = []notice.Warrant{{IssuingCountry: v("warrant_issuing_country"), Charge: v("warrant_charge"),
				Reference: v("warrant_reference"), Date: v("warrant_date"), MaxPenaltyYears: num("warrant_max_penalty_years")}}
		}
		if anyOf("conviction_issuing_country", "conviction_charge", "conviction_court", "conviction_date",
			"conviction_sentence_years", "conviction_time_left_months") {
			req.Conviction = &notice.Convicted{IssuingCountry: v("conviction_issuing_country"), Charge: v("conviction_charge"),
				Court: v("conviction_court"), Date: v("conviction_date"), SentenceYears: num("conviction_sentence_years"),
				TimeLeftMonths: num("conviction_time_left_months")}
		}
	case "missing":
		req.Disappearance = eventFromForm(nil, v, "disappearance")
	}
	return req
}

// diffusionFields are the fields of the diffusion form; a service error on
// any other field is shown above the form.
var diffusionFields = slices.Concat([]string{"recipients", "name", "forename", "date_of_birth", "place_of_birth", "sex", "nationality"},
	warrantFields, []string{"conviction_issuing_country", "conviction_charge", "conviction_court", "conviction_date",
		"conviction_sentence_years", "conviction_time_left_months",
		"disappearance_date", "disappearance_place", "disappearance_country", "description"})

// diffusionFormField is the form field of a field path of the notice
// service ("arrest_warrants[0].charge" → "warrant_charge").
func diffusionFormField(path string) string {
	f := indexRE.ReplaceAllString(path, "")
	switch f {
	case "subject":
		return "name"
	case "arrest_warrants":
		return "warrant_charge"
	case "conviction":
		return "conviction_charge"
	case "disappearance":
		return "disappearance_date"
	case "subject.nationalities":
		return "nationality"
	}
	f = strings.NewReplacer("subject.", "", "arrest_warrants.", "warrant_", "conviction.", "conviction_",
		"disappearance.", "disappearance_").Replace(f)
	if slices.Contains(diffusionFields, f) {
		return f
	}
	return "_"
}

// diffusionErrorText is the message of a service error on the diffusion
// form: the form's own wording for the field and code ("no recipients"),
// else for the code, else the catalogue's or the service's.
func (l *locale) diffusionErrorText(fe *fault.Error) string {
	field := indexRE.ReplaceAllString(fe.Field, "")
	for _, k := range []string{"diffusions.e." + field + "." + fe.Code, "diffusions.e." + fe.Code} {
		if l.Has(k) {
			return l.T(k)
		}
	}
	return l.faultText(fe)
}

func (w *Web) diffusionSend(c *call) {
	form := c.r.PostForm
	kind := form.Get("kind")
	if !slices.Contains(diffusionKinds, kind) {
		kind = diffusionKinds[0]
	}
	d, err := w.svc.Notices.Send(c.ctx, c.actor(), diffusionFromForm(form))
	if errs, ok := fieldErrors(err, diffusionFormField, c.loc.diffusionErrorText); ok {
		w.renderDiffusionForm(c, http.StatusBadRequest, kind, form, errs)
		return
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	c.redirect("/workspace/diffusions/" + strconv.FormatInt(d.ID, 10) + "?done=diffusion_sent")
}

type diffusionDetailData struct {
	D        notice.Diffusion
	ToNotice bool // the user may turn it into a notice request
}

// diffusionResource is the diffusion as policy sees it, to choose the buttons.
func diffusionResource(d notice.Diffusion) policy.Resource {
	return policy.Resource{Kind: notice.DiffusionKind, ID: strconv.FormatInt(d.ID, 10), Owner: d.Sender,
		Audience: policy.Audience{Mode: policy.OnlyListed, Countries: d.Recipients}}
}

func (w *Web) diffusionID(c *call) (int64, bool) {
	id, err := strconv.ParseInt(c.r.PathValue("id"), 10, 64)
	if err != nil {
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return 0, false
	}
	return id, true
}

func (w *Web) diffusionDetail(c *call) {
	id, ok := w.diffusionID(c)
	if !ok {
		return
	}
	w.renderDiffusion(c, id, http.StatusOK, nil)
}

func (w *Web) renderDiffusion(c *call, id int64, status int, errs map[string]string) {
	d, err := w.svc.Notices.GetDiffusion(c.ctx, c.actor(), id)
	if err != nil {
		w.fail(c, err)
		return
	}
	actor := c.actor()
	data := diffusionDetailData{D: d, ToNotice: d.NoticeID == nil &&
		policy.Can(actor, policy.DiffusionToNotice, diffusionResource(d)).Allowed &&
		policy.Can(actor, policy.NoticeCreate, policy.Resource{Kind: notice.Kind, Owner: actor.Org}).Allowed}
	p := c.page("diffusions.title")
	p.Section = "diffusions"
	// After a failed step the language switcher leads to the diffusion.
	p.Path = "/workspace/diffusions/" + strconv.FormatInt(id, 10)
	if errs != nil {
		p.Errors = errs
	}
	p.Data = data
	w.render(c, status, "diffusion_detail", p)
}

func (w *Web) diffusionToNotice(c *call) {
	id, ok := w.diffusionID(c)
	if !ok {
		return
	}
	n, err := w.svc.Notices.ToNotice(c.ctx, c.actor(), id)
	if errs, ok := fieldErrors(err, aboveForm, c.loc.diffusionErrorText); ok {
		w.renderDiffusion(c, id, http.StatusBadRequest, errs)
		return
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	c.redirect("/workspace/notices/" + strconv.FormatInt(n.ID, 10) + "?done=notice_created")
}

// DF describes field name of the diffusion form for the field templates.
func (p *page) DF(name, typ string) formField {
	f := formField{P: p, Name: name, Type: typ}
	if p.L.Has("diffusions.h." + name) {
		f.Hint = p.T("diffusions.h." + name)
	}
	return f
}

// RecipientNames are the recipients of a diffusion in the page's language.
func (p *page) RecipientNames(codes []string) string {
	names := make([]string, 0, len(codes))
	for _, c := range codes {
		if c == notice.AllMembers {
			names = append(names, p.T("diffusions.all_members"))
			continue
		}
		names = append(names, p.Country(c))
	}
	return strings.Join(names, p.T("diffusions.list_separator"))
}
