package notice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/relais/relais/internal/fault"
)

// PublicKind is a list of the public notices site.
type PublicKind string

const (
	PublicRed        PublicKind = "red"
	PublicYellow     PublicKind = "yellow"
	PublicUNPersons  PublicKind = "un/persons"
	PublicUNEntities PublicKind = "un/entities"
)

func (k PublicKind) where() (string, []any) {
	switch k {
	case PublicRed:
		return "type = ? AND subject_kind = 'person'", []any{string(Red)}
	case PublicYellow:
		return "type = ? AND subject_kind = 'person'", []any{string(Yellow)}
	case PublicUNPersons:
		return "type = ? AND subject_kind = 'person'", []any{string(UN)}
	default:
		return "type = ? AND subject_kind = 'entity'", []any{string(UN)}
	}
}

// publicExtract is the condition for a notice to appear on the public
// site: published, and either a UN Security Council Special Notice (always
// public) or one whose bureau consented. A notice that excludes some
// countries never has a public extract: the public site is seen from every
// country, the excluded ones included.
const publicExtract = "state = 'published' AND (public = TRUE OR type = 'un') AND excluded = ''"

// PublicQuery is a search of the public notices site. Text fields match
// parts of the folded (case- and accent-insensitive) names.
type PublicQuery struct {
	Kind                   PublicKind
	Forename, Name         string
	Nationality            string
	AgeMin, AgeMax         int // 0 when not given
	SexID                  string
	ArrestWarrantCountryID string
	FreeText               string
	UNReference            string
	UNResolution           string
	Page, ResultPerPage    int
}

// PublicSearch returns one page of public extracts and the number matching.
// Reading public extracts is not audited: they are public.
func (s *Service) PublicSearch(ctx context.Context, q PublicQuery) ([]Notice, int, error) {
	where, args := q.Kind.where()
	conds := []string{publicExtract, where}
	add := func(c string, v ...any) { conds = append(conds, c); args = append(args, v...) }
	for _, w := range foldWords(q.Name) {
		add("family_norm LIKE ?", "%"+w+"%")
	}
	for _, w := range foldWords(q.Forename) {
		add("forename_norm LIKE ?", "%"+w+"%")
	}
	for _, w := range foldWords(q.FreeText) {
		add("search_text LIKE ?", "% "+w+"%")
	}
	if q.Nationality != "" {
		add("nationalities LIKE ?", "%,"+strings.ToUpper(q.Nationality)+",%")
	}
	if q.ArrestWarrantCountryID != "" {
		add("warrant_countries LIKE ?", "%,"+strings.ToUpper(q.ArrestWarrantCountryID)+",%")
	}
	if q.SexID != "" {
		add("sex = ?", strings.ToUpper(q.SexID))
	}
	// Ages from the year of birth: someone born in year Y is this year
	// either Y's distance or one less, so both bounds keep the doubtful year.
	year := s.now().Year()
	if q.AgeMin > 0 {
		add("birth_year <= ?", year-q.AgeMin)
	}
	if q.AgeMax > 0 {
		add("birth_year >= ?", year-q.AgeMax-1)
	}
	if q.UNReference != "" {
		add("LOWER(un_reference) LIKE ?", "%"+strings.ToLower(q.UNReference)+"%")
	}
	if q.UNResolution != "" {
		add("un_resolution = ?", q.UNResolution)
	}
	w := strings.Join(conds, " AND ")
	var total int
	if err := s.store.QueryRow(ctx, "SELECT COUNT(*) FROM notices WHERE "+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count public notices: %w", err)
	}
	if q.ResultPerPage <= 0 {
		q.ResultPerPage = 20
	}
	offset := max(q.Page-1, 0) * q.ResultPerPage
	rows, err := s.store.Query(ctx, "SELECT "+noticeColumns+" FROM notices WHERE "+w+" ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?",
		append(args, q.ResultPerPage, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list public notices: %w", err)
	}
	defer rows.Close()
	out := []Notice{}
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("read notice: %w", err)
		}
		out = append(out, publicOnly(n))
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	for i := range out {
		if out[i].Photos, err = s.photoRefs(ctx, out[i].ID); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// publicOnly keeps what a public extract shows: the data, not the review,
// the requester or the identity documents.
func publicOnly(n Notice) Notice {
	p := Notice{ID: n.ID, Reference: n.Reference, State: n.State, Owner: n.Owner, Data: n.Data, PublishedAt: n.PublishedAt}
	if n.Subject != nil {
		sub := *n.Subject
		sub.IdentityDocuments, sub.RefugeeStatus = nil, false
		p.Subject = &sub
	}
	return p
}

// PublicGet returns the public extract with the given reference ("YYYY/NNNNN") in list kind.
func (s *Service) PublicGet(ctx context.Context, kind PublicKind, reference string) (Notice, error) {
	where, args := kind.where()
	n, err := scanNotice(s.store.QueryRow(ctx, "SELECT "+noticeColumns+" FROM notices WHERE "+publicExtract+" AND "+where+" AND reference = ?",
		append(args, reference)...))
	if errors.Is(err, sql.ErrNoRows) {
		return Notice{}, fault.NotFoundf("no public notice %s", reference)
	}
	if err != nil {
		return Notice{}, fmt.Errorf("read public notice %s: %w", reference, err)
	}
	if n.Photos, err = s.photoRefs(ctx, n.ID); err != nil {
		return Notice{}, err
	}
	p := publicOnly(n)
	p.Photos = n.Photos
	return p, nil
}

// PublicPhoto returns a photo of a public extract by its picture id.
func (s *Service) PublicPhoto(ctx context.Context, kind PublicKind, reference string, pictureID int64) (PhotoRef, []byte, error) {
	n, err := s.PublicGet(ctx, kind, reference)
	if err != nil {
		return PhotoRef{}, nil, err
	}
	return s.photo(ctx, "notice_id = ? AND id = ?", n.ID, pictureID)
}
