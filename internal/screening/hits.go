package screening

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/policy"
)

// Hit is a match recorded for its record's owner and its asker.
type Hit struct {
	ID          int64           `json:"id"`
	At          time.Time       `json:"at"`
	Asker       string          `json:"asker"`
	AskerOrg    string          `json:"asker_org"`
	ClientAddr  string          `json:"client_addr"`
	QID         string          `json:"qid"`
	Query       json.RawMessage `json:"query"`
	RecordKind  string          `json:"record_kind"`
	RecordID    string          `json:"record_id"`
	RecordOwner string          `json:"record_owner"`
	Score       float64         `json:"score"`
	Status      string          `json:"status"` // new, confirmed, false_positive
	DecidedBy   string          `json:"decided_by,omitempty"`
	DecidedAt   *time.Time      `json:"decided_at,omitempty"`
	Note        string          `json:"note,omitempty"`
}

// Hit statuses.
const (
	HitNew           = "new"
	HitConfirmed     = "confirmed"
	HitFalsePositive = "false_positive"
)

func hitResource(h Hit) policy.Resource {
	return policy.Resource{Kind: "hit", ID: strconv.FormatInt(h.ID, 10), Owner: h.RecordOwner,
		Audience: policy.Audience{Mode: policy.OnlyListed, Countries: []string{h.AskerOrg}}}
}

const hitCols = "id, at, asker, asker_org, client_addr, qid, query, record_kind, record_id, record_owner, score, status, decided_by, decided_at, note"

func scanHit(r interface{ Scan(...any) error }) (Hit, error) {
	var h Hit
	var q string
	var decided sql.NullTime
	err := r.Scan(&h.ID, &h.At, &h.Asker, &h.AskerOrg, &h.ClientAddr, &h.QID, &q, &h.RecordKind, &h.RecordID,
		&h.RecordOwner, &h.Score, &h.Status, &h.DecidedBy, &decided, &h.Note)
	if err != nil {
		return h, err
	}
	h.Query = json.RawMessage(q)
	h.At = h.At.UTC()
	if decided.Valid {
		t := decided.Time.UTC()
		h.DecidedAt = &t
	}
	return h, nil
}

// HitFilter selects hits.
type HitFilter struct {
	Status string
	After  int64
	Limit  int // at most 500; 100 when zero
}

// ListHits returns the hits the actor's country owns the record of or
// asked, newest first.
func (e *Engine) ListHits(ctx context.Context, by policy.Actor, f HitFilter) ([]Hit, error) {
	if d := policy.Can(by, policy.HitList, policy.Resource{Kind: "hit"}); !d.Allowed {
		return nil, e.refuseHit(ctx, by, policy.HitList, "", d)
	}
	var where []string
	var args []any
	// Narrow in SQL to the rows policy would show; policy decides each row.
	if !by.IsGS() {
		where, args = append(where, "(record_owner = ? OR asker_org = ?)"), append(args, by.Org, by.Org)
	}
	switch f.Status {
	case "":
	case HitNew, HitConfirmed, HitFalsePositive:
		where, args = append(where, "status = ?"), append(args, f.Status)
	default:
		return nil, fault.InvalidField("status", "invalid_parameter", "status is new, confirmed or false_positive")
	}
	if f.After > 0 {
		where, args = append(where, "id < ?"), append(args, f.After)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 500)
	q := "SELECT " + hitCols + " FROM hits"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := e.store.Query(ctx, q+" ORDER BY id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list hits: %w", err)
	}
	defer rows.Close()
	out := []Hit{}
	var ids []string
	for rows.Next() {
		h, err := scanHit(rows)
		if err != nil {
			return nil, fmt.Errorf("read hit: %w", err)
		}
		if policy.Can(by, policy.HitRead, hitResource(h)).Allowed {
			out = append(out, h)
			ids = append(ids, strconv.FormatInt(h.ID, 10))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list hits: %w", err)
	}
	ev := audit.Event(ctx, by, policy.HitList, "hit", "")
	ev.Detail = "ids=" + strings.Join(ids, ",")
	e.j.RecordRead(ev)
	return out, nil
}

func (e *Engine) loadHit(ctx context.Context, id string) (Hit, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return Hit{}, fault.NotFoundf("no such hit")
	}
	h, err := scanHit(e.store.QueryRow(ctx, "SELECT "+hitCols+" FROM hits WHERE id = ?", n))
	if errors.Is(err, sql.ErrNoRows) {
		return Hit{}, fault.NotFoundf("no such hit")
	}
	if err != nil {
		return Hit{}, fmt.Errorf("read hit %s: %w", id, err)
	}
	return h, nil
}

// GetHit returns one hit the actor may see.
func (e *Engine) GetHit(ctx context.Context, by policy.Actor, id string) (Hit, error) {
	h, err := e.loadHit(ctx, id)
	if err != nil {
		return Hit{}, err
	}
	if d := policy.Can(by, policy.HitRead, hitResource(h)); !d.Allowed {
		return Hit{}, e.refuseHit(ctx, by, policy.HitRead, id, d)
	}
	e.j.RecordRead(audit.Event(ctx, by, policy.HitRead, "hit", id))
	return h, nil
}

// DecideHit records the owner's decision: confirmed, or a false positive.
func (e *Engine) DecideHit(ctx context.Context, by policy.Actor, id, status, note string) (Hit, error) {
	h, err := e.loadHit(ctx, id)
	if err != nil {
		return Hit{}, err
	}
	if d := policy.Can(by, policy.HitDecide, hitResource(h)); !d.Allowed {
		return Hit{}, e.refuseHit(ctx, by, policy.HitDecide, id, d)
	}
	if status != HitConfirmed && status != HitFalsePositive {
		return Hit{}, fault.InvalidField("status", "invalid_status", "a hit is confirmed or a false_positive")
	}
	if len(note) > 2000 {
		return Hit{}, fault.InvalidField("note", "too_long", "a note has at most 2000 bytes")
	}
	if h.Status != HitNew {
		return Hit{}, fault.New(fault.Conflict, "already_decided", "the hit was already decided (%s by %s)", h.Status, h.DecidedBy)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	ev := audit.Event(ctx, by, policy.HitDecide, "hit", id)
	ev.Detail = status
	err = e.j.Write(ctx, ev, func(tx *journal.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE hits SET status = ?, decided_by = ?, decided_at = ?, note = ? WHERE id = ? AND status = 'new'",
			status, by.Username, now, note, h.ID)
		if err != nil {
			return fmt.Errorf("decide hit %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.New(fault.Conflict, "already_decided", "the hit was decided in the meantime")
		}
		tx.Changed("hit", id, changefeed.Update)
		return nil
	})
	if err != nil {
		return Hit{}, err
	}
	h.Status, h.DecidedBy, h.DecidedAt, h.Note = status, by.Username, &now, note
	return h, nil
}

func (e *Engine) refuseHit(ctx context.Context, by policy.Actor, act policy.Action, id string, d policy.Decision) error {
	ev := audit.Event(ctx, by, act, "hit", id)
	ev.Outcome, ev.Reason = audit.Denied, d.Reason
	if err := e.j.Record(ctx, ev); err != nil {
		return err
	}
	if d.Hidden {
		return fault.NotFoundf("no such hit")
	}
	return fault.New(fault.Forbidden, "forbidden", "%s", d.Reason)
}
