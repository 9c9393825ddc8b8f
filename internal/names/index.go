package names

import (
	"math/bits"
	"sort"
	"sync"
	"sync/atomic"
)

// Index limits.
const (
	// hugePosting: longer posting lists (very common names) are not scanned
	// on their own; they only confirm candidates found by other parts, or
	// are intersected with each other.
	hugePosting = 4000
	// maxScored caps the candidates fully compared per search.
	maxScored = 600
	// searchFloor is the lowest score a search returns.
	searchFloor = 0.5
	maxSlots    = 63
	birthBit    = uint64(1) << 63
)

// Index finds candidates by keys (phonetic key, consonant skeleton, variant
// group, typo deletion keys of every name part) so that a query compares a
// few hundred persons, not the whole list. It is safe for concurrent readers
// with a writer.
type Index struct {
	mu      sync.RWMutex
	persons []*Prepared // by ordinal; nil once removed or replaced
	byID    map[string]uint32
	post    map[uint64][]uint32 // key hash -> ascending ordinals
	lex     map[uint64]int32    // listed name-part spellings -> number of persons
	dead    int

	searches atomic.Int64
	scored   atomic.Int64
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{byID: make(map[string]uint32), post: make(map[uint64][]uint32), lex: make(map[uint64]int32)}
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
	keys := personKeys(p)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if old, ok := ix.byID[p.ID]; ok {
		ix.unlexLocked(ix.persons[old])
		ix.persons[old] = nil
		ix.dead++
	}
	for _, k := range lexKeys(p) {
		ix.lex[k]++
	}
	if len(ix.persons) >= 1<<32-1 {
		ix.compactLocked()
	}
	ord := uint32(len(ix.persons))
	ix.persons = append(ix.persons, p)
	ix.byID[p.ID] = ord
	for _, k := range keys {
		ix.post[k] = append(ix.post[k], ord)
	}
	ix.maybeCompactLocked()
}

// Remove drops the person with this ID, if any.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if old, ok := ix.byID[id]; ok {
		ix.unlexLocked(ix.persons[old])
		ix.persons[old] = nil
		delete(ix.byID, id)
		ix.dead++
		ix.maybeCompactLocked()
	}
}

func (ix *Index) unlexLocked(p *Prepared) {
	if p == nil {
		return
	}
	for _, k := range lexKeys(p) {
		if ix.lex[k]--; ix.lex[k] <= 0 {
			delete(ix.lex, k)
		}
	}
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
			dup := false
			for _, x := range keys {
				if x == k {
					dup = true
					break
				}
			}
			if !dup {
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

// compactLocked renumbers live persons and rebuilds the postings.
func (ix *Index) compactLocked() {
	live := make([]*Prepared, 0, len(ix.byID))
	for _, p := range ix.persons {
		if p != nil {
			live = append(live, p)
		}
	}
	ix.persons = live
	ix.byID = make(map[string]uint32, len(live))
	ix.post = make(map[uint64][]uint32, len(ix.post))
	for ord, p := range live {
		ix.byID[p.ID] = uint32(ord)
		for _, k := range personKeys(p) {
			ix.post[k] = append(ix.post[k], uint32(ord))
		}
	}
	ix.dead = 0
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

// personKeys lists the distinct keys of all name forms of a person.
func personKeys(p *Prepared) []uint64 {
	var keys []uint64
	for fi := range p.forms {
		f := &p.forms[fi]
		for ti := range f.tokens {
			keys = tokenKeys(&f.tokens[ti], true, keys)
		}
		for mi := range f.merges {
			if shortMerge(f.tokens, &f.merges[mi]) {
				keys = mergedKeys(&f.merges[mi], keys)
			}
		}
	}
	if p.birth.d != 0 {
		keys = append(keys, birthKey(p.birth))
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	out := keys[:0]
	for i, k := range keys {
		if i == 0 || k != keys[i-1] {
			out = append(out, k)
		}
	}
	return out
}

type slotKey struct {
	mask uint64
	key  uint64
}

// Search returns the persons whose score reaches a floor, best first, at
// most limit of them (limit ≤ 0: no limit).
func (ix *Index) Search(q Query, limit int) []Hit {
	pq := PrepareQuery(q)
	if len(pq.forms) == 0 {
		return nil
	}
	// one slot per query part, across the query's renderings
	var sks []slotKey
	formMasks := make([]uint64, 0, len(pq.forms))
	need := 2
	slot := 0
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
			if t.kind == kindNormal || t.kind == kindKunya {
				content++
				fm |= bit
				for _, k := range tokenKeys(t, f.arabic, nil) {
					sks = append(sks, slotKey{bit, k})
				}
			}
		}
		for mi := range f.merges {
			m := &f.merges[mi]
			if start+m.i+1 >= maxSlots || !shortMerge(f.tokens, m) {
				continue
			}
			bits2 := uint64(1)<<uint(start+m.i) | uint64(1)<<uint(start+m.i+1)
			for _, k := range mergedKeys(m, nil) {
				sks = append(sks, slotKey{bits2, k})
			}
		}
		if content < need {
			need = content
		}
		formMasks = append(formMasks, fm|birthBit)
	}
	// an exact full birth date counts as one more agreeing part
	if pq.birth.d != 0 {
		sks = append(sks, slotKey{birthBit, birthKey(pq.birth)})
	}
	if need < 1 {
		need = 1
	}

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	// a query part spelt like a listed name part is a real name, not a typo
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
	hits := make(map[uint32]uint64, 256)
	var huge []slotKey
	for _, sk := range sks {
		p := ix.post[sk.key]
		if len(p) == 0 {
			continue
		}
		if len(p) > hugePosting {
			huge = append(huge, sk)
			continue
		}
		for _, o := range p {
			hits[o] |= sk.mask
		}
	}
	if len(huge) > 0 {
		if len(hits) == 0 {
			// only very common parts: intersect the two shortest lists of
			// different parts
			sort.Slice(huge, func(i, j int) bool { return len(ix.post[huge[i].key]) < len(ix.post[huge[j].key]) })
			a := huge[0]
			for _, b := range huge[1:] {
				if b.mask&a.mask == 0 {
					intersect(ix.post[a.key], ix.post[b.key], func(o uint32) { hits[o] |= a.mask | b.mask })
					break
				}
			}
		}
		for _, sk := range huge {
			p := ix.post[sk.key]
			for o := range hits {
				i := sort.Search(len(p), func(i int) bool { return p[i] >= o })
				if i < len(p) && p[i] == o {
					hits[o] |= sk.mask
				}
			}
		}
	}
	type cand struct {
		ord uint32
		n   int
	}
	cands := make([]cand, 0, len(hits))
	for o, m := range hits {
		n := 0
		for _, fm := range formMasks {
			if c := bits.OnesCount64(m & fm); c > n {
				n = c
			}
		}
		if n >= need && ix.persons[o] != nil {
			cands = append(cands, cand{o, n})
		}
	}
	if len(cands) > maxScored {
		sort.Slice(cands, func(i, j int) bool {
			if cands[i].n != cands[j].n {
				return cands[i].n > cands[j].n
			}
			return cands[i].ord < cands[j].ord
		})
		cands = cands[:maxScored]
	}
	out := make([]Hit, 0, 16)
	var memo simMemo
	if len(cands) > 32 {
		memo = make(simMemo, 256)
	}
	for _, c := range cands {
		p := ix.persons[c.ord]
		r := compare(pq, p, memo)
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

// intersect calls f for each ordinal in both ascending lists.
func intersect(a, b []uint32, f func(uint32)) {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			f(a[i])
			i++
			j++
		}
	}
}
