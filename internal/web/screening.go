package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/records"
	"github.com/relais/relais/internal/screening"
)

// The records and screening pages: report a stolen or lost travel document
// in a short form, screen a name, a document or a machine-readable zone,
// and decide about the hits on the country's records. The records service
// and the screening engine decide who may do what.

func (w *Web) screeningRoutes() {
	w.handle("GET /{lang}/workspace/records/travel-documents/new", signedIn, w.documentNew)
	w.handle("POST /{lang}/workspace/records/travel-documents", signedIn, w.documentCreate)
	w.handle("GET /{lang}/workspace/screening", signedIn, w.screeningPage)
	w.handle("POST /{lang}/workspace/screening", signedIn, w.screen)
	w.handle("POST /{lang}/workspace/screening/manifest", signedIn, w.screenManifest)
	w.handle("GET /{lang}/workspace/hits", signedIn, w.hitList)
	w.handle("POST /{lang}/workspace/hits/{id}/{status}", signedIn, w.hitDecide)
}

// CanOwn asks the policy whether the signed-in user may take action on a
// resource of their own organisation (creating a record, say), to decide
// which links to offer.
func (p *page) CanOwn(action string) bool {
	return policy.Can(p.Actor, policy.Action(action), policy.Resource{Owner: p.Actor.Org}).Allowed
}

type documentFormData struct {
	Types, Statuses []string
	Created         *records.TravelDocument
}

func (w *Web) documentNew(c *call) {
	if d := policy.Can(c.actor(), policy.RecordCreate, policy.Resource{Kind: records.ChangeTravelDocument, Owner: c.actor().Org}); !d.Allowed {
		w.fail(c, fault.New(fault.Forbidden, "forbidden", "%s", d.Reason))
		return
	}
	p := c.page("records.report_passport")
	p.Section = "screening"
	p.Form.Set("type", "passport")
	p.Form.Set("status", "stolen")
	p.Data = documentFormData{Types: records.DocumentTypes, Statuses: records.DocumentStatuses}
	w.render(c, http.StatusOK, "document_new", p)
}

func (w *Web) documentCreate(c *call) {
	f := c.r.PostForm
	doc := &records.TravelDocument{Number: strings.TrimSpace(f.Get("number")), IssuingCountry: f.Get("issuing_country"),
		Type: f.Get("type"), Status: f.Get("status")}
	rec, err := w.svc.Records.Create(c.ctx, c.actor(), doc)
	p := c.page("records.report_passport")
	p.Section = "screening"
	p.Path = "/workspace/records/travel-documents/new" // the switcher's target: the form
	d := documentFormData{Types: records.DocumentTypes, Statuses: records.DocumentStatuses}
	if fe, ok := fault.As(err); ok && fe.Kind == fault.Invalid {
		field := fe.Field
		if field != "number" && field != "issuing_country" && field != "type" && field != "status" {
			field = "_"
		}
		p.Form, p.Errors, p.Data = f, map[string]string{field: c.loc.faultText(fe)}, d
		w.render(c, http.StatusBadRequest, "document_new", p)
		return
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	// The form comes back empty for the next document, with the one just
	// reported confirmed above it.
	d.Created, _ = rec.(*records.TravelDocument)
	p.Form.Set("type", doc.Type)
	p.Form.Set("status", doc.Status)
	p.Flash = "flash.document_reported"
	p.Data = d
	w.render(c, http.StatusOK, "document_new", p)
}

type screeningData struct {
	Asked    bool
	Answer   screening.Answer
	Problem  string // why the query was not answered, in the interface language
	Manifest []screening.Answer
	Matched  int // answers of the manifest with at least one match
}

func (w *Web) screeningPage(c *call) {
	if d := policy.Can(c.actor(), policy.ScreenQuery, policy.Resource{Kind: "screen"}); !d.Allowed {
		w.fail(c, fault.New(fault.Forbidden, "forbidden", "%s", d.Reason))
		return
	}
	p := c.page("screening.title")
	p.Section = "screening"
	p.Data = screeningData{}
	w.render(c, http.StatusOK, "screening", p)
}

// queryFromForm reads the screening form as the screening engine reads an
// API query, so that both check the same way.
func queryFromForm(c *call) screening.Item {
	f := c.r.PostForm
	v := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	q := map[string]any{"qid": "web"}
	if s := v("name"); s != "" {
		q["name"] = s
	}
	if s := v("birth_date"); s != "" {
		q["birth_date"] = s
	}
	if s := v("nationality"); s != "" {
		q["nationality"] = s
	}
	if s := v("document_number"); s != "" {
		q["document_number"] = s
	}
	if s := v("issuing_country"); s != "" {
		q["issuing_country"] = s
	}
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(f.Get("mrz"), "\r", ""), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > 0 {
		q["mrz"] = lines
	}
	raw, _ := json.Marshal(q) // strings only: always encodes
	var it screening.Item
	it.Query, it.Err = screening.ParseQuery(raw)
	return it
}

func (w *Web) screen(c *call) {
	item := queryFromForm(c)
	// A document reported a moment ago must be found.
	if err := w.svc.Screening.Sync(c.ctx); err != nil {
		w.fail(c, err)
		return
	}
	answers, err := w.svc.Screening.Screen(c.ctx, c.actor(), []screening.Item{item})
	if err != nil {
		w.fail(c, err)
		return
	}
	p := c.page("screening.title")
	p.Section = "screening"
	p.Form = c.r.PostForm
	d := screeningData{Asked: true}
	if len(answers) == 1 {
		d.Answer = answers[0]
		if e := d.Answer.Error; e != nil {
			d.Problem = e.Message
			if c.loc.Has("fault." + e.Code) {
				d.Problem = c.loc.T("fault." + e.Code)
			}
		}
	}
	p.Data = d
	status := http.StatusOK
	if d.Problem != "" {
		status = http.StatusBadRequest
	}
	w.render(c, status, "screening", p)
}

// hitRow is a hit with the decision the user may take on it.
type hitRow struct {
	screening.Hit
	CanDecide bool
}

func (w *Web) hitList(c *call) {
	hits, err := w.svc.Screening.ListHits(c.ctx, c.actor(), screening.HitFilter{Status: c.r.URL.Query().Get("status")})
	if err != nil {
		w.fail(c, err)
		return
	}
	rows := make([]hitRow, len(hits))
	for i, h := range hits {
		rows[i] = hitRow{Hit: h, CanDecide: h.Status == screening.HitNew && policy.Can(c.actor(), policy.HitDecide, hitResource(h)).Allowed}
	}
	p := c.page("hits.title")
	p.Section = "screening"
	p.Form = c.r.URL.Query()
	p.Data = rows
	w.render(c, http.StatusOK, "hits", p)
}

// hitResource is a hit as policy sees it: owned by the record's owner and
// shown to the country that asked.
func hitResource(h screening.Hit) policy.Resource {
	return policy.Resource{Kind: "hit", ID: strconv.FormatInt(h.ID, 10), Owner: h.RecordOwner,
		Audience: policy.Audience{Mode: policy.OnlyListed, Countries: []string{h.AskerOrg}}}
}

func (w *Web) hitDecide(c *call) {
	_, err := w.svc.Screening.DecideHit(c.ctx, c.actor(), c.r.PathValue("id"), c.r.PathValue("status"),
		strings.TrimSpace(c.r.PostFormValue("note")))
	if err != nil {
		w.fail(c, err)
		return
	}
	c.redirect("/workspace/hits?done=hit_decided")
}

// HitStatuses are the states of a hit, for the filter of the hit list.
func (p *page) HitStatuses() []string {
	return []string{screening.HitNew, screening.HitConfirmed, screening.HitFalsePositive}
}

// parseManifest reads a passenger manifest: a JSON array of screening
// queries, as the API takes, or the same queries one per line.
func parseManifest(raw []byte) ([]screening.Item, error) {
	raw = bytes.TrimSpace(raw)
	var queries []json.RawMessage
	if bytes.HasPrefix(raw, []byte("[")) {
		if err := json.Unmarshal(raw, &queries); err != nil {
			return nil, fault.InvalidField("manifest", "invalid_manifest", "the file is not a JSON array of queries: %v", err)
		}
	} else {
		for _, line := range bytes.Split(raw, []byte("\n")) {
			if line = bytes.TrimSpace(line); len(line) > 0 {
				queries = append(queries, line)
			}
		}
	}
	if len(queries) == 0 {
		return nil, fault.InvalidField("manifest", "invalid_manifest", "the file holds no query")
	}
	if len(queries) > screening.MaxBatch {
		return nil, fault.InvalidField("manifest", "too_many_queries", "a manifest holds at most %d queries (got %d)", screening.MaxBatch, len(queries))
	}
	items := make([]screening.Item, len(queries))
	for i, q := range queries {
		items[i].Query, items[i].Err = screening.ParseQuery(q)
	}
	return items, nil
}

// screenManifest screens every passenger of an uploaded manifest at once.
func (w *Web) screenManifest(c *call) {
	p := c.page("screening.title")
	p.Section = "screening"
	p.Path = "/workspace/screening" // the switcher's target: the screening page
	items, err := func() ([]screening.Item, error) {
		f, _, err := c.r.FormFile("manifest")
		if err != nil {
			return nil, fault.InvalidField("manifest", "invalid_manifest", "choose a manifest file")
		}
		defer f.Close()
		raw, err := io.ReadAll(f)
		if err != nil {
			return nil, fmt.Errorf("read manifest: %w", err)
		}
		return parseManifest(raw)
	}()
	if fe, ok := fault.As(err); ok && fe.Kind == fault.Invalid {
		p.Errors["manifest"] = c.loc.faultText(fe)
		p.Data = screeningData{}
		w.render(c, http.StatusBadRequest, "screening", p)
		return
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	if err := w.svc.Screening.Sync(c.ctx); err != nil {
		w.fail(c, err)
		return
	}
	answers, err := w.svc.Screening.Screen(c.ctx, c.actor(), items)
	if err != nil {
		w.fail(c, err)
		return
	}
	d := screeningData{Manifest: answers}
	for _, a := range answers {
		if len(a.Matches) > 0 {
			d.Matched++
		}
	}
	p.Data = d
	w.render(c, http.StatusOK, "screening", p)
}
