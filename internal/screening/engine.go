// Package screening answers the questions a border officer asks: is this
// travel document reported stolen or lost, is this vehicle stolen, is this
// person listed? It keeps in-memory indexes built from the store at start
// and kept current from the change feed, filters what it finds by what the
// asking country may see, and records every match as a hit that the
// record's owner and the asker both see.
package screening

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/names"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/records"
	"github.com/relais/relais/internal/storage"
)

// ListedPerson is a person screening looks for, from any source: a person
// record, or (from the notices domain) a person in a published notice.
type ListedPerson struct {
	Kind     string // change-feed kind of the source, e.g. "person", "notice"
	ID       string
	Owner    string
	Audience policy.Audience
	Person   names.Person // the name, aliases, birth date, nationality and sex to match
}

// PersonSource supplies listed persons of one change-feed kind. The person
// records are one source; another domain adds its own with AddPersonSource.
type PersonSource interface {
	// Kind is the change-feed kind of the source's entities.
	Kind() string
	// ReadAction is the policy action that an asker needs on a person for
	// it to be shown: matches the asker may not read are left out.
	ReadAction() policy.Action
	// All calls fn with every person of the source.
	All(ctx context.Context, fn func(ListedPerson) error) error
	// Get returns the current person of an entity; ok is false when the
	// entity is gone or no longer screened.
	Get(ctx context.Context, id string) (p ListedPerson, ok bool, err error)
}

// Engine holds the indexes and answers screening queries.
type Engine struct {
	j     *journal.Journal
	store *storage.Store
	log   *slog.Logger

	docs   *exactIndex // keys: (issuing country, number), number
	vins   *exactIndex // key: VIN
	blanks *blankIndex
	aud    *audienceTable

	people *names.Index
	pmu    sync.RWMutex
	listed map[string]*ListedPerson // by personKey
	// groups are the distinct (kind, owner, audience) of listed persons:
	// who may see a person depends on nothing else, so a name search asks
	// the policy once per group, not once per candidate
	groups  []personGroup
	groupOf map[personGroup]uint32
	sources map[string]PersonSource
	// kinds are the change-feed kinds apply acts on; Sync waits for no other
	kinds []string

	applied atomic.Int64 // change-feed sequence number the indexes reflect
	// advanced is closed (and replaced) each time applied moves on, so that
	// Sync wakes the moment the indexes catch up
	advancedMu sync.Mutex
	advanced   chan struct{}
	ready      chan struct{}
	once       sync.Once
	run        runner
}

// New returns an engine with empty indexes over the journal's store, with
// the person records as its first person source.
func New(j *journal.Journal, logger *slog.Logger) *Engine {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	e := &Engine{
		j: j, store: j.Store(), log: logger,
		docs: newExactIndex(2), vins: newExactIndex(1), blanks: newBlankIndex(), aud: newAudienceTable(),
		people: names.NewIndex(), listed: map[string]*ListedPerson{}, groupOf: map[personGroup]uint32{}, sources: map[string]PersonSource{},
		kinds: []string{records.ChangeTravelDocument, records.ChangeVehicle},
		ready: make(chan struct{}),
	}
	e.AddPersonSource(recordPersons{store: e.store})
	return e
}

// AddPersonSource adds a source of listed persons. Call it before Load.
func (e *Engine) AddPersonSource(src PersonSource) {
	if _, ok := e.sources[src.Kind()]; !ok {
		e.kinds = append(e.kinds, src.Kind())
	}
	e.sources[src.Kind()] = src
}

// Ready is closed once the indexes are loaded.
func (e *Engine) Ready() <-chan struct{} { return e.ready }

// loadChunk is the id range one loader reads at a time.
const loadChunk = 1 << 20

// Load builds every index from the store, the kinds in parallel and large
// tables in parallel id ranges, and returns the change-feed position the
// indexes reflect.
func (e *Engine) Load(ctx context.Context) (int64, error) {
	start := time.Now()
	// Changes committed while loading are applied again afterwards, which is
	// harmless: applying a change re-reads the entity's current state.
	seq, err := e.j.Feed().Latest(ctx)
	if err != nil {
		return 0, fmt.Errorf("read change-feed position: %w", err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	wg.Go(func() { errs[0] = e.loadDocuments(ctx) })
	wg.Go(func() { errs[1] = e.loadVehicles(ctx) })
	wg.Go(func() { errs[2] = e.loadPersons(ctx) })
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return 0, err
	}
	e.advance(seq)
	e.once.Do(func() { close(e.ready) })
	e.log.Info("screening indexes loaded", "documents", e.docs.live(), "vehicles", e.vins.live(),
		"persons", e.people.Len(), "took", time.Since(start).Round(time.Millisecond))
	return seq, nil
}

// loadRanges reads ids 1..max in chunks with two readers and returns the
// entries in id order.
func loadRanges(ctx context.Context, maxID int64, read func(ctx context.Context, lo, hi int64, out *[]exactEntry) error) ([]exactEntry, error) {
	n := int((maxID + loadChunk - 1) / loadChunk)
	parts := make([][]exactEntry, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for w := range 2 {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(n) || ctx.Err() != nil {
					return
				}
				if err := read(ctx, i*loadChunk+1, (i+1)*loadChunk, &parts[i]); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	out := make([]exactEntry, 0, total)
	for i, p := range parts {
		out = append(out, p...)
		parts[i] = nil
	}
	return out, nil
}

func (e *Engine) loadDocuments(ctx context.Context) error {
	maxID, err := records.MaxID(ctx, e.store, records.TravelDocuments)
	if err != nil {
		return err
	}
	var bmu sync.Mutex
	var blanks []records.DocumentRow
	entries, err := loadRanges(ctx, maxID, func(ctx context.Context, lo, hi int64, out *[]exactEntry) error {
		return records.EachDocument(ctx, e.store, lo, hi, func(d *records.DocumentRow) error {
			*out = append(*out, e.docEntry(d))
			if d.SerialFrom != "" {
				bmu.Lock()
				blanks = append(blanks, *d)
				bmu.Unlock()
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	e.docs.load(entries)
	for i := range blanks {
		e.blanks.put(&blanks[i], e.docEntry(&blanks[i]).meta)
	}
	return nil
}

func (e *Engine) docEntry(d *records.DocumentRow) exactEntry {
	return exactEntry{
		id:   d.ID,
		meta: packMeta(ownerCode[d.Owner], code(statuses, d.Status), code(docTypes, d.Type), e.aud.code(d.Audience)),
		keys: [2]uint64{docKey(d.IssuingCountry, d.Number), numberKey(d.Number)},
	}
}

func (e *Engine) loadVehicles(ctx context.Context) error {
	maxID, err := records.MaxID(ctx, e.store, records.Vehicles)
	if err != nil {
		return err
	}
	entries, err := loadRanges(ctx, maxID, func(ctx context.Context, lo, hi int64, out *[]exactEntry) error {
		return records.EachVehicle(ctx, e.store, lo, hi, func(v *records.VehicleRow) error {
			*out = append(*out, e.vinEntry(v))
			return nil
		})
	})
	if err != nil {
		return err
	}
	e.vins.load(entries)
	return nil
}

func (e *Engine) vinEntry(v *records.VehicleRow) exactEntry {
	return exactEntry{id: v.ID, meta: packMeta(ownerCode[v.Owner], 0, 0, e.aud.code(v.Audience)), keys: [2]uint64{numberKey(v.VIN)}}
}

// loadPersons reads every source; preparing names (transliteration,
// phonetic keys) is the costly part, so it runs on every core.
func (e *Engine) loadPersons(ctx context.Context) error {
	for _, src := range e.sources {
		in := make(chan ListedPerson, 1024)
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				for lp := range in {
					e.putPerson(lp)
				}
			})
		}
		err := src.All(ctx, func(lp ListedPerson) error {
			select {
			case in <- lp:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		close(in)
		wg.Wait()
		if err != nil {
			return fmt.Errorf("load %s persons: %w", src.Kind(), err)
		}
	}
	return nil
}

// personKey names a listed person across sources in the name index.
func personKey(kind, id string) string { return kind + "\x00" + id }

// personGroup is who may see a listed person: its kind, owner and
// audience (numbered by the audience table, as for documents).
type personGroup struct {
	kind, owner string
	audience    uint32
}

func (e *Engine) putPerson(lp ListedPerson) {
	key := personKey(lp.Kind, lp.ID)
	p := lp.Person
	p.ID = key
	pg := personGroup{lp.Kind, lp.Owner, e.aud.code(lp.Audience)}
	e.pmu.Lock()
	e.listed[key] = &lp
	g, ok := e.groupOf[pg]
	if !ok {
		g = uint32(len(e.groups))
		e.groups = append(e.groups, pg)
		e.groupOf[pg] = g
	}
	e.pmu.Unlock()
	p.Group = g
	e.people.Add(names.Prepare(p))
}

func (e *Engine) dropPerson(kind, id string) {
	key := personKey(kind, id)
	e.people.Remove(key)
	e.pmu.Lock()
	delete(e.listed, key)
	e.pmu.Unlock()
}

// Follow applies the change feed from seq on until ctx ends, compacting
// the exact indexes when their overlays grow.
func (e *Engine) Follow(ctx context.Context, seq int64) error {
	return e.j.Feed().Follow(ctx, seq, time.Second, func(batch []changefeed.Change) error {
		for _, c := range batch {
			if err := e.apply(ctx, c); err != nil {
				return err
			}
		}
		for _, x := range []*exactIndex{e.docs, e.vins} {
			if x.needsCompaction() {
				x.compact()
			}
		}
		e.advance(batch[len(batch)-1].Seq)
		return nil
	})
}

// apply brings the indexes up to date with one change by re-reading the
// entity (or range of entities) it names.
func (e *Engine) apply(ctx context.Context, c changefeed.Change) error {
	switch c.Kind {
	case records.ChangeTravelDocument:
		lo, hi, ok := records.ParseRange(c.EntityID)
		if !ok {
			return nil
		}
		seen := map[int64]bool{}
		err := records.EachDocument(ctx, e.store, lo, hi, func(d *records.DocumentRow) error {
			seen[d.ID] = true
			en := e.docEntry(d)
			e.docs.upsert(en)
			e.blanks.drop(d.ID)
			if d.SerialFrom != "" {
				e.blanks.put(d, en.meta)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for id := lo; id <= hi; id++ {
			if !seen[id] {
				e.docs.remove(id)
				e.blanks.drop(id)
			}
		}
	case records.ChangeVehicle:
		lo, hi, ok := records.ParseRange(c.EntityID)
		if !ok {
			return nil
		}
		seen := map[int64]bool{}
		err := records.EachVehicle(ctx, e.store, lo, hi, func(v *records.VehicleRow) error {
			seen[v.ID] = true
			e.vins.upsert(e.vinEntry(v))
			return nil
		})
		if err != nil {
			return err
		}
		for id := lo; id <= hi; id++ {
			if !seen[id] {
				e.vins.remove(id)
			}
		}
	default:
		src, ok := e.sources[c.Kind]
		if !ok {
			return nil
		}
		lp, ok, err := src.Get(ctx, c.EntityID)
		if err != nil {
			return err
		}
		if ok {
			e.putPerson(lp)
		} else {
			e.dropPerson(c.Kind, c.EntityID)
		}
	}
	return nil
}

// Sync waits until the indexes reflect every change committed before the
// call (on any node sharing the store), so that a record entered a moment
// ago is found. It waits only for the kinds of change the indexes apply:
// the hits other requests write, for one, would otherwise make every
// request wait for the follower to read them.
func (e *Engine) Sync(ctx context.Context) error {
	select {
	case <-e.ready:
	case <-ctx.Done():
		return ctx.Err()
	}
	latest, err := e.j.Feed().LatestOf(ctx, e.applied.Load(), e.kinds)
	if err != nil {
		return fmt.Errorf("read change-feed position: %w", err)
	}
	for {
		wake := e.advancedChan()
		if e.applied.Load() >= latest {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		}
	}
}

// advance records that the indexes reflect the change feed up to seq.
func (e *Engine) advance(seq int64) {
	e.applied.Store(seq)
	e.advancedMu.Lock()
	if e.advanced != nil {
		close(e.advanced)
		e.advanced = nil
	}
	e.advancedMu.Unlock()
}

// advancedChan is closed at the next advance.
func (e *Engine) advancedChan() <-chan struct{} {
	e.advancedMu.Lock()
	defer e.advancedMu.Unlock()
	if e.advanced == nil {
		e.advanced = make(chan struct{})
	}
	return e.advanced
}

func afterRetry() <-chan time.Time { return time.After(5 * time.Second) }

// Stats are the sizes of the indexes.
type Stats struct {
	Documents     int   `json:"documents"`
	DocumentBytes int64 `json:"document_bytes"`
	Vehicles      int   `json:"vehicles"`
	Persons       int   `json:"persons"`
}

// Stats measures the indexes.
func (e *Engine) Stats() Stats {
	return Stats{Documents: e.docs.live(), DocumentBytes: e.docs.bytes(), Vehicles: e.vins.live(), Persons: e.people.Len()}
}

// recordPersons is the person records as a person source.
type recordPersons struct{ store *storage.Store }

func (recordPersons) Kind() string              { return records.ChangePerson }
func (recordPersons) ReadAction() policy.Action { return policy.RecordRead }

func (s recordPersons) All(ctx context.Context, fn func(ListedPerson) error) error {
	return records.EachPerson(ctx, s.store, func(p records.PersonRow) error { return fn(listedRecord(p)) })
}

func (s recordPersons) Get(ctx context.Context, id string) (ListedPerson, bool, error) {
	p, ok, err := records.GetPerson(ctx, s.store, id)
	if !ok || err != nil {
		return ListedPerson{}, false, err
	}
	return listedRecord(p), true, nil
}

func listedRecord(p records.PersonRow) ListedPerson {
	return ListedPerson{Kind: records.ChangePerson, ID: p.ID, Owner: p.Owner, Audience: p.Audience,
		Person: names.Person{ID: p.ID, Name: p.Name, Aliases: p.Aliases, BirthDate: p.BirthDate, Nationality: p.Nationality, Sex: p.Sex}}
}

// blankIndex finds ranges of stolen blank documents by issuing country and
// serial letters. They are few, so a list per country and letters will do.
type blankIndex struct {
	mu     sync.RWMutex
	ranges map[string][]blankRange
}

type blankRange struct {
	lo, hi uint64
	id     int64
	meta   uint32
}

func newBlankIndex() *blankIndex { return &blankIndex{ranges: map[string][]blankRange{}} }

func (b *blankIndex) put(d *records.DocumentRow, meta uint32) {
	prefix, lo, hi, err := records.SerialRange(d.SerialFrom, d.SerialTo)
	if err != nil {
		return
	}
	b.mu.Lock()
	k := d.IssuingCountry + "\x00" + prefix
	b.ranges[k] = append(b.ranges[k], blankRange{lo: lo, hi: hi, id: d.ID, meta: meta})
	b.mu.Unlock()
}

func (b *blankIndex) drop(id int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for k, rs := range b.ranges {
		for i, r := range rs {
			if r.id == id {
				b.ranges[k] = append(rs[:i:i], rs[i+1:]...)
				if len(b.ranges[k]) == 0 {
					delete(b.ranges, k)
				}
				return
			}
		}
	}
}

// find calls fn with the ranges of country that hold number.
func (b *blankIndex) find(country, number string, fn func(blankRange)) {
	i := len(number)
	for i > 0 && number[i-1] >= '0' && number[i-1] <= '9' {
		i--
	}
	if i == len(number) || len(number)-i > 18 {
		return
	}
	n, err := strconv.ParseUint(number[i:], 10, 64)
	if err != nil {
		return
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	if len(b.ranges) == 0 {
		return
	}
	for _, r := range b.ranges[country+"\x00"+number[:i]] {
		if n >= r.lo && n <= r.hi {
			fn(r)
		}
	}
}
