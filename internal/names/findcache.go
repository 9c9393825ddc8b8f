package names

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// findCache remembers, from one search to the next, which lexicon entries
// a query part accepts. Common names come back query after query, and
// finding them compares the part with every entry under its keys (hundreds
// for a common name in a large list).
//
// A remembered answer stays right while the lexicon only grows: entries
// added since are checked when the answer is used. Anything else that
// changes an answer (a compaction renumbering the entries, an entry first
// seen in a consonantal script) moves the index's lexicon generation on,
// which forgets them all.
type findCache struct {
	mu    sync.Mutex
	found map[string]foundEntries
}

type foundEntries struct {
	ids   []uint32 // ascending; never modified once stored
	quals []uint8  // the part's similarity with each (see quality)
	upto  uint32   // number of lexicon entries when ids was made
	gen   uint64
}

// maxFoundCached bounds the cache; it starts afresh when full.
const maxFoundCached = 1 << 17

func (c *findCache) get(key string) (foundEntries, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fe, ok := c.found[key]
	return fe, ok
}

func (c *findCache) put(key string, fe foundEntries) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.found == nil || len(c.found) >= maxFoundCached {
		c.found = make(map[string]foundEntries)
	}
	c.found[key] = fe
}

// partCacheKey identifies what the entries a query part accepts depend on.
func partCacheKey(t *token, arabic, strong bool) string {
	var b strings.Builder
	b.WriteString(tokenSignature(t))
	b.WriteByte('|')
	b.WriteString(strconv.FormatBool(t.known))
	b.WriteString(strconv.FormatBool(arabic))
	b.WriteString(strconv.FormatBool(strong))
	return b.String()
}

func joinedCacheKey(m *merged, arabic bool) string {
	return "m|" + m.form + "|" + strconv.FormatBool(arabic)
}

// findEntriesCached is findEntries remembered under key: the caller holds
// the read lock.
func (ix *Index) findEntriesCached(key string, keys []uint64, similar func(e *entry) float64) ([]uint32, []uint8) {
	n := uint32(len(ix.entries))
	fe, ok := ix.finds.get(key)
	if !ok || fe.gen != ix.lexGen {
		ids, quals := ix.findEntries(keys, 0, similar)
		ix.finds.put(key, foundEntries{ids: ids, quals: quals, upto: n, gen: ix.lexGen})
		return ids, quals
	}
	if fe.upto == n {
		return fe.ids, fe.quals
	}
	added, addedQuals := ix.findEntries(keys, fe.upto, similar)
	ids := append(slices.Clip(fe.ids), added...)
	quals := append(slices.Clip(fe.quals), addedQuals...)
	ix.finds.put(key, foundEntries{ids: ids, quals: quals, upto: n, gen: ix.lexGen})
	return ids, quals
}
