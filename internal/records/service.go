// Package records keeps the police databases: persons, stolen and lost
// travel documents, stolen vehicles and stolen works of art, each record
// owned by the country that entered it and shown only to the countries its
// owner chose. Every write goes through the journal (rows, audit entry and
// change in one transaction); every read is audited.
package records

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/storage"
)

// Service reads and writes records in one store.
type Service struct {
	j     *journal.Journal
	store *storage.Store
	now   func() time.Time
}

// NewService returns the records service writing through j.
func NewService(j *journal.Journal) *Service {
	return &Service{j: j, store: j.Store(), now: storage.Now}
}

// Store returns the store the service works on.
func (s *Service) Store() *storage.Store { return s.store }

const headCols = "id, owner, audience_mode, audience_countries, review_on, created_at, updated_at"

func selectSQL(sp *spec) string {
	return "SELECT " + headCols + ", " + strings.Join(sp.cols, ", ") + " FROM " + sp.table
}

// scanRecord reads a row of selectSQL into a new record.
func scanRecord(sp *spec, row interface{ Scan(...any) error }) (Record, error) {
	rec := sp.newRecord()
	h := rec.Header()
	var mode, countries string
	dst := append([]any{&h.ID, &h.Owner, &mode, &countries, &h.ReviewOn, &h.CreatedAt, &h.UpdatedAt}, rec.targets()...)
	if err := row.Scan(dst...); err != nil {
		return nil, err
	}
	h.Audience = policy.Audience{Mode: policy.AudienceMode(mode), Countries: splitCountries(countries)}
	h.CreatedAt, h.UpdatedAt = h.CreatedAt.UTC(), h.UpdatedAt.UTC()
	return rec, nil
}

// prepare checks and completes a record about to be written for owner.
func (s *Service) prepare(rec Record, now time.Time) error {
	h := rec.Header()
	owner, err := NormalizeOwner(h.Owner)
	if err != nil {
		return err
	}
	h.Owner = owner
	if err := normalizeAudience(&h.Audience); err != nil {
		return err
	}
	if h.ReviewOn, err = reviewDate("review_on", strings.TrimSpace(h.ReviewOn), now); err != nil {
		return err
	}
	return rec.normalize()
}

// personID checks an owner's reference or makes one up.
func personID(id string) (string, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		return "P-" + strings.ToUpper(hex.EncodeToString(b)), nil
	}
	if len(id) > 64 {
		return "", fault.InvalidField("id", "invalid_id", "a person's reference has at most 64 characters")
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.:/", c) >= 0) {
			return "", fault.InvalidField("id", "invalid_id", "a person's reference holds letters, digits and - _ . : / only (found %q)", printable(id[i:]))
		}
	}
	return id, nil
}

// Create adds a record. Its owner defaults to the actor's country.
func (s *Service) Create(ctx context.Context, by policy.Actor, rec Record) (Record, error) {
	sp := specs[rec.Kind()]
	h := rec.Header()
	if strings.TrimSpace(h.Owner) == "" {
		h.Owner = by.Org
	}
	now := s.now()
	if err := s.prepare(rec, now); err != nil {
		return nil, err
	}
	if d := policy.Can(by, policy.RecordCreate, Resource(rec)); !d.Allowed {
		return nil, s.refuse(ctx, by, policy.RecordCreate, sp.change, "", d)
	}
	if sp.intID {
		h.ID = ""
	} else {
		id, err := personID(h.ID)
		if err != nil {
			return nil, err
		}
		h.ID = id
	}
	h.CreatedAt, h.UpdatedAt = now, now
	entry := audit.Event(ctx, by, policy.RecordCreate, sp.change, h.ID)
	err := s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		ids, err := insertRows(ctx, tx.Tx, sp, []Record{rec}, false)
		if err != nil {
			return err
		}
		h.ID = ids[0]
		tx.Changed(sp.change, h.ID, changefeed.Insert)
		tx.Entry.ResourceID = h.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// insertRows inserts records in multi-row statements and returns their ids
// in order. With skipDuplicates, persons whose reference exists already are
// left out and their id is returned as "".
func insertRows(ctx context.Context, tx *storage.Tx, sp *spec, recs []Record, skipDuplicates bool) ([]string, error) {
	cols := strings.Join(headColumns[:], ", ") + ", " + strings.Join(sp.cols, ", ")
	n := len(headColumns) + len(sp.cols)
	if !sp.intID {
		cols = "id, " + cols
		n++
	}
	// Stay well under SQLite's limit of 32,766 parameters per statement.
	per := 16000 / n
	ids := make([]string, 0, len(recs))
	for start := 0; start < len(recs); start += per {
		chunk := recs[start:min(start+per, len(recs))]
		var q strings.Builder
		q.Grow(64 + len(chunk)*(n*2+4))
		q.WriteString("INSERT INTO " + sp.table + " (" + cols + ") VALUES ")
		row := "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
		args := make([]any, 0, len(chunk)*n)
		for i, rec := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(row)
			h := rec.Header()
			if !sp.intID {
				args = append(args, h.ID)
			}
			args = append(args, h.Owner, string(h.Audience.Mode), joinCountries(h.Audience.Countries), h.ReviewOn, h.CreatedAt, h.UpdatedAt)
			args = append(args, rec.values()...)
		}
		if skipDuplicates {
			q.WriteString(" ON CONFLICT (id) DO NOTHING")
		}
		q.WriteString(" RETURNING id")
		rows, err := tx.Query(ctx, q.String(), args...)
		if err != nil {
			if storage.IsUniqueViolation(err) {
				return nil, fault.New(fault.Conflict, "duplicate_id", "a record with reference %s exists already", chunk[0].Header().ID)
			}
			return nil, fmt.Errorf("insert %s: %w", sp.table, err)
		}
		got := make([]string, 0, len(chunk))
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read id of new %s: %w", sp.change, err)
			}
			got = append(got, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			if storage.IsUniqueViolation(err) {
				return nil, fault.New(fault.Conflict, "duplicate_id", "a record with reference %s exists already", chunk[0].Header().ID)
			}
			return nil, fmt.Errorf("insert %s: %w", sp.table, err)
		}
		switch {
		case len(got) == len(chunk):
			ids = append(ids, got...)
		case skipDuplicates && !sp.intID:
			// Some references existed: say which by leaving their id empty.
			inserted := make(map[string]bool, len(got))
			for _, id := range got {
				inserted[id] = true
			}
			for _, rec := range chunk {
				if id := rec.Header().ID; inserted[id] {
					ids = append(ids, id)
					delete(inserted, id) // a reference twice in one batch is inserted once
				} else {
					ids = append(ids, "")
				}
			}
		default:
			return nil, fmt.Errorf("insert %s: %d rows written for %d records", sp.table, len(got), len(chunk))
		}
	}
	return ids, nil
}

// load reads one record without any access check.
func (s *Service) load(ctx context.Context, sp *spec, id string) (Record, error) {
	key, ok := idArg(sp, id)
	if !ok {
		return nil, fault.NotFoundf("no such record")
	}
	rec, err := scanRecord(sp, s.store.QueryRow(ctx, selectSQL(sp)+" WHERE id = ?", key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fault.NotFoundf("no such record")
	}
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", sp.change, id, err)
	}
	return rec, nil
}

// idArg turns an id from a URL into the value its column holds.
func idArg(sp *spec, id string) (any, bool) {
	if !sp.intID {
		return id, id != "" && len(id) <= 64
	}
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil && n > 0
}

// Get returns one record the actor may read; any other is "not found".
func (s *Service) Get(ctx context.Context, by policy.Actor, kind Kind, id string) (Record, error) {
	sp := specs[kind]
	rec, err := s.load(ctx, sp, id)
	if err != nil {
		return nil, err
	}
	if d := policy.Can(by, policy.RecordRead, Resource(rec)); !d.Allowed {
		return nil, s.refuse(ctx, by, policy.RecordRead, sp.change, id, d)
	}
	s.j.RecordRead(audit.Event(ctx, by, policy.RecordRead, sp.change, rec.Header().ID))
	return rec, nil
}

// Update applies a JSON merge of patch to a record of the actor's country.
// The id, the owner and the times cannot be changed.
func (s *Service) Update(ctx context.Context, by policy.Actor, kind Kind, id string, patch []byte) (Record, error) {
	sp := specs[kind]
	old, err := s.load(ctx, sp, id)
	if err != nil {
		return nil, err
	}
	if d := policy.Can(by, policy.RecordUpdate, Resource(old)); !d.Allowed {
		return nil, s.refuse(ctx, by, policy.RecordUpdate, sp.change, id, d)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(patch, &fields); err != nil || fields == nil {
		return nil, fault.New(fault.Invalid, "invalid_json", "send the fields to change as a JSON object")
	}
	for _, fixed := range []string{"id", "owner", "created_at", "updated_at"} {
		if _, ok := fields[fixed]; ok {
			return nil, fault.InvalidField(fixed, "read_only", "%s cannot be changed; delete the record and enter a new one", fixed)
		}
	}
	// Decode the patch over the stored record: fields it does not name stay.
	rec := old
	oh := *old.Header()
	dec := json.NewDecoder(bytes.NewReader(patch))
	dec.DisallowUnknownFields()
	if err := dec.Decode(rec); err != nil {
		return nil, fault.New(fault.Invalid, "invalid_json", "the changes could not be read: %v", err)
	}
	h := rec.Header()
	h.ID, h.Owner, h.CreatedAt = oh.ID, oh.Owner, oh.CreatedAt
	now := s.now()
	if err := s.prepare(rec, now); err != nil {
		return nil, err
	}
	h.UpdatedAt = now
	key, _ := idArg(sp, id)
	entry := audit.Event(ctx, by, policy.RecordUpdate, sp.change, h.ID)
	sets := "audience_mode = ?, audience_countries = ?, review_on = ?, updated_at = ?, " + strings.Join(sp.cols, " = ?, ") + " = ?"
	err = s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		args := append([]any{string(h.Audience.Mode), joinCountries(h.Audience.Countries), h.ReviewOn, h.UpdatedAt}, rec.values()...)
		res, err := tx.Exec(ctx, "UPDATE "+sp.table+" SET "+sets+" WHERE id = ?", append(args, key)...)
		if err != nil {
			return fmt.Errorf("update %s %s: %w", sp.change, id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.NotFoundf("no such record")
		}
		tx.Changed(sp.change, h.ID, changefeed.Update)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// Delete removes a record of the actor's country.
func (s *Service) Delete(ctx context.Context, by policy.Actor, kind Kind, id string) error {
	sp := specs[kind]
	old, err := s.load(ctx, sp, id)
	if err != nil {
		return err
	}
	if d := policy.Can(by, policy.RecordDelete, Resource(old)); !d.Allowed {
		return s.refuse(ctx, by, policy.RecordDelete, sp.change, id, d)
	}
	key, _ := idArg(sp, id)
	return s.j.Write(ctx, audit.Event(ctx, by, policy.RecordDelete, sp.change, old.Header().ID), func(tx *journal.Tx) error {
		res, err := tx.Exec(ctx, "DELETE FROM "+sp.table+" WHERE id = ?", key)
		if err != nil {
			return fmt.Errorf("delete %s %s: %w", sp.change, id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.NotFoundf("no such record")
		}
		tx.Changed(sp.change, old.Header().ID, changefeed.Delete)
		return nil
	})
}

// Filter selects records in a list.
type Filter struct {
	Owner string // only records of this country
	Q     string // document number, VIN, or part of a name or title
	After string // id of the last record of the previous page
	Limit int    // at most 500; 50 when zero
}

// List returns the records of a kind that the actor may read, in id order.
func (s *Service) List(ctx context.Context, by policy.Actor, kind Kind, f Filter) ([]Record, error) {
	sp := specs[kind]
	if d := policy.Can(by, policy.RecordList, policy.Resource{Kind: sp.change}); !d.Allowed {
		return nil, s.refuse(ctx, by, policy.RecordList, sp.change, "", d)
	}
	var where []string
	var args []any
	if f.Owner != "" {
		owner, err := NormalizeOwner(f.Owner)
		if err != nil {
			return nil, err
		}
		where, args = append(where, "owner = ?"), append(args, owner)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		switch {
		case sp.kind == TravelDocuments:
			where, args = append(where, "number = ?"), append(args, NormalizeDocumentNumber(q))
		case sp.kind == Vehicles:
			where, args = append(where, "vin = ?"), append(args, NormalizeVIN(q))
		default:
			where, args = append(where, "LOWER("+sp.filter+") LIKE ?"), append(args, "%"+strings.ToLower(q)+"%")
		}
	}
	// Narrow the rows in SQL to those the actor's country may be shown (the
	// same rule as policy's record.read); policy still decides each row.
	if !by.IsGS() {
		where = append(where, "(owner = ? OR audience_mode = 'all'"+
			" OR (audience_mode = 'only' AND ',' || audience_countries || ',' LIKE ?)"+
			" OR (audience_mode = 'except' AND ',' || audience_countries || ',' NOT LIKE ?))")
		like := "%," + by.Org + ",%"
		args = append(args, by.Org, like, like)
	}
	if f.After != "" {
		key, ok := idArg(sp, f.After)
		if !ok {
			return nil, fault.InvalidField("after", "invalid_parameter", "after is the id of the last record of the previous page")
		}
		where, args = append(where, "id > ?"), append(args, key)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	q := selectSQL(sp)
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.store.Query(ctx, q+" ORDER BY id LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", sp.table, err)
	}
	defer rows.Close()
	out := []Record{}
	var ids []string
	for rows.Next() {
		rec, err := scanRecord(sp, rows)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", sp.change, err)
		}
		if policy.Can(by, policy.RecordRead, Resource(rec)).Allowed {
			out = append(out, rec)
			ids = append(ids, rec.Header().ID)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list %s: %w", sp.table, err)
	}
	e := audit.Event(ctx, by, policy.RecordList, sp.change, "")
	e.Detail = "ids=" + strings.Join(ids, ",")
	s.j.RecordRead(e)
	return out, nil
}

// ReviewDue returns the records of every kind whose review date is on or
// before until, soonest first, at most limit of them (500 when zero or
// more). The General Secretariat's data protection officer sees every
// country's; anyone else only their own country's, as policy allows.
func (s *Service) ReviewDue(ctx context.Context, by policy.Actor, until time.Time, limit int) ([]Record, error) {
	owner := ""
	if !by.IsGS() {
		owner = by.Org
	}
	if d := policy.Can(by, policy.RecordReviewDue, policy.Resource{Kind: "record", Owner: owner}); !d.Allowed {
		return nil, s.refuse(ctx, by, policy.RecordReviewDue, "record", "", d)
	}
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	day := until.UTC().Format(time.DateOnly)
	var out []Record
	for _, kind := range Kinds() {
		sp := specs[kind]
		q, args := selectSQL(sp)+" WHERE review_on <= ?", []any{day}
		if owner != "" {
			q, args = q+" AND owner = ?", append(args, owner)
		}
		rows, err := s.store.Query(ctx, q+" ORDER BY review_on, id LIMIT ?", append(args, limit)...)
		if err != nil {
			return nil, fmt.Errorf("list %s due for review: %w", sp.table, err)
		}
		for rows.Next() {
			rec, err := scanRecord(sp, rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("read %s: %w", sp.change, err)
			}
			if policy.Can(by, policy.RecordRead, Resource(rec)).Allowed {
				out = append(out, rec)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("list %s due for review: %w", sp.table, err)
		}
	}
	slices.SortStableFunc(out, func(a, b Record) int { return strings.Compare(a.Header().ReviewOn, b.Header().ReviewOn) })
	out = out[:min(len(out), limit)]
	ids := make([]string, len(out))
	for i, rec := range out {
		ids[i] = rec.Kind().ChangeKind() + ":" + rec.Header().ID
	}
	e := audit.Event(ctx, by, policy.RecordReviewDue, "record", "")
	e.Detail = fmt.Sprintf("until=%s results=%d ids=%s", day, len(out), strings.Join(ids, ","))
	s.j.RecordRead(e)
	return out, nil
}

// refuse records a denied request and returns the error to answer with.
func (s *Service) refuse(ctx context.Context, by policy.Actor, act policy.Action, kind, id string, d policy.Decision) error {
	e := audit.Event(ctx, by, act, kind, id)
	e.Outcome, e.Reason = audit.Denied, d.Reason
	if err := s.j.Record(ctx, e); err != nil {
		return err
	}
	if d.Hidden {
		return fault.NotFoundf("no such record")
	}
	return fault.New(fault.Forbidden, "forbidden", "%s", d.Reason)
}
