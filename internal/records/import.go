package records

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
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
	// OnBatch is told the records imported so far after each committed
	// batch.
	OnBatch func(imported int64)
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
	n           int   // records
	failed      int64 // lines of the range that failed to parse

	// Persons, whose ids are their owner's references: the records and the
	// line of each.
	recs  []Record
	lines []int64

	// Kinds with numeric ids: the records as the writer binds them, in the
	// order of their indexed key (see add and seal).
	shared [len(headColumns)]bool // head columns whose value every record has
	common []any                  // the values of the shared columns
	values []any                  // the other columns, record after record

	// What add keeps for seal: the head and the kind's values of each record
	// in the order read, and the key each is sorted by.
	heads [][recordHead]string
	own   []any
	keys  []sortKey
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
		return res, s.refuse(ctx, by, policy.RecordImport, sp.change, "", d)
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
	now := s.now()
	go func() {
		defer close(batches)
		lines, skipped, readErr = s.readBatches(ctx, r, opt, owner, resumeAfter, now, batches)
	}()
	for b := range batches {
		if err := s.writeBatch(ctx, by, sp, owner, opt, b, &res); err != nil {
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

// readBatches reads and parses lines and sends them in batches, their
// records complete but for their ids: created and updated now, reviewed on
// the date the line gives or by default.
func (s *Service) readBatches(ctx context.Context, r io.Reader, opt ImportOptions, owner string, resumeAfter int64, now time.Time, out chan<- *batch) (lines, skipped int64, err error) {
	p := NewLineParser(opt.Kind, opt.Format, owner, opt.Audience)
	// One string for the default review date: records that share it are
	// written with it bound once per statement (see appendNumbered).
	defaultReview, _ := reviewDate("review_on", "", now)
	br := bufio.NewReaderSize(r, 1<<20)
	cur := &batch{first: resumeAfter + 1}
	sp := specs[opt.Kind]
	send := func() bool {
		next := &batch{first: lines + 1}
		cur.seal(sp, now, next)
		select {
		case out <- cur:
			cur = next
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
			if perr == nil && rec != nil {
				h := rec.Header()
				if h.ReviewOn == "" {
					h.ReviewOn = defaultReview
				} else {
					h.ReviewOn, perr = reviewDate("review_on", h.ReviewOn, now)
				}
				h.CreatedAt, h.UpdatedAt = now, now
			}
			if perr != nil {
				report(lines, perr)
			} else if rec != nil {
				cur.add(sp, rec, lines)
			}
		}
		cur.last = lines
		if cur.n >= opt.BatchSize && !send() {
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
		var lo, hi int64
		switch {
		case b.n == 0:
		case sp.intID:
			// the database numbers the records: the batch gets one range
			numbered := appendNumbered
			if tx.Engine() == storage.Postgres {
				numbered = copyNumbered
			}
			var err error
			if lo, hi, err = numbered(ctx, tx.Tx, sp, b); err != nil {
				return err
			}
			imported = int64(b.n)
		default:
			// persons keep their reference: an existing one is reported
			ids, err := insertRows(ctx, tx.Tx, sp, b.recs, true)
			if err != nil {
				return err
			}
			for i, id := range ids {
				if id == "" {
					dups = append(dups, LineError{Line: b.lines[i], Code: "duplicate_id", Field: "id",
						Message: fmt.Sprintf("a person with reference %s exists already", b.recs[i].Header().ID)})
					continue
				}
				imported++
				b.recs[i].Header().ID = id
				tx.Changed(sp.change, id, changefeed.Insert)
			}
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
	if opt.OnBatch != nil {
		opt.OnBatch(res.Imported)
	}
	return nil
}

// rowsPerStatement is the rows of one INSERT of an import on SQLite, far
// from its limit of 32,766 parameters per statement. Preparing a statement
// costs about as much per row as running it, and the full statement and the
// shorter last one are prepared once per batch: short statements waste
// little on preparing, and running one costs little besides its rows.
const rowsPerStatement = 256

// appendNumbered inserts the records of a batch of a kind whose ids the
// database assigns, on SQLite, and returns the range of ids they got. The
// transaction holds the write lock and SQLite gives a row without an id the
// largest id plus one, so the batch gets the ids after the largest one, in
// order, as one range, without a RETURNING clause and without looking each
// id up. Records are written in the order they come in (seal put them
// in the order of their indexed key), in statements of rowsPerStatement
// rows, each statement prepared once per batch.
// Binding a value costs more than SQLite's storing it, so the head columns
// that every record shares (see seal) are bound once per statement as
// numbered parameters that every row names. They come first so that they
// are ?1 to ?k and the plain ? of the other columns are numbered after
// them. Plain ? elsewhere: SQLite looks numbered ones up in a list, which
// makes preparing a statement of 30,000 of them quadratic.
// INSERT OR ROLLBACK undoes the whole transaction on a broken constraint,
// which the journal would do anyway; it lets SQLite skip the statement
// journal that a multi-row statement that may stop halfway needs.
func appendNumbered(ctx context.Context, tx *storage.Tx, sp *spec, b *batch) (lo, hi int64, err error) {
	var last int64
	if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM "+sp.table).Scan(&last); err != nil {
		return 0, 0, fmt.Errorf("read the last id of %s: %w", sp.table, err)
	}
	// The table's one CHECK, on audience_mode, costs SQLite a temporary
	// table of the allowed values built again for every row, more than the
	// rest of the row's checks; normalizeAudience has checked every record's
	// audience against the same values. Statements prepared while the pragma
	// is on, this batch's inserts and no others, leave the check out.
	if err := tx.IgnoreChecks(ctx); err != nil {
		return 0, 0, fmt.Errorf("insert %s: %w", sp.table, err)
	}
	defer func() {
		if rerr := tx.EnforceChecks(context.WithoutCancel(ctx)); rerr != nil && err == nil {
			err = fmt.Errorf("insert %s: %w", sp.table, rerr)
		}
	}()
	sharedCols, rowCols := b.columns(sp)
	var row strings.Builder
	row.WriteString("(")
	for i := range sharedCols {
		fmt.Fprintf(&row, "?%d, ", i+1)
	}
	row.WriteString(strings.TrimSuffix(strings.Repeat("?, ", len(rowCols)), ", ") + ")")
	cols := strings.Join(append(sharedCols, rowCols...), ", ")
	statement := func(rows int) string {
		return "INSERT OR ROLLBACK INTO " + sp.table + " (" + cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(row.String()+", ", rows), ", ")
	}
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	w := len(rowCols)
	args := make([]any, 0, len(b.common)+rowsPerStatement*w)
	for start := 0; start < b.n; start += rowsPerStatement {
		end := min(start+rowsPerStatement, b.n)
		args = append(append(args[:0], b.common...), b.values[start*w:end*w]...)
		if end-start < rowsPerStatement {
			if _, err := tx.Exec(ctx, statement(end-start), args...); err != nil {
				return 0, 0, fmt.Errorf("insert %s: %w", sp.table, err)
			}
			continue
		}
		if full == nil {
			if full, err = tx.Prepare(ctx, statement(rowsPerStatement)); err != nil {
				return 0, 0, fmt.Errorf("prepare the insert into %s: %w", sp.table, err)
			}
		}
		if _, err := full.ExecContext(ctx, args...); err != nil {
			return 0, 0, fmt.Errorf("insert %s: %w", sp.table, err)
		}
	}
	hi = last + int64(b.n)
	var got int64
	if err := tx.QueryRow(ctx, "SELECT MAX(id) FROM "+sp.table).Scan(&got); err != nil {
		return 0, 0, fmt.Errorf("read the last id of %s: %w", sp.table, err)
	}
	if got != hi {
		return 0, 0, fmt.Errorf("insert %s: the new rows have ids up to %d, not %d to %d", sp.table, got, last+1, hi)
	}
	return last + 1, hi, nil
}

// copyNumbered writes the records of a batch of a kind with numeric ids on
// PostgreSQL, with COPY, and returns the range of ids they got. The ids are
// taken from the table's sequence first, in order, so that the batch is one
// range. Another writer's ids may fall inside it: followers re-read the
// whole range and find those rows current (see ParseRange).
func copyNumbered(ctx context.Context, tx *storage.Tx, sp *spec, b *batch) (lo, hi int64, err error) {
	rows, err := tx.Query(ctx, "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)", sp.table, b.n)
	if err != nil {
		return 0, 0, fmt.Errorf("take ids for %s: %w", sp.table, err)
	}
	ids := make([]int64, 0, b.n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("take ids for %s: %w", sp.table, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("take ids for %s: %w", sp.table, err)
	}
	if len(ids) != b.n {
		return 0, 0, fmt.Errorf("take ids for %s: got %d of %d", sp.table, len(ids), b.n)
	}
	sharedCols, rowCols := b.columns(sp)
	cols := append(append([]string{"id"}, sharedCols...), rowCols...)
	row := append(append([]any{nil}, b.common...), make([]any, len(rowCols))...)
	w := len(rowCols)
	err = tx.CopyFrom(ctx, sp.table, cols, b.n, func(i int) []any {
		row[0] = ids[i]
		copy(row[1+len(b.common):], b.values[i*w:(i+1)*w])
		return row
	})
	if err != nil {
		return 0, 0, err
	}
	return ids[0], ids[len(ids)-1], nil
}

// headColumns are the columns of every kind's table that hold the head of a
// record.
var headColumns = [...]string{"owner", "audience_mode", "audience_countries", "review_on", "created_at", "updated_at"}

// columns names the columns of the batch's common values, then those of
// each record's values.
func (b *batch) columns(sp *spec) (shared, each []string) {
	for c, name := range headColumns {
		if b.shared[c] {
			shared = append(shared, name)
		} else {
			each = append(each, name)
		}
	}
	return shared, append(each, sp.cols...)
}

// recordHead is how many of the head columns, the first ones, take their
// values from each record; the times after them are the import's.
const recordHead = 4

// add takes a parsed record into the batch. A record of a kind with numeric
// ids is kept as the values the writer binds, not as a record: the reader
// reads it in the order it was made, and it is garbage at once.
func (b *batch) add(sp *spec, rec Record, line int64) {
	b.n++
	if !sp.intID {
		b.recs = append(b.recs, rec)
		b.lines = append(b.lines, line)
		return
	}
	h := rec.Header()
	head := [recordHead]string{h.Owner, string(h.Audience.Mode), joinCountries(h.Audience.Countries), h.ReviewOn}
	if b.n == 1 {
		for c := range b.shared {
			b.shared[c] = true
		}
	}
	for c, v := range head {
		b.shared[c] = b.shared[c] && (b.n == 1 || v == b.heads[0][c])
	}
	b.heads = append(b.heads, head)
	for _, v := range rec.values() {
		b.own = append(b.own, bindable(v))
	}
	if key := indexKey(rec); key != "" {
		b.keys = append(b.keys, newSortKey(key, len(b.keys)))
	}
}

// seal lays out what add kept, as the writer binds it: once the head
// columns that every record shares, then the other columns record after
// record, in the order of the records' indexed key, so that the table's
// index is updated leaf after leaf rather than at random pages. It runs in
// the reader, alongside the writing of the batch before. The reader
// created every record now. What add kept goes to the next batch to fill
// again, rather than grow from nothing.
func (b *batch) seal(sp *spec, now time.Time, next *batch) {
	defer func() {
		next.heads, next.own, next.keys = b.heads[:0], b.own[:0], b.keys[:0]
		b.heads, b.own, b.keys = nil, nil, nil
	}()
	if !sp.intID || b.n == 0 {
		return
	}
	for c, v := range b.heads[0] {
		if b.shared[c] {
			b.common = append(b.common, v)
		}
	}
	at := any(now)
	for c := recordHead; c < len(headColumns); c++ {
		b.common = append(b.common, at) // created_at, updated_at
	}
	slices.SortFunc(b.keys, compareSortKeys)
	w := len(sp.cols)
	b.values = make([]any, 0, b.n*(len(headColumns)-len(b.common)+w))
	for k := range b.n {
		i := k
		if len(b.keys) == b.n {
			i = b.keys[k].index
		}
		for c, v := range b.heads[i] {
			if !b.shared[c] {
				b.values = append(b.values, v)
			}
		}
		for _, v := range b.own[i*w : (i+1)*w] {
			// A copy made now lies in memory in the order the writer reads
			// it; the text the line was parsed into lies in the order of
			// the file, and the writer would wait for memory at every value.
			if s, ok := v.(string); ok {
				v = strings.Clone(s)
			}
			b.values = append(b.values, v)
		}
	}
}

// sortKey orders records by a key without reading the key for most
// comparisons: its first eight bytes, as a number, decide unless equal.
type sortKey struct {
	prefix uint64
	key    string
	index  int
}

func newSortKey(key string, index int) sortKey {
	var b [8]byte
	copy(b[:], key)
	return sortKey{binary.BigEndian.Uint64(b[:]), key, index}
}

func compareSortKeys(x, y sortKey) int {
	if c := cmp.Compare(x.prefix, y.prefix); c != 0 {
		return c
	}
	return strings.Compare(x.key, y.key)
}

// bindable is v as a database driver takes it: an optional text is the
// text or NULL. database/sql would find that out by reflection on every
// bind.
func bindable(v any) any {
	if p, ok := v.(*string); ok {
		if p == nil {
			return nil
		}
		return *p
	}
	return v
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
