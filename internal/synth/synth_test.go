package synth

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/member"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/records"
)

func TestDeterministic(t *testing.T) {
	tests := []struct {
		name string
		make func(g *Generator, i int) any
	}{
		{"person", func(g *Generator, i int) any { return g.Person(i) }},
		{"query", func(g *Generator, i int) any { return g.Query(i, 1000) }},
		{"document", func(g *Generator, i int) any { return g.Document(i) }},
		{"absent document", func(g *Generator, i int) any { return g.AbsentDocument(i) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b, other := New(7), New(7), New(8)
			differ := 0
			for i := range 200 {
				x, y := tt.make(a, i), tt.make(b, i)
				if !reflect.DeepEqual(x, y) {
					t.Fatalf("item %d differs between two generators with the same seed: %+v / %+v", i, x, y)
				}
				if !reflect.DeepEqual(x, tt.make(other, i)) {
					differ++
				}
			}
			if differ < 150 {
				t.Errorf("only %d of 200 items change with the seed", differ)
			}
		})
	}
}

func TestPersonsWellFormed(t *testing.T) {
	g := New(1)
	seen := map[string]bool{}
	ids := map[string]bool{}
	for i := range 3000 {
		p := g.Person(i)
		if p.ID != PersonID(i) || ids[p.ID] {
			t.Fatalf("person %d: id %q", i, p.ID)
		}
		ids[p.ID] = true
		if !utf8.ValidString(p.Name) || len(strings.Fields(p.Name)) < 2 && !isNative(p.Name) {
			t.Errorf("person %d: name %q has fewer than two parts", i, p.Name)
		}
		if p.Sex != "M" && p.Sex != "F" {
			t.Errorf("person %d: sex %q", i, p.Sex)
		}
		if !member.IsISOCountry(p.Nationality) {
			t.Errorf("person %d: nationality %q is no country", i, p.Nationality)
		}
		if p.BirthDate != nil {
			d, err := time.Parse(time.DateOnly, *p.BirthDate)
			if err != nil || d.Year() < 1940 || d.Year() > 2010 {
				t.Errorf("person %d: birth date %q", i, *p.BirthDate)
			}
		}
		// the person import reads the line
		line, _ := json.Marshal(p)
		if _, err := records.NewLineParser(records.Persons, records.JSONLines, "FR", policy.Audience{Mode: policy.AllMembers}).Parse(line); err != nil {
			t.Errorf("person %d: the import refuses %s: %v", i, line, err)
		}
		seen[p.Nationality] = true
	}
	if len(seen) < 40 {
		t.Errorf("only %d nationalities in 3000 persons", len(seen))
	}
}

func TestQueries(t *testing.T) {
	g := New(3)
	const listed = 500
	kinds := map[string]int{}
	for j := range 4000 {
		q := g.Query(j, listed)
		kinds[q.Kind]++
		if strings.TrimSpace(q.Name) == "" {
			t.Fatalf("query %d has no name", j)
		}
		if strings.HasPrefix(q.Kind, "neg-") {
			if q.Expect != "" {
				t.Errorf("negative query %d expects %s", j, q.Expect)
			}
			continue
		}
		if q.Expect == "" {
			t.Fatalf("positive query %d (%s) expects nobody", j, q.Kind)
		}
		var i int
		for i = 0; i < listed && PersonID(i) != q.Expect; i++ {
		}
		if i == listed {
			t.Fatalf("query %d expects %s, which is not among the first %d", j, q.Expect, listed)
		}
		p := g.Person(i)
		if q.Kind == "script" && !isNative(q.Name) {
			t.Errorf("script query %d %q is in Latin letters", j, q.Name)
		}
		if q.Kind == "alias" && !containsFold(p.Aliases, q.Name) {
			t.Errorf("alias query %d %q is none of %v", j, q.Name, p.Aliases)
		}
		if q.BirthDate != nil && (p.BirthDate == nil || *q.BirthDate != *p.BirthDate) {
			t.Errorf("query %d: birth date %v, listed %v", j, *q.BirthDate, p.BirthDate)
		}
	}
	for _, k := range append(append([]string{}, PositiveKinds...), NegativeKinds...) {
		if kinds[k] < 10 { // alias: only persons with another name have one
			t.Errorf("kind %s: %d queries of 4000", k, kinds[k])
		}
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// An absent name is never the exact name of a listed person.
func TestAbsentNamesAreAbsent(t *testing.T) {
	g := New(5)
	const listed = 5000
	names := map[string]bool{}
	for i := range listed {
		p := g.Person(i)
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			names[strings.ToLower(n)] = true
		}
	}
	for j := range 3000 {
		if q := g.Query(j, listed); q.Kind == "neg-absent" && names[strings.ToLower(q.Name)] {
			t.Errorf("absent query %d %q is a listed name", j, q.Name)
		}
	}
}

func TestVariants(t *testing.T) {
	tests := []struct {
		kind, in string
		want     *regexp.Regexp
	}{
		{"particle", "Rania al-Masri", regexp.MustCompile(`^Rania (Al Masri|Almasri|El Masri|al Masri|El-Masri)$`)},
		{"particle", "Jan van der Meer", regexp.MustCompile(`^Jan (Vandermeer|Van Der Meer|v\.d\. Meer)$`)},
		{"particle", "Sean O'Brien", regexp.MustCompile(`^Sean O ?Brien$`)},
		{"diacritics", "José Müller Şahin", regexp.MustCompile(`^Jose Mu(e)?ller Sahin$`)},
		{"diacritics", "Đặng Văn Hùng", regexp.MustCompile(`^Dang Van Hung$`)},
	}
	for _, tt := range tests {
		t.Run(tt.kind+" "+tt.in, func(t *testing.T) {
			for s := range uint64(20) {
				r := New(s).rng(1, 1)
				var got string
				var ok bool
				if tt.kind == "particle" {
					got, ok = particle(r, tt.in)
				} else {
					got, ok = stripDiacritics(tt.in, s%2 == 0), true
				}
				if !ok || !tt.want.MatchString(got) {
					t.Fatalf("%s of %q = %q, %v", tt.kind, tt.in, got, ok)
				}
			}
		})
	}
}

func TestTypos(t *testing.T) {
	g := New(9)
	for s := range 500 {
		r := g.rng(2, uint64(s))
		in := "Ali Konstantinos Papadopoulos"
		got, ok := typos(r, in)
		if !ok {
			continue
		}
		w := strings.Fields(got)
		if len(w) != 3 || w[0] != "Ali" {
			t.Fatalf("typos(%q) = %q: a short word changed or the words moved", in, got)
		}
		if d := editDistance(in, got); d < 1 || d > 4 {
			t.Fatalf("typos(%q) = %q: %d edits", in, got, d)
		}
	}
}

func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur := make([]int, len(y)+1)
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			c := prev[j-1]
			if x[i-1] != y[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev = cur
	}
	return prev[len(y)]
}

var numberShapes = map[string]*regexp.Regexp{
	"US": regexp.MustCompile(`^[A-Z][0-9]{8}$`), "GB": regexp.MustCompile(`^[0-9]{9}$`), "FR": regexp.MustCompile(`^[0-9]{2}[A-Z]{2}[0-9]{5}$`),
	"DE": regexp.MustCompile(`^C[CFGHJKLMNPRTVWXYZ0-9]{8}$`), "CN": regexp.MustCompile(`^E[0-9]{8}$`), "IN": regexp.MustCompile(`^[A-Z][0-9]{7}$`),
	"NL": regexp.MustCompile(`^[A-Z]{2}[A-NP-Z0-9]{6}[0-9]$`),
}

func TestDocuments(t *testing.T) {
	g := New(11)
	const n = 200000
	seen := make(map[string]bool, n)
	for i := range n {
		d := g.Document(i)
		key := d.IssuingCountry + " " + d.Number
		if seen[key] {
			t.Fatalf("document %d repeats %s", i, key)
		}
		seen[key] = true
		if re := numberShapes[d.IssuingCountry]; re != nil && !re.MatchString(d.Number) {
			t.Fatalf("document %d: %s number %q has not the country's shape", i, d.IssuingCountry, d.Number)
		}
		if i < 2000 {
			if _, err := records.NewLineParser(records.TravelDocuments, records.JSONLines, "FR", policy.Audience{Mode: policy.AllMembers}).Parse(d.AppendJSON(nil)); err != nil {
				t.Fatalf("document %d: the import refuses %s: %v", i, d.AppendJSON(nil), err)
			}
		}
	}
	for j := range 20000 {
		if d := g.AbsentDocument(j); seen[d.IssuingCountry+" "+d.Number] {
			t.Fatalf("absent document %d %s is listed", j, d)
		}
	}
	for _, s := range docSlots {
		if c := capacity(s.pattern); c < s.count<<(docBits-5) {
			t.Errorf("%s numbers %s: %d numbers for %d documents", s.country, s.pattern, c, s.count<<(docBits-5))
		}
	}
}

func TestPermuteIsBijective(t *testing.T) {
	// a bijection on 2^28 values, checked on a sample: no two of the first
	// million share an image
	g := New(13)
	seen := make(map[uint64]bool, 1<<20)
	for i := range uint64(1 << 20) {
		v := g.permute(i)
		if v >= MaxDocuments || seen[v] {
			t.Fatalf("permute(%d) = %d repeats or is out of range", i, v)
		}
		seen[v] = true
	}
}

// Names follow a skewed distribution over large tables: a list of 200,000
// persons holds mostly distinct full names, yet a few given names are far
// more frequent than the typical one.
func TestNameFrequencies(t *testing.T) {
	g := New(1)
	const n = 200_000
	full := make(map[string]int, n)
	first := map[string]int{}
	for i := range n {
		name := strings.ToLower(g.Person(i).Name)
		full[name]++
		first[strings.Fields(name)[0]]++
	}
	top := 0
	for _, c := range full {
		top = max(top, c)
	}
	if top >= 40 {
		t.Errorf("the most common full name is borne by %d of %d persons, want fewer than 40", top, n)
	}
	if len(full) < n*3/4 {
		t.Errorf("%d distinct full names in %d persons, want at least three quarters", len(full), n)
	}
	counts := make([]int, 0, len(first))
	for _, c := range first {
		counts = append(counts, c)
	}
	slices.Sort(counts)
	if median, most := counts[len(counts)/2], counts[len(counts)-1]; most < 50*median {
		t.Errorf("the most common first word appears %d times, the median one %d: the distribution is not skewed", most, median)
	}
	if len(first) < 1500 {
		t.Errorf("only %d distinct first words in %d persons", len(first), n)
	}
}

func TestCultureTables(t *testing.T) {
	for _, c := range cultures() {
		t.Run(c.tag, func(t *testing.T) {
			if c.weight <= 0 {
				t.Errorf("weight %d", c.weight)
			}
			for _, n := range c.nationality {
				if !member.IsISOCountry(n) {
					t.Errorf("nationality %q is no country", n)
				}
			}
			if len(c.male.parts) < 25 || len(c.female.parts) < 25 || len(c.surnames.parts) < 25 {
				t.Errorf("%d male, %d female names and %d surnames: too few for lists of millions",
					len(c.male.parts), len(c.female.parts), len(c.surnames.parts))
			}
			if c.composed > 0 && (len(c.roots.parts) == 0 || len(c.ends.parts) == 0) {
				t.Errorf("%d %% composed surnames without roots or endings", c.composed)
			}
			if c.composed+c.nasab > 100 {
				t.Errorf("composed %d %% and nasab %d %% exceed all persons", c.composed, c.nasab)
			}
			if c.middle == middleFixed && (len(c.middleMale.parts) == 0 || len(c.middleFemale.parts) == 0) {
				t.Error("fixed middle names without a table")
			}
			for _, pl := range []pool{c.male, c.female, c.surnames, c.roots, c.ends} {
				for _, p := range pl.parts {
					for _, l := range p.latin {
						if isNative(l) {
							t.Errorf("%q is not in Latin letters", l)
						}
					}
				}
			}
		})
	}
}

func TestZipfPick(t *testing.T) {
	p := zipf(1, "A, B, C, D")
	r := New(1).rng(3, 3)
	got := map[string]int{}
	for range 100_000 {
		got[p.pick(r).latin[0]]++
	}
	// weights 1, 1/2, 1/3, 1/4 of 25/12
	for name, want := range map[string]float64{"A": 0.48, "B": 0.24, "C": 0.16, "D": 0.12} {
		if share := float64(got[name]) / 100_000; share < want-0.01 || share > want+0.01 {
			t.Errorf("%s drawn %.3f of the time, want %.2f", name, share, want)
		}
	}
}

func BenchmarkPerson(b *testing.B) {
	g := New(1)
	for i := 0; b.Loop(); i++ {
		g.Person(i)
	}
}

func BenchmarkQuery(b *testing.B) {
	g := New(1)
	for i := 0; b.Loop(); i++ {
		g.Query(i, 1_000_000)
	}
}
