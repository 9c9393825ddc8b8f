package notice

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/member"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/storage"
)

// Kind is the resource kind of notices in the audit trail and the change
// feed. Every write to a notice appends a change of this kind with the
// notice's id, so that an index following the feed reloads the notice (or
// drops it when it is no longer published).
const Kind = "notice"

// States of a notice.
const (
	Draft         = policy.NoticeDraft
	Submitted     = policy.NoticeSubmitted
	InReview      = policy.NoticeInReview
	InfoRequested = policy.NoticeInfoRequested
	Published     = policy.NoticePublished
	Refused       = policy.NoticeRefused
	Cancelled     = policy.NoticeCancelled
	Withdrawn     = policy.NoticeWithdrawn
)

// DefaultReviewPeriod is how long after publication a notice's retention is
// reviewed, unless it is updated or closed before.
const DefaultReviewPeriod = 5 * 365 * 24 * time.Hour

// Service manages notices and diffusions in one store.
type Service struct {
	j     *journal.Journal
	store *storage.Store
	now   func() time.Time
}

// New returns the notice service writing through j.
func New(j *journal.Journal) *Service {
	return &Service{j: j, store: j.Store(), now: storage.Now}
}

// Request is what a bureau sends to create or change a notice: the data,
// whether it consents to a public extract, and which member countries may
// not see the notice.
type Request struct {
	Data
	Public            bool     `json:"public"`
	ExcludedCountries []string `json:"excluded_countries"`
}

// Notice is a notice as its readers see it.
type Notice struct {
	ID        int64  `json:"id"`
	Reference string `json:"reference"`
	State     string `json:"state"`
	Owner     string `json:"owner"`
	Creator   string `json:"creator"`
	Data
	Public            bool       `json:"public"`
	ExcludedCountries []string   `json:"excluded_countries"`
	Version           int        `json:"version"`
	ClosedReason      string     `json:"closed_reason,omitempty"`
	ReviewDate        *time.Time `json:"review_date,omitempty"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
	SubmittedAt       *time.Time `json:"submitted_at,omitempty"`
	PublishedAt       *time.Time `json:"published_at,omitempty"`
	Photos            []PhotoRef `json:"photos"`
	Versions          []Version  `json:"versions,omitempty"`
	// Flags and Reviews are shown to the requesting bureau and the General
	// Secretariat only.
	Flags   []Flag   `json:"flags,omitempty"`
	Reviews []Review `json:"reviews,omitempty"`

	creatorID int64
}

// PhotoRef describes a stored photograph.
type PhotoRef struct {
	ID          int64  `json:"id"`
	N           int    `json:"n"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
	SHA256      string `json:"sha256"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
}

// Version is one saved version of a notice's data.
type Version struct {
	Version     int       `json:"version"`
	At          time.Time `json:"at"`
	Author      string    `json:"author"`
	AuthorOrg   string    `json:"author_org"`
	NeedsReview bool      `json:"needs_review"`
	Changed     []string  `json:"changed,omitempty"`
	Data        *Data     `json:"data,omitempty"` // for the owner and the General Secretariat
}

// Review is one step of the compliance review.
type Review struct {
	Kind      string          `json:"kind"` // start_review, request_info, approve, refuse
	Version   int             `json:"version"`
	Reviewer  string          `json:"reviewer"`
	At        time.Time       `json:"at"`
	Checklist map[string]bool `json:"checklist,omitempty"`
	Comment   string          `json:"comment,omitempty"`
}

func (n *Notice) resource() policy.Resource {
	au := policy.Audience{Mode: policy.AllMembers}
	if len(n.ExcludedCountries) > 0 {
		au = policy.Audience{Mode: policy.AllButListed, Countries: n.ExcludedCountries}
	}
	return policy.Resource{Kind: Kind, ID: strconv.FormatInt(n.ID, 10), Owner: n.Owner, Audience: au, State: n.State, UserID: n.creatorID}
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// errNoNotice is the one answer for a notice that does not exist and for one
// the actor may not know of.
func errNoNotice(id int64) error { return fault.NotFoundf("no notice %d", id) }

// deny records a refused action and returns the error to answer with.
func (s *Service) deny(ctx context.Context, by policy.Actor, act policy.Action, kind, id string, d policy.Decision, hidden error) error {
	e := audit.Event(ctx, by, act, kind, id)
	e.Outcome, e.Reason = audit.Denied, d.Reason
	if err := s.j.Record(ctx, e); err != nil {
		return err
	}
	if d.Hidden {
		return hidden
	}
	return fault.New(fault.Forbidden, "forbidden", "%s", d.Reason)
}

func (s *Service) authorize(ctx context.Context, by policy.Actor, act policy.Action, n *Notice) error {
	d := policy.Can(by, act, n.resource())
	if d.Allowed {
		return nil
	}
	return s.deny(ctx, by, act, Kind, idString(n.ID), d, errNoNotice(n.ID))
}

// validateRequest checks the request, naming every field at fault, and
// normalises it: its data and its excluded countries.
func (s *Service) validateRequest(req *Request, owner string) error {
	var fs faults
	req.Data.validate(s.now(), &fs)
	if req.Data.Type == UN && !req.Public {
		// UN Security Council Special Notices are public by nature.
		req.Public = true
	}
	var out []string
	for i, c := range req.ExcludedCountries {
		code, err := member.Normalize(c)
		switch {
		case err != nil:
			fs.add(fault.InvalidField(fmt.Sprintf("excluded_countries[%d]", i), "invalid_country", "%v", err))
		case code == owner:
			fs.add(fault.InvalidField(fmt.Sprintf("excluded_countries[%d]", i), "invalid_country", "the requesting bureau cannot exclude itself"))
		case !slices.Contains(out, code):
			out = append(out, code)
		}
	}
	if req.Data.Type == UN && len(out) > 0 {
		fs.add(fault.InvalidField("excluded_countries", "not_allowed", "a UN Security Council Special Notice goes to every member"))
	}
	slices.Sort(out)
	req.ExcludedCountries = out
	return fs.err()
}

// OwnerFor is the organisation that owns a new notice of type t requested
// by an actor: the General Secretariat for UN Security Council Special
// Notices, the requesting bureau otherwise.
func OwnerFor(by policy.Actor, t Type) string {
	if t == UN {
		return policy.GeneralSecretariat
	}
	return by.Org
}

// Create records a new notice request as a draft of the actor's bureau,
// with the next reference of the year.
func (s *Service) Create(ctx context.Context, by policy.Actor, req Request) (Notice, error) {
	t, _ := ParseType(string(req.Type))
	owner := OwnerFor(by, t)
	if d := policy.Can(by, policy.NoticeCreate, policy.Resource{Kind: Kind, Owner: owner}); !d.Allowed {
		return Notice{}, s.deny(ctx, by, policy.NoticeCreate, Kind, "", d, fault.New(fault.Forbidden, "forbidden", "%s", d.Reason))
	}
	if err := s.validateRequest(&req, owner); err != nil {
		return Notice{}, err
	}
	return s.insert(ctx, by, owner, req, nil)
}

// insert writes a new draft; also, when not nil, runs in the same
// transaction (to link a diffusion to the notice it became).
func (s *Service) insert(ctx context.Context, by policy.Actor, owner string, req Request, also func(tx *journal.Tx, id int64) error) (Notice, error) {
	now := s.now()
	data, err := json.Marshal(req.Data)
	if err != nil {
		return Notice{}, fmt.Errorf("encode notice data: %w", err)
	}
	ix := indexOf(req.Data)
	var id int64
	var ref string
	entry := audit.Event(ctx, by, policy.NoticeCreate, Kind, "")
	err = s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		var seq int
		if err := tx.QueryRow(ctx, `INSERT INTO notice_counters (year, last) VALUES (?, 1)
			ON CONFLICT (year) DO UPDATE SET last = notice_counters.last + 1 RETURNING last`, now.Year()).Scan(&seq); err != nil {
			return fmt.Errorf("next notice reference: %w", err)
		}
		ref = fmt.Sprintf("%04d/%05d", now.Year(), seq)
		err := tx.QueryRow(ctx, `INSERT INTO notices (reference, type, state, owner, creator, creator_id, public, excluded, version, data,
				subject_kind, family_norm, forename_norm, search_text, nationalities, warrant_countries, sex, birth_year, birth_date,
				un_reference, un_resolution, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			ref, string(req.Type), Draft, owner, by.Username, by.UserID, req.Public, codeList(req.ExcludedCountries), string(data),
			ix.subjectKind, ix.family, ix.forename, ix.search+" "+foldRef(ref), codeList(ix.nationalities), codeList(ix.warrantCountries), ix.sex, ix.birthYear, ix.birthDate,
			ix.unReference, ix.unResolution, now, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert notice: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO notice_versions (notice_id, version, data, author, author_org, at, needs_review, changed)
			VALUES (?, 1, ?, ?, ?, ?, FALSE, '')`, id, string(data), by.Username, by.Org, now); err != nil {
			return fmt.Errorf("insert notice version: %w", err)
		}
		if also != nil {
			if err := also(tx, id); err != nil {
				return err
			}
		}
		tx.Entry.ResourceID = idString(id)
		tx.Entry.Detail = "reference=" + ref + " type=" + string(req.Type) + " state=draft"
		tx.Changed(Kind, idString(id), changefeed.Insert)
		return nil
	})
	if err != nil {
		return Notice{}, err
	}
	return s.detail(ctx, by, id)
}

// codeList stores country codes as ",FR,DE," so that one LIKE finds a code.
func codeList(codes []string) string {
	if len(codes) == 0 {
		return ""
	}
	return "," + strings.Join(codes, ",") + ","
}

func parseCodeList(s string) []string {
	out := []string{}
	for _, c := range strings.Split(strings.Trim(s, ","), ",") {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

func foldRef(ref string) string { return strings.ReplaceAll(ref, "/", " ") }

// index is what the columns beside the data document hold.
type index struct {
	subjectKind, family, forename, search, sex, birthDate string
	unReference, unResolution                             string
	nationalities, warrantCountries                       []string
	birthYear                                             sql.NullInt64
}

func fold(s string) string { return strings.Join(foldWords(s), " ") }

func indexOf(d Data) index {
	ix := index{subjectKind: "none"}
	var words []string
	if s := d.Subject; s != nil {
		ix.subjectKind = "person"
		ix.family, ix.forename, ix.sex = fold(s.Name), fold(s.Forename), s.Sex
		ix.nationalities = s.Nationalities
		words = append(words, s.Name, s.Forename, s.BirthName)
		words = append(words, s.Aliases...)
		words = append(words, s.OriginalScriptNames...)
		if s.DateOfBirth != "" {
			if pd, err := ParsePartialDate(s.DateOfBirth); err == nil {
				ix.birthYear = sql.NullInt64{Int64: int64(pd.Year), Valid: true}
				ix.birthDate = pd.String()
			}
		}
	}
	if e := d.Entity; e != nil {
		ix.subjectKind = "entity"
		ix.family = fold(e.Name)
		words = append(words, e.Name)
		words = append(words, e.Aliases...)
	}
	for _, w := range d.ArrestWarrants {
		words = append(words, w.Charge, w.ChargeTranslation)
		if !slices.Contains(ix.warrantCountries, w.IssuingCountry) {
			ix.warrantCountries = append(ix.warrantCountries, w.IssuingCountry)
		}
	}
	if c := d.Conviction; c != nil {
		words = append(words, c.Charge, c.ChargeTranslation)
		if !slices.Contains(ix.warrantCountries, c.IssuingCountry) {
			ix.warrantCountries = append(ix.warrantCountries, c.IssuingCountry)
		}
	}
	if u := d.UN; u != nil {
		ix.unReference, ix.unResolution = u.Reference, u.Resolution
		words = append(words, u.Reference)
	}
	words = append(words, d.Description)
	ix.search = " " + fold(strings.Join(words, " ")) + " "
	return ix
}

const noticeColumns = `id, reference, type, state, owner, creator, creator_id, public, excluded, version, data, flags,
	closed_reason, review_date, created_at, updated_at, submitted_at, published_at`

type scanner interface{ Scan(...any) error }

func scanNotice(r scanner) (Notice, error) {
	var n Notice
	var typ, excluded, data, flags string
	var review, submitted, published sql.NullTime
	err := r.Scan(&n.ID, &n.Reference, &typ, &n.State, &n.Owner, &n.Creator, &n.creatorID, &n.Public, &excluded, &n.Version,
		&data, &flags, &n.ClosedReason, &review, &n.CreatedAt, &n.UpdatedAt, &submitted, &published)
	if err != nil {
		return n, err
	}
	if err := json.Unmarshal([]byte(data), &n.Data); err != nil {
		return n, fmt.Errorf("read data of notice %d: %w", n.ID, err)
	}
	if err := json.Unmarshal([]byte(flags), &n.Flags); err != nil {
		return n, fmt.Errorf("read flags of notice %d: %w", n.ID, err)
	}
	n.ExcludedCountries = parseCodeList(excluded)
	n.CreatedAt, n.UpdatedAt = n.CreatedAt.UTC(), n.UpdatedAt.UTC()
	n.ReviewDate, n.SubmittedAt, n.PublishedAt = nullTime(review), nullTime(submitted), nullTime(published)
	return n, nil
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

type querier interface {
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Service) load(ctx context.Context, q querier, id int64) (Notice, error) {
	n, err := scanNotice(q.QueryRow(ctx, "SELECT "+noticeColumns+" FROM notices WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return n, errNoNotice(id)
	}
	if err != nil {
		return n, fmt.Errorf("read notice %d: %w", id, err)
	}
	return n, nil
}

// Get returns a notice the actor may see, with its photos, its version
// history and — for the requesting bureau and the General Secretariat — the
// pre-check flags and the review record. The read is audited.
func (s *Service) Get(ctx context.Context, by policy.Actor, id int64) (Notice, error) {
	n, err := s.detail(ctx, by, id)
	if err != nil {
		return n, err
	}
	e := audit.Event(ctx, by, policy.NoticeRead, Kind, idString(id))
	e.Detail = "reference=" + n.Reference
	s.j.RecordRead(e)
	return n, nil
}

func (s *Service) detail(ctx context.Context, by policy.Actor, id int64) (Notice, error) {
	n, err := s.load(ctx, s.store, id)
	if err != nil {
		return n, err
	}
	if err := s.authorize(ctx, by, policy.NoticeRead, &n); err != nil {
		return Notice{}, err
	}
	full := policy.Can(by, policy.NoticeReadReview, n.resource()).Allowed
	if !full {
		n.Flags = nil
	}
	if n.Photos, err = s.photoRefs(ctx, id); err != nil {
		return n, err
	}
	if n.Versions, err = s.versions(ctx, id, full); err != nil {
		return n, err
	}
	if full {
		if n.Reviews, err = s.reviews(ctx, id); err != nil {
			return n, err
		}
	}
	return n, nil
}

func (s *Service) photoRefs(ctx context.Context, id int64) ([]PhotoRef, error) {
	rows, err := s.store.Query(ctx, "SELECT id, n, content_type, size, sha256, width, height FROM notice_photos WHERE notice_id = ? ORDER BY n", id)
	if err != nil {
		return nil, fmt.Errorf("list photos of notice %d: %w", id, err)
	}
	defer rows.Close()
	out := []PhotoRef{}
	for rows.Next() {
		var p PhotoRef
		if err := rows.Scan(&p.ID, &p.N, &p.ContentType, &p.Size, &p.SHA256, &p.Width, &p.Height); err != nil {
			return nil, fmt.Errorf("read photo: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *Service) versions(ctx context.Context, id int64, withData bool) ([]Version, error) {
	rows, err := s.store.Query(ctx, "SELECT version, at, author, author_org, needs_review, changed, data FROM notice_versions WHERE notice_id = ? ORDER BY version", id)
	if err != nil {
		return nil, fmt.Errorf("list versions of notice %d: %w", id, err)
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		var v Version
		var changed, data string
		if err := rows.Scan(&v.Version, &v.At, &v.Author, &v.AuthorOrg, &v.NeedsReview, &changed, &data); err != nil {
			return nil, fmt.Errorf("read version: %w", err)
		}
		v.At = v.At.UTC()
		if changed != "" {
			v.Changed = strings.Split(changed, ",")
		}
		if withData {
			var d Data
			if err := json.Unmarshal([]byte(data), &d); err != nil {
				return nil, fmt.Errorf("read version %d of notice %d: %w", v.Version, id, err)
			}
			v.Data = &d
		} else {
			// Another bureau sees that the notice changed, not who at the
			// requesting bureau changed it.
			v.Author = ""
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (s *Service) reviews(ctx context.Context, id int64) ([]Review, error) {
	rows, err := s.store.Query(ctx, "SELECT kind, version, reviewer, at, checklist, comment FROM notice_reviews WHERE notice_id = ? ORDER BY id", id)
	if err != nil {
		return nil, fmt.Errorf("list reviews of notice %d: %w", id, err)
	}
	defer rows.Close()
	out := []Review{}
	for rows.Next() {
		var r Review
		var checklist string
		if err := rows.Scan(&r.Kind, &r.Version, &r.Reviewer, &r.At, &checklist, &r.Comment); err != nil {
			return nil, fmt.Errorf("read review: %w", err)
		}
		r.At = r.At.UTC()
		if checklist != "" {
			if err := json.Unmarshal([]byte(checklist), &r.Checklist); err != nil {
				return nil, fmt.Errorf("read review checklist: %w", err)
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Update applies a JSON merge patch (RFC 7386) to a notice's request — its
// data, public consent and excluded countries — and saves the result as a
// new version. A draft or a request sent back for information is simply
// changed. A published notice whose change touches the legal basis (type,
// warrants, conviction, UN listing, the subject's identity) goes back to
// review and leaves circulation until approved again; other changes are
// published at once.
//
// version is the version the change was made from. When the notice has been
// saved since, the change is refused as a conflict (code StaleVersion)
// instead of laid over a version its author has not seen; 0 changes
// whatever version is current.
func (s *Service) Update(ctx context.Context, by policy.Actor, id int64, version int, patch []byte) (Notice, error) {
	n, err := s.load(ctx, s.store, id)
	if err != nil {
		return n, err
	}
	if err := s.authorize(ctx, by, policy.NoticeUpdate, &n); err != nil {
		return Notice{}, err
	}
	if !allows(n.State, policy.NoticeUpdate) {
		return Notice{}, fault.New(fault.Conflict, "invalid_state", "a notice that is %s cannot be changed; only a draft, a request sent back for information or a published notice can", n.State)
	}
	if version != 0 && version != n.Version {
		return Notice{}, staleVersion(n.Version, version)
	}
	cur := Request{Data: n.Data, Public: n.Public, ExcludedCountries: n.ExcludedCountries}
	merged, err := mergePatch(cur, patch)
	if err != nil {
		return Notice{}, err
	}
	req, err := decodeRequest(merged)
	if err != nil {
		return Notice{}, err
	}
	if t, _ := ParseType(string(req.Type)); (t == UN) != (n.Type == UN) {
		return Notice{}, fault.InvalidField("type", "invalid_type", "a UN Security Council Special Notice cannot become another type, nor another type become one")
	}
	if err := s.validateRequest(&req, n.Owner); err != nil {
		return Notice{}, err
	}
	changed := changedFields(n.Data, req.Data)
	if len(changed) == 0 && req.Public == n.Public && slices.Equal(req.ExcludedCountries, n.ExcludedCountries) {
		return s.detail(ctx, by, id)
	}
	reReview := n.State == Published && n.Data.legalBasis() != req.Data.legalBasis()
	newState := n.State
	if reReview {
		newState = Submitted
	}
	data, err := json.Marshal(req.Data)
	if err != nil {
		return Notice{}, fmt.Errorf("encode notice data: %w", err)
	}
	ix := indexOf(req.Data)
	now := s.now()
	var flags []Flag
	if reReview {
		if flags, err = s.precheck(ctx, n.ID, n.Owner, req.Data); err != nil {
			return Notice{}, err
		}
	}
	entry := audit.Event(ctx, by, policy.NoticeUpdate, Kind, idString(id))
	entry.Detail = fmt.Sprintf("reference=%s version=%d changed=%s state=%s->%s", n.Reference, n.Version+1, strings.Join(changed, ","), n.State, newState)
	err = s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE notices SET type = ?, state = ?, public = ?, excluded = ?, version = version + 1, data = ?,
				subject_kind = ?, family_norm = ?, forename_norm = ?, search_text = ?, nationalities = ?, warrant_countries = ?,
				sex = ?, birth_year = ?, birth_date = ?, un_reference = ?, un_resolution = ?, updated_at = ?
			WHERE id = ? AND version = ? AND state = ?`,
			string(req.Type), newState, req.Public, codeList(req.ExcludedCountries), string(data),
			ix.subjectKind, ix.family, ix.forename, ix.search+" "+foldRef(n.Reference), codeList(ix.nationalities), codeList(ix.warrantCountries),
			ix.sex, ix.birthYear, ix.birthDate, ix.unReference, ix.unResolution, now, id, n.Version, n.State)
		if err := oneRow(res, err, "update notice"); err != nil {
			// saved by someone else since it was read: when the version
			// moved, the change was made to one no longer current;
			// otherwise only its state changed (concurrent_change)
			var current int
			if fault.Is(err, fault.Conflict) && version != 0 &&
				tx.QueryRow(ctx, "SELECT version FROM notices WHERE id = ?", id).Scan(&current) == nil && current != version {
				return staleVersion(current, version)
			}
			return err
		}
		if reReview {
			fl, _ := json.Marshal(flags)
			if _, err := tx.Exec(ctx, "UPDATE notices SET submitted_at = ?, flags = ? WHERE id = ?", now, string(fl), id); err != nil {
				return fmt.Errorf("send notice back to review: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO notice_versions (notice_id, version, data, author, author_org, at, needs_review, changed)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, n.Version+1, string(data), by.Username, by.Org, now, reReview, strings.Join(changed, ",")); err != nil {
			return fmt.Errorf("insert notice version: %w", err)
		}
		tx.Changed(Kind, idString(id), changefeed.Update)
		return nil
	})
	if err != nil {
		return Notice{}, err
	}
	return s.detail(ctx, by, id)
}

// StaleVersion is the code of the conflict that refuses a change made to a
// version of a notice that is no longer the current one.
const StaleVersion = "stale_version"

// staleVersion refuses a change made to a version that is not the current
// one.
func staleVersion(current, madeTo int) error {
	return fault.New(fault.Conflict, StaleVersion,
		"the notice is at version %d, and the change was made to version %d: read the notice again, make the change to it and save", current, madeTo)
}

// oneRow turns "no row changed" into a conflict: someone else changed the
// notice between our read and our write.
func oneRow(res sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return fault.New(fault.Conflict, "concurrent_change", "the notice changed meanwhile; read it again and retry")
	}
	return nil
}

func decodeRequest(raw []byte) (Request, error) {
	var req Request
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr):
			return req, fault.InvalidField(typeErr.Field, "invalid_type", "expected %s", typeErr.Type)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return req, fault.InvalidField(f, "unknown_field", "unknown field %q", f)
		default:
			return req, fault.New(fault.Invalid, "invalid_json", "the change cannot be read: %v", err)
		}
	}
	return req, nil
}

// mergePatch applies an RFC 7386 JSON merge patch to the current request.
func mergePatch(cur Request, patch []byte) ([]byte, error) {
	var p any
	if err := json.Unmarshal(patch, &p); err != nil {
		return nil, fault.New(fault.Invalid, "invalid_json", "the change is not valid JSON")
	}
	if _, ok := p.(map[string]any); !ok {
		return nil, fault.New(fault.Invalid, "invalid_json", "send the change as a JSON object holding the fields to change")
	}
	raw, err := json.Marshal(cur)
	if err != nil {
		return nil, fmt.Errorf("encode notice: %w", err)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("decode notice: %w", err)
	}
	return json.Marshal(merge(doc, p))
}

// Patch is the JSON merge patch that Update applies to turn cur into next:
// the members that differ, with null for those next leaves out, so that a
// form can send what its user cleared without knowing the fields it does
// not show.
func Patch(cur, next Request) ([]byte, error) {
	var a, b any
	for _, x := range []struct {
		r   Request
		dst *any
	}{{cur, &a}, {next, &b}} {
		raw, err := json.Marshal(x.r)
		if err != nil {
			return nil, fmt.Errorf("encode notice: %w", err)
		}
		if err := json.Unmarshal(raw, x.dst); err != nil {
			return nil, fmt.Errorf("decode notice: %w", err)
		}
	}
	return json.Marshal(diff(a, b))
}

// diff is the merge patch from object a to object b (RFC 7386 section 2
// read backwards): arrays and values are replaced whole.
func diff(a, b any) map[string]any {
	am, _ := a.(map[string]any)
	bm, _ := b.(map[string]any)
	out := map[string]any{}
	for k := range am {
		if _, ok := bm[k]; !ok {
			out[k] = nil
		}
	}
	for k, bv := range bm {
		av, ok := am[k]
		_, aObj := av.(map[string]any)
		_, bObj := bv.(map[string]any)
		switch {
		case ok && aObj && bObj:
			if d := diff(av, bv); len(d) > 0 {
				out[k] = d
			}
		case !ok || !reflect.DeepEqual(av, bv):
			out[k] = bv
		}
	}
	return out
}

func merge(target, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]any)
	if !ok {
		tm = map[string]any{}
	}
	for k, v := range pm {
		if v == nil {
			delete(tm, k)
			continue
		}
		tm[k] = merge(tm[k], v)
	}
	return tm
}

// precheck runs the automated checks with what the store knows of earlier
// requests on the same person.
func (s *Service) precheck(ctx context.Context, id int64, owner string, d Data) ([]Flag, error) {
	var h History
	if d.Subject != nil {
		ix := indexOf(d)
		q := `SELECT COUNT(*) FROM notices WHERE owner = ? AND state = ? AND id <> ? AND family_norm = ? AND forename_norm = ?`
		args := []any{owner, Refused, id, ix.family, ix.forename}
		if ix.birthYear.Valid {
			// A request without a year of birth may be about the same person.
			q += " AND (birth_year IS NULL OR birth_year = ?)"
			args = append(args, ix.birthYear.Int64)
		}
		err := s.store.QueryRow(ctx, q, args...).Scan(&h.RefusedBefore)
		if err != nil {
			return nil, fmt.Errorf("look up earlier requests: %w", err)
		}
	}
	return Precheck(d, h), nil
}

// transition moves a notice to state to by act, when its state allows act
// and policy allows the actor, running apply in the same transaction.
func (s *Service) transition(ctx context.Context, by policy.Actor, id int64, act policy.Action, to string,
	detail string, apply func(tx *journal.Tx, n *Notice, now time.Time) error) (Notice, error) {
	n, err := s.load(ctx, s.store, id)
	if err != nil {
		return n, err
	}
	if err := s.authorize(ctx, by, act, &n); err != nil {
		return Notice{}, err
	}
	if !allows(n.State, act) {
		return Notice{}, fault.New(fault.Conflict, "invalid_state", "cannot %s a notice that is %s (only when %s)",
			strings.ReplaceAll(strings.TrimPrefix(string(act), "notice."), "_", " "), n.State, statesAllowing(act))
	}
	now := s.now()
	entry := audit.Event(ctx, by, act, Kind, idString(id))
	entry.Detail = fmt.Sprintf("reference=%s state=%s->%s", n.Reference, n.State, to)
	if detail != "" {
		entry.Detail += " " + detail
	}
	err = s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE notices SET state = ?, updated_at = ? WHERE id = ? AND state = ? AND version = ?", to, now, id, n.State, n.Version)
		if err := oneRow(res, err, "change notice state"); err != nil {
			return err
		}
		if apply != nil {
			if err := apply(tx, &n, now); err != nil {
				return err
			}
		}
		tx.Changed(Kind, idString(id), changefeed.Update)
		return nil
	})
	if err != nil {
		return Notice{}, err
	}
	return s.detail(ctx, by, id)
}

func (s *Service) addReview(ctx context.Context, tx *journal.Tx, n *Notice, by policy.Actor, kind string, now time.Time, checklist map[string]bool, comment string) error {
	cl := ""
	if checklist != nil {
		b, _ := json.Marshal(checklist) // map[string]bool always encodes
		cl = string(b)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO notice_reviews (notice_id, version, kind, reviewer, at, checklist, comment)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, n.ID, n.Version, kind, by.Username, now, cl, comment); err != nil {
		return fmt.Errorf("record review: %w", err)
	}
	return nil
}

// Submit sends a draft (or a request answered after questions) to the
// General Secretariat, running the automated pre-checks.
func (s *Service) Submit(ctx context.Context, by policy.Actor, id int64) (Notice, error) {
	n, err := s.load(ctx, s.store, id)
	if err != nil {
		return n, err
	}
	if err := s.authorize(ctx, by, policy.NoticeSubmit, &n); err != nil {
		return Notice{}, err
	}
	flags, err := s.precheck(ctx, id, n.Owner, n.Data)
	if err != nil {
		return Notice{}, err
	}
	fl, _ := json.Marshal(flags) // plain values always encode
	return s.transition(ctx, by, id, policy.NoticeSubmit, Submitted, fmt.Sprintf("flags=%d", len(flags)),
		func(tx *journal.Tx, n *Notice, now time.Time) error {
			_, err := tx.Exec(ctx, "UPDATE notices SET submitted_at = ?, flags = ? WHERE id = ?", now, string(fl), id)
			if err != nil {
				return fmt.Errorf("submit notice: %w", err)
			}
			return nil
		})
}

// StartReview takes a submitted request into review.
func (s *Service) StartReview(ctx context.Context, by policy.Actor, id int64) (Notice, error) {
	return s.transition(ctx, by, id, policy.NoticeStartReview, InReview, "",
		func(tx *journal.Tx, n *Notice, now time.Time) error {
			return s.addReview(ctx, tx, n, by, "start_review", now, nil, "")
		})
}

// RequestInfo sends a request under review back to its bureau with questions.
func (s *Service) RequestInfo(ctx context.Context, by policy.Actor, id int64, questions string) (Notice, error) {
	questions, err := requiredText("comment", questions, maxText, "write the questions for the bureau")
	if err != nil {
		return Notice{}, err
	}
	return s.transition(ctx, by, id, policy.NoticeRequestInfo, InfoRequested, "",
		func(tx *journal.Tx, n *Notice, now time.Time) error {
			return s.addReview(ctx, tx, n, by, "request_info", now, nil, questions)
		})
}

// Approval is the reviewer's compliance checklist and comment.
type Approval struct {
	Checklist map[string]bool `json:"checklist"`
	Comment   string          `json:"comment"`
}

func (a *Approval) validate(t Type) error {
	need := Checklist(t)
	for k := range a.Checklist {
		if !slices.Contains(need, k) {
			return fault.InvalidField("checklist."+k, "unknown_item", "the checklist of a %s notice has %s", t, strings.Join(need, ", "))
		}
	}
	for _, k := range need {
		if !a.Checklist[k] {
			return fault.InvalidField("checklist."+k, "checklist_incomplete", "confirm %s (true) before approving; refuse the notice otherwise", k)
		}
	}
	a.Comment = strings.TrimSpace(a.Comment)
	return checkText("comment", a.Comment, maxText)
}

// Approve publishes a request under review, with the reviewer's checklist.
// The retention review falls DefaultReviewPeriod after publication.
func (s *Service) Approve(ctx context.Context, by policy.Actor, id int64, a Approval) (Notice, error) {
	n, err := s.load(ctx, s.store, id)
	if err != nil {
		return n, err
	}
	if err := s.authorize(ctx, by, policy.NoticeApprove, &n); err != nil {
		return Notice{}, err
	}
	if err := a.validate(n.Type); err != nil {
		return Notice{}, err
	}
	return s.transition(ctx, by, id, policy.NoticeApprove, Published, "",
		func(tx *journal.Tx, n *Notice, now time.Time) error {
			if _, err := tx.Exec(ctx, "UPDATE notices SET published_at = ?, review_date = ? WHERE id = ?", now, now.Add(DefaultReviewPeriod), id); err != nil {
				return fmt.Errorf("publish notice: %w", err)
			}
			return s.addReview(ctx, tx, n, by, "approve", now, a.Checklist, a.Comment)
		})
}

func reason(r string) (string, error) {
	return requiredText("reason", r, maxText, "write the reason; the requesting bureau reads it")
}

// Refuse refuses a request under review; the bureau reads the reason.
func (s *Service) Refuse(ctx context.Context, by policy.Actor, id int64, why string) (Notice, error) {
	why, err := reason(why)
	if err != nil {
		return Notice{}, err
	}
	return s.transition(ctx, by, id, policy.NoticeRefuse, Refused, "",
		func(tx *journal.Tx, n *Notice, now time.Time) error {
			return s.addReview(ctx, tx, n, by, "refuse", now, nil, why)
		})
}

// Cancel is the requesting bureau closing its notice (or request), with a reason.
func (s *Service) Cancel(ctx context.Context, by policy.Actor, id int64, why string) (Notice, error) {
	why, err := reason(why)
	if err != nil {
		return Notice{}, err
	}
	return s.transition(ctx, by, id, policy.NoticeCancel, Cancelled, "",
		func(tx *journal.Tx, n *Notice, now time.Time) error {
			_, err := tx.Exec(ctx, "UPDATE notices SET closed_reason = ?, review_date = NULL WHERE id = ?", why, id)
			return err
		})
}

// Withdraw is the General Secretariat taking a published notice out of
// circulation, with a reason.
func (s *Service) Withdraw(ctx context.Context, by policy.Actor, id int64, why string) (Notice, error) {
	why, err := reason(why)
	if err != nil {
		return Notice{}, err
	}
	return s.transition(ctx, by, id, policy.NoticeWithdraw, Withdrawn, "",
		func(tx *journal.Tx, n *Notice, now time.Time) error {
			_, err := tx.Exec(ctx, "UPDATE notices SET closed_reason = ?, review_date = NULL WHERE id = ?", why, id)
			return err
		})
}
