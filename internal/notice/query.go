package notice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/member"
	"github.com/relais/relais/internal/policy"
)

// Filter selects notices in the officers' list; zero fields select everything.
type Filter struct {
	Type        string // one notice type
	State       string // one state
	Country     string // the requesting country (owner)
	Nationality string // a nationality of the subject
	Q           string // words of a name, alias, charge or reference
	Limit       int    // at most 500; 50 when zero
	Offset      int
}

// Summary is a notice in a list.
type Summary struct {
	ID            int64      `json:"id"`
	Reference     string     `json:"reference"`
	Type          Type       `json:"type"`
	State         string     `json:"state"`
	Owner         string     `json:"owner"`
	Name          string     `json:"name,omitempty"`
	Forename      string     `json:"forename,omitempty"`
	DateOfBirth   string     `json:"date_of_birth,omitempty"`
	Nationalities []string   `json:"nationalities,omitempty"`
	Public        bool       `json:"public"`
	UpdatedAt     time.Time  `json:"updated_at"`
	ReviewDate    *time.Time `json:"review_date,omitempty"`
}

func summarize(n Notice) Summary {
	s := Summary{ID: n.ID, Reference: n.Reference, Type: n.Type, State: n.State, Owner: n.Owner, Public: n.Public, UpdatedAt: n.UpdatedAt, ReviewDate: n.ReviewDate}
	switch {
	case n.Subject != nil:
		s.Name, s.Forename, s.DateOfBirth, s.Nationalities = n.Subject.Name, n.Subject.Forename, n.Subject.DateOfBirth, n.Subject.Nationalities
	case n.Entity != nil:
		s.Name = n.Entity.Name
	}
	return s
}

func (f *Filter) check() error {
	if f.Type != "" {
		t, ok := ParseType(f.Type)
		if !ok {
			return fault.InvalidField("type", "invalid_parameter", "unknown notice type %q: use one of %s", f.Type, typeList())
		}
		f.Type = string(t)
	}
	if f.State != "" {
		states := []string{Draft, Submitted, InReview, InfoRequested, Published, Refused, Cancelled, Withdrawn}
		found := false
		for _, s := range states {
			found = found || s == f.State
		}
		if !found {
			return fault.InvalidField("state", "invalid_parameter", "unknown state %q: use one of %s", f.State, strings.Join(states, ", "))
		}
	}
	if f.Country != "" {
		c := strings.ToUpper(strings.TrimSpace(f.Country))
		if c != policy.GeneralSecretariat {
			var err error
			if c, err = member.Normalize(c); err != nil {
				return fault.InvalidField("country", "invalid_parameter", "%v", err)
			}
		}
		f.Country = c
	}
	if f.Nationality != "" {
		c, err := isoCountry("nationality", f.Nationality)
		if err != nil {
			return err
		}
		f.Nationality = c
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if f.Limit > 500 {
		f.Limit = 500
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	return nil
}

// List returns the notices the actor may see that match f, newest first,
// and how many match in all. The search is audited as one read.
func (s *Service) List(ctx context.Context, by policy.Actor, f Filter) ([]Summary, int, error) {
	if d := policy.Can(by, policy.NoticeList, policy.Resource{Kind: Kind}); !d.Allowed {
		return nil, 0, s.deny(ctx, by, policy.NoticeList, Kind, "", d, nil)
	}
	if err := f.check(); err != nil {
		return nil, 0, err
	}
	where, args := []string{"1 = 1"}, []any{}
	add := func(cond string, v ...any) { where = append(where, cond); args = append(args, v...) }
	if f.Type != "" {
		add("type = ?", f.Type)
	}
	if f.State != "" {
		add("state = ?", f.State)
	}
	if f.Country != "" {
		add("owner = ?", f.Country)
	}
	if f.Nationality != "" {
		add("nationalities LIKE ?", "%,"+f.Nationality+",%")
	}
	for _, w := range foldWords(f.Q) {
		add("search_text LIKE ?", "% "+w+"%")
	}
	// A bureau sees at most its own notices and published ones. The policy
	// below decides for each notice; this only spares reading the rest.
	if !by.IsGS() {
		add("(owner = ? OR state = ?)", by.Org, Published)
	}
	rows, err := s.store.Query(ctx, "SELECT "+noticeColumns+" FROM notices WHERE "+strings.Join(where, " AND ")+" ORDER BY id DESC", args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list notices: %w", err)
	}
	defer rows.Close()
	var all []Summary
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("read notice: %w", err)
		}
		if policy.Can(by, policy.NoticeRead, n.resource()).Allowed {
			all = append(all, summarize(n))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	total := len(all)
	page := []Summary{}
	if f.Offset < total {
		page = all[f.Offset:min(total, f.Offset+f.Limit)]
	}
	e := audit.Event(ctx, by, policy.NoticeList, Kind, "")
	ids := make([]string, len(page))
	for i, n := range page {
		ids[i] = idString(n.ID)
	}
	e.Detail = fmt.Sprintf("type=%s state=%s country=%s nationality=%s q_words=%d results=%s", f.Type, f.State, f.Country, f.Nationality, len(foldWords(f.Q)), strings.Join(ids, ","))
	s.j.RecordRead(e)
	return page, total, nil
}

// ReviewDue lists the published notices whose retention review date has
// passed, oldest first, for the data protection officer.
func (s *Service) ReviewDue(ctx context.Context, by policy.Actor) ([]Summary, error) {
	if d := policy.Can(by, policy.NoticeReviewDue, policy.Resource{Kind: Kind}); !d.Allowed {
		return nil, s.deny(ctx, by, policy.NoticeReviewDue, Kind, "", d, nil)
	}
	rows, err := s.store.Query(ctx, "SELECT "+noticeColumns+" FROM notices WHERE state = ? AND review_date <= ? ORDER BY review_date, id", Published, s.now())
	if err != nil {
		return nil, fmt.Errorf("list notices due for review: %w", err)
	}
	defer rows.Close()
	out := []Summary{}
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, fmt.Errorf("read notice: %w", err)
		}
		out = append(out, summarize(n))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	e := audit.Event(ctx, by, policy.NoticeReviewDue, Kind, "")
	e.Detail = fmt.Sprintf("results=%d", len(out))
	s.j.RecordRead(e)
	return out, nil
}

// AddPhoto checks, cleans and stores a photograph of a notice's subject.
// Adding a photo is a change of the notice: the requesting bureau does it.
func (s *Service) AddPhoto(ctx context.Context, by policy.Actor, id int64, raw []byte) (PhotoRef, error) {
	n, err := s.load(ctx, s.store, id)
	if err != nil {
		return PhotoRef{}, err
	}
	if err := s.authorize(ctx, by, policy.NoticeUpdate, &n); err != nil {
		return PhotoRef{}, err
	}
	if n.State == Refused || n.State == Cancelled || n.State == Withdrawn {
		return PhotoRef{}, fault.New(fault.Conflict, "invalid_state", "a notice that is %s takes no more photos", n.State)
	}
	p, err := PreparePhoto(raw)
	if err != nil {
		return PhotoRef{}, err
	}
	ref := PhotoRef{ContentType: p.ContentType, Size: len(p.Data), SHA256: p.SHA256, Width: p.Width, Height: p.Height}
	entry := audit.Event(ctx, by, policy.NoticeUpdate, Kind, idString(id))
	err = s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(n), 0) + 1 FROM notice_photos WHERE notice_id = ?", id).Scan(&ref.N); err != nil {
			return fmt.Errorf("number photo: %w", err)
		}
		if err := tx.QueryRow(ctx, `INSERT INTO notice_photos (notice_id, n, content_type, size, sha256, width, height, data, uploaded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, id, ref.N, ref.ContentType, ref.Size, ref.SHA256, ref.Width, ref.Height,
			p.Data, by.Username, s.now()).Scan(&ref.ID); err != nil {
			return fmt.Errorf("store photo: %w", err)
		}
		if _, err := tx.Exec(ctx, "UPDATE notices SET updated_at = ? WHERE id = ?", s.now(), id); err != nil {
			return fmt.Errorf("touch notice: %w", err)
		}
		tx.Entry.Detail = fmt.Sprintf("reference=%s photo=%d sha256=%s", n.Reference, ref.N, ref.SHA256)
		tx.Changed(Kind, idString(id), changefeed.Update)
		return nil
	})
	return ref, err
}

// Photo returns photo number nth of a notice the actor may see. The read is audited.
func (s *Service) Photo(ctx context.Context, by policy.Actor, id int64, nth int) (PhotoRef, []byte, error) {
	n, err := s.load(ctx, s.store, id)
	if err != nil {
		return PhotoRef{}, nil, err
	}
	if err := s.authorize(ctx, by, policy.NoticeRead, &n); err != nil {
		return PhotoRef{}, nil, err
	}
	ref, data, err := s.photo(ctx, "notice_id = ? AND n = ?", id, nth)
	if err != nil {
		return ref, nil, err
	}
	e := audit.Event(ctx, by, policy.NoticeRead, Kind, idString(id))
	e.Detail = fmt.Sprintf("reference=%s photo=%d", n.Reference, nth)
	s.j.RecordRead(e)
	return ref, data, nil
}

func (s *Service) photo(ctx context.Context, where string, args ...any) (PhotoRef, []byte, error) {
	var p PhotoRef
	var data []byte
	err := s.store.QueryRow(ctx, "SELECT id, n, content_type, size, sha256, width, height, data FROM notice_photos WHERE "+where, args...).
		Scan(&p.ID, &p.N, &p.ContentType, &p.Size, &p.SHA256, &p.Width, &p.Height, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil, fault.NotFoundf("no such photo")
	}
	if err != nil {
		return p, nil, fmt.Errorf("read photo: %w", err)
	}
	return p, data, nil
}

// ScreeningSubject is a published notice's person as screening needs it.
type ScreeningSubject struct {
	NoticeID      int64
	Reference     string
	Type          Type
	Owner         string
	Audience      policy.Audience
	Name          string   // forename and family name
	Aliases       []string // aliases, birth name and names in original script
	BirthDate     string   // YYYY, YYYY-MM or YYYY-MM-DD
	Nationalities []string
	Sex           string
}

// PublishedPersons returns the persons of published notices (of the given
// ids, or all of them when none is given), for the screening index. Every
// publish, update, cancel and withdraw appends a change of kind "notice"
// with the notice's id to the change feed: an index that follows the feed
// calls PublishedPersons with those ids and drops the ids it does not get
// back. It is not audited: it feeds an index, not a person.
func (s *Service) PublishedPersons(ctx context.Context, ids ...int64) ([]ScreeningSubject, error) {
	q := "SELECT " + noticeColumns + " FROM notices WHERE state = ? AND subject_kind = 'person'"
	args := []any{Published}
	if len(ids) > 0 {
		q += " AND id IN (?" + strings.Repeat(", ?", len(ids)-1) + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	rows, err := s.store.Query(ctx, q+" ORDER BY id", args...)
	if err != nil {
		return nil, fmt.Errorf("list published persons: %w", err)
	}
	defer rows.Close()
	var out []ScreeningSubject
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, fmt.Errorf("read notice: %w", err)
		}
		sub := n.Subject
		if sub == nil {
			continue
		}
		aliases := append([]string{}, sub.Aliases...)
		aliases = append(aliases, sub.OriginalScriptNames...)
		if sub.BirthName != "" {
			aliases = append(aliases, strings.TrimSpace(sub.Forename+" "+sub.BirthName))
		}
		out = append(out, ScreeningSubject{
			NoticeID: n.ID, Reference: n.Reference, Type: n.Type, Owner: n.Owner, Audience: n.resource().Audience,
			Name: strings.TrimSpace(sub.Forename + " " + sub.Name), Aliases: aliases, BirthDate: sub.DateOfBirth,
			Nationalities: sub.Nationalities, Sex: sub.Sex,
		})
	}
	return out, rows.Err()
}
