// Package audit keeps relais's tamper-evident audit trail: an append-only,
// hash-chained log of every access decision and every write, written in the
// same transaction as the change it records.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/relais/relais/internal/storage"
)

// Outcomes of an audited action.
const (
	Allowed = "allowed"
	Denied  = "denied"
	Failed  = "failed"
)

// Entry is one line of the audit trail.
type Entry struct {
	Seq          int64     `json:"seq"`
	At           time.Time `json:"at"`
	Actor        string    `json:"actor"`     // username, or "-" for an anonymous caller
	ActorOrg     string    `json:"actor_org"` // organisation code
	Action       string    `json:"action"`    // e.g. "auth.login", "notice.create"
	ResourceKind string    `json:"resource_kind"`
	ResourceID   string    `json:"resource_id"`
	Outcome      string    `json:"outcome"`
	Reason       string    `json:"reason,omitempty"`
	RequestID    string    `json:"request_id,omitempty"`
	ClientAddr   string    `json:"client_addr,omitempty"`
	Detail       string    `json:"detail,omitempty"` // small JSON or text; never secrets
	PrevHash     string    `json:"prev_hash"`
	Hash         string    `json:"hash"`
}

// genesis is the previous hash of the first entry.
var genesis = strings.Repeat("0", 64)

// contentHash is the SHA-256 over the previous hash and the entry's own
// content, including its sequence number, so that editing, removing or
// reordering entries breaks the chain.
func contentHash(prev string, e *Entry) string {
	fields := []string{
		prev,
		fmt.Sprint(e.Seq),
		e.At.UTC().Format(time.RFC3339Nano),
		e.Actor, e.ActorOrg, e.Action, e.ResourceKind, e.ResourceID,
		e.Outcome, e.Reason, e.RequestID, e.ClientAddr, e.Detail,
	}
	b, _ := json.Marshal(fields) // []string always encodes
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Append adds entries to the chain inside tx. The caller must hold the
// journal lock (storage.Tx.LockJournal). Entries get their sequence number,
// time (when zero) and hashes here.
func Append(ctx context.Context, tx *storage.Tx, entries ...*Entry) error {
	if len(entries) == 0 {
		return nil
	}
	var seq int64
	prev := genesis
	err := tx.QueryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&seq, &prev)
	first := err != nil
	if first && !isNoRows(err) {
		return fmt.Errorf("read audit head: %w", err)
	}
	if first {
		seq, prev = 0, genesis
	}
	for _, e := range entries {
		seq++
		e.Seq = seq
		if e.At.IsZero() {
			e.At = storage.Now()
		}
		e.At = e.At.UTC().Truncate(time.Microsecond)
		if e.Actor == "" {
			e.Actor = "-"
		}
		if e.Outcome == "" {
			e.Outcome = Allowed
		}
		e.PrevHash = prev
		e.Hash = contentHash(prev, e)
		prev = e.Hash
		if _, err := tx.Exec(ctx, `INSERT INTO audit_log
			(seq, at, actor, actor_org, action, resource_kind, resource_id, outcome, reason, request_id, client_addr, detail, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.Seq, e.At, e.Actor, e.ActorOrg, e.Action, e.ResourceKind, e.ResourceID, e.Outcome,
			e.Reason, e.RequestID, e.ClientAddr, e.Detail, e.PrevHash, e.Hash); err != nil {
			return fmt.Errorf("append audit entry %s: %w", e.Action, err)
		}
	}
	if first {
		_, err = tx.Exec(ctx, "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)", seq, prev)
	} else {
		_, err = tx.Exec(ctx, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", seq, prev)
	}
	if err != nil {
		return fmt.Errorf("move audit head: %w", err)
	}
	return nil
}

// Filter selects audit entries; zero fields select everything.
type Filter struct {
	Actor        string
	ActorOrg     string
	Action       string
	ResourceKind string
	ResourceID   string
	Outcome      string
	From, To     time.Time
	AfterSeq     int64
	Limit        int // at most 1000; 100 when zero
}

// List returns entries matching f, oldest first.
func List(ctx context.Context, store *storage.Store, f Filter) ([]Entry, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if f.Actor != "" {
		add("actor = ?", f.Actor)
	}
	if f.ActorOrg != "" {
		add("actor_org = ?", f.ActorOrg)
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.ResourceKind != "" {
		add("resource_kind = ?", f.ResourceKind)
	}
	if f.ResourceID != "" {
		add("resource_id = ?", f.ResourceID)
	}
	if f.Outcome != "" {
		add("outcome = ?", f.Outcome)
	}
	if !f.From.IsZero() {
		add("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("at < ?", f.To.UTC())
	}
	add("seq > ?", f.AfterSeq)
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	if limit > 1000 {
		limit = 1000
	}
	q := "SELECT " + columns + " FROM audit_log WHERE " + strings.Join(where, " AND ") + " ORDER BY seq LIMIT ?"
	args = append(args, limit)
	rows, err := store.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	defer rows.Close()
	out := []Entry{}
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

const columns = "seq, at, actor, actor_org, action, resource_kind, resource_id, outcome, reason, request_id, client_addr, detail, prev_hash, hash"

type scanner interface{ Scan(...any) error }

func scan(r scanner) (Entry, error) {
	var e Entry
	err := r.Scan(&e.Seq, &e.At, &e.Actor, &e.ActorOrg, &e.Action, &e.ResourceKind, &e.ResourceID,
		&e.Outcome, &e.Reason, &e.RequestID, &e.ClientAddr, &e.Detail, &e.PrevHash, &e.Hash)
	if err != nil {
		return e, fmt.Errorf("read audit entry: %w", err)
	}
	e.At = e.At.UTC()
	return e, nil
}
