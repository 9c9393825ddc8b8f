package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/records"
)

// The police databases in the workspace: a list per kind of record, a
// record's page with its owner's changes, forms to enter persons, vehicles
// and works of art (travel documents have their short form in
// screening.go), bulk uploads and the list of records due for review. The
// records service and the policy decide who sees and changes what; these
// handlers only read forms and show answers.

func (w *Web) recordRoutes() {
	w.handle("GET /{lang}/workspace/records", signedIn, w.recordList)
	w.handle("GET /{lang}/workspace/records/{kind}/new", signedIn, w.recordNew)
	w.handle("POST /{lang}/workspace/records/{kind}", signedIn, w.recordCreate)
	w.handle("GET /{lang}/workspace/records/{kind}/{id}", signedIn, w.recordDetail)
	w.handle("POST /{lang}/workspace/records/{kind}/{id}", signedIn, w.recordUpdate)
	w.handle("POST /{lang}/workspace/records/{kind}/{id}/delete", signedIn, w.recordDelete)
	w.handle("GET /{lang}/workspace/imports", signedIn, w.importForm)
	w.handle(importPattern, signedIn, w.importUpload)
	w.handle("GET /{lang}/workspace/imports/{job}", signedIn, w.importStatus)
	w.handle("GET /{lang}/workspace/review-due", signedIn, w.reviewDue)
}

// recordsPerPage is the length of a page of a record list.
const recordsPerPage = 50

// recordField is a field of a record form. Its name is the record's JSON
// name, so that the service's errors point at it and an update can name it.
type recordField struct {
	Name     string
	Input    string   // text, date, textarea, lines (one value a line), country, select
	Options  []string // of a select
	Prefix   string   // catalogue prefix of the options' texts
	Required bool
	LTR      bool // codes and numbers read left to right in every language
}

var recordFields = map[records.Kind][]recordField{
	records.Persons: {
		{Name: "id", Input: "text", LTR: true},
		{Name: "name", Input: "text", Required: true},
		{Name: "aliases", Input: "lines"},
		{Name: "birth_date", Input: "text", LTR: true},
		{Name: "nationality", Input: "country"},
		{Name: "sex", Input: "select", Options: []string{"M", "F", "X"}, Prefix: "records.sex."},
		{Name: "reason", Input: "textarea"},
	},
	records.TravelDocuments: {
		{Name: "number", Input: "text", Required: true, LTR: true},
		{Name: "issuing_country", Input: "country", Required: true},
		{Name: "type", Input: "select", Options: records.DocumentTypes, Prefix: "doctype.", Required: true},
		{Name: "status", Input: "select", Options: records.DocumentStatuses, Prefix: "docstatus.", Required: true},
		{Name: "reported_at", Input: "date"},
		{Name: "serial_from", Input: "text", LTR: true},
		{Name: "serial_to", Input: "text", LTR: true},
	},
	records.Vehicles: {
		{Name: "vin", Input: "text", Required: true, LTR: true},
		{Name: "plate", Input: "text", LTR: true},
		{Name: "make", Input: "text"},
		{Name: "model", Input: "text"},
		{Name: "colour", Input: "text"},
		{Name: "country", Input: "country"},
	},
	records.Artworks: {
		{Name: "title", Input: "text", Required: true},
		{Name: "artist", Input: "text"},
		{Name: "object_type", Input: "text"},
		{Name: "period", Input: "text"},
		{Name: "dimensions", Input: "text"},
		{Name: "description", Input: "textarea"},
		{Name: "photos", Input: "lines", LTR: true},
	},
}

// editableFields are the fields of a kind that its owner may change: all
// but a person's reference.
func editableFields(kind records.Kind) []recordField {
	return slices.DeleteFunc(slices.Clone(recordFields[kind]), func(f recordField) bool { return f.Name == "id" })
}

// labelLTR: a kind's records are named by a number or a VIN, written left
// to right in every language.
func labelLTR(kind records.Kind) bool {
	return kind == records.TravelDocuments || kind == records.Vehicles
}

// recordFromForm reads a record form the way the API reads a record.
func recordFromForm(kind records.Kind, f url.Values) records.Record {
	v := func(name string) string { return strings.TrimSpace(f.Get(name)) }
	optional := func(name string) *string {
		if s := v(name); s != "" {
			return &s
		}
		return nil
	}
	rec := records.New(kind)
	h := rec.Header()
	h.ReviewOn = v("review_on")
	h.Audience.Mode = policy.AudienceMode(f.Get("audience_mode"))
	// The countries picked stay in the form when "all members" is chosen;
	// they mean nothing then.
	if h.Audience.Mode != policy.AllMembers {
		h.Audience.Countries = f["audience_countries"]
	}
	switch r := rec.(type) {
	case *records.Person:
		r.ID, r.Name, r.Aliases, r.Reason = v("id"), v("name"), lines(f.Get("aliases")), v("reason")
		r.BirthDate, r.Nationality, r.Sex = optional("birth_date"), optional("nationality"), optional("sex")
	case *records.TravelDocument:
		r.Number, r.IssuingCountry, r.Type, r.Status = v("number"), v("issuing_country"), v("type"), v("status")
		r.ReportedAt, r.SerialFrom, r.SerialTo = optional("reported_at"), optional("serial_from"), optional("serial_to")
	case *records.Vehicle:
		r.VIN, r.Plate, r.Make, r.Model, r.Colour, r.Country = v("vin"), v("plate"), v("make"), v("model"), v("colour"), v("country")
	case *records.Artwork:
		r.Title, r.Artist, r.ObjectType, r.Period = v("title"), v("artist"), v("object_type"), v("period")
		r.Dimensions, r.Description, r.Photos = v("dimensions"), v("description"), lines(f.Get("photos"))
	}
	return rec
}

// recordToForm writes a record into the values of its form.
func recordToForm(rec records.Record) url.Values {
	f := url.Values{}
	h := rec.Header()
	f.Set("review_on", h.ReviewOn)
	f.Set("audience_mode", string(h.Audience.Mode))
	f["audience_countries"] = slices.Clone(h.Audience.Countries)
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	set := func(pairs ...string) {
		for i := 0; i < len(pairs); i += 2 {
			f.Set(pairs[i], pairs[i+1])
		}
	}
	switch r := rec.(type) {
	case *records.Person:
		set("id", r.ID, "name", r.Name, "aliases", strings.Join(r.Aliases, "\n"), "birth_date", deref(r.BirthDate),
			"nationality", deref(r.Nationality), "sex", deref(r.Sex), "reason", r.Reason)
	case *records.TravelDocument:
		set("number", r.Number, "issuing_country", r.IssuingCountry, "type", r.Type, "status", r.Status,
			"reported_at", deref(r.ReportedAt), "serial_from", deref(r.SerialFrom), "serial_to", deref(r.SerialTo))
	case *records.Vehicle:
		set("vin", r.VIN, "plate", r.Plate, "make", r.Make, "model", r.Model, "colour", r.Colour, "country", r.Country)
	case *records.Artwork:
		set("title", r.Title, "artist", r.Artist, "object_type", r.ObjectType, "period", r.Period,
			"dimensions", r.Dimensions, "description", r.Description, "photos", strings.Join(r.Photos, "\n"))
	}
	return f
}

// recordPatch is the change an edit form asks for, as the service's Update
// takes it: every editable field, an emptied one as null.
func recordPatch(rec records.Record) []byte {
	raw, _ := json.Marshal(rec) // a record always encodes
	var all map[string]json.RawMessage
	_ = json.Unmarshal(raw, &all)
	// The audience is sent whole: merged over the stored one, a list left
	// out would keep the countries of before.
	au := rec.Header().Audience
	audience, _ := json.Marshal(map[string]any{"mode": au.Mode, "countries": append([]string{}, au.Countries...)})
	patch := map[string]json.RawMessage{"audience": audience, "review_on": all["review_on"]}
	for _, f := range editableFields(rec.Kind()) {
		v, ok := all[f.Name]
		if !ok {
			v = json.RawMessage("null")
		}
		patch[f.Name] = v
	}
	out, _ := json.Marshal(patch)
	return out
}

// --- what the templates see ---

// choice is an option of a select or a radio button, its text translated.
type choice struct {
	Value, Text string
	Selected    bool
}

// fieldView is a form field ready to show.
type fieldView struct {
	recordField
	Label, Hint, Value, Error string
	Choices                   []choice
}

// recordFormData is a record form: the new-record form, or the owner's
// edit form on a record's page.
type recordFormData struct {
	Kind      records.Kind
	Action    string // where it posts, without the language
	Editing   bool
	Fields    []fieldView
	Modes     []choice // of the audience
	Countries []choice // the audience's countries
}

// recordFact is a line of a record's page.
type recordFact struct {
	Label, Value string
	LTR          bool
}

// recordPageData is a record's page (Record set) or the new-record form.
type recordPageData struct {
	Kind      records.Kind
	Record    records.Record
	Label     string
	Facts     []recordFact
	Audience  string
	ReviewOn  string
	CanDelete bool
	Form      *recordFormData // nil when the user may not change the record
}

func (c *call) recordForm(kind records.Kind, p *page, fields []recordField, action string, editing bool) *recordFormData {
	d := &recordFormData{Kind: kind, Action: action, Editing: editing}
	for _, f := range fields {
		fv := fieldView{recordField: f, Label: c.loc.T("records.f." + f.Name), Value: p.Form.Get(f.Name), Error: p.Errors[f.Name]}
		if key := "records.hint." + f.Name; c.loc.Has(key) {
			fv.Hint = c.loc.T(key)
		}
		switch f.Input {
		case "select":
			for _, o := range f.Options {
				fv.Choices = append(fv.Choices, choice{Value: o, Text: c.loc.T(f.Prefix + o), Selected: o == fv.Value})
			}
		case "country":
			for _, o := range countryNames()[c.loc.Code] {
				fv.Choices = append(fv.Choices, choice{Value: o.Code, Text: o.Name, Selected: o.Code == fv.Value})
			}
		}
		d.Fields = append(d.Fields, fv)
	}
	mode := p.Form.Get("audience_mode")
	if mode == "" {
		mode = string(policy.AllMembers)
	}
	for _, m := range []policy.AudienceMode{policy.AllMembers, policy.OnlyListed, policy.AllButListed} {
		d.Modes = append(d.Modes, choice{Value: string(m), Text: c.loc.T("records.audience." + string(m)), Selected: string(m) == mode})
	}
	picked := p.Form["audience_countries"]
	for _, o := range countryNames()[c.loc.Code] {
		d.Countries = append(d.Countries, choice{Value: o.Code, Text: o.Name, Selected: slices.Contains(picked, o.Code)})
	}
	return d
}

// recordFormField maps the field a service error names to the form's.
func recordFormField(field string, fields []recordField) string {
	switch field {
	case "audience.mode":
		return "audience_mode"
	case "audience.countries":
		return "audience_countries"
	case "review_on":
		return field
	}
	if slices.ContainsFunc(fields, func(f recordField) bool { return f.Name == field }) {
		return field
	}
	return "_"
}

// recordFaultText explains a service error about a record in the interface
// language. value is what was entered in the field at fault, when known: a
// VIN's mistakes are explained from it.
func (l *locale) recordFaultText(code, message, value string) string {
	if code == "vin_check_digit" || code == "invalid_vin" {
		if s := l.vinText(records.NormalizeVIN(value)); s != "" {
			return s
		}
	}
	if key := "records.fault." + code; l.Has(key) {
		return l.T(key)
	}
	return l.faultText(&fault.Error{Code: code, Message: message})
}

// vinText says what is wrong with a VIN the records service refused, or ""
// when it cannot tell from the VIN alone.
func (l *locale) vinText(vin string) string {
	if vin == "" {
		return ""
	}
	if n := len([]rune(vin)); n != 17 {
		return l.T("records.fault.vin_length", n)
	}
	for i, r := range vin {
		switch {
		case r == 'I' || r == 'O' || r == 'Q':
			return l.T("records.fault.vin_ioq", string(r), i+1)
		case !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
			return l.T("records.fault.vin_character", string(r), i+1)
		}
	}
	if want := records.VINCheckDigit(vin); vin[8] != want {
		return l.T("records.fault.vin_check_digit_is", string(vin[8]), string(want))
	}
	return ""
}

// recordErrors turns a service error into messages next to the fields of
// a record's form, which explain a VIN from what was entered.
func (c *call) recordErrors(err error, fields []recordField, f url.Values) (map[string]string, bool) {
	formField := func(field string) string { return recordFormField(field, fields) }
	return fieldErrors(err, formField, func(fe *fault.Error) string {
		return c.loc.recordFaultText(fe.Code, fe.Message, f.Get(formField(fe.Field)))
	})
}

func recordKind(c *call) (records.Kind, bool) {
	k, err := records.ParseKind(c.r.PathValue("kind"))
	return k, err == nil && c.r.PathValue("kind") == string(k)
}

func recordPath(rec records.Record) string {
	return "/workspace/records/" + string(rec.Kind()) + "/" + url.PathEscape(rec.Header().ID)
}

// recordLabel is what names a record in a list: the person's name, the
// document's number, the VIN, the title.
func recordLabel(rec records.Record) string {
	switch r := rec.(type) {
	case *records.Person:
		return r.Name
	case *records.TravelDocument:
		return r.Number
	case *records.Vehicle:
		return r.VIN
	case *records.Artwork:
		return r.Title
	}
	return rec.Header().ID
}

// recordSummary is the second line of a record in a list.
func recordSummary(p *page, rec records.Record) string {
	var parts []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	switch r := rec.(type) {
	case *records.Person:
		if r.BirthDate != nil {
			add(*r.BirthDate)
		}
		if r.Nationality != nil {
			add(p.Country(*r.Nationality))
		}
	case *records.TravelDocument:
		add(p.T("doctype." + r.Type))
		add(p.T("docstatus." + r.Status))
		add(p.Country(r.IssuingCountry))
	case *records.Vehicle:
		add(r.Make + " " + r.Model)
		add(r.Plate)
	case *records.Artwork:
		add(r.Artist)
		add(r.ObjectType)
	}
	return strings.Join(parts, " · ")
}

// recordFacts are the kind's own fields of a record, as its page shows them.
func recordFacts(p *page, rec records.Record) []recordFact {
	f := recordToForm(rec)
	var out []recordFact
	for _, field := range recordFields[rec.Kind()] {
		v := f.Get(field.Name)
		if v == "" {
			continue
		}
		switch field.Input {
		case "country":
			v = p.Country(v)
		case "select":
			v = p.T(field.Prefix + v)
		case "lines":
			v = strings.ReplaceAll(v, "\n", " · ")
		case "date":
			if t, err := time.Parse(time.DateOnly, v); err == nil {
				v = p.Date(t)
			}
		}
		out = append(out, recordFact{Label: p.T("records.f." + field.Name), Value: v, LTR: field.LTR})
	}
	return out
}

// audienceText says in words who besides the owner sees a record.
func audienceText(p *page, au policy.Audience) string {
	names := make([]string, len(au.Countries))
	for i, c := range au.Countries {
		names[i] = p.Country(c)
	}
	switch au.Mode {
	case policy.OnlyListed:
		return p.T("records.audience_only", strings.Join(names, ", "))
	case policy.AllButListed:
		return p.T("records.audience_except", strings.Join(names, ", "))
	default:
		return p.T("records.audience.all")
	}
}

// reviewDay formats a review date in the page's language.
func reviewDay(p *page, day string) string {
	if t, err := time.Parse(time.DateOnly, day); err == nil {
		return p.Date(t)
	}
	return day
}

// --- list ---

type recordRow struct {
	Href, ID, Label, Summary, Owner, ReviewOn string
	LTR                                       bool
}

type recordListData struct {
	Kind      records.Kind
	Kinds     []choice
	Rows      []recordRow
	NextHref  string
	NewHref   string // empty when the user may not enter records
	CanImport bool
}

func (w *Web) recordList(c *call) {
	q := c.r.URL.Query()
	kind := records.Persons
	if s := q.Get("kind"); s != "" {
		k, err := records.ParseKind(s)
		if err != nil {
			w.fail(c, err)
			return
		}
		kind = k
	}
	p := c.page("records.title")
	p.Section = "records"
	p.Form = q
	p.Form.Set("kind", string(kind))
	list, err := w.svc.Records.List(c.ctx, c.actor(), kind, records.Filter{Owner: strings.TrimSpace(q.Get("owner")),
		Q: q.Get("q"), After: q.Get("after"), Limit: recordsPerPage})
	status := http.StatusOK
	if fe, ok := fault.As(err); ok && fe.Kind == fault.Invalid {
		field := "_"
		if fe.Field == "owner" {
			field = "owner"
		}
		p.Errors[field] = c.loc.recordFaultText(fe.Code, fe.Message, "")
		status, err = http.StatusBadRequest, nil
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	d := recordListData{Kind: kind}
	for _, k := range records.Kinds() {
		d.Kinds = append(d.Kinds, choice{Value: string(k), Text: p.T("record_kind." + k.ChangeKind()), Selected: k == kind})
	}
	for _, rec := range list {
		h := rec.Header()
		d.Rows = append(d.Rows, recordRow{Href: p.Href(recordPath(rec)), ID: h.ID, Label: recordLabel(rec),
			Summary: recordSummary(p, rec), Owner: p.Country(h.Owner), ReviewOn: reviewDay(p, h.ReviewOn), LTR: labelLTR(kind)})
	}
	if len(list) == recordsPerPage {
		next := url.Values{"kind": {string(kind)}, "after": {list[len(list)-1].Header().ID}}
		for _, k := range []string{"q", "owner"} {
			if v := q.Get(k); v != "" {
				next.Set(k, v)
			}
		}
		d.NextHref = p.Href("/workspace/records?" + next.Encode())
	}
	own := policy.Resource{Kind: kind.ChangeKind(), Owner: c.actor().Org}
	if policy.Can(c.actor(), policy.RecordCreate, own).Allowed {
		d.NewHref = p.Href("/workspace/records/" + string(kind) + "/new")
	}
	d.CanImport = policy.Can(c.actor(), policy.RecordImport, own).Allowed
	p.Data = d
	w.render(c, status, "records_list", p)
}

// --- new, show, change, delete ---

func (w *Web) recordNew(c *call) {
	kind, ok := recordKind(c)
	if !ok {
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return
	}
	if d := policy.Can(c.actor(), policy.RecordCreate, policy.Resource{Kind: kind.ChangeKind(), Owner: c.actor().Org}); !d.Allowed {
		w.fail(c, fault.New(fault.Forbidden, "forbidden", "%s", d.Reason))
		return
	}
	p := c.page("records.new." + string(kind))
	p.Section = "records"
	w.renderRecordForm(c, p, kind, http.StatusOK)
}

func (w *Web) renderRecordForm(c *call, p *page, kind records.Kind, status int) {
	p.Path = "/workspace/records/" + string(kind) + "/new" // the switcher's target: the form
	p.Data = recordPageData{Kind: kind, Form: c.recordForm(kind, p, recordFields[kind], "/workspace/records/"+string(kind), false)}
	w.render(c, status, "records_record", p)
}

func (w *Web) recordCreate(c *call) {
	kind, ok := recordKind(c)
	if !ok {
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return
	}
	rec, err := w.svc.Records.Create(c.ctx, c.actor(), recordFromForm(kind, c.r.PostForm))
	if errs, ok := c.recordErrors(err, recordFields[kind], c.r.PostForm); ok {
		p := c.page("records.new." + string(kind))
		p.Section = "records"
		p.Form, p.Errors = c.r.PostForm, errs
		w.renderRecordForm(c, p, kind, http.StatusBadRequest)
		return
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	c.redirect(recordPath(rec) + "?done=record_created")
}

// showRecord renders a record's page; with the owner's edit form when the
// policy lets the user change it. form and errs are what the user sent
// back with a mistake, or nil.
func (w *Web) showRecord(c *call, rec records.Record, form url.Values, errs map[string]string, status int) {
	kind := rec.Kind()
	p := c.page("record_kind." + kind.ChangeKind())
	p.Section = "records"
	p.Path = recordPath(rec)
	h := rec.Header()
	d := recordPageData{Kind: kind, Record: rec, Label: recordLabel(rec), Facts: recordFacts(p, rec),
		Audience: audienceText(p, h.Audience), ReviewOn: reviewDay(p, h.ReviewOn),
		CanDelete: policy.Can(c.actor(), policy.RecordDelete, records.Resource(rec)).Allowed}
	if policy.Can(c.actor(), policy.RecordUpdate, records.Resource(rec)).Allowed {
		p.Form = recordToForm(rec)
		if form != nil {
			p.Form, p.Errors = form, errs
		}
		d.Form = c.recordForm(kind, p, editableFields(kind), recordPath(rec), true)
	}
	p.Data = d
	w.render(c, status, "records_record", p)
}

func (w *Web) loadRecord(c *call) (records.Record, bool) {
	kind, ok := recordKind(c)
	if !ok {
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return nil, false
	}
	rec, err := w.svc.Records.Get(c.ctx, c.actor(), kind, c.r.PathValue("id"))
	if err != nil {
		w.fail(c, err)
		return nil, false
	}
	return rec, true
}

func (w *Web) recordDetail(c *call) {
	if rec, ok := w.loadRecord(c); ok {
		w.showRecord(c, rec, nil, nil, http.StatusOK)
	}
}

func (w *Web) recordUpdate(c *call) {
	kind, ok := recordKind(c)
	if !ok {
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return
	}
	id := c.r.PathValue("id")
	rec, err := w.svc.Records.Update(c.ctx, c.actor(), kind, id, recordPatch(recordFromForm(kind, c.r.PostForm)))
	if errs, ok := c.recordErrors(err, editableFields(kind), c.r.PostForm); ok {
		if old, ok := w.loadRecord(c); ok {
			w.showRecord(c, old, c.r.PostForm, errs, http.StatusBadRequest)
		}
		return
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	c.redirect(recordPath(rec) + "?done=record_updated")
}

func (w *Web) recordDelete(c *call) {
	kind, ok := recordKind(c)
	if !ok {
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return
	}
	if err := w.svc.Records.Delete(c.ctx, c.actor(), kind, c.r.PathValue("id")); err != nil {
		w.fail(c, err)
		return
	}
	c.redirect("/workspace/records?kind=" + string(kind) + "&done=record_deleted")
}

// --- review due ---

// reviewWindow is how far ahead the review-due list looks.
const reviewWindow = 30 * 24 * time.Hour

type reviewRow struct {
	recordRow
	Kind    string // catalogue key of the kind
	Overdue bool
}

type reviewDueData struct {
	Until string
	Rows  []reviewRow
}

func (w *Web) reviewDue(c *call) {
	now := time.Now().UTC()
	until := now.Add(reviewWindow)
	list, err := w.svc.Records.ReviewDue(c.ctx, c.actor(), until, 0)
	if err != nil {
		w.fail(c, err)
		return
	}
	p := c.page("records.review_due")
	p.Section = "review_due"
	d := reviewDueData{Until: p.Date(until)}
	today := now.Format(time.DateOnly)
	for _, rec := range list {
		h := rec.Header()
		kind := rec.Kind()
		d.Rows = append(d.Rows, reviewRow{
			recordRow: recordRow{Href: p.Href(recordPath(rec)), ID: h.ID, Label: recordLabel(rec), Summary: recordSummary(p, rec),
				Owner: p.Country(h.Owner), ReviewOn: reviewDay(p, h.ReviewOn), LTR: labelLTR(kind)},
			Kind: "record_kind." + kind.ChangeKind(), Overdue: h.ReviewOn < today})
	}
	p.Data = d
	w.render(c, http.StatusOK, "review_due", p)
}

// --- bulk upload ---

// importPattern is the route of an upload: its body may be as large as
// maxImportBodyBytes, and it is read as it arrives (see checkCSRF).
const importPattern = "POST /{lang}/workspace/imports"

const (
	// maxImportBytes bounds an uploaded file.
	maxImportBytes = 64 << 20
	// importKept is how long a finished import's report stays to be read.
	importKept = time.Hour
	// importErrorsShown is how many rejected lines an import's report lists.
	importErrorsShown = 20
)

// importExtensions are the file names an upload may have.
var importExtensions = []string{".csv", ".tsv", ".jsonl", ".ndjson", ".json"}

// errFileTooLarge refuses an upload over maxImportBytes.
var errFileTooLarge = fault.InvalidField("file", "file_too_large", "a file holds at most %d MiB: split it", maxImportBytes>>20)

// importBatchHook, when set, runs in an import after each batch it
// commits: a test holds the import there to see it under way.
var importBatchHook atomic.Pointer[func()]

// importJob is an upload being imported in the background, reported on to
// the user who sent it.
type importJob struct {
	id     string
	userID int64
	kind   records.Kind
	owner  string
	name   string
	size   int64

	mu       sync.Mutex
	read     int64 // bytes of the file read so far
	lines    int64 // line breaks read so far
	rejected []records.LineError
	failed   int64
	result   records.ImportResult
	err      error // why the import stopped, when it did
	done     time.Time
}

// importJobs are the uploads of the last while, in memory only: a report
// is for the person watching the upload, and the audit trail keeps what
// was imported.
type importJobs struct {
	mu   sync.Mutex
	jobs map[string]*importJob
}

// start registers a job for its user, unless the user is already running one.
func (js *importJobs) start(job *importJob, now time.Time) error {
	js.mu.Lock()
	defer js.mu.Unlock()
	if err := js.refuseSecond(job.userID); err != nil {
		return err
	}
	if js.jobs == nil {
		js.jobs = map[string]*importJob{}
	}
	for id, j := range js.jobs {
		j.mu.Lock()
		finished := j.done
		j.mu.Unlock()
		if !finished.IsZero() && now.Sub(finished) > importKept {
			delete(js.jobs, id)
		}
	}
	js.jobs[job.id] = job
	return nil
}

// free refuses a user whose upload is still being imported, before the
// next one is read.
func (js *importJobs) free(userID int64) error {
	js.mu.Lock()
	defer js.mu.Unlock()
	return js.refuseSecond(userID)
}

// refuseSecond refuses a user who has an import under way: one at a time
// each. js.mu is held.
func (js *importJobs) refuseSecond(userID int64) error {
	for _, j := range js.jobs {
		j.mu.Lock()
		running := j.done.IsZero() && j.userID == userID
		j.mu.Unlock()
		if running {
			return fault.New(fault.Conflict, "import_running", "wait until your upload under way is imported")
		}
	}
	return nil
}

// get returns the job id of user userID; another user's is not found.
func (js *importJobs) get(id string, userID int64) (*importJob, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.jobs[id]
	return j, ok && j.userID == userID
}

func (j *importJob) reject(e records.LineError) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.failed++
	if len(j.rejected) < importErrorsShown {
		j.rejected = append(j.rejected, e)
	}
}

// imported notes the records committed so far, for the status page.
func (j *importJob) imported(n int64) {
	j.mu.Lock()
	j.result.Imported = n
	j.mu.Unlock()
	if hold := importBatchHook.Load(); hold != nil {
		(*hold)()
	}
}

func (j *importJob) finish(res records.ImportResult, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.result, j.err, j.done = res, err, time.Now()
	if res.Lines > 0 {
		j.lines = res.Lines
	}
	j.read = j.size
}

// progressReader counts what the import has read of the file.
type progressReader struct {
	r   io.Reader
	job *importJob
}

func (pr progressReader) Read(b []byte) (int, error) {
	n, err := pr.r.Read(b)
	lines := bytes.Count(b[:n], []byte("\n"))
	pr.job.mu.Lock()
	pr.job.read += int64(n)
	pr.job.lines += int64(lines)
	pr.job.mu.Unlock()
	return n, err
}

type importFormData struct {
	Kinds     []choice
	Owners    []choice // for the General Secretariat, which loads lists for a country
	Modes     []choice
	Countries []choice
	MaxMiB    int
}

func (w *Web) importForm(c *call) {
	p := c.page("records.import")
	p.Section = "records"
	p.Form.Set("kind", c.r.URL.Query().Get("kind"))
	w.renderImportForm(c, p, http.StatusOK)
}

func (w *Web) renderImportForm(c *call, p *page, status int) {
	p.Path = "/workspace/imports"
	kind := p.Form.Get("kind")
	d := importFormData{MaxMiB: maxImportBytes >> 20}
	for _, k := range records.Kinds() {
		d.Kinds = append(d.Kinds, choice{Value: string(k), Text: p.T("record_kind." + k.ChangeKind()), Selected: string(k) == kind})
	}
	if policy.ImportsForAnyOwner(c.actor()) {
		for _, o := range countryNames()[c.loc.Code] {
			d.Owners = append(d.Owners, choice{Value: o.Code, Text: o.Name, Selected: o.Code == p.Form.Get("owner")})
		}
	}
	form := c.recordForm(records.Persons, p, nil, "", false)
	d.Modes, d.Countries = form.Modes, form.Countries
	p.Data = d
	w.render(c, status, "records_import", p)
}

func (w *Web) importUpload(c *call) {
	form := url.Values{}
	job, tmp, err := w.receiveUpload(c, form)
	if err == nil {
		err = w.imports.start(job, time.Now())
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}
	if err != nil {
		w.refuseUpload(c, form, err)
		return
	}
	opt := records.ImportOptions{Kind: job.kind, Owner: job.owner, Source: job.name, OnLineError: job.reject, OnBatch: job.imported,
		Audience: policy.Audience{Mode: policy.AudienceMode(form.Get("audience_mode"))}}
	if opt.Audience.Mode != policy.AllMembers {
		opt.Audience.Countries = form["audience_countries"]
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(tmp, head)
	opt.Format = records.DetectFormat(job.name, head[:n])
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		w.fail(c, fmt.Errorf("rewind upload: %w", err))
		return
	}
	// The import outlives the request; it keeps the request's values (its
	// id, for the audit trail) but not its end.
	ctx, actor := context.WithoutCancel(c.ctx), c.actor()
	go func() {
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		res, err := w.svc.Records.Import(ctx, actor, progressReader{r: tmp, job: job}, opt)
		if err != nil && !fault.Is(err, fault.Invalid) && !fault.Is(err, fault.Forbidden) && !fault.Is(err, fault.NotFound) {
			w.log.Error("import upload", "file", job.name, "kind", job.kind, "user", actor.Username, "err", err)
		}
		job.finish(res, err)
	}()
	c.redirect("/workspace/imports/" + job.id)
}

// refuseUpload shows the upload form again with what to fix, or the page
// of an error the form does not explain.
func (w *Web) refuseUpload(c *call, form url.Values, err error) {
	errs, ok := fieldErrors(err, importFormField, func(fe *fault.Error) string {
		return c.loc.recordFaultText(fe.Code, fe.Message, "")
	})
	if !ok {
		w.fail(c, err)
		return
	}
	status := http.StatusBadRequest
	if errors.Is(err, errFileTooLarge) {
		status = http.StatusRequestEntityTooLarge
	}
	p := c.page("records.import")
	p.Section = "records"
	p.Form, p.Errors = form, errs
	w.renderImportForm(c, p, status)
}

// importFormField maps the field a service error names to the upload form's.
func importFormField(field string) string {
	switch field {
	case "kind", "file", "owner":
		return field
	case "audience.mode", "audience.countries":
		return strings.ReplaceAll(field, ".", "_")
	}
	return "_"
}

// errMissingFile is the fault of an upload form sent without a file.
func errMissingFile() error {
	return fault.InvalidField("file", "missing_file", "choose a CSV or JSON-lines file")
}

// receiveUpload reads the upload form part by part as it arrives: its
// fields into form, and its file into a temporary file that the import
// reads after the request. The file is read only once the fields before it
// (the form puts the kind and the owner first) are checked and the user
// has no other upload under way, so that a refused upload costs nothing.
func (w *Web) receiveUpload(c *call, form url.Values) (job *importJob, tmp *os.File, err error) {
	if c.upload == nil {
		return nil, nil, errMissingFile()
	}
	// The file is kept only when the whole form has been read.
	defer func() {
		if err != nil && tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	fieldBytes := int64(0)
	for {
		part, err := c.upload.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, tmp, uploadReadError(err)
		}
		switch {
		case part.FormName() != "file":
			value, err := io.ReadAll(io.LimitReader(part, maxFormBytes-fieldBytes+1))
			if err != nil {
				return nil, tmp, uploadReadError(err)
			}
			if fieldBytes += int64(len(value)); fieldBytes > maxFormBytes {
				return nil, tmp, fault.New(fault.Invalid, "invalid_upload", "the form's fields hold more than %d bytes", maxFormBytes)
			}
			form.Add(part.FormName(), string(value))
		case tmp == nil:
			if job, tmp, err = w.receiveFile(c, form, part); err != nil {
				return nil, nil, err
			}
		}
		part.Close()
	}
	if tmp == nil {
		return nil, nil, errMissingFile()
	}
	return job, tmp, nil
}

// receiveFile checks the upload's file and the fields read before it, and
// copies the file where the import can read it after the request.
func (w *Web) receiveFile(c *call, form url.Values, part *multipart.Part) (*importJob, *os.File, error) {
	kind, err := records.ParseKind(form.Get("kind"))
	if err != nil {
		return nil, nil, err
	}
	// as the API: the bureau's own records unless the form names an owner,
	// which the policy then allows or refuses
	owner := form.Get("owner")
	if owner == "" {
		owner = c.actor().Org
	}
	if owner, err = records.NormalizeOwner(owner); err != nil {
		return nil, nil, err
	}
	// Refused at once rather than on the report page; the service asks again.
	if d := policy.Can(c.actor(), policy.RecordImport, policy.Resource{Kind: kind.ChangeKind(), Owner: owner}); !d.Allowed {
		return nil, nil, fault.New(fault.Forbidden, "forbidden", "%s", d.Reason)
	}
	if err := w.imports.free(c.actor().UserID); err != nil {
		return nil, nil, err
	}
	// A form sent without a file chosen has a file part with no name.
	name := part.FileName()
	if name == "" {
		return nil, nil, errMissingFile()
	}
	if !slices.Contains(importExtensions, strings.ToLower(filepath.Ext(name))) {
		return nil, nil, fault.InvalidField("file", "invalid_file_type", "choose a .csv, .tsv, .jsonl, .ndjson or .json file")
	}
	// The name says CSV or JSON; the content must also be UTF-8 text, not
	// a spreadsheet or an archive renamed.
	head := make([]byte, 512)
	n, err := io.ReadFull(part, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, nil, uploadReadError(err)
	}
	if n == 0 {
		return nil, nil, fault.InvalidField("file", "empty_file", "the file is empty")
	}
	if ct := http.DetectContentType(head[:n]); ct != "text/plain; charset=utf-8" {
		return nil, nil, fault.InvalidField("file", "invalid_file_type", "the file is not UTF-8 text (it looks like %s)", ct)
	}
	tmp, err := os.CreateTemp("", "relais-import-*")
	if err != nil {
		return nil, nil, fmt.Errorf("keep upload: %w", err)
	}
	src := &uploadReader{r: io.MultiReader(bytes.NewReader(head[:n]), io.LimitReader(part, maxImportBytes-int64(n)+1))}
	size, err := io.Copy(tmp, src)
	switch {
	case src.err != nil:
		err = uploadReadError(src.err)
	case err != nil:
		err = fmt.Errorf("keep upload: %w", err)
	case size > maxImportBytes:
		err = errFileTooLarge
	default:
		if _, err = tmp.Seek(0, io.SeekStart); err != nil {
			err = fmt.Errorf("keep upload: %w", err)
		}
	}
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, nil, err
	}
	job := &importJob{id: randomToken(), userID: c.actor().UserID, kind: kind, owner: owner, name: filepath.Base(name), size: size}
	return job, tmp, nil
}

// uploadReader keeps the error of reading an upload, to tell it from one
// of writing it down.
type uploadReader struct {
	r   io.Reader
	err error
}

func (u *uploadReader) Read(b []byte) (int, error) {
	n, err := u.r.Read(b)
	if err != nil && err != io.EOF {
		u.err = err
	}
	return n, err
}

// uploadReadError is the fault of an upload that could not be read: over
// the bound of its route, or cut off or malformed.
func uploadReadError(err error) error {
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return errFileTooLarge
	}
	return fault.New(fault.Invalid, "invalid_upload", "the upload could not be read (%v): send the form again", err)
}

// importLine is a rejected line as the report shows it.
type importLine struct {
	Line   int
	Field  string
	Reason string
}

type importStatusData struct {
	ID, Name, Kind            string
	Done                      bool
	Percent                   int
	Lines, Imported, Rejected int
	Problem                   string // why the import stopped
	Errors                    []importLine
	More                      bool // more lines were rejected than listed
	ListHref                  string
}

func (w *Web) importStatus(c *call) {
	job, ok := w.imports.get(c.r.PathValue("job"), c.actor().UserID)
	if !ok {
		w.renderError(c, http.StatusNotFound, "error.not_found")
		return
	}
	p := c.page("records.import_status")
	p.Section = "records"
	job.mu.Lock()
	d := importStatusData{ID: job.id, Name: job.name, Kind: "record_kind." + job.kind.ChangeKind(), Done: !job.done.IsZero(),
		Lines: int(job.lines), Imported: int(job.result.Imported), Rejected: int(job.failed),
		More: job.failed > int64(len(job.rejected)), ListHref: p.Href("/workspace/records?kind=" + string(job.kind))}
	if job.size > 0 {
		d.Percent = int(job.read * 100 / job.size)
	}
	for _, e := range job.rejected {
		line := importLine{Line: int(e.Line), Reason: c.loc.recordFaultText(e.Code, e.Message, "")}
		if e.Field != "" {
			line.Field = e.Field
			if key := "records.f." + e.Field; c.loc.Has(key) {
				line.Field = c.loc.T(key)
			}
		}
		d.Errors = append(d.Errors, line)
	}
	if job.err != nil {
		d.Problem = job.err.Error()
		if fe, ok := fault.As(job.err); ok {
			d.Problem = c.loc.recordFaultText(fe.Code, job.err.Error(), "")
		}
	}
	job.mu.Unlock()
	p.Data = d
	w.render(c, http.StatusOK, "records_import_status", p)
}
