// Package journal is the one way relais writes: the rows, their audit entry
// and their change-feed entries in ONE transaction, so that no write of police
// data can happen without its trace, and no trace without its write.
package journal

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/storage"
)

// Journal writes to one store and tells its change feed about commits.
type Journal struct {
	store *storage.Store
	feed  *changefeed.Feed
	log   *slog.Logger

	pending   chan queued
	flushDone chan struct{}
	closeOnce sync.Once
}

// New returns a journal over store. Close it to flush the queued audit
// entries of reads.
func New(store *storage.Store, feed *changefeed.Feed, logger *slog.Logger) *Journal {
	if logger == nil {
		logger = slog.Default()
	}
	j := &Journal{
		store:     store,
		feed:      feed,
		log:       logger,
		pending:   make(chan queued, 4096),
		flushDone: make(chan struct{}),
	}
	go j.flushReads()
	return j
}

// Store returns the store the journal writes to.
func (j *Journal) Store() *storage.Store { return j.store }

// Feed returns the change feed the journal appends to.
func (j *Journal) Feed() *changefeed.Feed { return j.feed }

// Tx is a write transaction under way: the service writes its rows through
// it, names what it changed and completes the audit entry.
type Tx struct {
	*storage.Tx
	// Entry is the audit entry of this write; the service may fill in the
	// resource id once it knows it.
	Entry   *audit.Entry
	changes []changefeed.Change
	extra   []*audit.Entry
}

// Changed records that the entity kind/id was inserted, updated or deleted.
func (tx *Tx) Changed(kind, id string, op changefeed.Op) {
	tx.changes = append(tx.changes, changefeed.Change{Kind: kind, EntityID: id, Op: op})
}

// Also adds another audit entry to the same transaction, for a write that
// touches more than one resource.
func (tx *Tx) Also(e audit.Entry) {
	tx.extra = append(tx.extra, &e)
}

// Write runs fn in one transaction and appends entry (as completed by fn)
// and the changes fn named, then commits. When fn fails nothing is written;
// callers that must leave a trace of the refusal call Record themselves.
func (j *Journal) Write(ctx context.Context, entry audit.Entry, fn func(tx *Tx) error) error {
	var last int64
	err := j.store.InTx(ctx, func(stx *storage.Tx) error {
		tx := &Tx{Tx: stx, Entry: &entry}
		if err := fn(tx); err != nil {
			return err
		}
		if err := stx.LockJournal(ctx); err != nil {
			return err
		}
		at := storage.Now()
		entry.At = at
		entries := append([]*audit.Entry{&entry}, tx.extra...)
		for _, e := range tx.extra {
			e.At = at
		}
		if err := audit.Append(ctx, stx, entries...); err != nil {
			return err
		}
		if len(tx.changes) > 0 {
			seq, err := changefeed.Append(ctx, stx, at, tx.changes)
			if err != nil {
				return err
			}
			last = seq
		}
		return nil
	})
	if err != nil {
		return err
	}
	if last > 0 && j.feed != nil {
		j.feed.Committed(last)
	}
	return nil
}

// Record appends audit entries on their own, at once: refused logins,
// denied requests, verifications.
func (j *Journal) Record(ctx context.Context, entries ...audit.Entry) error {
	ptrs := make([]*audit.Entry, len(entries))
	for i := range entries {
		ptrs[i] = &entries[i]
	}
	return j.store.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.LockJournal(ctx); err != nil {
			return err
		}
		return audit.Append(ctx, tx, ptrs...)
	})
}

// RecordRead queues the audit entry of a read of police data. Reads are many
// and must stay fast, so they are written in batches a few milliseconds
// later; when the queue is full the caller waits rather than lose an entry.
func (j *Journal) RecordRead(e audit.Entry) {
	if e.At.IsZero() {
		e.At = storage.Now()
	}
	j.pending <- queued{entry: &e}
}

// queued is an entry to write, or (entry nil) a request to say when all
// entries queued before it are written.
type queued struct {
	entry   *audit.Entry
	flushed chan struct{}
}

const (
	readBatchSize  = 512
	readBatchDelay = 20 * time.Millisecond
)

func (j *Journal) flushReads() {
	defer close(j.flushDone)
	batch := make([]*audit.Entry, 0, readBatchSize)
	var waiters []chan struct{}
	for q := range j.pending {
		batch, waiters = batch[:0], waiters[:0]
		add := func(q queued) {
			if q.entry != nil {
				batch = append(batch, q.entry)
			} else {
				waiters = append(waiters, q.flushed)
			}
		}
		add(q)
		timer := time.NewTimer(readBatchDelay)
	collect:
		for len(batch) < readBatchSize && len(waiters) == 0 {
			select {
			case more, ok := <-j.pending:
				if !ok {
					break collect
				}
				add(more)
			case <-timer.C:
				break collect
			}
		}
		timer.Stop()
		if len(batch) > 0 {
			j.writeBatch(batch)
		}
		for _, w := range waiters {
			close(w)
		}
	}
}

func (j *Journal) writeBatch(batch []*audit.Entry) {
	for attempt := 1; ; attempt++ {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := j.store.InTx(ctx, func(tx *storage.Tx) error {
			if err := tx.LockJournal(ctx); err != nil {
				return err
			}
			return audit.Append(ctx, tx, batch...)
		})
		cancel()
		if err == nil {
			return
		}
		j.log.Error("audit entries of reads not yet written; retrying", "entries", len(batch), "attempt", attempt, "err", err)
		if attempt >= 5 {
			j.log.Error("audit entries of reads lost", "entries", len(batch), "first_action", batch[0].Action)
			return
		}
		time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
	}
}

// Flush waits until every read entry queued before the call is written.
func (j *Journal) Flush(ctx context.Context) error {
	done := make(chan struct{})
	select {
	case j.pending <- queued{flushed: done}:
	case <-ctx.Done():
		return fmt.Errorf("flush audit entries: %w", ctx.Err())
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("flush audit entries: %w", ctx.Err())
	}
}

// Close writes the queued read entries and stops the writer.
func (j *Journal) Close() error {
	j.closeOnce.Do(func() { close(j.pending) })
	<-j.flushDone
	return nil
}
