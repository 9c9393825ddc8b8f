package notice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/member"
	"github.com/relais/relais/internal/policy"
)

// DiffusionKind is the resource kind of diffusions in the audit trail and
// the change feed.
const DiffusionKind = "diffusion"

// diffusionTypes maps each kind of diffusion to the notice it may become.
var diffusionTypes = map[string]Type{"wanted": Red, "missing": Yellow, "information": Blue, "warning": Green}

// AllMembers is the recipient list of a diffusion sent to every member.
const AllMembers = "*"

// DiffusionRequest is what a bureau sends.
type DiffusionRequest struct {
	Kind           string     `json:"kind"` // wanted, missing, information, warning
	Recipients     []string   `json:"recipients"`
	Subject        *Subject   `json:"subject"`
	ArrestWarrants []Warrant  `json:"arrest_warrants,omitempty"`
	Conviction     *Convicted `json:"conviction,omitempty"`
	Disappearance  *Event     `json:"disappearance,omitempty"`
	Description    string     `json:"description,omitempty"`
}

// Diffusion is a sent diffusion.
type Diffusion struct {
	ID             int64      `json:"id"`
	Kind           string     `json:"kind"`
	Sender         string     `json:"sender"`
	SentBy         string     `json:"sent_by"`
	Recipients     []string   `json:"recipients"`
	Subject        *Subject   `json:"subject"`
	ArrestWarrants []Warrant  `json:"arrest_warrants,omitempty"`
	Conviction     *Convicted `json:"conviction,omitempty"`
	Disappearance  *Event     `json:"disappearance,omitempty"`
	Description    string     `json:"description,omitempty"`
	NoticeID       *int64     `json:"notice_id,omitempty"` // the notice request it became
	CreatedAt      time.Time  `json:"created_at"`
}

func (d *Diffusion) resource() policy.Resource {
	return policy.Resource{Kind: DiffusionKind, ID: idString(d.ID), Owner: d.Sender,
		Audience: policy.Audience{Mode: policy.OnlyListed, Countries: d.Recipients}}
}

func (d *Diffusion) data() Data {
	return Data{Type: diffusionTypes[d.Kind], Subject: d.Subject, ArrestWarrants: d.ArrestWarrants,
		Conviction: d.Conviction, Disappearance: d.Disappearance, Description: d.Description}
}

func errNoDiffusion(id int64) error { return fault.NotFoundf("no diffusion %d", id) }

// Send records a diffusion and makes it visible to its recipients at once:
// diffusions are not reviewed. Its data is checked as the notice it would
// become (a wanted diffusion needs a warrant or conviction, like a red notice).
func (s *Service) Send(ctx context.Context, by policy.Actor, req DiffusionRequest) (Diffusion, error) {
	if d := policy.Can(by, policy.DiffusionSend, policy.Resource{Kind: DiffusionKind, Owner: by.Org}); !d.Allowed {
		return Diffusion{}, s.deny(ctx, by, policy.DiffusionSend, DiffusionKind, "", d, nil)
	}
	req.Kind = strings.ToLower(strings.TrimSpace(req.Kind))
	t, ok := diffusionTypes[req.Kind]
	if !ok {
		return Diffusion{}, fault.InvalidField("kind", "invalid_kind", "a diffusion is wanted, missing, information or warning")
	}
	var fs faults
	recipients, err := cleanRecipients(req.Recipients, by.Org)
	fs.add(err)
	dd := Diffusion{Kind: req.Kind, Sender: by.Org, SentBy: by.Username, Recipients: recipients, Subject: req.Subject,
		ArrestWarrants: req.ArrestWarrants, Conviction: req.Conviction, Disappearance: req.Disappearance, Description: req.Description}
	data := dd.data()
	data.Type = t
	if data.Subject == nil {
		fs.add(fault.InvalidField("subject", "required", "a diffusion is about a person: give the subject"))
	}
	var asNotice faults
	data.validate(s.now(), &asNotice)
	for _, fe := range asNotice {
		// A missing subject is said above in a diffusion's words.
		if data.Subject != nil || fe.Field != "subject" {
			fs = append(fs, fe)
		}
	}
	if err := fs.err(); err != nil {
		return Diffusion{}, err
	}
	dd.Subject, dd.ArrestWarrants, dd.Conviction, dd.Disappearance, dd.Description = data.Subject, data.ArrestWarrants, data.Conviction, data.Disappearance, data.Description
	raw, err := json.Marshal(data)
	if err != nil {
		return Diffusion{}, fmt.Errorf("encode diffusion: %w", err)
	}
	dd.CreatedAt = s.now()
	entry := audit.Event(ctx, by, policy.DiffusionSend, DiffusionKind, "")
	err = s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		if err := tx.QueryRow(ctx, "INSERT INTO diffusions (kind, sender, sent_by, data, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			dd.Kind, dd.Sender, dd.SentBy, string(raw), dd.CreatedAt).Scan(&dd.ID); err != nil {
			return fmt.Errorf("insert diffusion: %w", err)
		}
		for _, c := range recipients {
			if _, err := tx.Exec(ctx, "INSERT INTO diffusion_recipients (diffusion_id, country) VALUES (?, ?)", dd.ID, c); err != nil {
				return fmt.Errorf("insert diffusion recipient: %w", err)
			}
		}
		tx.Entry.ResourceID = idString(dd.ID)
		tx.Entry.Detail = "kind=" + dd.Kind + " recipients=" + strings.Join(recipients, ",")
		tx.Changed(DiffusionKind, idString(dd.ID), changefeed.Insert)
		return nil
	})
	if err != nil {
		return Diffusion{}, err
	}
	return dd, nil
}

func cleanRecipients(in []string, sender string) ([]string, error) {
	if len(in) == 0 {
		return nil, fault.InvalidField("recipients", "required", `name the recipient countries, or ["*"] for every member`)
	}
	if slices.Contains(in, AllMembers) {
		if len(in) > 1 {
			return nil, fault.InvalidField("recipients", "invalid_recipients", `send to ["*"] (every member) or to a list of countries, not both`)
		}
		return []string{AllMembers}, nil
	}
	var out []string
	for i, c := range in {
		code, err := member.Normalize(c)
		if err != nil {
			return nil, fault.InvalidField(fmt.Sprintf("recipients[%d]", i), "invalid_country", "%v", err)
		}
		if code == sender {
			return nil, fault.InvalidField(fmt.Sprintf("recipients[%d]", i), "invalid_country", "a bureau does not send a diffusion to itself")
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (s *Service) loadDiffusion(ctx context.Context, id int64) (Diffusion, error) {
	d, err := scanDiffusion(s.store.QueryRow(ctx, "SELECT "+diffusionColumns+" FROM diffusions WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, errNoDiffusion(id)
	}
	if err != nil {
		return d, fmt.Errorf("read diffusion %d: %w", id, err)
	}
	list := []Diffusion{d}
	if err := s.fillRecipients(ctx, list); err != nil {
		return d, err
	}
	return list[0], nil
}

const diffusionColumns = "id, kind, sender, sent_by, data, notice_id, created_at"

func scanDiffusion(r scanner) (Diffusion, error) {
	var d Diffusion
	var raw string
	var noticeID sql.NullInt64
	if err := r.Scan(&d.ID, &d.Kind, &d.Sender, &d.SentBy, &raw, &noticeID, &d.CreatedAt); err != nil {
		return d, err
	}
	var data Data
	if err := json.Unmarshal([]byte(raw), &data); err != nil {
		return d, fmt.Errorf("read diffusion %d: %w", d.ID, err)
	}
	d.Subject, d.ArrestWarrants, d.Conviction, d.Disappearance, d.Description = data.Subject, data.ArrestWarrants, data.Conviction, data.Disappearance, data.Description
	if noticeID.Valid {
		d.NoticeID = &noticeID.Int64
	}
	d.CreatedAt = d.CreatedAt.UTC()
	return d, nil
}

// fillRecipients reads the recipients of the diffusions in one query.
func (s *Service) fillRecipients(ctx context.Context, list []Diffusion) error {
	if len(list) == 0 {
		return nil
	}
	at := make(map[int64]*Diffusion, len(list))
	args := make([]any, len(list))
	for i := range list {
		list[i].Recipients = []string{}
		at[list[i].ID] = &list[i]
		args[i] = list[i].ID
	}
	rows, err := s.store.Query(ctx, "SELECT diffusion_id, country FROM diffusion_recipients WHERE diffusion_id IN (?"+
		strings.Repeat(", ?", len(list)-1)+") ORDER BY diffusion_id, country", args...)
	if err != nil {
		return fmt.Errorf("read recipients of diffusions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c string
		if err := rows.Scan(&id, &c); err != nil {
			return fmt.Errorf("read recipient: %w", err)
		}
		at[id].Recipients = append(at[id].Recipients, c)
	}
	return rows.Err()
}

// GetDiffusion returns a diffusion the actor may see; the read is audited.
func (s *Service) GetDiffusion(ctx context.Context, by policy.Actor, id int64) (Diffusion, error) {
	d, err := s.loadDiffusion(ctx, id)
	if err != nil {
		return d, err
	}
	if dec := policy.Can(by, policy.DiffusionRead, d.resource()); !dec.Allowed {
		return Diffusion{}, s.deny(ctx, by, policy.DiffusionRead, DiffusionKind, idString(id), dec, errNoDiffusion(id))
	}
	e := audit.Event(ctx, by, policy.DiffusionRead, DiffusionKind, idString(id))
	s.j.RecordRead(e)
	return d, nil
}

// Boxes of diffusions, which a list selects.
const (
	BoxAll      = "all"      // every diffusion the actor may see
	BoxReceived = "received" // those sent to the actor's country, by name or to every member
	BoxSent     = "sent"     // those the actor's country sent
)

// DiffusionFilter selects diffusions in a list.
type DiffusionFilter struct {
	Box    string // BoxAll when empty
	Limit  int    // at most 500; 50 when zero
	Offset int
}

func (f *DiffusionFilter) check() error {
	switch f.Box {
	case "":
		f.Box = BoxAll
	case BoxAll, BoxReceived, BoxSent:
	default:
		return fault.InvalidField("box", "invalid_parameter", "unknown box %q: use %s, %s or %s", f.Box, BoxReceived, BoxSent, BoxAll)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 500)
	f.Offset = max(f.Offset, 0)
	return nil
}

// ListDiffusions returns a page of the diffusions of a box that the actor
// may see, newest first. Policy says which diffusions those are (a
// bureau's sent and received ones; every one for the General
// Secretariat's oversight); the query selects and pages them. The list is
// audited as one read.
func (s *Service) ListDiffusions(ctx context.Context, by policy.Actor, f DiffusionFilter) ([]Diffusion, error) {
	if d := policy.Can(by, policy.DiffusionList, policy.Resource{Kind: DiffusionKind}); !d.Allowed {
		return nil, s.deny(ctx, by, policy.DiffusionList, DiffusionKind, "", d, nil)
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	out, err := s.diffusionPage(ctx, policy.DiffusionScopeOf(by), f)
	if err != nil {
		return nil, err
	}
	// The scope is what policy lets the actor read; policy still decides
	// each diffusion.
	out = slices.DeleteFunc(out, func(d Diffusion) bool { return !policy.Can(by, policy.DiffusionRead, d.resource()).Allowed })
	ids := make([]string, len(out))
	for i, d := range out {
		ids[i] = idString(d.ID)
	}
	e := audit.Event(ctx, by, policy.DiffusionList, DiffusionKind, "")
	e.Detail = fmt.Sprintf("box=%s offset=%d results=%s", f.Box, f.Offset, strings.Join(ids, ","))
	s.j.RecordRead(e)
	return out, nil
}

// diffusionPage reads the page of f's box within scope.
func (s *Service) diffusionPage(ctx context.Context, scope policy.DiffusionScope, f DiffusionFilter) ([]Diffusion, error) {
	const received = "id IN (SELECT diffusion_id FROM diffusion_recipients WHERE country IN (?, ?))"
	var where string
	var args []any
	switch {
	case f.Box == BoxAll && scope.Every:
		where = "1 = 1"
	case scope.Country == "":
		return []Diffusion{}, nil
	case f.Box == BoxAll:
		where, args = "(sender = ? OR "+received+")", []any{scope.Country, scope.Country, AllMembers}
	case f.Box == BoxSent:
		where, args = "sender = ?", []any{scope.Country}
	case f.Box == BoxReceived:
		// A diffusion to every member reaches its sender's country too;
		// it is not received there.
		where, args = "sender <> ? AND "+received, []any{scope.Country, scope.Country, AllMembers}
	}
	rows, err := s.store.Query(ctx, "SELECT "+diffusionColumns+" FROM diffusions WHERE "+where+" ORDER BY id DESC LIMIT ? OFFSET ?",
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, fmt.Errorf("list diffusions: %w", err)
	}
	out := []Diffusion{}
	for rows.Next() {
		d, err := scanDiffusion(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("read diffusion: %w", err)
		}
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list diffusions: %w", err)
	}
	return out, s.fillRecipients(ctx, out)
}

// ToNotice turns a diffusion into a draft notice request of the sending
// bureau carrying its data over (wanted → red, missing → yellow,
// information → blue, warning → green). A diffusion becomes at most one notice.
func (s *Service) ToNotice(ctx context.Context, by policy.Actor, id int64) (Notice, error) {
	d, err := s.loadDiffusion(ctx, id)
	if err != nil {
		return Notice{}, err
	}
	if dec := policy.Can(by, policy.DiffusionToNotice, d.resource()); !dec.Allowed {
		return Notice{}, s.deny(ctx, by, policy.DiffusionToNotice, DiffusionKind, idString(id), dec, errNoDiffusion(id))
	}
	if d.NoticeID != nil {
		return Notice{}, fault.New(fault.Conflict, "already_converted", "diffusion %d already became notice %d", id, *d.NoticeID)
	}
	owner := by.Org
	if dec := policy.Can(by, policy.NoticeCreate, policy.Resource{Kind: Kind, Owner: owner}); !dec.Allowed {
		return Notice{}, s.deny(ctx, by, policy.NoticeCreate, Kind, "", dec, nil)
	}
	req := Request{Data: d.data()}
	if err := s.validateRequest(&req, owner); err != nil {
		return Notice{}, err
	}
	return s.insert(ctx, by, owner, req, func(tx *journal.Tx, noticeID int64) error {
		res, err := tx.Exec(ctx, "UPDATE diffusions SET notice_id = ? WHERE id = ? AND notice_id IS NULL", noticeID, id)
		if err != nil {
			return fmt.Errorf("link diffusion to notice: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.New(fault.Conflict, "already_converted", "diffusion %d already became a notice", id)
		}
		e := audit.Event(ctx, by, policy.DiffusionToNotice, DiffusionKind, idString(id))
		e.Detail = fmt.Sprintf("notice=%d", noticeID)
		tx.Also(e)
		tx.Changed(DiffusionKind, idString(id), changefeed.Update)
		return nil
	})
}
