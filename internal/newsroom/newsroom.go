// Package newsroom keeps the press office's media releases: each release has
// a date, photos and up to four language versions (Arabic, English, French,
// Spanish) with a title, a place and a body. The press office writes,
// translates and publishes them; the public reads the published ones.
package newsroom

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/storage"
)

// ChangeKind is the change-feed kind of a media release.
const ChangeKind = "media_release"

// Languages are the languages a release may be written in, in the
// organisation's order.
func Languages() []string { return []string{"ar", "en", "fr", "es"} }

// Limits on what a release holds.
const (
	MaxTitle  = 200
	MaxPlace  = 100
	MaxBody   = 20000
	MaxPhotos = 6
)

// Version is one language version of a release.
type Version struct {
	Lang      string    `json:"lang"`
	Title     string    `json:"title"`
	Place     string    `json:"place"`
	Body      string    `json:"body"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Paragraphs splits the body at blank lines.
func (v Version) Paragraphs() []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(v.Body, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Release is a media release.
type Release struct {
	ID          int64              `json:"id"`
	State       string             `json:"state"` // policy.MediaDraft, MediaPublished or MediaWithdrawn
	Date        string             `json:"date"`  // YYYY-MM-DD
	CreatedBy   string             `json:"created_by"`
	CreatedAt   time.Time          `json:"created_at"`
	UpdatedAt   time.Time          `json:"updated_at"`
	PublishedAt *time.Time         `json:"published_at,omitempty"`
	Versions    map[string]Version `json:"versions"`
	Photos      []Photo            `json:"photos"`
}

// Version returns the release's version in lang.
func (r Release) Version(lang string) (Version, bool) {
	v, ok := r.Versions[lang]
	return v, ok
}

// In returns the version in lang, or an empty version when there is none.
func (r Release) In(lang string) Version { return r.Versions[lang] }

// TitleIn is the title in lang, or in the first language the release has.
func (r Release) TitleIn(lang string) string {
	if v, ok := r.Versions[lang]; ok {
		return v.Title
	}
	for _, l := range r.Langs() {
		return r.Versions[l].Title
	}
	return ""
}

// Langs lists the languages the release is written in, in the
// organisation's order.
func (r Release) Langs() []string {
	var out []string
	for _, l := range Languages() {
		if _, ok := r.Versions[l]; ok {
			out = append(out, l)
		}
	}
	return out
}

// Day returns the release date as a time at midnight UTC.
func (r Release) Day() time.Time {
	t, _ := time.Parse(time.DateOnly, r.Date)
	return t
}

func (r Release) resource() policy.Resource {
	return policy.Resource{Kind: ChangeKind, ID: strconv.FormatInt(r.ID, 10), Owner: policy.GeneralSecretariat, State: r.State}
}

// Service keeps media releases in one store.
type Service struct {
	j     *journal.Journal
	store *storage.Store
	now   func() time.Time
}

// New returns the newsroom writing through j.
func New(j *journal.Journal) *Service {
	return &Service{j: j, store: j.Store(), now: storage.Now}
}

// CheckVersion says what is wrong with v, naming the field at fault, without
// storing anything: forms call it to validate as the writer types.
func CheckVersion(v Version) error { return normalize(&v) }

// normalize trims v and checks it, naming the field at fault.
func normalize(v *Version) error {
	v.Lang = strings.ToLower(strings.TrimSpace(v.Lang))
	v.Title = strings.TrimSpace(v.Title)
	v.Place = strings.TrimSpace(v.Place)
	v.Body = strings.TrimSpace(strings.ReplaceAll(v.Body, "\r\n", "\n"))
	switch {
	case !slices.Contains(Languages(), v.Lang):
		return fault.InvalidField("lang", "invalid_lang", "a release is written in ar, en, fr or es")
	case v.Title == "":
		return fault.InvalidField("title", "required", "give the release a title")
	case utf8.RuneCountInString(v.Title) > MaxTitle:
		return fault.InvalidField("title", "too_long", "a title has at most %d characters", MaxTitle)
	case v.Place == "":
		return fault.InvalidField("place", "required", "say where the release is issued (a city)")
	case utf8.RuneCountInString(v.Place) > MaxPlace:
		return fault.InvalidField("place", "too_long", "a place has at most %d characters", MaxPlace)
	case v.Body == "":
		return fault.InvalidField("body", "required", "write the text of the release")
	case utf8.RuneCountInString(v.Body) > MaxBody:
		return fault.InvalidField("body", "too_long", "a release has at most %d characters", MaxBody)
	}
	for _, s := range []string{v.Title, v.Place, v.Body} {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return fault.InvalidField("body", "invalid_text", "the text contains bytes that are not valid UTF-8 text")
		}
	}
	return nil
}

func (s *Service) checkDate(date string) (string, error) {
	date = strings.TrimSpace(date)
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return "", fault.InvalidField("date", "invalid_date", "give the date as YYYY-MM-DD, e.g. %s", s.now().Format(time.DateOnly))
	}
	if d.Year() < 1923 || d.After(s.now().AddDate(1, 0, 0)) {
		return "", fault.InvalidField("date", "invalid_date", "the date must lie between 1923 and a year from now")
	}
	return date, nil
}

// refuse records a denied request and returns the error to answer with.
func (s *Service) refuse(ctx context.Context, by policy.Actor, act policy.Action, id string, d policy.Decision) error {
	e := audit.Event(ctx, by, act, ChangeKind, id)
	e.Outcome, e.Reason = audit.Denied, d.Reason
	if err := s.j.Record(ctx, e); err != nil {
		return err
	}
	if d.Hidden {
		return fault.NotFoundf("no such media release")
	}
	return fault.New(fault.Forbidden, "forbidden", "%s", d.Reason)
}

// Create starts a draft release dated date with its first language version.
func (s *Service) Create(ctx context.Context, by policy.Actor, date string, v Version) (Release, error) {
	if d := policy.Can(by, policy.MediaReleaseWrite, policy.Resource{Kind: ChangeKind, State: policy.MediaDraft}); !d.Allowed {
		return Release{}, s.refuse(ctx, by, policy.MediaReleaseWrite, "", d)
	}
	date, err := s.checkDate(date)
	if err != nil {
		return Release{}, err
	}
	if err := normalize(&v); err != nil {
		return Release{}, err
	}
	now := s.now()
	v.UpdatedAt = now
	r := Release{State: policy.MediaDraft, Date: date, CreatedBy: by.Username, CreatedAt: now, UpdatedAt: now,
		Versions: map[string]Version{v.Lang: v}}
	entry := audit.Event(ctx, by, policy.MediaReleaseWrite, ChangeKind, "")
	entry.Detail = "create lang=" + v.Lang
	err = s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO media_releases (state, release_date, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, r.State, r.Date, r.CreatedBy, now, now).Scan(&r.ID); err != nil {
			return fmt.Errorf("insert media release: %w", err)
		}
		if err := putVersion(ctx, tx, r.ID, v); err != nil {
			return err
		}
		id := strconv.FormatInt(r.ID, 10)
		tx.Changed(ChangeKind, id, changefeed.Insert)
		tx.Entry.ResourceID = id
		return nil
	})
	return r, err
}

func putVersion(ctx context.Context, tx *journal.Tx, id int64, v Version) error {
	_, err := tx.Exec(ctx, `INSERT INTO media_release_versions (release_id, lang, title, place, body, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (release_id, lang) DO UPDATE SET title = excluded.title, place = excluded.place,
			body = excluded.body, updated_at = excluded.updated_at`,
		id, v.Lang, v.Title, v.Place, v.Body, v.UpdatedAt)
	if err != nil {
		return fmt.Errorf("store %s version of media release %d: %w", v.Lang, id, err)
	}
	return nil
}

// change applies one audited write to release id under action act.
func (s *Service) change(ctx context.Context, by policy.Actor, act policy.Action, id int64, detail string,
	apply func(tx *journal.Tx, r Release) error) error {
	r, err := s.load(ctx, id)
	if err != nil {
		return err
	}
	if d := policy.Can(by, act, r.resource()); !d.Allowed {
		// Someone who may not write releases may not learn which drafts exist.
		if rd := policy.Can(by, policy.MediaReleaseRead, r.resource()); !rd.Allowed {
			d = rd
		}
		return s.refuse(ctx, by, act, strconv.FormatInt(id, 10), d)
	}
	entry := audit.Event(ctx, by, act, ChangeKind, strconv.FormatInt(id, 10))
	entry.Detail = detail
	return s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		if err := apply(tx, r); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE media_releases SET updated_at = ? WHERE id = ?", s.now(), id); err != nil {
			return fmt.Errorf("touch media release %d: %w", id, err)
		}
		tx.Changed(ChangeKind, strconv.FormatInt(id, 10), changefeed.Update)
		return nil
	})
}

// SetVersion adds or replaces the language version v.Lang of release id: the
// press office translates a release this way, also after it is published.
func (s *Service) SetVersion(ctx context.Context, by policy.Actor, id int64, v Version) error {
	if err := normalize(&v); err != nil {
		return err
	}
	v.UpdatedAt = s.now()
	return s.change(ctx, by, policy.MediaReleaseWrite, id, "version lang="+v.Lang, func(tx *journal.Tx, _ Release) error {
		return putVersion(ctx, tx, id, v)
	})
}

// SetDate changes the date release id bears.
func (s *Service) SetDate(ctx context.Context, by policy.Actor, id int64, date string) error {
	date, err := s.checkDate(date)
	if err != nil {
		return err
	}
	return s.change(ctx, by, policy.MediaReleaseWrite, id, "date "+date, func(tx *journal.Tx, _ Release) error {
		_, err := tx.Exec(ctx, "UPDATE media_releases SET release_date = ? WHERE id = ?", date, id)
		return err
	})
}

// Publish makes release id public (again, if it was withdrawn).
func (s *Service) Publish(ctx context.Context, by policy.Actor, id int64) error {
	return s.change(ctx, by, policy.MediaReleasePublish, id, "publish", func(tx *journal.Tx, r Release) error {
		if r.State == policy.MediaPublished {
			return fault.New(fault.Conflict, "already_published", "this release is already published")
		}
		_, err := tx.Exec(ctx, "UPDATE media_releases SET state = ?, published_at = COALESCE(published_at, ?) WHERE id = ?",
			policy.MediaPublished, s.now(), id)
		return err
	})
}

// Withdraw takes a published release off the public site.
func (s *Service) Withdraw(ctx context.Context, by policy.Actor, id int64) error {
	return s.change(ctx, by, policy.MediaReleasePublish, id, "withdraw", func(tx *journal.Tx, r Release) error {
		if r.State != policy.MediaPublished {
			return fault.New(fault.Conflict, "not_published", "only a published release can be withdrawn")
		}
		_, err := tx.Exec(ctx, "UPDATE media_releases SET state = ? WHERE id = ?", policy.MediaWithdrawn, id)
		return err
	})
}

// Get returns release id, if by may see it.
func (s *Service) Get(ctx context.Context, by policy.Actor, id int64) (Release, error) {
	r, err := s.load(ctx, id)
	if err != nil {
		return Release{}, err
	}
	if d := policy.Can(by, policy.MediaReleaseRead, r.resource()); !d.Allowed {
		return Release{}, fault.NotFoundf("no such media release")
	}
	return r, nil
}

const releaseColumns = "id, state, release_date, created_by, created_at, updated_at, published_at"

func scanRelease(row interface{ Scan(...any) error }) (Release, error) {
	var r Release
	var published sql.NullTime
	if err := row.Scan(&r.ID, &r.State, &r.Date, &r.CreatedBy, &r.CreatedAt, &r.UpdatedAt, &published); err != nil {
		return r, err
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	if published.Valid {
		t := published.Time.UTC()
		r.PublishedAt = &t
	}
	r.Versions = map[string]Version{}
	return r, nil
}

// load reads release id with its versions and photos, without access check.
func (s *Service) load(ctx context.Context, id int64) (Release, error) {
	r, err := scanRelease(s.store.QueryRow(ctx, "SELECT "+releaseColumns+" FROM media_releases WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Release{}, fault.NotFoundf("no such media release")
	}
	if err != nil {
		return Release{}, fmt.Errorf("read media release %d: %w", id, err)
	}
	list := []*Release{&r}
	if err := s.fill(ctx, list); err != nil {
		return Release{}, err
	}
	return r, nil
}

// fill reads the versions and photo descriptions of releases.
func (s *Service) fill(ctx context.Context, releases []*Release) error {
	if len(releases) == 0 {
		return nil
	}
	byID := map[int64]*Release{}
	marks := make([]string, len(releases))
	args := make([]any, len(releases))
	for i, r := range releases {
		byID[r.ID] = r
		marks[i], args[i] = "?", r.ID
	}
	in := "(" + strings.Join(marks, ",") + ")"
	rows, err := s.store.Query(ctx, "SELECT release_id, lang, title, place, body, updated_at FROM media_release_versions WHERE release_id IN "+in, args...)
	if err != nil {
		return fmt.Errorf("read media release versions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v Version
		if err := rows.Scan(&id, &v.Lang, &v.Title, &v.Place, &v.Body, &v.UpdatedAt); err != nil {
			return fmt.Errorf("read media release version: %w", err)
		}
		v.UpdatedAt = v.UpdatedAt.UTC()
		byID[id].Versions[v.Lang] = v
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read media release versions: %w", err)
	}
	prow, err := s.store.Query(ctx, "SELECT id, release_id, content_type, width, height, caption FROM media_release_photos WHERE release_id IN "+in+" ORDER BY id", args...)
	if err != nil {
		return fmt.Errorf("read media release photos: %w", err)
	}
	defer prow.Close()
	for prow.Next() {
		var p Photo
		var id int64
		if err := prow.Scan(&p.ID, &id, &p.ContentType, &p.Width, &p.Height, &p.Caption); err != nil {
			return fmt.Errorf("read media release photo: %w", err)
		}
		byID[id].Photos = append(byID[id].Photos, p)
	}
	return prow.Err()
}

// Filter selects releases to list.
type Filter struct {
	// State is policy.MediaPublished (the default) or, for the press office,
	// policy.MediaDraft or "any".
	State string
	// Lang, when set, keeps releases that have a version in that language.
	Lang   string
	Limit  int // at most 100; 20 when zero
	Offset int
}

// List returns releases matching f, newest first, and how many match in all.
func (s *Service) List(ctx context.Context, by policy.Actor, f Filter) ([]Release, int, error) {
	if f.State == "" {
		f.State = policy.MediaPublished
	}
	if d := policy.Can(by, policy.MediaReleaseList, policy.Resource{Kind: ChangeKind, State: f.State}); !d.Allowed {
		return nil, 0, fault.New(fault.Forbidden, "forbidden", "%s", d.Reason)
	}
	var where []string
	var args []any
	switch f.State {
	case "any":
	case policy.MediaPublished, policy.MediaDraft, policy.MediaWithdrawn:
		where, args = append(where, "state = ?"), append(args, f.State)
	default:
		return nil, 0, fault.InvalidField("state", "invalid_state", "state is draft, published, withdrawn or any")
	}
	if f.Lang != "" {
		if !slices.Contains(Languages(), f.Lang) {
			return nil, 0, fault.InvalidField("lang", "invalid_lang", "lang is ar, en, fr or es")
		}
		where = append(where, "EXISTS (SELECT 1 FROM media_release_versions v WHERE v.release_id = media_releases.id AND v.lang = ?)")
		args = append(args, f.Lang)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.store.QueryRow(ctx, "SELECT COUNT(*) FROM media_releases"+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count media releases: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 100)
	rows, err := s.store.Query(ctx, "SELECT "+releaseColumns+" FROM media_releases"+cond+
		" ORDER BY release_date DESC, id DESC LIMIT ? OFFSET ?", append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list media releases: %w", err)
	}
	defer rows.Close()
	var list []*Release
	for rows.Next() {
		r, err := scanRelease(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("read media release: %w", err)
		}
		list = append(list, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list media releases: %w", err)
	}
	if err := s.fill(ctx, list); err != nil {
		return nil, 0, err
	}
	out := make([]Release, len(list))
	for i, r := range list {
		out[i] = *r
	}
	return out, total, nil
}
