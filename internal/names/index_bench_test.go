package names_test

import (
	"flag"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/relais/relais/internal/names"
	"github.com/relais/relais/internal/synth"
)

var benchPersons = flag.Int("persons", 100_000, "persons in the index of BenchmarkIndexSearch")

var (
	benchOnce  sync.Once
	benchIndex *names.Index
	benchHeap  uint64
)

// benchmarkIndex builds, once per test binary, an index of -persons
// synthetic persons on all cores.
func benchmarkIndex(b *testing.B) *names.Index {
	benchOnce.Do(func() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		g := synth.New(1)
		ix := names.NewIndex()
		var next atomic.Int64
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for {
					i := int(next.Add(1) - 1)
					if i >= *benchPersons {
						return
					}
					p := g.Person(i)
					birth := ""
					if p.BirthDate != nil {
						birth = *p.BirthDate
					}
					ix.Add(names.Prepare(names.Person{ID: p.ID, Name: p.Name, Aliases: p.Aliases, BirthDate: birth, Nationality: p.Nationality, Sex: p.Sex}))
				}
			})
		}
		wg.Wait()
		runtime.GC()
		runtime.ReadMemStats(&after)
		benchIndex = ix
		benchHeap = after.HeapAlloc - before.HeapAlloc
	})
	return benchIndex
}

// cpuTime is the process's user and system CPU time, in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkIndexSearch measures name queries (about two thirds naming a
// listed person in another spelling) against -persons synthetic persons:
//
//	go test -run XXX -bench IndexSearch ./internal/names/ -persons=1000000
func BenchmarkIndexSearch(b *testing.B) {
	ix := benchmarkIndex(b)
	g := synth.New(1)
	qs := make([]names.Query, 4096)
	for j := range qs {
		q := g.Query(j, *benchPersons)
		qs[j] = names.Query{Name: q.Name}
		if q.BirthDate != nil {
			qs[j].BirthDate = *q.BirthDate
		}
		if q.Nationality != nil {
			qs[j].Nationality = *q.Nationality
		}
	}
	st0 := ix.SearchStats()
	cpu0 := cpuTime()
	b.ResetTimer()
	var i atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ix.Search(qs[int(i.Add(1))%len(qs)], 10)
		}
	})
	b.StopTimer()
	// CPU time (searches and their garbage collection) tells the cost of a
	// search even when other work shares the machine
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
	st1 := ix.SearchStats()
	b.ReportMetric(float64(benchHeap)/float64(*benchPersons), "heapB/person")
	if n := float64(st1.Searches - st0.Searches); n > 0 {
		b.ReportMetric(float64(st1.Read-st0.Read)/n, "read/query")
		b.ReportMetric(float64(st1.Compared-st0.Compared)/n, "compared/query")
	}
}
