package screening

import (
	"cmp"
	"hash/maphash"
	"math/bits"
	"slices"
	"sync"
)

// exactIndex finds records by one or two exact keys (a travel document by
// issuing country and number, and by number alone; a vehicle by VIN) in
// little memory, so that one node holds 150 million documents.
//
// Keys are 64-bit hashes: the store keeps the text, the index keeps only
// what it takes to answer. Two different keys share a hash with probability
// 2^-64 per pair, so a query meets a foreign record by accident about once
// in 10^11 queries at 150 million records; matches are few and are shown
// with their record, which an officer checks anyway.
//
// Layout, per record: the record id (8 bytes), a packed code of owner,
// status, type and audience (4 bytes) and, per key, a hash (8 bytes) and an
// ordinal (4 bytes) in a sorted array, plus a bucket table of about half a
// byte: 36.5 bytes with two keys. Records changed since the last compaction
// live in a small overlay of maps; a deleted record's code is marked dead.
type exactIndex struct {
	nkeys int

	mu    sync.RWMutex
	ids   []int64  // by ordinal; ids[:baseN] ascending
	meta  []uint32 // by ordinal
	keys  [2]keyTable
	baseN int
	dead  int

	over     [2]map[uint64][]uint32 // overlay: key hash → ordinals ≥ baseN
	overKeys [][2]uint64            // key hashes of overlay ordinal baseN+i
	overByID map[int64]uint32
}

// meta packs what the answer and the policy filter need: owner (8 bits, an
// index into the member table), status (3 bits), document type (4 bits),
// dead (1 bit) and audience (16 bits, an index into the audience table).
const (
	metaOwnerBits  = 8
	metaStatusBits = 3
	metaTypeBits   = 4
	metaDead       = 1 << (metaOwnerBits + metaStatusBits + metaTypeBits)
	metaAudShift   = 16
)

func packMeta(owner, status, typ uint32, audience uint32) uint32 {
	return owner | status<<metaOwnerBits | typ<<(metaOwnerBits+metaStatusBits) | audience<<metaAudShift
}

func metaOwner(m uint32) uint32    { return m & (1<<metaOwnerBits - 1) }
func metaStatus(m uint32) uint32   { return m >> metaOwnerBits & (1<<metaStatusBits - 1) }
func metaType(m uint32) uint32     { return m >> (metaOwnerBits + metaStatusBits) & (1<<metaTypeBits - 1) }
func metaAudience(m uint32) uint32 { return m >> metaAudShift }

// keyTable is one key's sorted array of (hash, ordinal), found through a
// table of bucket starts indexed by the top bits of the hash.
type keyTable struct {
	hashes []uint64
	ords   []uint32
	starts []uint32
	shift  uint
}

// exactEntry is a record to index.
type exactEntry struct {
	id   int64
	meta uint32
	keys [2]uint64
}

func newExactIndex(nkeys int) *exactIndex {
	x := &exactIndex{nkeys: nkeys}
	x.resetOverlay()
	for k := range nkeys {
		x.keys[k] = buildKeyTable(nil, nil)
	}
	return x
}

func (x *exactIndex) resetOverlay() {
	for k := range x.nkeys {
		x.over[k] = map[uint64][]uint32{}
	}
	x.overKeys = nil
	x.overByID = map[int64]uint32{}
}

// buildKeyTable sorts the hashes of the given ordinals by bucket (counting
// sort) and then within each bucket.
func buildKeyTable(hashes []uint64, ords []uint32) keyTable {
	n := len(ords)
	b := 8
	if n > 0 {
		// about 8 to 16 entries per bucket
		b = max(8, bits.Len(uint(n/8)))
	}
	t := keyTable{shift: uint(64 - b), starts: make([]uint32, 1<<b+1)}
	for _, o := range ords {
		t.starts[hashes[o]>>t.shift+1]++
	}
	for i := 1; i < len(t.starts); i++ {
		t.starts[i] += t.starts[i-1]
	}
	t.hashes = make([]uint64, n)
	t.ords = make([]uint32, n)
	fill := slices.Clone(t.starts[:len(t.starts)-1])
	for _, o := range ords {
		h := hashes[o]
		i := fill[h>>t.shift]
		fill[h>>t.shift]++
		t.hashes[i], t.ords[i] = h, o
	}
	for bkt := range len(t.starts) - 1 {
		lo, hi := t.starts[bkt], t.starts[bkt+1]
		for i := lo + 1; i < hi; i++ { // insertion sort: buckets are small
			for j := i; j > lo && t.hashes[j] < t.hashes[j-1]; j-- {
				t.hashes[j], t.hashes[j-1] = t.hashes[j-1], t.hashes[j]
				t.ords[j], t.ords[j-1] = t.ords[j-1], t.ords[j]
			}
		}
	}
	return t
}

// load replaces the index's content with entries, which must be in
// ascending id order.
func (x *exactIndex) load(entries []exactEntry) {
	ids := make([]int64, len(entries))
	meta := make([]uint32, len(entries))
	hs := [2][]uint64{}
	for k := range x.nkeys {
		hs[k] = make([]uint64, len(entries))
	}
	for i, e := range entries {
		ids[i], meta[i] = e.id, e.meta
		for k := range x.nkeys {
			hs[k][i] = e.keys[k]
		}
	}
	x.install(ids, meta, hs)
}

// install builds the key tables over columns sorted by id and swaps them in.
func (x *exactIndex) install(ids []int64, meta []uint32, hs [2][]uint64) {
	ords := make([]uint32, len(ids))
	for i := range ords {
		ords[i] = uint32(i)
	}
	var keys [2]keyTable
	var wg sync.WaitGroup
	for k := range x.nkeys {
		wg.Go(func() { keys[k] = buildKeyTable(hs[k], ords) })
	}
	wg.Wait()
	x.mu.Lock()
	x.ids, x.meta, x.keys, x.baseN, x.dead = ids, meta, keys, len(ids), 0
	x.resetOverlay()
	x.mu.Unlock()
}

// lookup calls fn with every live ordinal whose key k hashes to h. The
// caller holds the read lock.
func (x *exactIndex) lookup(k int, h uint64, fn func(ord uint32)) {
	t := &x.keys[k]
	b := h >> t.shift
	for i := t.starts[b]; i < t.starts[b+1]; i++ {
		if t.hashes[i] == h {
			if o := t.ords[i]; x.meta[o]&metaDead == 0 {
				fn(o)
			}
		} else if t.hashes[i] > h {
			break
		}
	}
	for _, o := range x.over[k][h] {
		if x.meta[o]&metaDead == 0 {
			fn(o)
		}
	}
}

// find returns the live ordinal of record id.
func (x *exactIndex) find(id int64) (uint32, bool) {
	if o, ok := x.overByID[id]; ok {
		return o, x.meta[o]&metaDead == 0
	}
	i, ok := slices.BinarySearch(x.ids[:x.baseN], id)
	if !ok || x.meta[i]&metaDead != 0 {
		return 0, false
	}
	return uint32(i), true
}

// upsert indexes e, replacing the record with the same id.
func (x *exactIndex) upsert(e exactEntry) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.removeLocked(e.id)
	o := uint32(len(x.ids))
	x.ids = append(x.ids, e.id)
	x.meta = append(x.meta, e.meta)
	x.overKeys = append(x.overKeys, e.keys)
	x.overByID[e.id] = o
	for k := range x.nkeys {
		x.over[k][e.keys[k]] = append(x.over[k][e.keys[k]], o)
	}
}

// remove unindexes record id, if it is indexed.
func (x *exactIndex) remove(id int64) {
	x.mu.Lock()
	x.removeLocked(id)
	x.mu.Unlock()
}

func (x *exactIndex) removeLocked(id int64) {
	o, ok := x.find(id)
	if !ok {
		return
	}
	x.meta[o] |= metaDead
	x.dead++
	if o >= uint32(x.baseN) {
		delete(x.overByID, id)
		for k := range x.nkeys {
			h := x.overKeys[o-uint32(x.baseN)][k]
			x.over[k][h] = slices.DeleteFunc(x.over[k][h], func(v uint32) bool { return v == o })
			if len(x.over[k][h]) == 0 {
				delete(x.over[k], h)
			}
		}
	}
}

// needsCompaction reports whether the overlay and the dead entries have
// grown enough to be worth folding into the sorted arrays.
func (x *exactIndex) needsCompaction() bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	changed := len(x.ids) - x.baseN + x.dead
	return changed > 1<<16 && changed > x.baseN/8
}

// compact folds the overlay into new sorted arrays. Only the goroutine that
// changes the index calls it, so the arrays it reads stay as they are while
// readers go on using them; the swap at the end takes the write lock.
func (x *exactIndex) compact() {
	x.mu.RLock()
	n := len(x.ids)
	var hs [2][]uint64
	for k := range x.nkeys {
		hs[k] = make([]uint64, n)
		t := &x.keys[k]
		for i, o := range t.ords {
			hs[k][o] = t.hashes[i]
		}
		for i, kk := range x.overKeys {
			hs[k][x.baseN+i] = kk[k]
		}
	}
	// Live ordinals in id order: the base is sorted, the overlay is merged in.
	over := make([]uint32, 0, n-x.baseN)
	for o := x.baseN; o < n; o++ {
		if x.meta[o]&metaDead == 0 {
			over = append(over, uint32(o))
		}
	}
	slices.SortFunc(over, func(a, b uint32) int { return cmp.Compare(x.ids[a], x.ids[b]) })
	live := n - x.dead
	ids := make([]int64, 0, live)
	meta := make([]uint32, 0, live)
	var nhs [2][]uint64
	for k := range x.nkeys {
		nhs[k] = make([]uint64, 0, live)
	}
	add := func(o uint32) {
		ids, meta = append(ids, x.ids[o]), append(meta, x.meta[o])
		for k := range x.nkeys {
			nhs[k] = append(nhs[k], hs[k][o])
		}
	}
	j := 0
	for o := 0; o < x.baseN; o++ {
		if x.meta[o]&metaDead != 0 {
			continue
		}
		for j < len(over) && x.ids[over[j]] < x.ids[o] {
			add(over[j])
			j++
		}
		add(uint32(o))
	}
	for ; j < len(over); j++ {
		add(over[j])
	}
	x.mu.RUnlock()
	x.install(ids, meta, nhs)
}

// live is the number of records indexed.
func (x *exactIndex) live() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.ids) - x.dead
}

// bytes is the memory the index holds, counted from its arrays' capacities
// (the overlay maps are estimated at 64 bytes per entry).
func (x *exactIndex) bytes() int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	b := int64(cap(x.ids))*8 + int64(cap(x.meta))*4
	for k := range x.nkeys {
		t := &x.keys[k]
		b += int64(cap(t.hashes))*8 + int64(cap(t.ords))*4 + int64(cap(t.starts))*4
	}
	b += int64(len(x.overByID)) * 64 * int64(1+x.nkeys)
	return b
}

// Key hashing. The seed is per process: the index is never stored.
var keySeed = maphash.MakeSeed()

// docKey hashes a normalised (issuing country, number) pair.
func docKey(country, number string) uint64 {
	var buf [48]byte
	b := append(buf[:0], country...)
	b = append(b, 0)
	b = append(b, number...)
	return maphash.Bytes(keySeed, b)
}

// numberKey hashes a normalised number alone.
func numberKey(number string) uint64 {
	var buf [48]byte
	b := append(buf[:0], 1)
	b = append(b, number...)
	return maphash.Bytes(keySeed, b)
}
