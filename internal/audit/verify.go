package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/relais/relais/internal/storage"
)

// Report is the outcome of walking the chain.
type Report struct {
	Entries  int64  `json:"entries"`
	HeadSeq  int64  `json:"head_seq"`
	OK       bool   `json:"ok"`
	BadSeq   int64  `json:"bad_seq,omitempty"` // the first entry found wrong (or where one is missing)
	Problem  string `json:"problem,omitempty"`
	LastHash string `json:"last_hash,omitempty"`
}

// Verify walks the whole chain in sequence order and reports the first entry
// that was edited, removed or moved.
func Verify(ctx context.Context, store *storage.Store) (Report, error) {
	var r Report
	rows, err := store.Query(ctx, "SELECT "+columns+" FROM audit_log ORDER BY seq")
	if err != nil {
		return r, fmt.Errorf("read audit trail: %w", err)
	}
	defer rows.Close()
	prev := genesis
	want := int64(1)
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return r, err
		}
		r.Entries++
		if bad := check(&e, want, prev); bad != "" {
			r.Problem = bad
			r.BadSeq = min(e.Seq, want)
			return r, nil
		}
		prev = e.Hash
		want++
	}
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("read audit trail: %w", err)
	}
	r.LastHash = prev
	var headSeq int64
	var headHash string
	err = store.QueryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&headSeq, &headHash)
	switch {
	case isNoRows(err):
		if r.Entries > 0 {
			r.BadSeq, r.Problem = 1, "the chain head record is missing"
			return r, nil
		}
	case err != nil:
		return r, fmt.Errorf("read audit head: %w", err)
	default:
		r.HeadSeq = headSeq
		if headSeq != r.Entries || headHash != prev {
			r.BadSeq = r.Entries + 1
			if headSeq < r.Entries {
				r.BadSeq = headSeq + 1
			}
			r.Problem = fmt.Sprintf("the chain ends at entry %d but its head says %d: entries were removed from or added to the end", r.Entries, headSeq)
			return r, nil
		}
	}
	r.OK = true
	return r, nil
}

// check returns what is wrong with e, expected at position want after prev.
func check(e *Entry, want int64, prev string) string {
	switch {
	case e.Seq > want:
		return fmt.Sprintf("entry %d is missing (the next entry is %d)", want, e.Seq)
	case e.Seq < want:
		return fmt.Sprintf("entry %d appears out of order", e.Seq)
	case e.PrevHash != prev:
		return fmt.Sprintf("entry %d does not follow entry %d: its previous-hash differs (an entry was removed, inserted or moved)", e.Seq, e.Seq-1)
	case contentHash(prev, e) != e.Hash:
		return fmt.Sprintf("entry %d was altered: its content does not match its hash", e.Seq)
	}
	return ""
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
