package screening

import (
	"flag"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/relais/relais/internal/synth"
)

var benchDocuments = flag.Int("documents", 1<<20, "travel documents in the index of BenchmarkDocumentIndex")

var (
	docIndexOnce  sync.Once
	docIndex      *exactIndex
	docIndexHeap  uint64
	docIndexBuild float64
)

// BenchmarkDocumentIndex measures exact document checks (half of them about
// listed documents) against -documents synthetic travel documents, built
// straight into the index on all cores, without a store:
//
//	go test -run XXX -bench DocumentIndex -timeout 60m ./internal/screening/ -documents=150000000
func BenchmarkDocumentIndex(b *testing.B) {
	n := *benchDocuments
	g := synth.New(1)
	docIndexOnce.Do(func() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		ids := make([]int64, n)
		meta := make([]uint32, n)
		hs := [2][]uint64{make([]uint64, n), make([]uint64, n)}
		var next atomic.Int64
		var wg sync.WaitGroup
		const chunk = 1 << 16
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for {
					lo := int(next.Add(chunk) - chunk)
					if lo >= n {
						return
					}
					for i := lo; i < min(lo+chunk, n); i++ {
						d := g.Document(i)
						ids[i] = int64(i + 1)
						meta[i] = packMeta(ownerCode["FR"], code(statuses, d.Status), code(docTypes, d.Type), 0)
						hs[0][i], hs[1][i] = docKey(d.IssuingCountry, d.Number), numberKey(d.Number)
					}
				}
			})
		}
		wg.Wait()
		x := newExactIndex(2)
		x.install(ids, meta, hs)
		ids, meta, hs = nil, nil, [2][]uint64{}
		runtime.GC()
		runtime.ReadMemStats(&after)
		docIndex, docIndexHeap = x, after.HeapAlloc-before.HeapAlloc
	})
	x := docIndex
	const nq = 1 << 20
	keys := make([]uint64, nq)
	for k := range keys {
		d := g.AbsentDocument(k)
		if k%2 == 0 {
			d = g.Document(int(uint64(k) * 0x9E3779B97F4A7C15 % uint64(n)))
		}
		keys[k] = docKey(d.IssuingCountry, d.Number)
	}
	var cursor, found atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		hits := int64(0)
		for pb.Next() {
			k := cursor.Add(1) & (nq - 1)
			x.mu.RLock()
			x.lookup(0, keys[k], func(uint32) { hits++ })
			x.mu.RUnlock()
		}
		found.Add(hits)
	})
	b.StopTimer()
	b.ReportMetric(float64(x.bytes())/float64(n), "index-B/doc")
	b.ReportMetric(float64(docIndexHeap)/float64(n), "heap-B/doc")
	if f := found.Load(); f < int64(b.N)/2-1 {
		b.Fatalf("found %d of the %d listed documents asked about", f, b.N/2)
	}
}
