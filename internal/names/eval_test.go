package names

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

type evalPerson struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases"`
	BirthDate   *string  `json:"birth_date"`
	Nationality *string  `json:"nationality"`
	Sex         *string  `json:"sex"`
}

type evalQuery struct {
	QID         string  `json:"qid"`
	Name        string  `json:"name"`
	BirthDate   *string `json:"birth_date"`
	Nationality *string `json:"nationality"`
	Sex         *string `json:"sex"`
	Expect      *string `json:"expect"`
	Kind        string  `json:"kind"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// findEvalDir walks up from the working directory looking for shared/eval
// (the repository is checked out next to shared/).
func findEvalDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		for _, c := range []string{filepath.Join(dir, "shared", "eval"), filepath.Join(dir, "..", "shared", "eval")} {
			if fi, err := os.Stat(filepath.Join(c, "names-dev-watchlist.jsonl")); err == nil && !fi.IsDir() {
				return c
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func evalDirOrSkip(tb testing.TB) string {
	d := findEvalDir()
	if d == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("shared/eval not found")
		}
		tb.Skip("shared/eval not found")
	}
	return d
}

func readJSONL[T any](tb testing.TB, path string) []T {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var v T
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

func loadWatchlist(tb testing.TB, dir string) (*Index, map[string]evalPerson) {
	people := readJSONL[evalPerson](tb, filepath.Join(dir, "names-dev-watchlist.jsonl"))
	ix := NewIndex()
	byID := make(map[string]evalPerson, len(people))
	for _, p := range people {
		byID[p.ID] = p
		ix.Add(Prepare(Person{ID: p.ID, Name: p.Name, Aliases: p.Aliases, BirthDate: str(p.BirthDate), Nationality: str(p.Nationality), Sex: str(p.Sex)}))
	}
	return ix, byID
}

func TestDevSet(t *testing.T) {
	dir := evalDirOrSkip(t)
	start := time.Now()
	ix, people := loadWatchlist(t, dir)
	loadTime := time.Since(start)
	queries := readJSONL[evalQuery](t, filepath.Join(dir, "names-dev-queries.jsonl"))

	type tally struct{ n, ok int }
	kinds := map[string]*tally{}
	var pos, found, neg, fp int
	var failures []string
	st0 := ix.SearchStats()
	start = time.Now()
	for _, q := range queries {
		hits := ix.Search(Query{Name: q.Name, BirthDate: str(q.BirthDate), Nationality: str(q.Nationality), Sex: str(q.Sex)}, 50)
		k := kinds[q.Kind]
		if k == nil {
			k = &tally{}
			kinds[q.Kind] = k
		}
		k.n++
		ok := false
		if q.Expect != nil {
			pos++
			for _, h := range hits {
				if h.Result.Match && h.ID == *q.Expect {
					ok = true
				}
			}
			if ok {
				found++
			}
		} else {
			neg++
			ok = true
			for _, h := range hits {
				if h.Result.Match {
					ok = false
				}
			}
			if !ok {
				fp++
			}
		}
		if ok {
			k.ok++
			continue
		}
		if testing.Verbose() {
			var b strings.Builder
			fmt.Fprintf(&b, "FAIL %s %-20s %q dob=%s nat=%s", q.QID, q.Kind, q.Name, str(q.BirthDate), str(q.Nationality))
			if q.Expect != nil {
				e := people[*q.Expect]
				fmt.Fprintf(&b, "\n    expected %s %q %q dob=%s nat=%s", e.ID, e.Name, e.Aliases, str(e.BirthDate), str(e.Nationality))
				p := ix.persons[ix.byID[e.ID]]
				r := Compare(PrepareQuery(Query{Name: q.Name, BirthDate: str(q.BirthDate), Nationality: str(q.Nationality), Sex: str(q.Sex)}), p)
				inHits := false
				for _, h := range hits {
					if h.ID == e.ID {
						inHits = true
					}
				}
				js, _ := json.Marshal(r)
				fmt.Fprintf(&b, "\n    direct compare (candidate=%v): %s", inHits, js)
			}
			for i, h := range hits {
				if i >= 3 {
					break
				}
				e := people[h.ID]
				js, _ := json.Marshal(h.Result)
				fmt.Fprintf(&b, "\n    hit %s %q %q dob=%s nat=%s %s", h.ID, e.Name, e.Aliases, str(e.BirthDate), str(e.Nationality), js)
			}
			failures = append(failures, b.String())
		}
	}
	elapsed := time.Since(start)
	st1 := ix.SearchStats()
	recall := float64(found) / float64(max(pos, 1))
	fpr := float64(fp) / float64(max(neg, 1))
	t.Logf("watch list %d persons indexed in %v; %d queries in %v (%.2f ms/query)", ix.Len(), loadTime.Round(time.Millisecond), len(queries), elapsed.Round(time.Millisecond), float64(elapsed.Microseconds())/1000/float64(max(len(queries), 1)))
	t.Logf("recall %.4f (%d/%d)  false-positive rate %.4f (%d/%d)  mean candidates scored %.1f", recall, found, pos, fpr, fp, neg, float64(st1.Compared-st0.Compared)/float64(max64(st1.Searches-st0.Searches, 1)))
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	worst := 1.0
	for _, k := range names {
		r := float64(kinds[k].ok) / float64(kinds[k].n)
		t.Logf("  %-20s %.3f (%d/%d)", k, r, kinds[k].ok, kinds[k].n)
		if !strings.HasPrefix(k, "neg-") && r < worst {
			worst = r
		}
	}
	for _, f := range failures {
		t.Log(f)
	}
	if recall < 0.97 {
		t.Errorf("recall %.4f < 0.97", recall)
	}
	if worst < 0.90 {
		t.Errorf("a positive kind has recall %.3f < 0.90", worst)
	}
	if fpr > 0.02 {
		t.Errorf("false-positive rate %.4f > 0.02", fpr)
	}
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

func BenchmarkSearch(b *testing.B) {
	dir := evalDirOrSkip(b)
	ix, _ := loadWatchlist(b, dir)
	queries := readJSONL[evalQuery](b, filepath.Join(dir, "names-dev-queries.jsonl"))
	qs := make([]Query, len(queries))
	for i, q := range queries {
		qs[i] = Query{Name: q.Name, BirthDate: str(q.BirthDate), Nationality: str(q.Nationality)}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ix.Search(qs[i%len(qs)], 50)
	}
}

func BenchmarkPrepare(b *testing.B) {
	dir := evalDirOrSkip(b)
	people := readJSONL[evalPerson](b, filepath.Join(dir, "names-dev-watchlist.jsonl"))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := people[i%len(people)]
		Prepare(Person{ID: p.ID, Name: p.Name, Aliases: p.Aliases, BirthDate: str(p.BirthDate), Nationality: str(p.Nationality)})
	}
}

// TestSearchAgreesWithCompare: a search remembers comparisons and
// alignments and explains only what it returns; each hit must still score
// what comparing the query with that person on its own gives, once the
// query's parts spelt like listed ones are marked as the search marks them
// (a known name is not a typo of another). Of renderings that score the
// same, the search may explain another one.
func TestSearchAgreesWithCompare(t *testing.T) {
	dir := evalDirOrSkip(t)
	ix, _ := loadWatchlist(t, dir)
	queries := readJSONL[evalQuery](t, filepath.Join(dir, "names-dev-queries.jsonl"))
	for _, q := range queries {
		query := Query{Name: q.Name, BirthDate: str(q.BirthDate), Nationality: str(q.Nationality), Sex: str(q.Sex)}
		pq := PrepareQuery(query)
		ix.markKnownLocked(pq)
		for _, h := range ix.Search(query, 50) {
			want := Compare(pq, ix.persons[ix.byID[h.ID]])
			if h.Result.Score != want.Score || h.Result.Match != want.Match || h.Result.Explanation.Blocked != want.Explanation.Blocked ||
				want.Explanation.QueryForm == h.Result.Explanation.QueryForm && !reflect.DeepEqual(h.Result, want) {
				t.Errorf("%s %q -> %s: search gives %+v, compare %+v", q.QID, q.Name, h.ID, h.Result, want)
			}
		}
	}
}
