// Package publicnotices serves the public extracts of notices with the same
// paths, query parameters and JSON as the organisation's public notices web
// API (ws-public), so that clients written for that API work unchanged:
//
//	GET /notices/v1/{red|yellow}                      search
//	GET /notices/v1/{red|yellow}/{YYYY-NNNNN}         detail
//	GET /notices/v1/{red|yellow}/{YYYY-NNNNN}/images  the notice's pictures
//	GET /notices/v1/.../images/{picture_id}           one picture's bytes
//	GET /notices/v1/un/{persons|entities}[/...]       UN Security Council Special Notices
//
// Only published notices whose requesting bureau consented to a public
// extract appear (UN notices always); cancelling or withdrawing a notice
// removes it at once, as every answer is read from the store. No sign-in.
package publicnotices

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/httpx"
	"github.com/relais/relais/internal/notice"
)

// Handler serves the public notices API.
type Handler struct {
	svc *notice.Service
}

// New returns the public notices API over svc.
func New(svc *notice.Service) *Handler { return &Handler{svc: svc} }

// MaxResultPerPage is the largest page the public API serves.
const MaxResultPerPage = 160

// Register adds the public routes to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	for _, k := range []notice.PublicKind{notice.PublicRed, notice.PublicYellow, notice.PublicUNPersons, notice.PublicUNEntities} {
		base := "/notices/v1/" + string(k)
		mux.HandleFunc("GET "+base, h.list(k))
		mux.HandleFunc("GET "+base+"/{id}", h.detail(k))
		mux.HandleFunc("GET "+base+"/{id}/images", h.images(k))
		mux.HandleFunc("GET "+base+"/{id}/images/{picture}", h.picture(k))
	}
	mux.HandleFunc("/notices/", func(w http.ResponseWriter, r *http.Request) {
		publicHeaders(w)
		httpx.WriteError(w, r, fault.NotFoundf("no such public notices endpoint: %s %s", r.Method, r.URL.Path))
	})
}

func publicHeaders(w http.ResponseWriter) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	// Not cached: a cancelled notice must disappear at once.
	w.Header().Set("Cache-Control", "no-cache")
}

// link is a HAL link.
type link struct {
	Href string `json:"href"`
}

// baseURL is the scheme and host the client used, for absolute links.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func noticeURL(r *http.Request, k notice.PublicKind, ref string) string {
	return baseURL(r) + "/notices/v1/" + string(k) + "/" + strings.ReplaceAll(ref, "/", "-")
}

var (
	countryParam = regexp.MustCompile(`^[A-Za-z]{2}$`)
	entityID     = regexp.MustCompile(`^(\d{4})-(\d{1,9})$`)
)

// parseQuery reads the query parameters of a search. The "query" object of
// the answer echoes the parameters given, as the original API does.
func parseQuery(k notice.PublicKind, r *http.Request) (notice.PublicQuery, map[string]any, url.Values, error) {
	v := r.URL.Query()
	q := notice.PublicQuery{Kind: k, Page: 1, ResultPerPage: 20}
	echo := map[string]any{}
	keep := url.Values{}
	intParam := func(name string, dst *int, lo, hi int) error {
		s := v.Get(name)
		if s == "" {
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			return fault.InvalidField(name, "invalid_parameter", "%s must be a whole number from %d to %d", name, lo, hi)
		}
		*dst = n
		return nil
	}
	if err := intParam("page", &q.Page, 1, math.MaxInt32); err != nil {
		return q, nil, nil, err
	}
	if err := intParam("resultPerPage", &q.ResultPerPage, 1, MaxResultPerPage); err != nil {
		return q, nil, nil, err
	}
	text := func(name string, dst *string) {
		if s := strings.TrimSpace(v.Get(name)); s != "" {
			*dst = s
			echo[name] = s
			keep.Set(name, s)
		}
	}
	text("name", &q.Name)
	if k == notice.PublicUNPersons || k == notice.PublicUNEntities {
		text("unReference", &q.UNReference)
		text("unResolution", &q.UNResolution)
		if k == notice.PublicUNPersons {
			text("forename", &q.Forename)
		}
		return q, echo, keep, nil
	}
	text("forename", &q.Forename)
	text("freeText", &q.FreeText)
	for name, dst := range map[string]*string{"nationality": &q.Nationality, "arrestWarrantCountryId": &q.ArrestWarrantCountryID} {
		text(name, dst)
		if *dst != "" && !countryParam.MatchString(*dst) {
			return q, nil, nil, fault.InvalidField(name, "invalid_parameter", "%s is an ISO 3166-1 alpha-2 country code such as FR", name)
		}
		if *dst != "" {
			*dst = strings.ToUpper(*dst)
			echo[name] = *dst
			keep.Set(name, *dst)
		}
	}
	text("sexId", &q.SexID)
	if q.SexID != "" {
		q.SexID = strings.ToUpper(q.SexID)
		if q.SexID != "M" && q.SexID != "F" && q.SexID != "U" {
			return q, nil, nil, fault.InvalidField("sexId", "invalid_parameter", "sexId is M, F or U")
		}
		echo["sexId"] = q.SexID
		keep.Set("sexId", q.SexID)
	}
	for name, dst := range map[string]*int{"ageMin": &q.AgeMin, "ageMax": &q.AgeMax} {
		if err := intParam(name, dst, 0, 150); err != nil {
			return q, nil, nil, err
		}
		if v.Get(name) != "" {
			echo[name] = *dst
			keep.Set(name, strconv.Itoa(*dst))
		}
	}
	if q.AgeMin > 0 && q.AgeMax > 0 && q.AgeMin > q.AgeMax {
		return q, nil, nil, fault.InvalidField("ageMin", "invalid_parameter", "ageMin is larger than ageMax")
	}
	return q, echo, keep, nil
}

func (h *Handler) list(k notice.PublicKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		publicHeaders(w)
		q, echo, keep, err := parseQuery(k, r)
		if err != nil {
			httpx.WriteError(w, r, err)
			return
		}
		list, total, err := h.svc.PublicSearch(r.Context(), q)
		if err != nil {
			httpx.WriteError(w, r, err)
			return
		}
		last := max(1, (total+q.ResultPerPage-1)/q.ResultPerPage)
		if q.Page > last {
			// Past the last page the original API answers the last page.
			q.Page = last
			if list, total, err = h.svc.PublicSearch(r.Context(), q); err != nil {
				httpx.WriteError(w, r, err)
				return
			}
		}
		echo["page"], echo["resultPerPage"] = q.Page, q.ResultPerPage
		pageURL := func(page int) link {
			v := url.Values{}
			for key, vals := range keep {
				v[key] = vals
			}
			v.Set("page", strconv.Itoa(page))
			v.Set("resultPerPage", strconv.Itoa(q.ResultPerPage))
			return link{baseURL(r) + "/notices/v1/" + string(k) + "?" + v.Encode()}
		}
		links := map[string]link{"self": pageURL(q.Page), "first": pageURL(1), "last": pageURL(last)}
		if q.Page < last {
			links["next"] = pageURL(q.Page + 1)
		}
		if q.Page > 1 {
			links["previous"] = pageURL(q.Page - 1)
		}
		items := make([]map[string]any, 0, len(list))
		for _, n := range list {
			items = append(items, summary(r, k, n))
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]any{
			"total":     total,
			"query":     echo,
			"_embedded": map[string]any{"notices": items},
			"_links":    links,
		})
	}
}

// noticeLinks are a notice's self, images and (when it has a picture) thumbnail links.
func noticeLinks(r *http.Request, k notice.PublicKind, n notice.Notice, firstPicture int64) map[string]link {
	self := noticeURL(r, k, n.Reference)
	links := map[string]link{"self": {self}, "images": {self + "/images"}}
	if firstPicture > 0 {
		links["thumbnail"] = link{fmt.Sprintf("%s/images/%d", self, firstPicture)}
	}
	return links
}

func summary(r *http.Request, k notice.PublicKind, n notice.Notice) map[string]any {
	var thumb int64
	if len(n.Photos) > 0 {
		thumb = n.Photos[0].ID
	}
	m := map[string]any{"entity_id": n.Reference, "_links": noticeLinks(r, k, n, thumb)}
	if k == notice.PublicUNEntities {
		m["name"] = nil
		if n.Entity != nil {
			m["name"] = n.Entity.Name
		}
		return m
	}
	s := n.Subject
	if s == nil {
		s = &notice.Subject{}
	}
	m["forename"] = nullable(s.Forename)
	m["name"] = nullable(s.Name)
	m["date_of_birth"] = slashedDate(s.DateOfBirth)
	m["nationalities"] = codes(s.Nationalities)
	return m
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// codes is a list of codes, or null when there is none, as the original API writes it.
func codes(cs []string) any {
	if len(cs) == 0 {
		return nil
	}
	return cs
}

func code(c string) any {
	if c == "" {
		return nil
	}
	return []string{c}
}

func slashedDate(s string) any {
	if s == "" {
		return nil
	}
	d, err := notice.ParsePartialDate(s)
	if err != nil {
		return nil
	}
	return d.Slashed()
}

func (h *Handler) find(k notice.PublicKind, w http.ResponseWriter, r *http.Request) (notice.Notice, bool) {
	publicHeaders(w)
	m := entityID.FindStringSubmatch(r.PathValue("id"))
	if m == nil {
		httpx.WriteError(w, r, fault.NotFoundf("no public notice %q: give the notice as YYYY-NNNNN", r.PathValue("id")))
		return notice.Notice{}, false
	}
	n, err := h.svc.PublicGet(r.Context(), k, m[1]+"/"+m[2])
	if err != nil {
		httpx.WriteError(w, r, err)
		return n, false
	}
	return n, true
}

func (h *Handler) detail(k notice.PublicKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n, ok := h.find(k, w, r)
		if !ok {
			return
		}
		httpx.WriteJSON(w, http.StatusOK, Detail(r, k, n))
	}
}

// Detail is the public detail of a notice in the original API's shape;
// absent values are null, as there.
func Detail(r *http.Request, k notice.PublicKind, n notice.Notice) map[string]any {
	m := summary(r, k, n)
	m["_embedded"] = map[string]any{"links": []any{}}
	if u := n.UN; u != nil {
		m["un_reference"] = u.Reference
		m["un_resolution"] = u.Resolution
		m["un_committee"] = nullable(u.Committee)
	}
	if k == notice.PublicUNEntities {
		e := n.Entity
		if e == nil {
			e = &notice.Entity{}
		}
		m["aliases"] = codes(e.Aliases)
		m["addresses"] = codes(e.Addresses)
		m["country_id"] = nullable(e.Country)
		m["summary"] = nullable(n.Description)
		return m
	}
	s := n.Subject
	if s == nil {
		s = &notice.Subject{}
	}
	var height, weight any
	if s.HeightCM > 0 {
		height = float64(s.HeightCM) / 100
	}
	if s.WeightKG > 0 {
		weight = s.WeightKG
	}
	m["sex_id"] = nullable(s.Sex)
	m["country_of_birth_id"] = nullable(s.CountryOfBirth)
	m["place_of_birth"] = nullable(s.PlaceOfBirth)
	m["weight"] = weight
	m["height"] = height
	m["eyes_colors_id"] = code(s.Eyes)
	m["hairs_id"] = code(s.Hair)
	m["distinguishing_marks"] = nullable(s.DistinguishingMarks)
	m["languages_spoken_ids"] = codes(s.Languages)
	switch k {
	case notice.PublicRed:
		warrants := []map[string]any{}
		for _, aw := range n.ArrestWarrants {
			warrants = append(warrants, map[string]any{"issuing_country_id": aw.IssuingCountry, "charge": aw.Charge, "charge_translation": nullable(aw.ChargeTranslation)})
		}
		if c := n.Conviction; c != nil {
			warrants = append(warrants, map[string]any{"issuing_country_id": c.IssuingCountry, "charge": c.Charge, "charge_translation": nullable(c.ChargeTranslation)})
		}
		m["arrest_warrants"] = warrants
	case notice.PublicYellow:
		ev := n.Disappearance
		if ev == nil {
			ev = &notice.Event{}
		}
		m["birth_name"] = nullable(s.BirthName)
		m["father_name"] = nullable(s.FatherName)
		m["father_forename"] = nullable(s.FatherForename)
		m["mother_name"] = nullable(s.MotherName)
		m["mother_forename"] = nullable(s.MotherForename)
		m["date_of_event"] = slashedDate(ev.Date)
		m["place"] = nullable(ev.Place)
		m["country"] = nullable(ev.Country)
		m["countries_likely_to_be_visited"] = codes(ev.LikelyToVisitCountries)
		m["issuing_country"] = nullable(n.Owner)
	}
	return m
}

func (h *Handler) images(k notice.PublicKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n, ok := h.find(k, w, r)
		if !ok {
			return
		}
		self := noticeURL(r, k, n.Reference)
		imgs := []map[string]any{}
		for _, p := range n.Photos {
			imgs = append(imgs, map[string]any{
				"picture_id": strconv.FormatInt(p.ID, 10),
				"_links":     map[string]link{"self": {fmt.Sprintf("%s/images/%d", self, p.ID)}},
			})
		}
		links := map[string]link{"self": {self + "/images"}, "notice": {self}}
		if len(n.Photos) > 0 {
			links["thumbnail"] = link{fmt.Sprintf("%s/images/%d", self, n.Photos[0].ID)}
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]any{"_embedded": map[string]any{"images": imgs}, "_links": links})
	}
}

func (h *Handler) picture(k notice.PublicKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		publicHeaders(w)
		m := entityID.FindStringSubmatch(r.PathValue("id"))
		pid, err := strconv.ParseInt(r.PathValue("picture"), 10, 64)
		if m == nil || err != nil {
			httpx.WriteError(w, r, fault.NotFoundf("no such picture"))
			return
		}
		p, data, err := h.svc.PublicPhoto(r.Context(), k, m[1]+"/"+m[2], pid)
		if err != nil {
			httpx.WriteError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", p.ContentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		_, _ = w.Write(data)
	}
}
