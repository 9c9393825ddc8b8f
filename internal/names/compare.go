package names

import (
	"cmp"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// listedPartMissing is the penalty for a listed given name or middle name
// that the query leaves out.
const listedPartMissing = 0.05

// Similarity of two parts by the way they match.
const (
	simExact      = 1.0
	simFold       = 0.97 // Mueller/Muller, Zareei/Zarei, Reddy/Reddi
	simVariant    = 0.95 // Yusuf/Youssef, Oleksandr/Aleksandr
	simEquivalent = 0.90 // Juan/João, Sasha/Aleksandr, Bill/William
	simPhonetic   = 0.90
	simSkeleton   = 0.90
	simInitial    = 0.80
	simWeak       = 0.70 // similar shape only: never enough on its own
	simMatched    = 0.80 // a part counts as matched from here
	simSurname    = 0.84 // a surname needs this much (0.81 with agreeing birth dates)
)

// merged is two adjacent parts written joined: Xiao Ming = Xiaoming.
type merged struct {
	i    int // spans tokens i and i+1
	form string
	fold string
	phon string
	skel string
}

// simMemo remembers part comparisons within one search: listed persons
// with the same name part share its lexeme, so common names bring the same
// pairs again and again. It is an open-addressing table: a search probes
// it for every pair of parts it compares.
type simMemo struct {
	keys  []memoKey
	vals  []memoVal
	gens  []uint32 // a slot is used when its gen is the memo's: emptying the memo costs nothing
	gen   uint32
	n     int
	shift uint
}

type memoKey struct {
	q      *token  // the query's occurrence (its kind and known flag count)
	m      *merged // or two query parts written joined
	c      *lexeme
	ckind  uint8
	arabic bool
	strong bool
}

type memoVal struct {
	sim float64
	how string
}

const memoSize = 2048

var memoPool = sync.Pool{New: func() any { return newSimMemo(memoSize) }}

func newSimMemo(size int) *simMemo {
	return &simMemo{keys: make([]memoKey, size), vals: make([]memoVal, size), gens: make([]uint32, size), gen: 1,
		shift: uint(64 - bits.TrailingZeros(uint(size)))}
}

// getSimMemo returns an empty memo; putSimMemo gives it back.
func getSimMemo() *simMemo { return memoPool.Get().(*simMemo) }

func putSimMemo(m *simMemo) {
	if len(m.keys) > 8*memoSize {
		return // a rare large search: let it go
	}
	m.n = 0
	if m.gen++; m.gen == 0 {
		clear(m.gens)
		m.gen = 1
	}
	memoPool.Put(m)
}

func (m *simMemo) slot(k *memoKey) int {
	h := uint64(uintptr(unsafe.Pointer(k.q))) ^ uint64(uintptr(unsafe.Pointer(k.m)))*31
	h = h*0x9E3779B97F4A7C15 ^ uint64(uintptr(unsafe.Pointer(k.c)))
	h = (h ^ uint64(k.ckind)<<2 ^ uint64(b2i(k.arabic))<<1 ^ uint64(b2i(k.strong))) * 0x9E3779B97F4A7C15
	return int(h >> m.shift)
}

// lookup returns the value under k, or computes and keeps it.
func (m *simMemo) lookup(k memoKey, compute func() (float64, string)) (float64, string) {
	i := m.slot(&k)
	for {
		if m.gens[i] != m.gen {
			sim, how := compute()
			m.keys[i], m.vals[i], m.gens[i] = k, memoVal{sim, how}, m.gen
			if m.n++; 2*m.n > len(m.keys) {
				m.grow()
			}
			return sim, how
		}
		if m.keys[i] == k {
			return m.vals[i].sim, m.vals[i].how
		}
		i = (i + 1) & (len(m.keys) - 1)
	}
}

func (m *simMemo) grow() {
	bigger := newSimMemo(2 * len(m.keys))
	for i, k := range m.keys {
		if m.gens[i] == m.gen {
			j := bigger.slot(&k)
			for bigger.gens[j] == bigger.gen {
				j = (j + 1) & (len(bigger.keys) - 1)
			}
			bigger.keys[j], bigger.vals[j], bigger.gens[j] = k, m.vals[i], bigger.gen
		}
	}
	bigger.n = m.n
	*m = *bigger
}

// tokenSim compares two parts; arabic tells that one side comes from a
// consonantal script.
func tokenSim(a, b *token, arabic, strong bool, memo *simMemo) (float64, string) {
	if memo == nil {
		return partSim(a, b, arabic, strong)
	}
	return memo.lookup(memoKey{q: a, c: b.lexeme, ckind: b.kind, arabic: arabic, strong: strong},
		func() (float64, string) { return partSim(a, b, arabic, strong) })
}

// joinedSim is mergedSim of two query parts written joined with a listed
// part, remembered like tokenSim.
func joinedSim(m *merged, t *token, arabic bool, memo *simMemo) (float64, string) {
	if memo == nil {
		return mergedSim(m, t, arabic)
	}
	return memo.lookup(memoKey{m: m, c: t.lexeme, ckind: t.kind, arabic: arabic},
		func() (float64, string) { return mergedSim(m, t, arabic) })
}

// partSim compares two parts; see tokenSim.
func partSim(a, b *token, arabic, strong bool) (float64, string) {
	if a.kind == kindParticle || b.kind == kindParticle || a.kind == kindLink || b.kind == kindLink {
		if a.kind == b.kind || (a.kind == kindParticle) == (b.kind == kindParticle) && (a.kind == kindLink) == (b.kind == kindLink) {
			if a.forms[0] == b.forms[0] || a.kind == kindParticle {
				return simExact, "exact"
			}
			return simVariant, "variant"
		}
		return 0, ""
	}
	for _, x := range a.forms {
		for _, y := range b.forms {
			if x == y {
				return simExact, "exact"
			}
		}
	}
	a0, b0 := a.forms[0], b.forms[0]
	if a.kind == kindInitial || b.kind == kindInitial {
		if a0[0] == b0[0] {
			return simInitial, "initial"
		}
		return 0, ""
	}
	if shareGroup(a.groups, b.groups) {
		// spelling variants (Yusuf/Youssef) score more than equivalents
		// of another language or nicknames (Juan/João, Bill/William)
		if jaroWinkler(a0, b0) >= 0.85 || a.phon == b.phon {
			return simVariant, "variant"
		}
		return simEquivalent, "variant"
	}
	// two different known names (Maria/Mario, Daniel/Daniela, Li/Lu) are
	// neither misspellings nor phonetic variants of each other
	if len(a.groups) > 0 && len(b.groups) > 0 {
		return 0, ""
	}
	noTypo := a.known
	best, how := 0.0, ""
	for xi, x := range a.forms[:a.core] {
		for yi, y := range b.forms[:b.core] {
			s, h := spellingSim(x, y, a.phons[xi], b.phons[yi], a.folds[xi], b.folds[yi], strong, noTypo)
			if s > best {
				best, how = s, h
			}
		}
	}
	if best < simSkeleton && arabic {
		if s, h := skeletonSim(a.skel, b.skel, arabic); s > best {
			best, how = s, h
		}
	}
	return best, how
}

// spellingSim compares two spellings of one part. strong (the birth dates
// agree exactly) lets a part two edits away count as a typo; noTypo (the
// spellings are both known names) gives no credit for edit distance alone.
func spellingSim(x, y, px, py, fx, fy string, strong, noTypo bool) (float64, string) {
	if x == y {
		return simExact, "exact"
	}
	lx, ly := len(x), len(y)
	mn := lx
	if ly < mn {
		mn = ly
	}
	if mn <= 3 {
		// short parts: only meaningless spelling differences
		if fx == fy && mn >= 2 {
			return simFold, "variant"
		}
		return 0, ""
	}
	if fx == fy {
		return simFold, "variant"
	}
	allowed := 1.0
	switch {
	case mn >= 8:
		allowed = 2
	case mn >= 6:
		allowed = 1.5
	}
	samePhon := px == py && len(px) >= 2
	dl := lx - ly
	if dl < 0 {
		dl = -dl
	}
	if !samePhon && float64(dl) > allowed+1 {
		return 0, ""
	}
	d := editDistance(x, y, allowed+1.5)
	best, how := 0.0, ""
	if samePhon && (d <= 2 || d <= 3 && mn >= 9) && jaroWinkler(x, y) >= 0.84 {
		best, how = simPhonetic, "phonetic"
	}
	if noTypo {
		if best == 0 && d <= allowed {
			best, how = simWeak, "similar"
		}
		return best, how
	}
	if d <= allowed {
		if s := 0.96 - 0.07*d; s > best {
			best, how = s, "typo"
		}
	} else if best == 0 && d <= allowed+1 {
		if strong {
			best, how = 0.81, "typo"
		} else if jaroWinkler(x, y) >= 0.80 {
			best, how = simWeak, "similar"
		}
	}
	return best, how
}

// skeletonSim compares consonant skeletons (names from consonantal scripts).
func skeletonSim(x, y string, arabic bool) (float64, string) {
	if x == "" || y == "" {
		return 0, ""
	}
	if x == y {
		if !arabic {
			if len(x) >= 3 {
				return 0.85, "skeleton"
			}
			return 0, ""
		}
		if len(x) >= 2 {
			return simSkeleton, "skeleton"
		}
		return 0.82, "skeleton"
	}
	if arabic && len(x) >= 3 && len(y) >= 3 {
		if d := editDistance(x, y, 1); d <= 1 {
			if d <= 0.5 {
				return 0.86, "skeleton"
			}
			return 0.80, "skeleton"
		}
	}
	return 0, ""
}

// mergedSim compares a joined pair of parts with one part.
func mergedSim(m *merged, t *token, arabic bool) (float64, string) {
	if t.kind != kindNormal {
		return 0, ""
	}
	best, how := 0.0, ""
	for _, f := range t.forms {
		if f == m.form {
			return simExact, "exact"
		}
	}
	for fi, f := range t.forms[:t.core] {
		if t.folds[fi] == m.fold {
			return simFold, "variant"
		}
		if len(f) >= 6 {
			if d := editDistance(f, m.form, 1); d <= 1 {
				if s := 0.95 - 0.05*d; s > best {
					best, how = s, "typo"
				}
			}
			// a phonetic key keeps few letters: the spellings must be
			// close too (Ela Kaya is not Yeolki)
			if t.phons[fi] == m.phon && best < 0.88 && editDistance(f, m.form, 2.5) <= 2 && jaroWinkler(f, m.form) >= 0.84 {
				best, how = 0.88, "phonetic"
			}
		}
	}
	if arabic && best < 0.85 && t.skel == m.skel && len(m.skel) >= 3 {
		best, how = 0.85, "skeleton"
	}
	return best, how
}

// buildMerges prepares joined pairs of adjacent ordinary parts.
func buildMerges(toks []token) []merged {
	var out []merged
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].kind != kindNormal || toks[i+1].kind != kindNormal {
			continue
		}
		f := toks[i].forms[0] + toks[i+1].forms[0]
		out = append(out, merged{i: i, form: f, fold: foldSpelling(f), phon: phoneticKey(f), skel: skeleton(f)})
	}
	return out
}

// hardPenalty is the cost of a first name or surname present on one side only.
const hardPenalty = 0.20

type pair struct {
	qa, qb, ca, cb int
	sim            float64
	how            string
}

type alignment struct {
	q, c  *nameForm
	score float64
	ok    bool
	why   string
	parts []PartMatch
	adj   []Adjustment
}

func tokWeight(t *token) float64 {
	switch t.kind {
	case kindParticle, kindLink:
		return 0
	case kindKunya:
		return 0.7
	case kindInitial:
		return 0.5
	}
	return 1
}

func isContent(t *token) bool { return t.kind != kindParticle && t.kind != kindLink }

// align finds the best correspondence of query parts to listed parts and
// scores it; explain also lists the parts and adjustments, which only the
// best alignment of a comparison needs.
func align(q, c *nameForm, strong, explain bool, memo *simMemo) alignment {
	al := alignment{q: q, c: c}
	arabic := q.arabic || c.arabic
	nq, nc := len(q.tokens), len(c.tokens)
	var pairBuf [32]pair
	pairs := pairBuf[:0]
	for i := range q.tokens {
		for j := range c.tokens {
			s, h := tokenSim(&q.tokens[i], &c.tokens[j], arabic, strong, memo)
			if s >= simWeak-0.001 {
				pairs = append(pairs, pair{i, i, j, j, s, h})
			}
		}
	}
	for mi := range q.merges {
		m := &q.merges[mi]
		for j := range c.tokens {
			if s, h := joinedSim(m, &c.tokens[j], arabic, memo); s >= simMatched {
				pairs = append(pairs, pair{m.i, m.i + 1, j, j, s, h})
			}
		}
	}
	for mi := range c.merges {
		m := &c.merges[mi]
		for i := range q.tokens {
			if s, h := mergedSim(m, &q.tokens[i], arabic); s >= simMatched {
				pairs = append(pairs, pair{i, i, m.i, m.i + 1, s, h})
			}
		}
	}
	slices.SortStableFunc(pairs, func(x, y pair) int {
		if x.sim != y.sim {
			return cmp.Compare(y.sim, x.sim)
		}
		if n := cmp.Compare(y.qb-y.qa+y.cb-y.ca, x.qb-x.qa+x.cb-x.ca); n != 0 {
			return n
		}
		// a part written twice (Ahmad Muhammad MUHAMMAD): the query's
		// part goes to the surname first
		return cmp.Compare(b2i(c.tokens[y.ca].surname), b2i(c.tokens[x.ca].surname))
	})
	var qmBuf, cmBuf [16]float64
	var qpBuf, cpBuf [16]int
	qm := grow(qmBuf[:0], nq) // sim of the pair each token is in, 0 if none
	cm := grow(cmBuf[:0], nc)
	qp := grow(qpBuf[:0], nq)
	cp := grow(cpBuf[:0], nc)
	for i := range qp {
		qp[i] = -1
	}
	for j := range cp {
		cp[j] = -1
	}
	var chosenBuf [16]pair
	chosen := chosenBuf[:0]
	for _, p := range pairs {
		free := true
		for i := p.qa; i <= p.qb; i++ {
			if qp[i] >= 0 {
				free = false
			}
		}
		for j := p.ca; j <= p.cb; j++ {
			if cp[j] >= 0 {
				free = false
			}
		}
		if !free {
			continue
		}
		// a particle pair only when it sits next to matched content
		for i := p.qa; i <= p.qb; i++ {
			qp[i] = len(chosen)
			qm[i] = p.sim
		}
		for j := p.ca; j <= p.cb; j++ {
			cp[j] = len(chosen)
			cm[j] = p.sim
		}
		chosen = append(chosen, p)
	}
	// base score: weighted mean similarity of the aligned content parts
	var wsum, ssum float64
	// parts matched on each side: two query parts read as one listed part
	// (Xiao Ming: Xiaoming) are one listed part matched, not two
	matchedQ, matchedC, inexact := 0, 0, 0
	for _, p := range chosen {
		w := 0.0
		for i := p.qa; i <= p.qb; i++ {
			w += tokWeight(&q.tokens[i])
		}
		if w == 0 {
			continue
		}
		wsum += w
		ssum += w * p.sim
		if p.sim < simExact {
			inexact++
		}
		if p.sim >= simMatched {
			matchedQ += p.qb - p.qa + 1
			matchedC += p.cb - p.ca + 1
		}
		if explain {
			al.parts = append(al.parts, PartMatch{Query: spanText(q.tokens, p.qa, p.qb), Listed: spanText(c.tokens, p.ca, p.cb), How: p.how, Score: round3(p.sim)})
		}
	}
	if wsum == 0 {
		al.why = "no_common_part"
		return al
	}
	base := ssum / wsum
	// several approximate parts together are weaker evidence than their
	// mean: a variant first name plus a misspelt surname is not a variant
	// name. Consonantal-script renderings are approximate by nature.
	if inexact >= 2 && !arabic {
		base = 1 - (1-base)*1.5
	}
	// coverage of each side
	qContent, cContent := 0, 0
	lastQ, firstQ := -1, -1
	for i := range q.tokens {
		if isContent(&q.tokens[i]) {
			qContent++
			if firstQ < 0 {
				firstQ = i
			}
			lastQ = i
		}
	}
	firstC := -1
	for j := range c.tokens {
		if isContent(&c.tokens[j]) {
			cContent++
			if firstC < 0 {
				firstC = j
			}
		}
	}
	allC := true
	for j := range c.tokens {
		if isContent(&c.tokens[j]) && cm[j] < simMatched {
			allC = false
		}
	}
	surnameOK, surnameAny, qSurOK, qSurAny := false, false, false, false
	surT := simSurname
	if strong {
		surT = simMatched
	}
	for j := range c.tokens {
		if c.tokens[j].surname {
			surnameAny = true
			if cm[j] >= surT {
				surnameOK = true
			}
		}
	}
	for i := range q.tokens {
		if q.tokens[i].surname && q.tokens[i].upper {
			qSurAny = true
			if qm[i] >= surT {
				qSurOK = true
			}
		}
	}
	eastAsian := c.eastAsian
	pen := 0.0
	hardQ, hardC := 0, 0
	softQ, softC := 0, 0
	for i := range q.tokens {
		t := &q.tokens[i]
		if !isContent(t) || qm[i] >= simMatched {
			continue
		}
		softQ++
		p := hardPenalty
		switch {
		case allC && i == firstQ && !eastAsian:
			// a leading extra given name: often another person (the
			// listed person's child: Salim Muhammad X vs Muhammad X)
			p = 0.22
		case allC:
			p = 0.04
		case t.patro || t.kind == kindInitial:
			p = 0.04
		case i != firstQ && i != lastQ:
			p = 0.06
		default:
			hardQ++
		}
		pen += p
		if explain {
			al.parts = append(al.parts, PartMatch{Query: t.raw, How: "extra", Score: 0})
		}
	}
	for j := range c.tokens {
		t := &c.tokens[j]
		if !isContent(t) || cm[j] >= simMatched {
			continue
		}
		softC++
		p := hardPenalty
		switch {
		case t.patro || t.kind == kindInitial:
			p = 0.03
		case j != firstC && !t.surname:
			p = listedPartMissing
		case t.surname && surnameOK:
			p = 0.06
		case j == firstC && !eastAsian && cContent >= 3:
			// the listed person's own given name is absent: the query may
			// name the father (Anas X vs Latifa Anas X)
			p = 0.25
			hardC++
		default:
			hardC++
		}
		pen += p
		if explain {
			al.parts = append(al.parts, PartMatch{Listed: t.raw, How: "missing", Score: 0})
		}
	}
	adjust := func(reason string, delta float64) {
		pen -= delta
		if explain {
			al.adj = append(al.adj, Adjustment{reason, delta})
		}
	}
	missing := pen
	if hardQ > 0 && hardC > 0 {
		adjust("name_part_substituted", -0.15)
	} else if softQ > 0 && softC > 0 {
		adjust("name_part_substituted", -0.12)
	}
	if missing > 0 && explain {
		al.adj = append(al.adj, Adjustment{"name_parts_missing_or_extra", -round3(missing)})
	}
	// the parts may be rotated (surname first or last) but given names
	// keep their order: Ali Ahmed X is not Ahmed Ali X
	if !rotation(chosen, q, c) {
		adjust("name_parts_reordered", -0.22)
	}
	al.score = base - pen
	if al.score < 0 {
		al.score = 0
	}
	al.ok = true
	switch {
	case min(matchedQ, matchedC) < 2 && !(matchedQ > 0 && matchedQ == qContent && matchedC == cContent):
		// one part matched is enough only when it is all of both names
		al.ok, al.why = false, "too_few_parts_matched"
	case surnameAny && !surnameOK:
		al.ok, al.why = false, "surname_not_matched"
	case qSurAny && !qSurOK:
		al.ok, al.why = false, "surname_not_matched"
	}
	return al
}

// rotation reports whether the aligned content parts, read in query order,
// follow the listed order up to a rotation (one wrap-around at most).
func rotation(chosen []pair, q, c *nameForm) bool {
	var seqBuf, byQBuf [16]int
	seq := seqBuf[:0]
	byQ := grow(byQBuf[:0], len(q.tokens))
	for i := range byQ {
		byQ[i] = -1
	}
	for _, p := range chosen {
		if tokWeight(&q.tokens[p.qa]) == 0 && p.qa == p.qb {
			continue
		}
		byQ[p.qa] = p.ca
	}
	for _, ca := range byQ {
		if ca >= 0 {
			seq = append(seq, ca)
		}
	}
	if len(seq) < 3 {
		return true
	}
	descents := 0
	for k := range seq {
		if seq[k] > seq[(k+1)%len(seq)] {
			descents++
		}
	}
	return descents <= 1
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// grow returns buf's first n elements (its own memory, on the stack or
// pooled, when it fits) or a new zeroed slice of n: elements taken from
// buf keep their values, so a reused buffer must be overwritten or
// cleared.
func grow[T any](buf []T, n int) []T {
	if n <= cap(buf) {
		return buf[:n]
	}
	return make([]T, n)
}

func spanText(toks []token, a, b int) string {
	if a == b {
		return toks[a].raw
	}
	parts := make([]string, 0, b-a+1)
	for i := a; i <= b; i++ {
		parts = append(parts, toks[i].raw)
	}
	return strings.Join(parts, " ")
}
