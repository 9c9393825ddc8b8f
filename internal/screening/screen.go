package screening

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/names"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/records"
	"github.com/relais/relais/internal/storage"
)

// Item is one query of a batch as read: the query, or why it could not be read.
type Item struct {
	Query Query
	Err   *ItemError
}

// MaxBatch is the most queries one API call may carry.
const MaxBatch = 1000

// personCandidates is how many listed persons a name query reports at most.
const personCandidates = 10

// Scores of exact checks.
const (
	scoreExact        = 1.0  // number (and issuing country, when given) or VIN equal
	scoreNumberOnly   = 0.9  // number equal, the query gave no issuing country
	scoreOtherCountry = 0.5  // number equal, another issuing country: shown, not a match
	scoreBlankRange   = 0.95 // number inside a range of stolen blank documents
)

// Screen answers a batch of queries for an actor. Each query is answered on
// its own: a wrong query gets an error answer and the others are answered.
// Matches the actor's country may not see are left out. Every match flagged
// as such becomes a hit; the hits of a batch are written in one transaction
// with one audit entry, and a batch without hits leaves an audit entry of
// the read.
func (e *Engine) Screen(ctx context.Context, by policy.Actor, items []Item) ([]Answer, error) {
	if d := policy.Can(by, policy.ScreenQuery, policy.Resource{Kind: "screen"}); !d.Allowed {
		ev := audit.Event(ctx, by, policy.ScreenQuery, "screen", "")
		ev.Outcome, ev.Reason = audit.Denied, d.Reason
		if err := e.j.Record(ctx, ev); err != nil {
			return nil, err
		}
		return nil, fault.New(fault.Forbidden, "forbidden", "%s", d.Reason)
	}
	answers := make([]Answer, len(items))
	e.answerAll(by, items, answers)
	if err := e.recordHits(ctx, by, items, answers); err != nil {
		return nil, err
	}
	return answers, nil
}

// answerAll answers the items on every core when they hold name searches:
// a 400-passenger manifest is as many independent name searches, and the
// border post waits for all. Exact checks take about a microsecond each, so
// a batch of them is answered on the request's own goroutine: helpers
// would cost more than they save, and the batch would wait for the
// slowest of them to be scheduled.
func (e *Engine) answerAll(by policy.Actor, items []Item, answers []Answer) {
	searches := 0
	for i := range items {
		if q := &items[i].Query; items[i].Err == nil && (q.Name != "" || len(q.MRZ) > 0) {
			searches++
		}
	}
	workers := min(runtime.GOMAXPROCS(0), (searches+parallelFrom-1)/parallelFrom)
	if workers <= 1 {
		for i := range items {
			answers[i] = e.answer(by, &items[i])
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(items) {
					return
				}
				answers[i] = e.answer(by, &items[i])
			}
		})
	}
	wg.Wait()
}

// parallelFrom is the number of name searches from which a second core
// helps more than starting it costs.
const parallelFrom = 4

func (e *Engine) answer(by policy.Actor, it *Item) Answer {
	a := Answer{QID: it.Query.QID}
	if it.Err != nil {
		a.Error = it.Err
		return a
	}
	c, ierr := check(&it.Query)
	if ierr != nil {
		a.Error = ierr
		return a
	}
	a.MRZ = c.mrz
	if c.number != "" {
		a.Matches = e.documentMatches(by, c.country, c.number, a.Matches)
	}
	if c.vin != "" {
		a.Matches = e.vehicleMatches(by, c.vin, a.Matches)
	}
	if c.person != nil {
		a.Matches = e.personMatches(by, c.person, a.Matches)
	}
	return a
}

// CheckDocument answers whether a document is listed, for in-process
// callers (the benchmark): the number of visible matches.
func (e *Engine) CheckDocument(by policy.Actor, country, number string) int {
	return len(e.documentMatches(by, records.NormalizeCountry(country), records.NormalizeDocumentNumber(number), nil))
}

func (e *Engine) documentMatches(by policy.Actor, country, number string, out []Match) []Match {
	x := e.docs
	type found struct {
		ord   uint32
		score float64
		why   string
	}
	var fs []found
	x.mu.RLock()
	if country != "" {
		x.lookup(0, docKey(country, number), func(o uint32) { fs = append(fs, found{o, scoreExact, ""}) })
		x.lookup(1, numberKey(number), func(o uint32) {
			for _, f := range fs {
				if f.ord == o {
					return
				}
			}
			fs = append(fs, found{o, scoreOtherCountry, "same number, another issuing country"})
		})
	} else {
		x.lookup(1, numberKey(number), func(o uint32) { fs = append(fs, found{o, scoreNumberOnly, "number equal; no issuing country given"}) })
	}
	type hit struct {
		id    int64
		meta  uint32
		score float64
		why   string
	}
	hits := make([]hit, 0, len(fs))
	for _, f := range fs {
		hits = append(hits, hit{x.ids[f.ord], x.meta[f.ord], f.score, f.why})
	}
	x.mu.RUnlock()
	if country != "" {
		e.blanks.find(country, number, func(r blankRange) {
			hits = append(hits, hit{r.id, r.meta, scoreBlankRange, "inside a range of stolen blank documents"})
		})
	}
	for _, h := range hits {
		owner := owners[metaOwner(h.meta)]
		id := strconv.FormatInt(h.id, 10)
		if !visible(by, policy.RecordRead, records.ChangeTravelDocument, id, owner, e.aud.get(metaAudience(h.meta))) {
			continue
		}
		out = append(out, Match{ID: id, Score: h.score, Match: h.score >= scoreNumberOnly, Kind: records.ChangeTravelDocument,
			Owner: owner, Status: statuses[metaStatus(h.meta)], DocumentType: docTypes[metaType(h.meta)], Why: h.why})
	}
	return out
}

func (e *Engine) vehicleMatches(by policy.Actor, vin string, out []Match) []Match {
	x := e.vins
	var ids []int64
	var metas []uint32
	x.mu.RLock()
	x.lookup(0, numberKey(vin), func(o uint32) { ids, metas = append(ids, x.ids[o]), append(metas, x.meta[o]) })
	x.mu.RUnlock()
	for i, id := range ids {
		owner := owners[metaOwner(metas[i])]
		sid := strconv.FormatInt(id, 10)
		if visible(by, policy.RecordRead, records.ChangeVehicle, sid, owner, e.aud.get(metaAudience(metas[i]))) {
			out = append(out, Match{ID: sid, Score: scoreExact, Match: true, Kind: records.ChangeVehicle, Owner: owner, Status: "stolen"})
		}
	}
	return out
}

// personMatches answers a name query with the listed persons the asker
// may see: the others are left out before the search ranks and cuts its
// result, so that they take no visible person's place. The search asks by
// group (kind, owner, audience), once each; the persons answered are
// checked again by themselves, as they may have changed meanwhile.
func (e *Engine) personMatches(by policy.Actor, q *names.Query, out []Match) []Match {
	decided := map[uint32]bool{}
	mayShow := func(g uint32) bool {
		show, ok := decided[g]
		if !ok {
			e.pmu.RLock()
			pg := e.groups[g]
			e.pmu.RUnlock()
			src := e.sources[pg.kind]
			show = src != nil && visible(by, src.ReadAction(), pg.kind, "", pg.owner, e.aud.get(pg.audience))
			decided[g] = show
		}
		return show
	}
	for _, h := range e.people.SearchAmong(*q, personCandidates, mayShow) {
		e.pmu.RLock()
		lp := e.listed[h.ID]
		e.pmu.RUnlock()
		if lp == nil {
			continue // removed since the search
		}
		src := e.sources[lp.Kind]
		if src == nil || !visible(by, src.ReadAction(), lp.Kind, lp.ID, lp.Owner, lp.Audience) {
			continue // changed since the search
		}
		ex := h.Result.Explanation
		out = append(out, Match{ID: lp.ID, Score: h.Result.Score, Match: h.Result.Match, Kind: lp.Kind,
			Owner: lp.Owner, Name: lp.Person.Name, Explanation: &ex})
	}
	return out
}

// recordHits writes a hit for every match of the batch in one transaction.
func (e *Engine) recordHits(ctx context.Context, by policy.Actor, items []Item, answers []Answer) error {
	type ref struct{ a, m int }
	var refs []ref
	matches := 0
	for i := range answers {
		for j, m := range answers[i].Matches {
			matches++
			if m.Match {
				refs = append(refs, ref{i, j})
			}
		}
	}
	ev := audit.Event(ctx, by, policy.ScreenQuery, "screen", "")
	ev.Detail = fmt.Sprintf("queries=%d matches=%d hits=%d", len(items), matches, len(refs))
	if len(refs) == 0 {
		e.j.RecordRead(ev)
		return nil
	}
	origin := audit.OriginOf(ctx)
	now := storage.Now()
	hits := make([]hitRow, len(refs))
	for k, r := range refs {
		q, _ := json.Marshal(items[r.a].Query) // a decoded Query always encodes
		hits[k] = hitRow{qid: answers[r.a].QID, query: string(q), m: &answers[r.a].Matches[r.m]}
	}
	return e.j.Write(ctx, ev, func(tx *journal.Tx) error {
		hitIDs := make([]string, len(hits))
		for start := 0; start < len(hits); start += hitRowsPerInsert {
			chunk := hits[start:min(start+hitRowsPerInsert, len(hits))]
			if err := insertHits(ctx, tx, now, by, origin, chunk); err != nil {
				return err
			}
			for k, h := range chunk {
				sid := strconv.FormatInt(h.m.HitID, 10)
				hitIDs[start+k] = sid
				tx.Changed("hit", sid, changefeed.Insert)
			}
		}
		tx.Entry.Detail += " ids=" + strings.Join(hitIDs, ",")
		return nil
	})
}

// hitRow is a match to record as a hit, with the query that found it.
type hitRow struct {
	qid, query string
	m          *Match
}

// hitRowsPerInsert keeps an insert of hits (11 parameters a row) well under
// SQLite's 32,766 parameters per statement.
const hitRowsPerInsert = 1000

// insertHits writes hits in one statement, a manifest's hits costing one
// round trip instead of one each, and sets each match's HitID.
func insertHits(ctx context.Context, tx *journal.Tx, now time.Time, by policy.Actor, origin audit.Origin, hits []hitRow) error {
	var q strings.Builder
	q.WriteString(`INSERT INTO hits (at, asker, asker_org, client_addr, request_id, qid, query,
		record_kind, record_id, record_owner, score, status) VALUES `)
	args := make([]any, 0, len(hits)*11)
	for k, h := range hits {
		if k > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new')")
		args = append(args, now, by.Username, by.Org, origin.ClientAddr, origin.RequestID, h.qid, h.query,
			h.m.Kind, h.m.ID, h.m.Owner, h.m.Score)
	}
	q.WriteString(" RETURNING id")
	rows, err := tx.Query(ctx, q.String(), args...)
	if err != nil {
		return fmt.Errorf("record %d hits: %w", len(hits), err)
	}
	defer rows.Close()
	ids := make([]int64, 0, len(hits))
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("read the id of a new hit: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("record %d hits: %w", len(hits), err)
	}
	if len(ids) != len(hits) {
		return fmt.Errorf("record %d hits: %d ids returned", len(hits), len(ids))
	}
	// The rows take increasing ids in the order of the VALUES list (SQLite's
	// next rowid, PostgreSQL's identity sequence), but RETURNING gives them
	// in no promised order: sorted, they line up with the list.
	slices.Sort(ids)
	for k := range hits {
		hits[k].m.HitID = ids[k]
	}
	return nil
}
