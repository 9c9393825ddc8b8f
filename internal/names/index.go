package names

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Index limits.
const (
	// maxScored caps the candidates fully compared per search: the best
	// ranked (see candidates), twice the answers screening asks for. A
	// name with more bearers than that is common; its bearers are ranked
	// by the score they are expected to reach, and comparing more of them
	// costs time for little: on a million synthetic persons, 20 instead of
	// 100 compares 9 persons per query instead of 24 and finds 11 fewer of
	// 13,112 targets, more than the ranking by parts agreed alone found
	// with 100.
	maxScored = 20
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
	pairs   map[uint64]uint32  // pairKey of two common entries -> index in paired
	paired  []postings         // the persons that have both entries of a pair
	born    map[uint64]bornDay // full birth date -> its persons
	nations map[string]uint16  // nationality -> its code in cards
	lex     map[uint64]int32   // listed name-part spellings -> number of persons
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
	parts  uint8  // content parts of the person's name (its first form)
	group  uint32 // Person.Group, for the filter of SearchAmong
}

const deadCard = 1 << 31

// entry is one distinct name part of the lexicon.
type entry struct {
	tok    token   // a name part; unused for a joined pair
	merge  *merged // two short parts written joined, or nil
	arabic bool    // seen in a name written in a consonantal script
	postings
	sigs []uint64 // the entriesSig of each person while the list is short
}

func (e *entry) add(o uint32, cards []card, sig uint64) {
	e.postings.add(o, cards)
	if e.eras != nil {
		e.sigs = nil
		return
	}
	e.sigs = append(e.sigs, sig)
}

// bornDay is the persons born on one day, with the entriesSig of each.
type bornDay struct {
	persons []uint32
	sigs    []uint64
}

// entriesSig sums up a person's lexicon entries in a word, two bits each,
// so that most persons read from a rare entry or a birth date are known
// to bear none of a query's other entries without reading their own:
// a person may bear an entry only if its signature has both of the entry's
// bits (see sigBits).
func entriesSig(ids []uint32) uint64 {
	var sig uint64
	for _, id := range ids {
		sig |= sigBits(id)
	}
	return sig
}

func sigBits(id uint32) uint64 {
	h := uint64(id) * 0x9E3779B97F4A7C15
	return 1<<(h>>58) | 1<<(h>>52&63)
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
	ix.born = make(map[uint64]bornDay)
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
	ix.cards[ord].parts = contentParts(p)
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
		ix.sids = append(ix.sids, id)
	}
	ix.cards = append(ix.cards, card{from: uint32(len(ix.sids))})
	ids := ix.sids[ix.cards[ord].from:]
	sig := entriesSig(ids)
	for _, id := range ids {
		ix.entries[id].add(ord, ix.cards, sig)
	}
	ix.pairUpLocked(ord)
	if p.birth.d != 0 {
		k := birthKey(p.birth)
		day := ix.born[k]
		day.persons = append(day.persons, ord)
		day.sigs = append(day.sigs, sig)
		ix.born[k] = day
	}
	for _, k := range lexKeys(p) {
		ix.lex[k]++
	}
}

// contentParts counts the parts of a person's name that a query is
// expected to cover, up to 255.
func contentParts(p *Prepared) uint8 {
	n := 0
	if len(p.forms) > 0 {
		for ti := range p.forms[0].tokens {
			if isContent(&p.forms[0].tokens[ti]) {
				n++
			}
		}
	}
	return uint8(min(n, 255))
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
	quals   []uint8  // the quality of each entry found
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
	sc := scratchPool.Get().(*scratch)
	defer putScratch(sc)
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
			ids, quals := ix.findEntriesCached(partCacheKey(t, f.arabic, strong), keys, func(e *entry) float64 {
				arabic := f.arabic || e.arabic
				if e.merge != nil {
					s, _ := mergedSim(e.merge, t, arabic)
					return atLeast(s, simMatched)
				}
				s, _ := tokenSim(t, &e.tok, arabic, strong, memo)
				return atLeast(s, simWeak-0.001)
			})
			if len(ids) > 0 && len(srcs) < maxSources {
				srcs = append(srcs, source{mask: bit, entries: ids, quals: quals})
			}
		}
		for mi := range f.merges {
			m := &f.merges[mi]
			if start+m.i+1 >= maxSlots || !shortMerge(f.tokens, m) {
				continue
			}
			keys = mergedKeys(m, keys[:0])
			ids, quals := ix.findEntriesCached(joinedCacheKey(m, f.arabic), keys, func(e *entry) float64 {
				if e.merge != nil {
					return -1
				}
				s, _ := joinedSim(m, &e.tok, f.arabic || e.arabic, memo)
				return atLeast(s, simMatched)
			})
			if len(ids) > 0 && len(srcs) < maxSources {
				srcs = append(srcs, source{mask: uint64(1)<<uint(start+m.i) | uint64(1)<<uint(start+m.i+1), entries: ids, quals: quals})
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
	var born *bornDay
	if pq.birth.d != 0 && len(srcs) < maxSources {
		if day := ix.born[birthKey(pq.birth)]; len(day.persons) > 0 {
			born = &day
			srcs = append(srcs, source{mask: birthBit, total: len(day.persons)})
		}
	}
	for i := range srcs {
		for _, id := range srcs[i].entries {
			srcs[i].total += ix.entries[id].count(w.from, w.to)
		}
	}
	cands := ix.candidates(sc, srcs, born, w, formMasks, rarestParts(srcs, formMasks), need)
	cands = ix.bestRanked(sc, cands, w, ix.nations[pq.Nationality], keep)

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

// bestRanked keeps, of the candidates, the maxScored best ranked that are
// listed, born in the window, and of a group that keep accepts (nil: all);
// among equals, the first listed.
//
// A candidate's rank is its parts agreed, then the score it is expected to
// reach (see candidates); the nationality and the parts of its name left
// over are on its card. A common name has thousands of bearers: they are
// taken by the best rank they may reach without their card, and the cards
// are read only until none left may enter the best ranked.
func (ix *Index) bestRanked(sc *scratch, cands []candidate, w window, nation uint16, keep func(group uint32) bool) []candidate {
	bonus := 0
	if nation != 0 {
		bonus = hundredths(nationalitySame)
	}
	admit := func(c *candidate) bool {
		card := ix.cards[c.ord]
		if card.birth&deadCard != 0 || !w.admits(card.birth) || keep != nil && !keep(card.group) {
			return false
		}
		est := int(c.est) - hundredths(listedPartMissing)*max(int(card.parts)-int(c.named), 0)
		switch {
		case nation == 0 || card.nation == 0:
		case card.nation == nation:
			est += hundredths(nationalitySame)
		default:
			est += hundredths(nationalityDifferent)
		}
		c.rank = int32(rankOf(int(c.n), est))
		return true
	}
	if len(cands) <= maxScored {
		kept := cands[:0]
		for _, c := range cands {
			if admit(&c) {
				kept = append(kept, c)
			}
		}
		return kept
	}
	// by the best rank each may reach, best first; candidates come in
	// listing order, so this is a counting sort and keeps it among equals
	upper := func(c *candidate) int { return rankOf(int(c.n), int(c.est)+bonus) }
	top := 0
	for i := range cands {
		top = max(top, upper(&cands[i]))
	}
	from := grow(sc.from, top+2)
	clear(from)
	sc.from = from
	for i := range cands {
		from[top-upper(&cands[i])+1]++
	}
	for r := 1; r < len(from); r++ {
		from[r] += from[r-1]
	}
	byUpper := grow(sc.byUpper, len(cands))
	sc.byUpper = byUpper
	for _, c := range cands {
		r := top - upper(&c)
		byUpper[from[r]] = c
		from[r]++
	}
	better := func(a, b *candidate) bool { return a.rank > b.rank || a.rank == b.rank && a.ord < b.ord }
	kept := cands[:0]
	worst := 0 // in kept, once full
	for _, c := range byUpper {
		if len(kept) == maxScored && upper(&c) < int(kept[worst].rank) {
			break
		}
		if !admit(&c) {
			continue
		}
		if len(kept) < maxScored {
			kept = append(kept, c)
		} else if better(&c, &kept[worst]) {
			kept[worst] = c
		} else {
			continue
		}
		if len(kept) == maxScored {
			worst = 0
			for i := range kept {
				if better(&kept[worst], &kept[i]) {
					worst = i
				}
			}
		}
	}
	return kept
}

// rankOf orders candidates by the query parts they agree on, then by the
// score they are expected to reach (in hundredths, see candidates).
func rankOf(n, est int) int { return n*256 + min(max(est+50, 0), 255) }

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
// keys that similar accepts (a similarity ≥ 0), ascending, with the
// quality of each.
func (ix *Index) findEntries(keys []uint64, from uint32, similar func(e *entry) float64) ([]uint32, []uint8) {
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
	var quals []uint8
	for _, id := range ids {
		if s := similar(&ix.entries[id]); s >= 0 {
			out = append(out, id)
			quals = append(quals, quality(s))
		}
	}
	return out, quals
}

// atLeast is a similarity that findEntries accepts when it reaches floor,
// and refuses (-1) below.
func atLeast(sim, floor float64) float64 {
	if sim < floor {
		return -1
	}
	return sim
}

// quality is a similarity in hundredths, as ranking uses it.
func quality(sim float64) uint8 { return uint8(hundredths(min(max(sim, 0), 1))) }

// hundredths rounds a score or an adjustment to hundredths.
func hundredths(x float64) int { return int(math.Round(x * 100)) }

// window is what a search knows of the birth date: persons born outside
// [from, to] (when from != 0) cannot match and are not looked at.
type window struct {
	from, to int
	exact    uint32 // the packed full date, or 0
}

// year is the queried birth year, or 0.
func (w window) year() int {
	if w.from == 0 {
		return 0
	}
	return w.from + birthSlack
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

type candidate struct {
	forms uint64 // the query forms that agree on n parts
	ord   uint32
	rank  int32 // rankOf its parts and expected score, once its card is read
	est   int16 // the score it is expected to reach, in hundredths, before its card is read
	n     uint8 // query parts agreed on, in the best query form
	named uint8 // the name parts it agrees on, in the form of est
}

// candidates lists the persons that agree with at least need parts of one
// query form (the exact birth date counting as a part), born in the
// window as far as their lists tell (bestRanked reads their cards). A form
// of four parts or more counts only for persons that agree with one of its
// two rarest parts (required): one agreeing with none of them lacks the
// surname, usually, and cannot match.
//
// The persons of rare entries are read whole. A common entry's persons are
// not: with two parts needed, a person that agrees through a common entry
// agrees on another part too, through a rare entry (read), a joined pair
// or the birth date (read), or another common entry, and then it is
// listed under the pair of the two; or the query has the part twice
// (Mohammed MUHAMMAD), and only a person bearing it twice can match, listed
// under the pair of the entry with itself. A person read from a rare entry
// or the birth date alone is probed for the other entries it bears only
// when its signature says it may bear one of those not read.
//
// Each candidate comes with the score it is expected to reach: the mean
// similarity of its entries with the parts they agree on, and the birth
// date as a comparison weighs it.
func (ix *Index) candidates(sc *scratch, srcs []source, born *bornDay, w window, formMasks, required []uint64, need int) []candidate {
	if len(srcs) == 0 {
		return nil
	}
	found := &sc.found
	found.reset(len(srcs) * 8)
	for _, s := range srcs {
		for i, id := range s.entries {
			found.add(id, s.mask, s.quals[i])
		}
	}
	// the lists to read, then their persons in one allocation
	lists := sc.lists[:0]
	defer func() { sc.lists = lists }()
	for _, s := range srcs {
		if s.entries == nil {
			continue
		}
		whole := need < 2 || bits.OnesCount64(s.mask) >= 2
		for _, id := range s.entries {
			if e := &ix.entries[id]; (whole || !e.common()) && found.markRead(id) {
				lists = append(lists, readList{p: &e.postings, sigs: e.sigs, a: id, b: id})
			}
		}
	}
	// when every entry found is read whole, the lists a person comes from
	// tell all its agreement: its own entries need no probing
	unread := found.n > len(lists)
	if need >= 2 {
		lists = ix.appendPaired(lists, srcs, found, formMasks, required)
	}
	if born == nil {
		born = &bornDay{}
	}
	total := len(born.persons)
	for _, l := range lists {
		total += l.p.count(w.from, w.to)
	}
	// each person read with the list it comes from (the birth date's is
	// list len(lists)), its birth year and its signature
	r := &sc.read
	r.reset(total)
	r.ords = append(r.ords, born.persons...)
	r.sigs = append(r.sigs, born.sigs...)
	for range born.persons {
		r.years = append(r.years, yearCode(w.year()))
		r.listOf = append(r.listOf, int32(len(lists)))
	}
	for li, l := range lists {
		n := len(r.ords)
		l.p.appendRead(r, l.sigs, w.from, w.to)
		for range len(r.ords) - n {
			r.listOf = append(r.listOf, int32(li))
		}
	}
	// then sorted by person
	read := grow(sc.byPerson, len(r.ords))
	var last uint32
	for i, o := range r.ords {
		read[i] = uint64(o)<<32 | uint64(i)
		last = max(last, o)
	}
	sc.sortBuf = grow(sc.sortBuf, len(read))
	read, sc.sortBuf = sortByPerson(read, sc.sortBuf, last)
	sc.byPerson = read

	// a person read from a rare entry or the birth date may bear entries
	// found but not read; its signature tells whether it may
	var unreadSigs []uint64
	if unread {
		unreadSigs = found.unreadSigs(sc.unread[:0])
		sc.unread = unreadSigs
	}
	out := sc.cands[:0]
	defer func() { sc.cands = out[:0] }()
	persons := 0
	// best[b]: the quality of the person's best entry agreeing on query part b
	var best [64]uint8
	for i := 0; i < len(read); {
		o := uint32(read[i] >> 32)
		// the parts the lists of the person tell; a pair tells all of the
		// person's common parts a query form found (their pairs with each
		// other were read), so only a person also read from another list
		// (or the birth date's) may agree through a common part no list
		// told
		var mask uint64
		sig := ^uint64(0)
		single := false
		year := r.years[uint32(read[i])]
		for ; i < len(read) && uint32(read[i]>>32) == o; i++ {
			at := uint32(read[i])
			li := int(r.listOf[at])
			if li == len(lists) {
				mask |= birthBit
				single, sig = true, sig&r.sigs[at]
				continue
			}
			l := &lists[li]
			mask |= found.credit(l.a, &best) | found.credit(l.b, &best)
			if !l.pair {
				single, sig = true, sig&r.sigs[at]
			}
		}
		persons++
		if single && mayBearAny(sig, unreadSigs) {
			c := ix.cards[o]
			if c.birth&deadCard != 0 {
				clear(best[:])
				continue
			}
			for _, id := range ix.sids[c.from:ix.cards[o+1].from] {
				mask |= found.credit(id, &best)
			}
		}
		if n, forms := agreement(mask, formMasks, required); n >= need {
			est, named := nameEstimate(&best, mask, forms, formMasks)
			switch {
			case year == 0 || w.from == 0:
			case mask&birthBit != 0:
				est += hundredths(birthExact)
			case year == yearCode(w.year()):
				est += hundredths(birthSameYear)
			default:
				est += hundredths(birthNear)
			}
			out = append(out, candidate{ord: o, n: uint8(n), forms: forms, est: int16(est), named: uint8(named)})
		}
		clear(best[:])
	}
	ix.read.Add(int64(persons))
	return out
}

// agreement returns the most query parts of one form that mask agrees on,
// and the forms that agree on that many; a form with required parts
// counts only when mask has one of them.
func agreement(mask uint64, formMasks, required []uint64) (n int, forms uint64) {
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
	return n, forms
}

// mayBearAny reports whether a person of signature sig may bear one of
// the entries whose sigBits are given.
func mayBearAny(sig uint64, entries []uint64) bool {
	for _, e := range entries {
		if sig&e == e {
			return true
		}
	}
	return false
}

// sortByPerson sorts persons read (ordinal << 32 | where it was read) by
// ordinal, of which last is the largest, using buf as much; it returns the
// sorted slice and the other one. The lists are read whole, a thousand persons
// and more for a common name: a radix sort on the ordinal's bits costs a
// few passes where a comparison sort costs a dozen.
func sortByPerson(read, buf []uint64, last uint32) (sorted, spare []uint64) {
	if len(read) < 256 {
		slices.Sort(read)
		return read, buf
	}
	const digit = 11
	var count [1 << digit]int
	for shift := 32; shift < 64 && last>>(shift-32) != 0; shift += digit {
		clear(count[:])
		for _, r := range read {
			count[(r>>shift)&(1<<digit-1)]++
		}
		at := 0
		for d, c := range count {
			count[d] = at
			at += c
		}
		for _, r := range read {
			d := (r >> shift) & (1<<digit - 1)
			buf[count[d]] = r
			count[d]++
		}
		read, buf = buf, read
	}
	return read, buf
}

// nameEstimate estimates, in hundredths, the name score of a candidate
// that agrees on the query parts of mask, in the forms of formMasks that
// forms selects: the mean quality of its best entry for each part agreed
// on, in the best of those forms, with the parts of that form agreed on.
func nameEstimate(best *[64]uint8, mask, forms uint64, formMasks []uint64) (est, named int) {
	for f := forms; f != 0; f &= f - 1 {
		agreed := mask & formMasks[bits.TrailingZeros64(f)] &^ birthBit
		n, sum := 0, 0
		for m := agreed; m != 0; m &= m - 1 {
			sum += int(best[bits.TrailingZeros64(m)])
			n++
		}
		if n > 0 && sum/n > est {
			est, named = sum/n, n
		}
	}
	return est, named
}

// scratch is the memory of one search, kept from one search to the next:
// a common name reads thousands of persons.
type scratch struct {
	found    entryTable
	lists    []readList
	unread   []uint64 // see entryTable.unreadSigs
	read     readBuf
	byPerson []uint64 // the persons read, sorted by person (see candidates)
	sortBuf  []uint64
	cands    []candidate
	byUpper  []candidate
	from     []int
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxScratch bounds the persons read whose memory is kept for the next
// search.
const maxScratch = 1 << 16

func putScratch(sc *scratch) {
	if cap(sc.byPerson) > maxScratch || cap(sc.byUpper) > maxScratch {
		return // a rare large search: let it go
	}
	clear(sc.lists[:cap(sc.lists)]) // they point into the index, which may be rebuilt
	scratchPool.Put(sc)
}

func (r *readBuf) reset(n int) {
	r.ords = slices.Grow(r.ords[:0], n)
	r.years = slices.Grow(r.years[:0], n)
	r.sigs = slices.Grow(r.sigs[:0], n)
	r.listOf = slices.Grow(r.listOf[:0], n)
}

// readBuf is the persons a search reads, in the order of their lists.
type readBuf struct {
	ords   []uint32
	years  []uint8  // yearCode of each
	sigs   []uint64 // entriesSig of each, all ones when unknown
	listOf []int32  // the list each comes from
}

// readList is a list of persons a search reads: those of a lexicon entry
// or of a pair of entries (the query parts they agree with are in the
// table of entries found).
type readList struct {
	p    *postings
	sigs []uint64 // the signature of each person of a short entry list, or nil
	a, b uint32   // its entries (a == b for one entry)
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
					lists = append(lists, readList{p: &ix.paired[p], a: a, b: b, pair: true})
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
	qual uint8  // the best similarity of the entry with those parts
	read bool   // the entry's persons were read
}

// reset empties the table for n entries, in its own memory when it fits.
func (t *entryTable) reset(n int) {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	t.slots = grow(t.slots, size)
	clear(t.slots)
	t.shift = uint(64 - bits.TrailingZeros(uint(size)))
	t.n = 0
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

func (t *entryTable) add(id uint32, mask uint64, qual uint8) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	s := t.find(id)
	if s.key == 0 {
		s.key = id + 1
		t.n++
	}
	s.mask |= mask
	s.qual = max(s.qual, qual)
}

// credit raises best[b], for each query part b that found the entry, to
// the entry's quality, and returns those parts (0: the entry was not
// found).
func (t *entryTable) credit(id uint32, best *[64]uint8) uint64 {
	s := t.find(id)
	for m := s.mask &^ birthBit; m != 0; m &= m - 1 {
		b := bits.TrailingZeros64(m)
		best[b] = max(best[b], s.qual)
	}
	return s.mask
}

// unreadSigs appends to dst the sigBits of the entries found whose
// persons are not read.
func (t *entryTable) unreadSigs(dst []uint64) []uint64 {
	for _, s := range t.slots {
		if s.key != 0 && !s.read {
			dst = append(dst, sigBits(s.key-1))
		}
	}
	return dst
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
	t.slots = nil // reset must not reuse them
	t.reset(len(old))
	for _, s := range old {
		if s.key != 0 {
			t.add(s.key-1, s.mask, s.qual)
		}
	}
}
