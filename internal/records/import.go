package records

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/storage"
)

// ImportOptions say what an import reads and for whom.
type ImportOptions struct {
	Kind     Kind
	Format   Format
	Owner    string
	Audience policy.Audience // for lines that give none
	// Resume is the identity of the input (see ResumeKey); when set, the
	// import skips the lines an earlier run committed and remembers how far
	// it got after every batch. Empty: the input is read in full.
	Resume  string
	Source  string // the input's name, for the progress record
	Restart bool   // forget an earlier run and read everything
	// BatchSize is the number of records per transaction (50,000 when
	// zero). Large batches make imports fast: a random key such as a
	// document number touches a leaf of its index per record, and each
	// touched leaf is written once per transaction, not once per record.
	BatchSize int
	// OnLineError is told about every line that is not imported.
	OnLineError func(LineError)
	// OnRead is told how many bytes of input were read, as they are.
	OnRead func(n int)
}

// ImportResult says what an import did.
type ImportResult struct {
	Imported     int64 `json:"imported"`
	Failed       int64 `json:"failed"`
	Skipped      int64 `json:"skipped"`                 // lines an earlier run imported
	Lines        int64 `json:"lines"`                   // lines read, header included
	ResumedAfter int64 `json:"resumed_after,omitempty"` // last line an earlier run committed
	AlreadyDone  bool  `json:"already_done"`            // an earlier run imported the whole input
}

// ErrAlreadyImported says that an earlier run imported the whole input.
var ErrAlreadyImported = fault.New(fault.Conflict, "already_imported", "this file was imported in full for this owner already; import it again with --restart")

// maxLine bounds one line of an import.
const maxLine = 1 << 20

// ResumeKey is the identity of an import for resuming: the kind, the owner
// and the identity of the input (its path, size and a digest of its start).
func ResumeKey(kind Kind, owner, identity string) string {
	sum := sha256.Sum256([]byte(string(kind) + "\x00" + owner + "\x00" + identity))
	return hex.EncodeToString(sum[:])
}

// batch is a run of parsed records ready to be written.
type batch struct {
	first, last int64 // line numbers covered
	recs        []Record
	lines       []int64 // line of each record
	failed      int64   // lines of the range that failed to parse
}

// Import reads records line by line and writes them in batches, each in one
// transaction with one audit entry ("record.import", its line range) and its
// changes. A line that cannot be read is reported and skipped; the others
// are imported. Reading and writing overlap.
func (s *Service) Import(ctx context.Context, by policy.Actor, r io.Reader, opt ImportOptions) (ImportResult, error) {
	var res ImportResult
	sp := specs[opt.Kind]
	if sp == nil {
		return res, fault.InvalidField("kind", "invalid_kind", "unknown kind of record %q", opt.Kind)
	}
	owner, err := NormalizeOwner(opt.Owner)
	if err != nil {
		return res, err
	}
	if err := normalizeAudience(&opt.Audience); err != nil {
		return res, err
	}
	if d := policy.Can(by, policy.RecordImport, policy.Resource{Kind: sp.change, Owner: owner}); !d.Allowed {
		return res, s.refuse(ctx, by, policy.RecordImport, sp, "", d)
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 50000
	}
	var resumeAfter int64
	if opt.Resume != "" {
		if opt.Restart {
			if _, err := s.store.Exec(ctx, "DELETE FROM import_progress WHERE key = ?", opt.Resume); err != nil {
				return res, fmt.Errorf("forget earlier import: %w", err)
			}
		} else {
			var done bool
			err := s.store.QueryRow(ctx, "SELECT last_line, done FROM import_progress WHERE key = ?", opt.Resume).Scan(&resumeAfter, &done)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return res, fmt.Errorf("read import progress: %w", err)
			}
			if done {
				res.AlreadyDone = true
				return res, ErrAlreadyImported
			}
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *batch, 2)
	var readErr error
	var lines, skipped int64
	go func() {
		defer close(batches)
		lines, skipped, readErr = s.readBatches(ctx, r, opt, owner, resumeAfter, batches)
	}()
	now := s.now()
	for b := range batches {
		for _, rec := range b.recs {
			h := rec.Header()
			if h.ReviewOn, err = reviewDate("review_on", h.ReviewOn, now); err != nil {
				break
			}
			h.CreatedAt, h.UpdatedAt = now, now
		}
		if err == nil {
			err = s.writeBatch(ctx, by, sp, owner, opt, b, &res)
		}
		if err != nil {
			cancel()
			for range batches { // let the reader finish
			}
			return res, err
		}
		res.Failed += b.failed
	}
	res.Lines, res.Skipped, res.ResumedAfter = lines, skipped, resumeAfter
	if readErr != nil {
		return res, readErr
	}
	if opt.Resume != "" {
		if _, err := s.store.Exec(context.WithoutCancel(ctx), "UPDATE import_progress SET done = ?, updated_at = ? WHERE key = ?", true, s.now(), opt.Resume); err != nil {
			return res, fmt.Errorf("record the end of the import: %w", err)
		}
	}
	return res, nil
}

// readBatches reads and parses lines and sends them in batches.
func (s *Service) readBatches(ctx context.Context, r io.Reader, opt ImportOptions, owner string, resumeAfter int64, out chan<- *batch) (lines, skipped int64, err error) {
	p := NewLineParser(opt.Kind, opt.Format, owner, opt.Audience)
	br := bufio.NewReaderSize(r, 1<<20)
	cur := &batch{first: resumeAfter + 1}
	send := func() bool {
		sortBatch(cur)
		select {
		case out <- cur:
			cur = &batch{first: lines + 1}
			return true
		case <-ctx.Done():
			return false
		}
	}
	report := func(line int64, e error) {
		cur.failed++
		if opt.OnLineError != nil {
			opt.OnLineError(lineError(line, e))
		}
	}
	var long []byte
	for {
		chunk, rerr := br.ReadSlice('\n')
		if opt.OnRead != nil && len(chunk) > 0 {
			opt.OnRead(len(chunk))
		}
		if errors.Is(rerr, bufio.ErrBufferFull) {
			if len(long) < maxLine {
				long = append(long, chunk...)
			}
			continue
		}
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return lines, skipped, fmt.Errorf("read line %d: %w", lines+1, rerr)
		}
		if len(chunk) == 0 && rerr != nil && long == nil {
			break
		}
		lines++
		line := chunk
		if long != nil {
			line = append(long, chunk...)
			long = nil
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		switch {
		case len(line) >= maxLine:
			report(lines, fault.New(fault.Invalid, "line_too_long", "the line is longer than %d bytes", maxLine))
		case p.NeedsHeader():
			if len(bytes.TrimSpace(line)) == 0 {
				break
			}
			if herr := p.Header(line); herr != nil {
				return lines, skipped, fmt.Errorf("line %d (the CSV header): %w", lines, herr)
			}
		case lines <= resumeAfter:
			skipped++
		default:
			rec, perr := p.Parse(line)
			if perr != nil {
				report(lines, perr)
			} else if rec != nil {
				cur.recs = append(cur.recs, rec)
				cur.lines = append(cur.lines, lines)
			}
		}
		cur.last = lines
		if len(cur.recs) >= opt.BatchSize && !send() {
			return lines, skipped, ctx.Err()
		}
		if rerr != nil {
			break
		}
	}
	if cur.last >= cur.first && !send() {
		return lines, skipped, ctx.Err()
	}
	return lines, skipped, nil
}

// writeBatch writes one batch in one transaction with its audit entry,
// its changes and, when resuming is on, the progress.
func (s *Service) writeBatch(ctx context.Context, by policy.Actor, sp *spec, owner string, opt ImportOptions, b *batch, res *ImportResult) error {
	var imported int64
	var dups []LineError
	entry := audit.Event(ctx, by, policy.RecordImport, sp.change, "")
	err := s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		imported, dups = 0, dups[:0]
		var ids []string
		var lo, hi int64
		switch {
		case len(b.recs) == 0:
		case sp.intID && tx.Engine() == storage.SQLite:
			var err error
			if lo, hi, err = appendNumbered(ctx, tx.Tx, sp, b.recs); err != nil {
				return err
			}
			imported = int64(len(b.recs))
		default:
			var err error
			if ids, err = insertRows(ctx, tx.Tx, sp, b.recs, !sp.intID); err != nil {
				return err
			}
		}
		for i, id := range ids {
			if id == "" {
				dups = append(dups, LineError{Line: b.lines[i], Code: "duplicate_id", Field: "id",
					Message: fmt.Sprintf("a person with reference %s exists already", b.recs[i].Header().ID)})
				continue
			}
			imported++
			b.recs[i].Header().ID = id
			if !sp.intID {
				tx.Changed(sp.change, id, changefeed.Insert)
				continue
			}
			n, _ := strconv.ParseInt(id, 10, 64)
			if lo == 0 || n < lo {
				lo = n
			}
			hi = max(hi, n)
		}
		if lo > 0 {
			// One change stands for the whole range of ids: followers re-read
			// the rows of the range (see ParseRange).
			tx.Changed(sp.change, RangeID(lo, hi), changefeed.Insert)
			tx.Entry.ResourceID = RangeID(lo, hi)
		}
		tx.Entry.Detail = fmt.Sprintf("owner=%s lines %d-%d: %d records", owner, b.first, b.last, imported)
		if opt.Resume != "" {
			return saveProgress(ctx, tx.Tx, opt, owner, b.last, res.Imported+imported, res.Failed+b.failed+int64(len(dups)))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("import lines %d-%d: %w", b.first, b.last, err)
	}
	res.Imported += imported
	res.Failed += int64(len(dups))
	if opt.OnLineError != nil {
		for _, d := range dups {
			opt.OnLineError(d)
		}
	}
	return nil
}

// maxVariables is SQLite's limit on the parameters of one statement.
const maxVariables = 32766

// appendNumbered inserts records of a kind whose ids the database assigns,
// on SQLite, and returns the range of ids they got. The transaction holds
// the write lock, so the ids after the largest one are free: giving them
// here spares a RETURNING clause and makes the batch one range of ids.
// Records are written in the order they come in (sortBatch put them in the
// order of their indexed key), in statements of as many rows as SQLite
// allows, each statement prepared once per batch.
// INSERT OR ROLLBACK undoes the whole transaction on a broken constraint,
// which the journal would do anyway; it lets SQLite skip the statement
// journal that a multi-row statement that may stop halfway needs.
func appendNumbered(ctx context.Context, tx *storage.Tx, sp *spec, recs []Record) (lo, hi int64, err error) {
	var last int64
	if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM "+sp.table).Scan(&last); err != nil {
		return 0, 0, fmt.Errorf("read the last id of %s: %w", sp.table, err)
	}
	// Placeholders are plain ?: SQLite looks numbered ones (?NNN) up in a
	// list, which makes preparing a statement of 30,000 of them quadratic.
	cols := "id, owner, audience_mode, audience_countries, review_on, created_at, updated_at, " + strings.Join(sp.cols, ", ")
	n := 7 + len(sp.cols)
	per := maxVariables / n
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
	statement := func(rows int) string {
		return "INSERT OR ROLLBACK INTO " + sp.table + " (" + cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
	}
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, min(per, len(recs))*n)
	id := last
	for start := 0; start < len(recs); start += per {
		chunk := recs[start:min(start+per, len(recs))]
		args = args[:0]
		for _, rec := range chunk {
			id++
			h := rec.Header()
			args = append(args, id, h.Owner, string(h.Audience.Mode), joinCountries(h.Audience.Countries), h.ReviewOn, h.CreatedAt, h.UpdatedAt)
			args = append(args, rec.values()...)
		}
		if len(chunk) < per {
			if _, err := tx.Exec(ctx, statement(len(chunk)), args...); err != nil {
				return 0, 0, fmt.Errorf("insert %s: %w", sp.table, err)
			}
			continue
		}
		if full == nil {
			if full, err = tx.Prepare(ctx, statement(per)); err != nil {
				return 0, 0, fmt.Errorf("prepare the insert into %s: %w", sp.table, err)
			}
		}
		if _, err := full.ExecContext(ctx, args...); err != nil {
			return 0, 0, fmt.Errorf("insert %s: %w", sp.table, err)
		}
	}
	return last + 1, id, nil
}

// sortBatch puts the records of a batch in the order of their indexed key,
// so that the table's index is updated leaf after leaf rather than at random
// pages. It runs in the reader, alongside the writing of the batch before.
func sortBatch(b *batch) {
	if len(b.recs) < 2 || indexKey(b.recs[0]) == "" {
		return
	}
	type keyed struct {
		key  string
		rec  Record
		line int64
	}
	sorted := make([]keyed, len(b.recs))
	for i, rec := range b.recs {
		sorted[i] = keyed{indexKey(rec), rec, b.lines[i]}
	}
	slices.SortFunc(sorted, func(x, y keyed) int { return strings.Compare(x.key, y.key) })
	for i, k := range sorted {
		b.recs[i], b.lines[i] = k.rec, k.line
	}
}

// indexKey is the value of the column a kind's table is indexed by, or ""
// for kinds whose rows all share their indexed value (the owner).
func indexKey(rec Record) string {
	switch r := rec.(type) {
	case *TravelDocument:
		return r.Number
	case *Vehicle:
		return r.VIN
	}
	return ""
}

func saveProgress(ctx context.Context, tx *storage.Tx, opt ImportOptions, owner string, last, imported, failed int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO import_progress (key, kind, owner, source, last_line, imported, failed, done, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET last_line = excluded.last_line, imported = excluded.imported,
			failed = excluded.failed, updated_at = excluded.updated_at`,
		opt.Resume, string(opt.Kind), owner, opt.Source, last, imported, failed, false, storage.Now())
	if err != nil {
		return fmt.Errorf("record import progress: %w", err)
	}
	return nil
}

// RangeID names the records with ids lo to hi in one change-feed entry.
func RangeID(lo, hi int64) string {
	return strconv.FormatInt(lo, 10) + ".." + strconv.FormatInt(hi, 10)
}

// ParseRange reads a change-feed entity id: a single id (lo == hi) or a
// range written by RangeID. Followers re-read every row of the range: rows
// that exist are current, ids without a row were deleted.
func ParseRange(entity string) (lo, hi int64, ok bool) {
	a, b, isRange := strings.Cut(entity, "..")
	lo, err := strconv.ParseInt(a, 10, 64)
	if err != nil || lo <= 0 {
		return 0, 0, false
	}
	if !isRange {
		return lo, lo, true
	}
	hi, err = strconv.ParseInt(b, 10, 64)
	if err != nil || hi < lo {
		return 0, 0, false
	}
	return lo, hi, true
}
