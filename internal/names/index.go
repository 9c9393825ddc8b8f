package names

import (
	"cmp"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Index limits.
const (
	// maxScored caps the candidates fully compared per search.
	maxScored = 200
	// searchFloor is the lowest score a search returns.
	searchFloor = 0.5
	maxSlots    = 63
	birthBit    = uint64(1) << 63
	// maxSources bounds the posting sources of one search (one bit each).
	maxSources = 64
)

// Index finds the persons that may bear a queried name without comparing
// the query with the whole list.
//
// It has two levels. The lexicon holds each distinct name part (a spelling
// with its alternatives and variant groups, or two short parts written
// joined) once, reachable by lookup keys: phonetic key, consonant skeleton,
// variant group, typo deletion keys. Each lexicon entry lists the persons
// whose name has that part. A query part first finds its similar lexicon
// entries (a few dozen, each compared with the part), then the persons of
// those entries; a person is a candidate when at least two query parts (or
// one part and the exact birth date) find it. Persons keep the list of their
// entries, so that counting the parts a person agrees on needs no set of
// persons, only a small table of the entries the query found.
//
// It is safe for concurrent readers with a writer.
type Index struct {
	mu      sync.RWMutex
	persons []*Prepared // by ordinal; nil once removed or replaced
	cards   []card      // by ordinal, and one more whose from ends the last person's entries
	sids    []uint32    // each person's lexicon entries, concatenated
	byID    map[string]uint32

	lexicon map[string]uint32   // entry signature -> entry id
	entries []entry             // by entry id
	keys    map[uint64][]uint32 // lookup key -> entry ids
	born    map[uint64][]uint32 // full birth date -> ordinals
	lex     map[uint64]int32    // listed name-part spellings -> number of persons
	dead    int

	searches atomic.Int64
	scored   atomic.Int64
}

// card is what a search reads of every person it visits, kept together so
// that a visit costs one memory access before the person's entries.
type card struct {
	from  uint32 // start of the person's entries in sids
	birth uint32 // packed birth date, 0 when unknown; deadCard once removed
}

const deadCard = 1 << 31

// entry is one distinct name part of the lexicon.
type entry struct {
	tok     token   // a name part; unused for a joined pair
	merge   *merged // two short parts written joined, or nil
	arabic  bool    // seen in a name written in a consonantal script
	persons []uint32
	// the same persons by birth era, once the entry is common: a query
	// with a birth date walks only the eras it may match
	eras *[numEras][]uint32
}

// Birth eras: unknown, then four-year spans from 1880 (the last one open).
const (
	numEras   = 42
	eraFrom   = 256 // persons from which an entry keeps its eras
	eraYears  = 4
	eraOrigin = 1880
)

func eraOf(year int) int {
	if year <= 0 {
		return 0
	}
	return 1 + min(max((year-eraOrigin)/eraYears, 0), numEras-2)
}

// add lists a person under the entry.
func (e *entry) add(o uint32, cards []card) {
	e.persons = append(e.persons, o)
	switch {
	case e.eras != nil:
		era := eraOf(packedYear(cards[o].birth))
		e.eras[era] = append(e.eras[era], o)
	case len(e.persons) == eraFrom:
		e.eras = new([numEras][]uint32)
		for _, p := range e.persons {
			era := eraOf(packedYear(cards[p].birth &^ deadCard))
			e.eras[era] = append(e.eras[era], p)
		}
	}
}

// walk calls fn for the persons of the entry born in [from, to] or of
// unknown birth; from == 0 walks them all.
func (e *entry) walk(from, to int, fn func(o uint32)) {
	if from == 0 || e.eras == nil {
		for _, o := range e.persons {
			fn(o)
		}
		return
	}
	for _, o := range e.eras[0] {
		fn(o)
	}
	for era := eraOf(from); era <= eraOf(to); era++ {
		for _, o := range e.eras[era] {
			fn(o)
		}
	}
}

// count is the number of persons walk(from, to) visits.
func (e *entry) count(from, to int) int {
	if from == 0 || e.eras == nil {
		return len(e.persons)
	}
	n := len(e.eras[0])
	for era := eraOf(from); era <= eraOf(to); era++ {
		n += len(e.eras[era])
	}
	return n
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	ix := &Index{}
	ix.reset(0)
	return ix
}

func (ix *Index) reset(capacity int) {
	ix.persons = make([]*Prepared, 0, capacity)
	ix.cards = append(make([]card, 0, capacity+1), card{})
	ix.sids = nil
	ix.byID = make(map[string]uint32, capacity)
	ix.lexicon = make(map[string]uint32)
	ix.entries = nil
	ix.keys = make(map[uint64][]uint32)
	ix.born = make(map[uint64][]uint32)
	ix.lex = make(map[uint64]int32)
	ix.dead = 0
}

// Len is the number of persons in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.byID)
}

// Add indexes a prepared person, replacing any person with the same ID.
func (ix *Index) Add(p *Prepared) {
	if p == nil {
		return
	}
	parts := personParts(p)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if old, ok := ix.byID[p.ID]; ok {
		ix.dropLocked(old)
	}
	if len(ix.persons) >= 1<<32-2 {
		ix.compactLocked()
	}
	ix.addLocked(p, parts)
	ix.maybeCompactLocked()
}

// part is a lexicon entry of a person before it has an id.
type part struct {
	sig    string
	toks   []*token // the person's occurrences of the part
	merge  *merged
	arabic bool
}

// personParts lists the distinct indexed parts of all name forms of a
// person: ordinary parts and short adjacent parts joined.
func personParts(p *Prepared) []part {
	var out []part
	seen := map[string]int{}
	add := func(pt part) {
		if i, ok := seen[pt.sig]; ok {
			out[i].arabic = out[i].arabic || pt.arabic
			out[i].toks = append(out[i].toks, pt.toks...)
			return
		}
		seen[pt.sig] = len(out)
		out = append(out, pt)
	}
	for fi := range p.forms {
		f := &p.forms[fi]
		for ti := range f.tokens {
			t := &f.tokens[ti]
			if t.kind == kindNormal || t.kind == kindKunya {
				add(part{sig: tokenSignature(t), toks: []*token{t}, arabic: f.arabic})
			}
		}
		for mi := range f.merges {
			if m := &f.merges[mi]; shortMerge(f.tokens, m) {
				add(part{sig: "m|" + m.form, merge: m, arabic: f.arabic})
			}
		}
	}
	return out
}

// tokenSignature identifies a part by everything its lookup keys and its
// comparison depend on.
func tokenSignature(t *token) string {
	var b strings.Builder
	b.WriteByte('t')
	b.WriteByte('0' + t.kind)
	b.WriteString(strconv.Itoa(t.core))
	for _, f := range t.forms {
		b.WriteByte('|')
		b.WriteString(f)
	}
	b.WriteByte('#')
	for _, g := range t.groups {
		b.WriteString(strconv.Itoa(int(g)))
		b.WriteByte(',')
	}
	return b.String()
}

func (ix *Index) addLocked(p *Prepared, parts []part) {
	ord := uint32(len(ix.persons))
	ix.persons = append(ix.persons, p)
	ix.cards[ord].birth = packDate(p.birth)
	ix.byID[p.ID] = ord
	for _, pt := range parts {
		id, ok := ix.lexicon[pt.sig]
		if !ok {
			id = uint32(len(ix.entries))
			ix.lexicon[pt.sig] = id
			e := entry{arabic: pt.arabic}
			var keys []uint64
			if pt.merge != nil {
				m := *pt.merge
				e.merge = &m
				keys = mergedKeys(&m, nil)
			} else {
				e.tok = token{lexeme: pt.toks[0].lexeme, kind: pt.toks[0].kind}
				keys = tokenKeys(&e.tok, true, nil)
			}
			ix.entries = append(ix.entries, e)
			for _, k := range dedupeKeys(keys) {
				ix.keys[k] = append(ix.keys[k], id)
			}
		} else if pt.arabic {
			ix.entries[id].arabic = true
		}
		// persons with the same part share its spellings
		for _, t := range pt.toks {
			t.lexeme = ix.entries[id].tok.lexeme
		}
		ix.entries[id].add(ord, ix.cards)
		ix.sids = append(ix.sids, id)
	}
	ix.cards = append(ix.cards, card{from: uint32(len(ix.sids))})
	if p.birth.d != 0 {
		k := birthKey(p.birth)
		ix.born[k] = append(ix.born[k], ord)
	}
	for _, k := range lexKeys(p) {
		ix.lex[k]++
	}
}

func dedupeKeys(keys []uint64) []uint64 {
	slices.Sort(keys)
	return slices.Compact(keys)
}

// packDate packs a date in 21 bits; 0 is an unknown date.
func packDate(d date) uint32 {
	if d.y <= 0 || d.y > 4095 {
		return 0
	}
	return uint32(d.y)<<9 | uint32(d.m)<<5 | uint32(d.d)
}

func packedYear(v uint32) int { return int(v >> 9) }

// Remove drops the person with this ID, if any.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if old, ok := ix.byID[id]; ok {
		ix.dropLocked(old)
		delete(ix.byID, id)
		ix.maybeCompactLocked()
	}
}

// dropLocked marks an ordinal dead; its postings stay until compaction and
// searches skip it.
func (ix *Index) dropLocked(ord uint32) {
	p := ix.persons[ord]
	if p == nil {
		return
	}
	for _, k := range lexKeys(p) {
		if ix.lex[k]--; ix.lex[k] <= 0 {
			delete(ix.lex, k)
		}
	}
	ix.persons[ord] = nil
	ix.cards[ord].birth |= deadCard
	ix.dead++
}

// lexKeys lists the distinct spellings of a person's ordinary name parts.
func lexKeys(p *Prepared) []uint64 {
	var keys []uint64
	for fi := range p.forms {
		if p.forms[fi].arabic {
			continue
		}
		for ti := range p.forms[fi].tokens {
			t := &p.forms[fi].tokens[ti]
			if t.kind != kindNormal {
				continue
			}
			k := hashKey(keyExact, t.forms[0])
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

func (ix *Index) maybeCompactLocked() {
	if ix.dead > 1024 && ix.dead*4 > len(ix.persons) {
		ix.compactLocked()
	}
}

// compactLocked renumbers live persons and rebuilds the lexicon.
func (ix *Index) compactLocked() {
	live := make([]*Prepared, 0, len(ix.byID))
	for _, p := range ix.persons {
		if p != nil {
			live = append(live, p)
		}
	}
	ix.reset(len(live))
	for _, p := range live {
		ix.addLocked(p, personParts(p))
	}
}

// SearchStats reports how many searches ran and how many candidates they
// compared in total.
func (ix *Index) SearchStats() (searches, scored int64) {
	return ix.searches.Load(), ix.scored.Load()
}

// key kinds
const (
	keyPhon  = 'p'
	keyExact = 'e'
	keyGroup = 'g'
	keySkel  = 's'
	keyDel   = 'd'
	keyBirth = 'b'
)

func hashKey(kind byte, s string) uint64 {
	const off, prime = 14695981039346656037, 1099511628211
	h := uint64(off)
	h ^= uint64(kind)
	h *= prime
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime
	}
	return h
}

// tokenKeys appends the lookup keys of one part.
func tokenKeys(t *token, withSkel bool, dst []uint64) []uint64 {
	if t.kind != kindNormal && t.kind != kindKunya {
		return dst
	}
	for _, g := range t.groups {
		dst = append(dst, hashKey(keyGroup, string(rune(g))))
	}
	for _, f := range t.forms[:t.core] {
		if len(f) <= 3 {
			dst = append(dst, hashKey(keyExact, foldSpelling(f)))
			if withSkel {
				if sk := skeleton(f); len(sk) >= 2 {
					dst = append(dst, hashKey(keySkel, sk))
				}
			}
			continue
		}
		dst = append(dst, hashKey(keyPhon, phoneticKey(f)))
		if withSkel {
			if sk := skeleton(f); len(sk) >= 2 {
				dst = append(dst, hashKey(keySkel, sk))
			}
		}
		dst = deletionKeys(f, dst)
	}
	return dst
}

// deletionKeys: the first six letters and each of their one-letter
// deletions; two spellings one edit apart share one of them.
func deletionKeys(f string, dst []uint64) []uint64 {
	p := f
	if len(p) > 6 {
		p = p[:6]
	}
	dst = append(dst, hashKey(keyDel, p))
	var buf [6]byte
	for i := 0; i < len(p); i++ {
		n := copy(buf[:], p[:i])
		n += copy(buf[n:], p[i+1:])
		dst = append(dst, hashKey(keyDel, string(buf[:n])))
	}
	return dst
}

func mergedKeys(m *merged, dst []uint64) []uint64 {
	dst = append(dst, hashKey(keyPhon, m.phon))
	return deletionKeys(m.form, dst)
}

// shortMerge reports whether two parts are short enough to be syllables of
// one joined given name (Xiao Ming / Xiaoming).
func shortMerge(toks []token, m *merged) bool {
	return len(toks[m.i].forms[0]) <= 5 && len(toks[m.i+1].forms[0]) <= 5
}

func birthKey(d date) uint64 {
	return hashKey(keyBirth, string([]byte{byte(d.y >> 8), byte(d.y), byte(d.m), byte(d.d)}))
}

// source is one way a query finds persons: a query part, two query parts
// written joined, or the exact birth date. Its bit in a person's mask
// says which query parts the person agrees on.
type source struct {
	mask    uint64
	entries []uint32 // lexicon entries found; nil for the birth date
	total   int      // persons listed under them
}

// Search returns the persons whose score reaches a floor, best first, at
// most limit of them (limit ≤ 0: no limit). Persons born more than two
// years from a queried birth date are not returned: the dates conflict, so
// they cannot match, and for a common name they would be thousands.
func (ix *Index) Search(q Query, limit int) []Hit {
	pq := PrepareQuery(q)
	if len(pq.forms) == 0 {
		return nil
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	ix.markKnownLocked(pq)

	strong := pq.birth.d != 0 // a typo two edits away may count when the birth date agrees
	var srcs []source
	formMasks := make([]uint64, 0, len(pq.forms))
	need := 2
	slot := 0
	var keys []uint64
	for fi := range pq.forms {
		f := &pq.forms[fi]
		var fm uint64
		start := slot
		content := 0
		for ti := range f.tokens {
			t := &f.tokens[ti]
			if slot >= maxSlots {
				break
			}
			bit := uint64(1) << uint(slot)
			slot++
			if t.kind != kindNormal && t.kind != kindKunya {
				continue
			}
			content++
			fm |= bit
			keys = tokenKeys(t, f.arabic, keys[:0])
			ids := ix.findEntries(keys, func(e *entry) bool {
				arabic := f.arabic || e.arabic
				if e.merge != nil {
					s, _ := mergedSim(e.merge, t, arabic)
					return s >= simMatched
				}
				s, _ := tokenSim(t, &e.tok, arabic, strong, nil)
				return s >= simWeak-0.001
			})
			if len(ids) > 0 && len(srcs) < maxSources {
				srcs = append(srcs, source{mask: bit, entries: ids})
			}
		}
		for mi := range f.merges {
			m := &f.merges[mi]
			if start+m.i+1 >= maxSlots || !shortMerge(f.tokens, m) {
				continue
			}
			keys = mergedKeys(m, keys[:0])
			ids := ix.findEntries(keys, func(e *entry) bool {
				if e.merge != nil {
					return false
				}
				s, _ := mergedSim(m, &e.tok, f.arabic || e.arabic)
				return s >= simMatched
			})
			if len(ids) > 0 && len(srcs) < maxSources {
				srcs = append(srcs, source{mask: uint64(1)<<uint(start+m.i) | uint64(1)<<uint(start+m.i+1), entries: ids})
			}
		}
		if content < need {
			need = content
		}
		formMasks = append(formMasks, fm|birthBit)
	}
	if need < 1 {
		need = 1
	}
	w := window{exact: packDate(pq.birth)}
	if pq.birth.y != 0 {
		w.from, w.to = pq.birth.y-birthSlack, pq.birth.y+birthSlack
	}
	var bornList []uint32
	if pq.birth.d != 0 && len(srcs) < maxSources {
		bornList = ix.born[birthKey(pq.birth)]
		if len(bornList) > 0 {
			srcs = append(srcs, source{mask: birthBit, total: len(bornList)})
		}
	}
	for i := range srcs {
		for _, id := range srcs[i].entries {
			srcs[i].total += ix.entries[id].count(w.from, w.to)
		}
	}
	cands := ix.candidates(srcs, bornList, w, formMasks, need)
	if len(cands) > maxScored {
		// a very common name: compare first the persons that agree on
		// more parts, then on the birth date and the nationality
		for i := range cands {
			cands[i].n = cands[i].n*4 + ix.affinity(cands[i].ord, pq)
		}
		slices.SortFunc(cands, func(a, b candidate) int {
			if a.n != b.n {
				return b.n - a.n
			}
			return cmp.Compare(a.ord, b.ord)
		})
		cands = cands[:maxScored]
	}

	out := make([]Hit, 0, 16)
	var memo simMemo
	if len(cands) > 4 {
		memo = make(simMemo, 64)
	}
	for _, c := range cands {
		p := ix.persons[c.ord]
		// of a query's renderings (a name in Arabic script has several),
		// those that found the person best are compared
		r := compareForms(pq, p, memo, c.forms)
		if r.Score >= searchFloor || r.Match {
			out = append(out, Hit{ID: p.ID, Result: r})
		}
	}
	ix.searches.Add(1)
	ix.scored.Add(int64(len(cands)))
	sort.Slice(out, func(i, j int) bool {
		if out[i].Result.Score != out[j].Result.Score {
			return out[i].Result.Score > out[j].Result.Score
		}
		return out[i].ID < out[j].ID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// markKnownLocked notes the query parts spelt like a listed name part: a
// real name, not a typo of another.
func (ix *Index) markKnownLocked(pq *PreparedQuery) {
	for fi := range pq.forms {
		if pq.forms[fi].arabic {
			continue
		}
		for ti := range pq.forms[fi].tokens {
			t := &pq.forms[fi].tokens[ti]
			if t.kind == kindNormal && len(t.forms[0]) >= 4 {
				t.known = ix.lex[hashKey(keyExact, t.forms[0])] > 0
			}
		}
	}
}

// findEntries returns the distinct lexicon entries under keys that similar
// accepts.
func (ix *Index) findEntries(keys []uint64, similar func(e *entry) bool) []uint32 {
	var ids []uint32
	for _, k := range keys {
		ids = append(ids, ix.keys[k]...)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := ids[:0]
	for _, id := range ids {
		if similar(&ix.entries[id]) {
			out = append(out, id)
		}
	}
	return out
}

// window is what a search knows of the birth date: persons born outside
// [from, to] (when from != 0) cannot match and are not looked at.
type window struct {
	from, to int
	exact    uint32 // the packed full date, or 0
}

func (w window) admits(packed uint32) bool {
	if w.from == 0 || packed == 0 {
		return true
	}
	y := packedYear(packed)
	return y >= w.from && y <= w.to
}

// affinity ranks, from 0 to 3, how much of the rest of the query a person
// agrees with: the birth date (exact, or the year) and the nationality.
func (ix *Index) affinity(o uint32, pq *PreparedQuery) int {
	a := 0
	b := ix.cards[o].birth
	switch {
	case b == 0 || pq.birth.y == 0:
	case b == packDate(pq.birth):
		a += 2
	case packedYear(b) == pq.birth.y:
		a++
	}
	if pq.Nationality != "" && ix.persons[o].nationality == pq.Nationality {
		a++
	}
	return a
}

type candidate struct {
	ord   uint32
	n     int    // query parts agreed on, in the best query form
	forms uint64 // the query forms that agree on n parts
}

// candidates lists the persons that agree with at least need parts of one
// query form (the exact birth date counting as a part) and whose birth date
// the window admits.
//
// Each person is visited from the smallest walked source that lists it, so
// no set of visited persons is needed. When two parts are needed, the
// largest single-part source of each query form is not walked at all: a
// person agreeing on two parts of a form is also listed by a smaller source,
// and its agreement with the unwalked ones is read from its own entries.
func (ix *Index) candidates(srcs []source, bornList []uint32, w window, formMasks []uint64, need int) []candidate {
	if len(srcs) == 0 {
		return nil
	}
	sort.SliceStable(srcs, func(i, j int) bool { return srcs[i].total < srcs[j].total })
	found := newEntryTable(len(srcs) * 8)
	birthRank := -1
	for r := range srcs {
		if srcs[r].entries == nil {
			birthRank = r
		}
		for _, id := range srcs[r].entries {
			found.add(id, srcs[r].mask, uint64(1)<<uint(r))
		}
	}
	walked := uint64(1)<<uint(len(srcs)) - 1
	if len(srcs) == 64 {
		walked = ^uint64(0)
	}
	if need >= 2 {
		// Per query form, the largest single-part sources are not walked:
		// one when the form has up to three parts (a person agreeing on
		// two parts is in a smaller source), all but the two smallest when
		// it has more (a person agreeing with none of the two rarest parts
		// of a long name, usually its surname and a rare given name, lacks
		// the surname and cannot match). The birth date is always walked.
		budget := make([]int, len(formMasks))
		for _, s := range srcs {
			if bits.OnesCount64(s.mask) == 1 && s.mask != birthBit {
				for fi, fm := range formMasks {
					if s.mask&fm != 0 {
						budget[fi]++
					}
				}
			}
		}
		for fi, parts := range budget {
			budget[fi] = max(need-1, parts-2)
		}
	next:
		for r := len(srcs) - 1; r >= 0; r-- {
			m := srcs[r].mask
			if bits.OnesCount64(m) != 1 || m == birthBit {
				continue
			}
			for fi, fm := range formMasks {
				if m&fm != 0 && budget[fi] == 0 {
					continue next
				}
			}
			for fi, fm := range formMasks {
				if m&fm != 0 {
					budget[fi]--
				}
			}
			walked &^= uint64(1) << uint(r)
		}
	}
	var out []candidate
	visit := func(o uint32, r int, via uint32, viaEntry bool) {
		c := ix.cards[o]
		if c.birth&deadCard != 0 || !w.admits(c.birth) {
			return
		}
		var mask, ranks uint64
		first := uint32(1<<32 - 1)
		rbit := uint64(1) << uint(r)
		for _, id := range ix.sids[c.from:ix.cards[o+1].from] {
			m, rk, ok := found.get(id)
			if !ok {
				continue
			}
			mask |= m
			ranks |= rk
			if rk&rbit != 0 && first == 1<<32-1 {
				first = id
			}
		}
		if birthRank >= 0 && w.exact != 0 && c.birth == w.exact {
			mask |= birthBit
			ranks |= uint64(1) << uint(birthRank)
		}
		// visited already from a smaller source, or from an earlier entry
		// of this one
		if ranks&walked&(rbit-1) != 0 || viaEntry && first != via {
			return
		}
		n := 0
		var forms uint64
		for fi, fm := range formMasks {
			switch c := bits.OnesCount64(mask & fm); {
			case c > n:
				n, forms = c, uint64(1)<<uint(fi)
			case c == n:
				forms |= uint64(1) << uint(fi)
			}
		}
		if n >= need {
			out = append(out, candidate{o, n, forms})
		}
	}
	for r := range srcs {
		if walked&(uint64(1)<<uint(r)) == 0 {
			continue
		}
		s := &srcs[r]
		if s.entries == nil {
			for _, o := range bornList {
				visit(o, r, 0, false)
			}
			continue
		}
		below := walked & (uint64(1)<<uint(r) - 1)
		for _, id := range s.entries {
			// an entry a smaller source walked already: all its persons
			// were visited (renderings of one query share many entries)
			if _, rk, _ := found.get(id); rk&below != 0 {
				continue
			}
			ix.entries[id].walk(w.from, w.to, func(o uint32) { visit(o, r, id, true) })
		}
	}
	return out
}

// entryTable is a small open-addressing table of the lexicon entries a
// query found, with the query parts and sources that found each: probed
// for every entry of every visited person, it must be cheaper than a map.
type entryTable struct {
	keys  []uint32 // entry id + 1; 0 is empty
	masks []uint64
	ranks []uint64
	shift uint
	n     int
}

func newEntryTable(n int) *entryTable {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	return &entryTable{keys: make([]uint32, size), masks: make([]uint64, size), ranks: make([]uint64, size),
		shift: uint(64 - bits.TrailingZeros(uint(size)))}
}

func (t *entryTable) slot(id uint32) int {
	return int((uint64(id) * 0x9E3779B97F4A7C15) >> t.shift)
}

func (t *entryTable) add(id uint32, mask, rank uint64) {
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	i := t.slot(id)
	for {
		switch t.keys[i] {
		case 0:
			t.keys[i], t.masks[i], t.ranks[i] = id+1, mask, rank
			t.n++
			return
		case id + 1:
			t.masks[i] |= mask
			t.ranks[i] |= rank
			return
		}
		i = (i + 1) & (len(t.keys) - 1)
	}
}

func (t *entryTable) get(id uint32) (mask, rank uint64, ok bool) {
	i := t.slot(id)
	for {
		switch t.keys[i] {
		case 0:
			return 0, 0, false
		case id + 1:
			return t.masks[i], t.ranks[i], true
		}
		i = (i + 1) & (len(t.keys) - 1)
	}
}

func (t *entryTable) grow() {
	old := *t
	*t = *newEntryTable(len(old.keys))
	for i, k := range old.keys {
		if k != 0 {
			t.add(k-1, old.masks[i], old.ranks[i])
		}
	}
}
