// Package changefeed is the ordered list of every change to domain data.
// Each write appends its changes in the same transaction as the rows it
// changes; readers (in-memory indexes, other nodes, national copies) ask for
// "changes after N" and can be woken when new changes commit.
package changefeed

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/storage"
)

// Op is what happened to an entity.
type Op string

const (
	Insert Op = "insert"
	Update Op = "update"
	Delete Op = "delete"
)

// Change says that one entity of one kind changed.
type Change struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	Kind     string    `json:"kind"`
	EntityID string    `json:"entity_id"`
	Op       Op        `json:"op"`
}

// Append writes changes in tx and returns the sequence number of the last.
// The caller must hold the journal lock (storage.Tx.LockJournal) so that
// sequence numbers commit in order.
func Append(ctx context.Context, tx *storage.Tx, at time.Time, changes []Change) (int64, error) {
	var last int64
	if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(seq), 0) FROM changes").Scan(&last); err != nil {
		return 0, fmt.Errorf("read change sequence: %w", err)
	}
	// Many changes (a manifest's hits) go in few statements.
	for start := 0; start < len(changes); start += rowsPerInsert {
		chunk := changes[start:min(start+rowsPerInsert, len(changes))]
		q := "INSERT INTO changes (seq, at, kind, entity_id, op) VALUES (?, ?, ?, ?, ?)" + strings.Repeat(", (?, ?, ?, ?, ?)", len(chunk)-1)
		args := make([]any, 0, 5*len(chunk))
		for _, c := range chunk {
			last++
			args = append(args, last, at, c.Kind, c.EntityID, string(c.Op))
		}
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return 0, fmt.Errorf("append changes %s %s to %s %s: %w", chunk[0].Kind, chunk[0].EntityID, chunk[len(chunk)-1].Kind, chunk[len(chunk)-1].EntityID, err)
		}
	}
	return last, nil
}

// rowsPerInsert keeps an insert of changes (5 parameters a row) well under
// SQLite's 32,766 parameters per statement.
const rowsPerInsert = 1000

// Feed reads the change feed of one store and wakes waiters in this process
// when a write commits.
type Feed struct {
	store *storage.Store

	mu     sync.Mutex
	wake   chan struct{} // closed and replaced at each commit
	latest int64
}

// New returns the feed of store.
func New(store *storage.Store) *Feed {
	return &Feed{store: store, wake: make(chan struct{})}
}

// After returns up to limit changes with a sequence number above seq, oldest first.
func (f *Feed) After(ctx context.Context, seq int64, limit int) ([]Change, error) {
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	rows, err := f.store.Query(ctx,
		"SELECT seq, at, kind, entity_id, op FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", seq, limit)
	if err != nil {
		return nil, fmt.Errorf("read changes after %d: %w", seq, err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var op string
		if err := rows.Scan(&c.Seq, &c.At, &c.Kind, &c.EntityID, &op); err != nil {
			return nil, fmt.Errorf("read change: %w", err)
		}
		c.Op = Op(op)
		c.At = c.At.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// Latest returns the highest committed sequence number.
func (f *Feed) Latest(ctx context.Context) (int64, error) {
	var seq int64
	err := f.store.QueryRow(ctx, "SELECT COALESCE(MAX(seq), 0) FROM changes").Scan(&seq)
	return seq, err
}

// LatestOf returns the highest committed sequence number above after of a
// change of one of kinds, or after when there is none. A reader that has
// applied the feed up to after and applies only those kinds is current
// once it has applied the result; only the changes above after are read,
// so the query stays cheap while the reader keeps up.
func (f *Feed) LatestOf(ctx context.Context, after int64, kinds []string) (int64, error) {
	if len(kinds) == 0 {
		return after, nil
	}
	args := make([]any, 0, 2+len(kinds))
	args = append(args, after, after)
	for _, k := range kinds {
		args = append(args, k)
	}
	q := "SELECT COALESCE(MAX(seq), ?) FROM changes WHERE seq > ? AND kind IN (?" + strings.Repeat(", ?", len(kinds)-1) + ")"
	var seq int64
	if err := f.store.QueryRow(ctx, q, args...).Scan(&seq); err != nil {
		return 0, fmt.Errorf("read the latest change of %s: %w", strings.Join(kinds, ", "), err)
	}
	return seq, nil
}

// Committed tells waiters that changes up to seq are committed.
func (f *Feed) Committed(seq int64) {
	f.mu.Lock()
	if seq > f.latest {
		f.latest = seq
	}
	close(f.wake)
	f.wake = make(chan struct{})
	f.mu.Unlock()
}

// Changed returns a channel that is closed at the next commit in this process.
func (f *Feed) Changed() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.wake
}

// Follow calls apply with every batch of changes after seq, in order, until
// ctx ends. It wakes at once on commits in this process and polls every
// interval for commits made by other processes sharing the store.
func (f *Feed) Follow(ctx context.Context, seq int64, interval time.Duration, apply func([]Change) error) error {
	const limit = 10000
	for {
		wake := f.Changed()
		batch, err := f.After(ctx, seq, limit)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		if len(batch) > 0 {
			if err := apply(batch); err != nil {
				return fmt.Errorf("apply changes up to %d: %w", batch[len(batch)-1].Seq, err)
			}
			seq = batch[len(batch)-1].Seq
		}
		// A short batch holds every change committed before wake was
		// taken; later commits in this process have closed wake. Reading
		// again at once would find nothing, at the cost of a query for
		// each commit.
		if len(batch) == limit {
			continue
		}
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-wake:
			t.Stop()
		case <-t.C:
		}
	}
}
