package screening

import (
	"fmt"
	"slices"
	"testing"
)

// TestExactIndex checks lookups through the sorted arrays, the overlay and
// after compaction, against a plain map of what must be found.
func TestExactIndex(t *testing.T) {
	x := newExactIndex(2)
	want := map[string][]int64{} // number → ids
	entry := func(id int64, n string) exactEntry {
		return exactEntry{id: id, meta: packMeta(1, 1, 1, 0), keys: [2]uint64{docKey("FR", n), numberKey(n)}}
	}
	var base []exactEntry
	for id := int64(1); id <= 5000; id++ {
		n := fmt.Sprintf("N%d", id%4000) // some numbers reported twice
		base = append(base, entry(id, n))
		want[n] = append(want[n], id)
	}
	x.load(base)
	check := func(stage string) {
		t.Helper()
		x.mu.RLock()
		defer x.mu.RUnlock()
		for n, ids := range want {
			var got []int64
			x.lookup(0, docKey("FR", n), func(o uint32) { got = append(got, x.ids[o]) })
			slices.Sort(got)
			sorted := slices.Sorted(slices.Values(ids))
			if !slices.Equal(got, sorted) {
				t.Fatalf("%s: %s → %v, want %v", stage, n, got, sorted)
			}
			var other []int64
			x.lookup(0, docKey("DE", n), func(o uint32) { other = append(other, x.ids[o]) })
			if len(other) != 0 {
				t.Fatalf("%s: %s found under another country", stage, n)
			}
		}
	}
	check("loaded")
	// Delete, update (new number) and insert through the overlay.
	remove := func(n string, id int64) {
		want[n] = slices.DeleteFunc(want[n], func(v int64) bool { return v == id })
		if len(want[n]) == 0 {
			delete(want, n)
		}
	}
	for id := int64(1); id <= 5000; id += 7 {
		x.remove(id)
		remove(fmt.Sprintf("N%d", id%4000), id)
	}
	for id := int64(3); id <= 5000; id += 11 {
		x.upsert(entry(id, fmt.Sprintf("U%d", id)))
		remove(fmt.Sprintf("N%d", id%4000), id)
		want[fmt.Sprintf("U%d", id)] = []int64{id}
	}
	for id := int64(5001); id <= 5500; id++ {
		n := fmt.Sprintf("M%d", id)
		x.upsert(entry(id, n))
		want[n] = append(want[n], id)
	}
	check("overlay")
	x.compact()
	check("compacted")
	if got, n := x.live(), func() int {
		c := 0
		for _, ids := range want {
			c += len(ids)
		}
		return c
	}(); got != n {
		t.Fatalf("live %d, want %d", got, n)
	}
}

func BenchmarkDocumentCheck(b *testing.B) {
	const n = 1 << 20
	x := newExactIndex(2)
	entries := make([]exactEntry, n)
	for i := range entries {
		num := fmt.Sprintf("X%08d", i)
		entries[i] = exactEntry{id: int64(i + 1), keys: [2]uint64{docKey("FR", num), numberKey(num)}}
	}
	x.load(entries)
	keys := make([]uint64, 4096)
	for i := range keys {
		keys[i] = docKey("FR", fmt.Sprintf("X%08d", i*97))
	}
	b.ResetTimer()
	found := 0
	for i := 0; b.Loop(); i++ {
		x.mu.RLock()
		x.lookup(0, keys[i%len(keys)], func(uint32) { found++ })
		x.mu.RUnlock()
	}
	b.ReportMetric(float64(x.bytes())/n, "bytes/doc")
}
