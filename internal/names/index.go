package names

import (
	"cmp"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Index limits.
const (
	// maxScored caps the candidates fully compared per search: those that
	// agree most with the query (see mostAgreeing). A name with more such
	// bearers than that has ten times more than a result shows, and
	// comparing more costs time for little: on a million synthetic persons,
	// 100 instead of 200 compares a third fewer persons and misses 13 more
	// of 13,112 targets.
	maxScored = 100
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
// one part and the exact birth date) find it. The persons of a common entry
// are read only through the pairs of common entries they bear (see
// candidates). Persons keep the list of their entries, so that counting the
// parts a person agrees on needs no set of persons, only a small table of
// the entries the query found.
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
	lexGen  uint64              // moves on when entries change other than by being added
	finds   findCache
	pairs   map[uint64]uint32   // pairKey of two common entries -> index in paired
	paired  []postings          // the persons that have both entries of a pair
	born    map[uint64][]uint32 // full birth date -> ordinals
	nations map[string]uint16   // nationality -> its code in cards
	lex     map[uint64]int32    // listed name-part spellings -> number of persons
	dead    int

	searches atomic.Int64
	read     atomic.Int64
	compared atomic.Int64
}

// card is what a search reads of every person it visits, kept together so
// that a visit costs one memory access before the person's entries.
type card struct {
	from   uint32 // start of the person's entries in sids
	birth  uint32 // packed birth date, 0 when unknown; deadCard once removed
	nation uint16 // nationality code (see nationCode), 0 when unknown
	group  uint32 // Person.Group, for the filter of SearchAmong
}

const deadCard = 1 << 31

// entry is one distinct name part of the lexicon.
type entry struct {
	tok    token   // a name part; unused for a joined pair
	merge  *merged // two short parts written joined, or nil
	arabic bool    // seen in a name written in a consonantal script
	postings
}

// pairFrom is the number of persons from which an entry is common: a
// search does not read the persons of a common entry, only those of its
// pairs with the other common parts the query found (Muhammad with Ali
// are far fewer than Muhammad).
const pairFrom = 256

func (e *entry) common() bool { return e.n >= pairFrom }

func pairKey(a, b uint32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(b)
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
	ix.pairs = make(map[uint64]uint32)
	ix.lexGen++
	ix.paired = nil
	ix.born = make(map[uint64][]uint32)
	ix.nations = make(map[string]uint16)
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
	ix.cards[ord].nation = ix.nationCodeLocked(p.nationality)
	ix.cards[ord].group = p.group
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
		} else if pt.arabic && !ix.entries[id].arabic {
			ix.entries[id].arabic = true
			ix.lexGen++ // the part now compares as from a consonantal script
		}
		// persons with the same part share its spellings
		for _, t := range pt.toks {
			t.lexeme = ix.entries[id].tok.lexeme
		}
		ix.entries[id].add(ord, ix.cards)
		ix.sids = append(ix.sids, id)
	}
	ix.cards = append(ix.cards, card{from: uint32(len(ix.sids))})
	ix.pairUpLocked(ord)
	if p.birth.d != 0 {
		k := birthKey(p.birth)
		ix.born[k] = append(ix.born[k], ord)
	}
	for _, k := range lexKeys(p) {
		ix.lex[k]++
	}
}

// pairUpLocked lists a new person under the pairs of its common entries.
// An entry that has just become common first lists its earlier persons
// under its pairs with their other common entries; of two entries that
// become common with the same person, the one with the lower id does.
func (ix *Index) pairUpLocked(o uint32) {
	ids := ix.sids[ix.cards[o].from:ix.cards[o+1].from]
	crossed := func(id uint32) bool { return ix.entries[id].n == pairFrom && slices.Contains(ids, id) }
	for _, e := range ids {
		if !crossed(e) {
			continue
		}
		ix.entries[e].each(func(p uint32) {
			paired := ix.pairedEntries(p)
			if p == o || !slices.Contains(paired, e) {
				return
			}
			for _, b := range paired {
				switch {
				case b == e:
					if ix.bearsTwice(p, e) {
						ix.pair(e, e).add(p, ix.cards)
					}
				case ix.entries[b].common() && !(b < e && crossed(b)):
					ix.pair(e, b).add(p, ix.cards)
				}
			}
		})
	}
	paired := ix.pairedEntries(o)
	for i, a := range paired {
		if !ix.entries[a].common() {
			continue
		}
		if ix.bearsTwice(o, a) {
			ix.pair(a, a).add(o, ix.cards)
		}
		for _, b := range paired[i+1:] {
			if ix.entries[b].common() {
				ix.pair(a, b).add(o, ix.cards)
			}
		}
	}
}

// maxPairedParts bounds the entries of one person that are paired (the
// first ones: its name, then its first aliases), so that a person with many
// long aliases costs a bounded number of pairs, not their square. A common
// part beyond them is found only with a rare part or the birth date.
const maxPairedParts = 24

func (ix *Index) pairedEntries(o uint32) []uint32 {
	ids := ix.sids[ix.cards[o].from:ix.cards[o+1].from]
	return ids[:min(len(ids), maxPairedParts)]
}

// bearsTwice reports whether a person's name has the part of an entry
// twice (Muhammad MUHAMMAD): the pair of the entry with itself lists it,
// for a query with the part twice.
func (ix *Index) bearsTwice(o, id uint32) bool {
	p, lex := ix.persons[o], ix.entries[id].tok.lexeme
	if p == nil || lex == nil {
		return false
	}
	for fi := range p.forms {
		n := 0
		for ti := range p.forms[fi].tokens {
			if p.forms[fi].tokens[ti].lexeme == lex {
				n++
			}
		}
		if n >= 2 {
			return true
		}
	}
	return false
}

func (ix *Index) pair(a, b uint32) *postings {
	k := pairKey(a, b)
	i, ok := ix.pairs[k]
	if !ok {
		i = uint32(len(ix.paired))
		ix.pairs[k] = i
		ix.paired = append(ix.paired, postings{})
	}
	return &ix.paired[i]
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

// SearchStats counts the work of the searches run so far.
type SearchStats struct {
	Searches int64
	Read     int64 // persons read from the lists of the name parts found
	Compared int64 // candidates fully compared with the query
}

// SearchStats reports the work of the searches run so far.
func (ix *Index) SearchStats() SearchStats {
	return SearchStats{Searches: ix.searches.Load(), Read: ix.read.Load(), Compared: ix.compared.Load()}
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
	return ix.SearchAmong(q, limit, nil)
}

// SearchAmong is Search over the persons of the groups (Person.Group) that
// keep accepts (nil: all), such as those the asker may see: the others are
// left out before they are compared, so that they neither take the place
// of a person kept nor cost a comparison. Asking by group reads only the
// person's card. keep is called with the index locked for reading and must
// not call it.
func (ix *Index) SearchAmong(q Query, limit int, keep func(group uint32) bool) []Hit {
	pq := PrepareQuery(q)
	if len(pq.forms) == 0 {
		return nil
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	ix.markKnownLocked(pq)

	strong := pq.birth.d != 0 // a typo two edits away may count when the birth date agrees
	// the comparisons of query parts with lexicon entries come back when
	// the candidates are compared
	memo := getSimMemo()
	defer putSimMemo(memo)
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
			ids := ix.findEntriesCached(partCacheKey(t, f.arabic, strong), keys, func(e *entry) bool {
				arabic := f.arabic || e.arabic
				if e.merge != nil {
					s, _ := mergedSim(e.merge, t, arabic)
					return s >= simMatched
				}
				s, _ := tokenSim(t, &e.tok, arabic, strong, memo)
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
			ids := ix.findEntriesCached(joinedCacheKey(m, f.arabic), keys, func(e *entry) bool {
				if e.merge != nil {
					return false
				}
				s, _ := joinedSim(m, &e.tok, f.arabic || e.arabic, memo)
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
	cands := ix.candidates(srcs, bornList, w, formMasks, rarestParts(srcs, formMasks), need)
	if len(cands) > maxScored {
		cands = ix.mostAgreeing(cands, pq, keep)
	} else if keep != nil {
		cands = slices.DeleteFunc(cands, func(c candidate) bool { return !keep(ix.cards[c.ord].group) })
	}

	type scoredPerson struct {
		p      *Prepared
		choice formChoice
		r      Result
	}
	kept := make([]scoredPerson, 0, 16)
	for _, c := range cands {
		p := ix.persons[c.ord]
		// of a query's renderings (a name in Arabic script has several),
		// those that found the person best are compared
		choice := bestForms(pq, p, memo, c.forms)
		if r := choice.result(pq, p, memo, false); r.Score >= searchFloor || r.Match {
			kept = append(kept, scoredPerson{p, choice, r})
		}
	}
	ix.searches.Add(1)
	ix.compared.Add(int64(len(cands)))
	slices.SortFunc(kept, func(a, b scoredPerson) int {
		if a.r.Score != b.r.Score {
			return cmp.Compare(b.r.Score, a.r.Score)
		}
		return strings.Compare(a.p.ID, b.p.ID)
	})
	if limit > 0 && len(kept) > limit {
		kept = kept[:limit]
	}
	// only the persons returned are explained
	out := make([]Hit, len(kept))
	for i, k := range kept {
		out[i] = Hit{ID: k.p.ID, Result: k.choice.result(pq, k.p, memo, true)}
	}
	return out
}

// mostAgreeing keeps, of the candidates for a very common name, the
// maxScored that keep accepts (nil: all) and agree on most parts, then on
// the birth date and the nationality; among equals, the first listed.
// Candidates come in listing order, so ordering them by rank is a counting
// sort, and keep is asked about the best ranked only, not about thousands.
func (ix *Index) mostAgreeing(cands []candidate, pq *PreparedQuery, keep func(group uint32) bool) []candidate {
	nation := ix.nations[pq.Nationality]
	rank := make([]int, len(cands))
	top := 0
	for i := range cands {
		rank[i] = cands[i].n*4 + ix.affinity(cands[i].ord, pq, nation)
		top = max(top, rank[i])
	}
	// from[r]: where the candidates of rank r start, best rank first
	from := make([]int, top+2)
	for _, r := range rank {
		from[top-r+1]++
	}
	for r := 1; r < len(from); r++ {
		from[r] += from[r-1]
	}
	byRank := make([]candidate, len(cands))
	for i, c := range cands {
		byRank[from[top-rank[i]]] = c
		from[top-rank[i]]++
	}
	kept := cands[:0]
	for _, c := range byRank {
		if len(kept) == maxScored {
			break
		}
		if keep == nil || keep(ix.cards[c.ord].group) {
			kept = append(kept, c)
		}
	}
	return kept
}

// rarestParts returns, for each query form of four parts or more, the
// two of its parts that find the fewest persons (0 for shorter forms).
func rarestParts(srcs []source, formMasks []uint64) []uint64 {
	required := make([]uint64, len(formMasks))
	for fi, fm := range formMasks {
		var single []*source
		for i := range srcs {
			if m := srcs[i].mask; bits.OnesCount64(m) == 1 && m != birthBit && m&fm != 0 {
				single = append(single, &srcs[i])
			}
		}
		if len(single) < 4 {
			continue
		}
		slices.SortStableFunc(single, func(a, b *source) int { return cmp.Compare(a.total, b.total) })
		required[fi] = single[0].mask | single[1].mask
	}
	return required
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

// findEntries returns the distinct lexicon entries from id from on under
// keys that similar accepts, ascending.
func (ix *Index) findEntries(keys []uint64, from uint32, similar func(e *entry) bool) []uint32 {
	var ids []uint32
	for _, k := range keys {
		// a key's entries are ascending: the newest are at its end
		list := ix.keys[k]
		i, _ := slices.BinarySearch(list, from)
		ids = append(ids, list[i:]...)
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

// nationCodeLocked numbers the nationalities of listed persons, so that
// ranking a common name's thousands of bearers by nationality reads their
// cards and not their records. Nationalities are country codes, a few
// hundred; past 65,535 distinct values the rest rank as unknown.
func (ix *Index) nationCodeLocked(n string) uint16 {
	if n == "" {
		return 0
	}
	c, ok := ix.nations[n]
	if !ok && len(ix.nations) < 1<<16-1 {
		c = uint16(len(ix.nations) + 1)
		ix.nations[n] = c
	}
	return c
}

// affinity ranks, from 0 to 3, how much of the rest of the query a person
// agrees with: the birth date (exact, or the year) and the nationality
// (nation is the query's code, 0 when no listed person has it).
func (ix *Index) affinity(o uint32, pq *PreparedQuery, nation uint16) int {
	a := 0
	b := ix.cards[o].birth
	switch {
	case b == 0 || pq.birth.y == 0:
	case b == packDate(pq.birth):
		a += 2
	case packedYear(b) == pq.birth.y:
		a++
	}
	if nation != 0 && ix.cards[o].nation == nation {
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
// the window admits. A form of four parts or more counts only for persons
// that agree with one of its two rarest parts (required): one agreeing
// with none of them lacks the surname, usually, and cannot match.
//
// The persons of rare entries are read whole. A common entry's persons are
// not: with two parts needed, a person that agrees through a common entry
// agrees on another part too, through a rare entry (read), a joined pair
// or the birth date (read), or another common entry, and then it is
// listed under the pair of the two; or the query has the part twice
// (Mohammed MUHAMMAD), and only a person bearing it twice can match, listed
// under the pair of the entry with itself.
func (ix *Index) candidates(srcs []source, bornList []uint32, w window, formMasks, required []uint64, need int) []candidate {
	if len(srcs) == 0 {
		return nil
	}
	found := newEntryTable(len(srcs) * 8)
	for _, s := range srcs {
		for _, id := range s.entries {
			found.add(id, s.mask)
		}
	}
	// the lists to read, then their persons in one allocation
	var lists []readList
	for _, s := range srcs {
		if s.entries == nil {
			continue
		}
		whole := need < 2 || bits.OnesCount64(s.mask) >= 2
		for _, id := range s.entries {
			if e := &ix.entries[id]; (whole || !e.common()) && found.markRead(id) {
				lists = append(lists, readList{p: &e.postings, mask: found.get(id)})
			}
		}
	}
	// when every entry found is read whole, the lists a person comes from
	// tell all its agreement: its own entries need no probing
	unread := found.n > len(lists)
	if need >= 2 {
		lists = ix.appendPaired(lists, srcs, found, formMasks, required)
	}
	total := len(bornList)
	for _, l := range lists {
		total += l.p.count(w.from, w.to)
	}
	// each person read with the list it comes from (bornList is list
	// len(lists)), sorted by person
	ords := append(make([]uint32, 0, total), bornList...)
	bounds := make([]int, 0, len(lists)+1)
	for _, l := range lists {
		bounds = append(bounds, len(ords))
		ords = l.p.appendTo(ords, w.from, w.to)
	}
	bounds = append(bounds, len(ords))
	read := make([]uint64, len(ords))
	for i, o := range ords[:len(bornList)] {
		read[i] = uint64(o)<<32 | uint64(len(lists))
	}
	for li := range lists {
		for i := bounds[li]; i < bounds[li+1]; i++ {
			read[i] = uint64(ords[i])<<32 | uint64(li)
		}
	}
	slices.Sort(read)

	out := make([]candidate, 0, len(read))
	persons := 0
	for i := 0; i < len(read); {
		o := uint32(read[i] >> 32)
		// the parts the lists of the person tell; a pair tells all of the
		// person's common parts a query form found (their pairs with each
		// other were read), so only a person also read from another list
		// (or the birth date's) may agree through a common part no list
		// told
		var mask uint64
		probe := false
		for ; i < len(read) && uint32(read[i]>>32) == o; i++ {
			switch li := int(uint32(read[i])); {
			case li < len(lists) && (lists[li].pair || !unread):
				mask |= lists[li].mask
			default:
				probe = unread
			}
		}
		persons++
		c := ix.cards[o]
		if c.birth&deadCard != 0 || !w.admits(c.birth) {
			continue
		}
		if probe {
			for _, id := range ix.sids[c.from:ix.cards[o+1].from] {
				mask |= found.get(id)
			}
		}
		if w.exact != 0 && c.birth == w.exact {
			mask |= birthBit
		}
		n := 0
		var forms uint64
		for fi, fm := range formMasks {
			if required[fi] != 0 && mask&required[fi] == 0 {
				continue
			}
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
	ix.read.Add(int64(persons))
	return out
}

// readList is a list of persons a search reads, with the query parts its
// entry (or pair of entries) agrees with.
type readList struct {
	p    *postings
	mask uint64
	pair bool
}

// appendPaired appends the lists of the pairs of common entries found by
// two single-part sources of one query form.
func (ix *Index) appendPaired(lists []readList, srcs []source, found *entryTable, formMasks, required []uint64) []readList {
	common := make([][]uint32, len(srcs))
	for i, s := range srcs {
		if bits.OnesCount64(s.mask) != 1 || s.mask == birthBit {
			continue
		}
		for _, id := range s.entries {
			if ix.entries[id].common() {
				common[i] = append(common[i], id)
			}
		}
	}
	var read []uint64
	for i := range srcs {
		for j := i + 1; j < len(srcs); j++ {
			if len(common[i]) == 0 || len(common[j]) == 0 || srcs[i].mask == srcs[j].mask {
				continue
			}
			both := srcs[i].mask | srcs[j].mask
			fi := slices.IndexFunc(formMasks, func(fm uint64) bool { return both&fm == both })
			if fi < 0 || required[fi] != 0 && both&required[fi] == 0 {
				continue
			}
			for _, a := range common[i] {
				for _, b := range common[j] {
					k := pairKey(a, b)
					p, ok := ix.pairs[k]
					if !ok || slices.Contains(read, k) {
						continue
					}
					read = append(read, k)
					lists = append(lists, readList{p: &ix.paired[p], mask: found.get(a) | found.get(b), pair: true})
				}
			}
		}
	}
	return lists
}

// entryTable is a small open-addressing table of the lexicon entries a
// query found, with the query parts that found each: probed for every
// entry of every person read, it must be cheaper than a map, and a probe
// reads one slot.
type entryTable struct {
	slots []entrySlot
	shift uint
	n     int
}

type entrySlot struct {
	mask uint64 // the query parts that found the entry
	key  uint32 // entry id + 1; 0 is empty
	read bool   // the entry's persons were read
}

func newEntryTable(n int) *entryTable {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	return &entryTable{slots: make([]entrySlot, size), shift: uint(64 - bits.TrailingZeros(uint(size)))}
}

// find returns the slot of id, or the empty slot where it belongs.
func (t *entryTable) find(id uint32) *entrySlot {
	i := int((uint64(id) * 0x9E3779B97F4A7C15) >> t.shift)
	for {
		s := &t.slots[i]
		if s.key == 0 || s.key == id+1 {
			return s
		}
		i = (i + 1) & (len(t.slots) - 1)
	}
}

func (t *entryTable) add(id uint32, mask uint64) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	s := t.find(id)
	if s.key == 0 {
		s.key = id + 1
		t.n++
	}
	s.mask |= mask
}

// get returns the query parts that found the entry (0: none).
func (t *entryTable) get(id uint32) uint64 {
	return t.find(id).mask
}

// markRead notes that the persons of a found entry are read, and reports
// whether they were not yet.
func (t *entryTable) markRead(id uint32) bool {
	s := t.find(id)
	if s.read {
		return false
	}
	s.read = true
	return true
}

func (t *entryTable) grow() {
	old := t.slots
	*t = *newEntryTable(len(old))
	for _, s := range old {
		if s.key != 0 {
			t.add(s.key-1, s.mask)
		}
	}
}
