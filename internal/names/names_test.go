package names

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want float64
	}{
		{"smith", "smith", 0},
		{"smith", "smiht", 1},
		{"smith", "smyth", 0.5},
		{"masri", "mzcri", 2},
		{"sharma", "sharmma", 0.5},
		{"modern", "modem", 0.5},
		{"dorte", "dorfe", 0.5},
		{"weber", "webed", 1},
		{"kovalchuk", "kovalhcuk", 1},
		{"abc", "", 3},
		{"karim", "kanim", 1}, // r and n look alike only as rn for m
	}
	for _, c := range cases {
		if got := editDistance(c.a, c.b, 5); got != c.want {
			t.Errorf("editDistance(%q,%q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func match(t *testing.T, q Query, p Person) Result {
	t.Helper()
	return Compare(PrepareQuery(q), Prepare(p))
}

func TestCompareCases(t *testing.T) {
	cases := []struct {
		q    Query
		p    Person
		want bool
	}{
		{Query{Name: "Ahmad Hasan Almasri", BirthDate: "1979-03-14"}, Person{Name: "Ahmed Hassan AL-MASRI", BirthDate: "1979-03-14"}, true},
		{Query{Name: "MUELLER, Hans"}, Person{Name: "Hans Müller"}, true},
		{Query{Name: "Abdulrahman Kanaan"}, Person{Name: "Abd al-Rahman KANAAN"}, true},
		{Query{Name: "Jan Vanderberg"}, Person{Name: "Jan van der Berg"}, true},
		{Query{Name: "Jan v.d. Berg"}, Person{Name: "Jan van der Berg"}, true},
		{Query{Name: "Sean OBrien"}, Person{Name: "Sean O'Brien"}, true},
		// a family-name syllable in a given name is no joined particle
		{Query{Name: "Liu Dekang"}, Person{Name: "Liu Gang"}, false},
		{Query{Name: "Xiaoming Li"}, Person{Name: "LI Xiao Ming"}, true},
		{Query{Name: "Bill Smith"}, Person{Name: "William SMITH"}, true},
		{Query{Name: "James Smiht"}, Person{Name: "James SMITH"}, true},
		{Query{Name: "Sergei Ivanov"}, Person{Name: "Sergey Petrovich IVANOV"}, true},
		// different surname of similar shape
		{Query{Name: "Jessica Scott"}, Person{Name: "Jessica Stewart"}, false},
		{Query{Name: "Nathalie Dupuis"}, Person{Name: "Nathalie Dubois"}, false},
		// one common given name is never enough
		{Query{Name: "Mohamed"}, Person{Name: "Mohamed ALI"}, false},
		{Query{Name: "Mohamed Hassan"}, Person{Name: "Mohamed ALI"}, false},
		// a birth date far away blocks the match
		{Query{Name: "Hans Müller", BirthDate: "1990-01-01"}, Person{Name: "Hans Müller", BirthDate: "1970-05-05"}, false},
		{Query{Name: "Hans Müller", BirthDate: "1970-05-05"}, Person{Name: "Hans Müller", BirthDate: "1970-05-05"}, true},
		{Query{Name: "Hans Müller", BirthDate: "1970-05-05"}, Person{Name: "Hans Müller", BirthDate: "1970"}, true},
		// given names in another order are another person
		{Query{Name: "Ali Ahmed al-Shami"}, Person{Name: "Ahmed Ali AL-SHAMI"}, false},
	}
	for _, c := range cases {
		r := match(t, c.q, c.p)
		if r.Match != c.want {
			t.Errorf("%q vs %q: match=%v score=%.3f %+v", c.q.Name, c.p.Name, r.Match, r.Score, r.Explanation)
		}
	}
}

func TestExplanation(t *testing.T) {
	r := match(t, Query{Name: "Abu Omar", BirthDate: "1980-02-01", Nationality: "JO"},
		Person{ID: "1", Name: "Khaled Muhammad al-Bakri", Aliases: []string{"Abu Omar"}, BirthDate: "1980-01-02", Nationality: "JO"})
	if !r.Match || r.Explanation.NameSource != "alias" || r.Explanation.AliasIndex != 0 {
		t.Fatalf("%+v", r)
	}
	found := false
	for _, a := range r.Explanation.Adjustments {
		if a.Reason == "birth_day_month_swapped" {
			found = true
		}
	}
	if !found {
		t.Errorf("no day/month swap in %+v", r.Explanation.Adjustments)
	}
}

func TestIndex(t *testing.T) {
	ix := NewIndex()
	ix.Add(Prepare(Person{ID: "a", Name: "Olga Ivanova", BirthDate: "1970-01-01"}))
	ix.Add(Prepare(Person{ID: "b", Name: "Wang Wei"}))
	ix.Add(Prepare(Person{ID: "a", Name: "Olga Petrova"}))
	if ix.Len() != 2 {
		t.Fatalf("Len = %d", ix.Len())
	}
	if hits := ix.Search(Query{Name: "Olga Ivanova"}, 10); len(hits) != 0 && hits[0].Result.Match {
		t.Errorf("replaced entry still found: %+v", hits)
	}
	hits := ix.Search(Query{Name: "PETROVA, Olga"}, 10)
	if len(hits) == 0 || hits[0].ID != "a" || !hits[0].Result.Match {
		t.Fatalf("hits = %+v", hits)
	}
	ix.Remove("a")
	ix.Remove("zzz")
	if ix.Len() != 1 || len(ix.Search(Query{Name: "Olga Petrova"}, 10)) != 0 {
		t.Fatal("removed entry still found")
	}
	if hits := ix.Search(Query{Name: "Wei Wong"}, 0); len(hits) != 1 || !hits[0].Result.Match {
		t.Fatalf("hits = %+v", hits)
	}
}

func TestIndexConcurrent(t *testing.T) {
	ix := NewIndex()
	done := make(chan bool)
	go func() {
		for i := 0; i < 2000; i++ {
			ix.Add(Prepare(Person{ID: string(rune('a' + i%50)), Name: "Ivan Petrov"}))
			if i%7 == 0 {
				ix.Remove(string(rune('a' + i%50)))
			}
		}
		close(done)
	}()
	for {
		select {
		case <-done:
			return
		default:
			ix.Search(Query{Name: "Ivan Petrov"}, 5)
		}
	}
}

func TestCommonNameCap(t *testing.T) {
	ix := NewIndex()
	for i := 0; i < 5000; i++ {
		ix.Add(Prepare(Person{ID: "w" + itoa(i), Name: "Wang Wei", BirthDate: "1970-01-01"}))
	}
	ix.Add(Prepare(Person{ID: "target", Name: "Wang Wei", BirthDate: "1985-06-07"}))
	hits := ix.Search(Query{Name: "WANG Wei", BirthDate: "1985-06-07"}, 3)
	if len(hits) == 0 || hits[0].ID != "target" {
		t.Fatalf("hits = %+v", hits)
	}
	st := ix.SearchStats()
	// the 5,000 born fifteen years earlier cannot match: none is compared
	if st.Compared/st.Searches != 1 {
		t.Errorf("scored %d candidates, want 1", st.Compared/st.Searches)
	}
}

func itoa(i int) string {
	b := []byte{}
	for {
		b = append([]byte{byte('0' + i%10)}, b...)
		i /= 10
		if i == 0 {
			return string(b)
		}
	}
}

// TestCommonNameCapRanksByTheRestOfTheQuery: when a name is too common to
// compare every bearer, those agreeing with the birth date or the
// nationality are compared first.
func TestCommonNameCapRanksByTheRestOfTheQuery(t *testing.T) {
	tests := []struct {
		name   string
		target Person
		query  Query
	}{
		{"nationality", Person{ID: "target", Name: "Li Na", Nationality: "SG"}, Query{Name: "Li Na", Nationality: "SG"}},
		{"birth year", Person{ID: "target", Name: "Li Na", BirthDate: "1990"}, Query{Name: "Li Na", BirthDate: "1990-03-04"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := NewIndex()
			for i := 0; i < maxScored+200; i++ {
				ix.Add(Prepare(Person{ID: "other" + itoa(i), Name: "Li Na", Nationality: "CN"}))
			}
			ix.Add(Prepare(tt.target)) // last: the first persons are not favoured

			for _, h := range ix.Search(tt.query, 0) {
				if h.ID == "target" {
					return
				}
			}
			t.Errorf("the target is not among the compared persons")
		})
	}
}

// TestCommonNameCapRanksByExpectedScore: of a common name's bearers, those
// whose spelling agrees best with the query, and whose name has no part
// left over, are compared first, wherever they are listed.
func TestCommonNameCapRanksByExpectedScore(t *testing.T) {
	tests := []struct {
		name   string
		others string
		target string
		query  string
	}{
		{"closer spelling", "Mohamad Aly", "Muhammad Ali", "Muhammad Ali"},
		{"no part left over", "Li Na Xiu", "Li Na", "Li Na"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := NewIndex()
			for i := range 2*maxScored + pairFrom {
				ix.Add(Prepare(Person{ID: "other" + itoa(i), Name: tt.others}))
			}
			ix.Add(Prepare(Person{ID: "target", Name: tt.target}))
			hits := ix.Search(Query{Name: tt.query}, 1)
			if len(hits) != 1 || hits[0].ID != "target" {
				t.Errorf("hits %v, want the target first", hits)
			}
		})
	}
}

func TestSortByPerson(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tt := range []struct{ n, last int }{{10, 100}, {300, 1 << 10}, {2000, 1 << 20}, {5000, 1<<32 - 1}} {
		read := make([]uint64, tt.n)
		last := uint32(0)
		for i := range read {
			o := uint32(r.IntN(tt.last + 1))
			read[i] = uint64(o)<<32 | uint64(r.IntN(64))
			last = max(last, o)
		}
		want := slices.Clone(read)
		slices.Sort(want)
		got, _ := sortByPerson(read, make([]uint64, len(read)), last)
		if !slices.IsSortedFunc(got, func(a, b uint64) int { return cmp.Compare(a>>32, b>>32) }) {
			t.Fatalf("n=%d: not sorted by person", tt.n)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: the persons read changed", tt.n)
		}
	}
}

// TestCommonNameCapKeepsTheFirstListedAmongEquals: of bearers that agree
// equally with the query, the cap keeps the first listed, so that a
// search answers the same whatever the order of its work.
func TestCommonNameCapKeepsTheFirstListedAmongEquals(t *testing.T) {
	ix := NewIndex()
	for i := range 2 * maxScored {
		ix.Add(Prepare(Person{ID: fmt.Sprintf("p%04d", i), Name: "Li Na", Nationality: "CN"}))
	}
	before := ix.SearchStats()
	hits := ix.Search(Query{Name: "Li Na"}, 0)
	if got := ix.SearchStats().Compared - before.Compared; got != maxScored {
		t.Errorf("compared %d persons, want %d", got, maxScored)
	}
	if len(hits) != maxScored {
		t.Fatalf("%d hits, want %d", len(hits), maxScored)
	}
	for i, h := range hits {
		if want := fmt.Sprintf("p%04d", i); h.ID != want {
			t.Fatalf("hit %d is %s, want %s", i, h.ID, want)
		}
	}
}

// TestSearchAmongLeavesOutBeforeTheCap: persons the asker may not see
// neither crowd out of the compared persons nor out of the limit one it
// may see, ranked below them.
func TestSearchAmongLeavesOutBeforeTheCap(t *testing.T) {
	ix := NewIndex()
	for i := range 2 * maxScored {
		ix.Add(Prepare(Person{ID: fmt.Sprintf("hidden%d", i), Name: "Li Na", Nationality: "CN", BirthDate: "1980-02-03", Group: 1}))
	}
	ix.Add(Prepare(Person{ID: "seen", Name: "Li Na", Nationality: "SG", Group: 2}))
	q := Query{Name: "Li Na", Nationality: "CN", BirthDate: "1980-02-03"}
	if hits := ix.Search(q, 10); slices.ContainsFunc(hits, func(h Hit) bool { return h.ID == "seen" }) {
		t.Fatalf("without a filter the person is expected below the limit")
	}
	hits := ix.SearchAmong(q, 10, func(group uint32) bool { return group != 1 })
	if len(hits) != 1 || hits[0].ID != "seen" {
		t.Errorf("hits %v, want only the person that may be seen", hits)
	}
}

// TestSearchReadsOnlyBirthYearsInItsWindow: the bearers of a common name
// born more than two years from the queried date are skipped unread, also
// in the long lists kept by birth era; those of unknown birth are read.
func TestSearchReadsOnlyBirthYearsInItsWindow(t *testing.T) {
	ix := NewIndex()
	for year := 1950; year < 2000; year++ {
		for i := range 20 {
			ix.Add(Prepare(Person{ID: fmt.Sprintf("p%d-%d", year, i), Name: "Ahmed Yilmaz", BirthDate: fmt.Sprintf("%d-01-01", year)}))
		}
	}
	for i := range 10 {
		ix.Add(Prepare(Person{ID: fmt.Sprintf("unknown%d", i), Name: "Ahmed Yilmaz"}))
	}
	before := ix.SearchStats()
	ix.Search(Query{Name: "Ahmed Yilmaz", BirthDate: "1970-05-05"}, 10)
	// 1968 to 1972, 20 a year, and the 10 of unknown birth
	if got, want := ix.SearchStats().Read-before.Read, int64(5*20+10); got != want {
		t.Errorf("read %d persons, want %d", got, want)
	}
}

// TestAdjustmentsAddUp: the name score is the parts' score less the
// adjustments listed, each counted once.
func TestAdjustmentsAddUp(t *testing.T) {
	tests := []struct{ query, listed string }{
		{"Jessica Scott", "Jessica Stewart"},
		{"Jon Smith", "Jon Paul Smith"},
		{"Anna Maria Kowalska", "Anna Kowalska Nowak"},
	}
	for _, tt := range tests {
		ex := Compare(PrepareQuery(Query{Name: tt.query}), Prepare(Person{Name: tt.listed})).Explanation
		score := 1.0 // every part matched here is spelt alike
		for _, a := range ex.Adjustments {
			score += a.Delta
		}
		if round3(max(score, 0)) != ex.NameScore {
			t.Errorf("%q against %q: name score %.3f, adjustments %+v", tt.query, tt.listed, ex.NameScore, ex.Adjustments)
		}
	}
}

// TestSecondSurnameLeftOut: in countries naming people with two surnames,
// either may be used alone; elsewhere the last part is the surname.
func TestSecondSurnameLeftOut(t *testing.T) {
	tests := []struct {
		listed Person
		query  string
		match  bool
	}{
		{Person{Name: "Cristina Álvarez Ibáñez", Nationality: "ES", BirthDate: "1992-11-01"}, "Cristina Álvarez", true},
		{Person{Name: "Cristina Álvarez Ibáñez", Nationality: "ES", BirthDate: "1992-11-01"}, "Cristina Ibáñez", true},
		{Person{Name: "Antônia Freire Moreira", Nationality: "BR", BirthDate: "1952-09-26"}, "Antônia Freire", true},
		{Person{Name: "Peter Werner Walder", Nationality: "DE", BirthDate: "1993-12-08"}, "Peter Werner", false},
		{Person{Name: "Ahmad Muhammad MUHAMMAD", Nationality: "SA", BirthDate: "1966-12-12"}, "Ahmad Muhammad", true},
	}
	for _, tt := range tests {
		r := Compare(PrepareQuery(Query{Name: tt.query, BirthDate: tt.listed.BirthDate}), Prepare(tt.listed))
		if r.Match != tt.match {
			t.Errorf("%q against %q (%s): match %v, want %v (score %.3f, %s)", tt.query, tt.listed.Name, tt.listed.Nationality, r.Match, tt.match, r.Score, r.Explanation.Blocked)
		}
	}
}

// TestJoinedPartsNeedCloseSpelling: two query parts read as one joined
// name must be spelt like it, not only share its phonetic key.
func TestJoinedPartsNeedCloseSpelling(t *testing.T) {
	tests := []struct {
		query, listed string
		match         bool
	}{
		{"Ela Kaya", "Cho Yeolki", false},
		{"Xiao Ming Li", "Li Xiaoming", true},
		{"Li Xiao-ming", "Li Xiaoming", true},
		// a name of one part: both parts joined are all of it
		{"Xiao Ming", "Xiaoming", true},
		// a whole name read as one listed part is one part matched: the
		// listed family name is left
		{"Zhang Yan", "Sun Yangyan", false},
		{"Chen Xiu", "Shen Chenxin", false},
	}
	for _, tt := range tests {
		r := Compare(PrepareQuery(Query{Name: tt.query}), Prepare(Person{Name: tt.listed}))
		if r.Match != tt.match {
			t.Errorf("%q against %q: match %v, want %v (score %.3f)", tt.query, tt.listed, r.Match, tt.match, r.Score)
		}
	}
}

// TestVietnameseNamesHaveNoParticles: Mạc is a family name, not the Scottish
// Mac; the family name comes first.
func TestVietnameseNamesHaveNoParticles(t *testing.T) {
	tests := []struct {
		query, listed string
		match         bool
	}{
		{"Bùi Quốc Hùng", "Mạc Quốc Hùng", false},
		{"Mạc Quốc Hùng", "Mạc Quốc Hùng", true},
		{"MAC Quoc Hung", "Mạc Quốc Hùng", true},
		{"Quốc Hùng Mạc", "Mạc Quốc Hùng", true},
		{"Nguyen Van Minh", "Nguyễn Văn Minh", true},
	}
	for _, tt := range tests {
		r := Compare(PrepareQuery(Query{Name: tt.query}), Prepare(Person{Name: tt.listed}))
		if r.Match != tt.match {
			t.Errorf("%q against %q: match %v, want %v (score %.3f, %s)", tt.query, tt.listed, r.Match, tt.match, r.Score, r.Explanation.Blocked)
		}
	}
}

// TestCommonPartsFoundThroughTheirPair: the persons of a common part are
// not read one by one; a person bearing two common parts of the query is
// found through their pair, whether it was indexed before or after the
// parts became common, and a search finds every person that matches.
func TestCommonPartsFoundThroughTheirPair(t *testing.T) {
	ix := NewIndex()
	var all []*Prepared
	add := func(p Person) {
		pp := Prepare(p)
		all = append(all, pp)
		ix.Add(pp)
	}
	add(Person{ID: "early", Name: "Muhammad KHAN", BirthDate: "1980-02-03"})
	add(Person{ID: "early-alias", Name: "Zaid Rahimi", Aliases: []string{"Mohammed Khan"}})
	add(Person{ID: "replaced", Name: "Muhammad Khan"})
	for i := range 2 * pairFrom {
		add(Person{ID: "m" + itoa(i), Name: "Muhammad " + synthSurname(i)})
		add(Person{ID: "k" + itoa(i), Name: synthSurname(i+7) + " Khan"})
	}
	add(Person{ID: "replaced", Name: "Muhammad Qureshi"})
	add(Person{ID: "removed", Name: "Mohammad Khan"})
	ix.Remove("removed")
	add(Person{ID: "late", Name: "Mohamed KHAN", BirthDate: "1981"})
	add(Person{ID: "late-three", Name: "Muhammad Ali KHAN"})

	want := map[string]bool{"early": true, "early-alias": true, "late": true, "late-three": true}
	for _, q := range []Query{{Name: "Muhammad Khan"}, {Name: "KHAN Mohammed", BirthDate: "1980-02-03"}} {
		st0 := ix.SearchStats()
		pq := PrepareQuery(q)
		byID := map[string]*Prepared{}
		for _, p := range all {
			byID[p.ID] = p // the last one added under an ID is the live one
		}
		got := map[string]bool{}
		for _, h := range ix.Search(q, 0) {
			if h.Result.Match {
				got[h.ID] = true
			}
			// a search scores and explains as a comparison on its own does
			if want := Compare(pq, byID[h.ID]); !reflect.DeepEqual(h.Result, want) {
				t.Errorf("%q: %s: search gives %+v, compare %+v", q.Name, h.ID, h.Result, want)
			}
		}
		st1 := ix.SearchStats()
		for _, p := range all {
			live := p.ID != "removed" && !(p.ID == "replaced" && p.Name == "Muhammad Khan")
			if live && Compare(pq, p).Match && !got[p.ID] {
				t.Errorf("%q: %s (%s) matches but was not found", q.Name, p.ID, p.Name)
			}
		}
		for id := range got {
			if !want[id] {
				t.Errorf("%q: unexpected match %s", q.Name, id)
			}
		}
		// the 4·pairFrom bearers of one common part are neither read nor
		// compared
		if read := st1.Read - st0.Read; read > 10 {
			t.Errorf("%q: read %d persons", q.Name, read)
		}
		if compared := st1.Compared - st0.Compared; compared > 10 {
			t.Errorf("%q: compared %d persons", q.Name, compared)
		}
	}
}

// synthSurname makes distinct surnames that match neither Muhammad nor Khan.
func synthSurname(i int) string {
	const a, b = "bdfglmnprstvz", "aeiou"
	s := []byte{a[i%13] - 32, b[i/13%5], a[i/65%13], b[i/845%5], 'x'}
	return string(s) + itoa(i)
}

// TestRarePartWithACommonOne: a person agreeing through a rare part and a
// common one is read from the rare part's list and found bearing the
// common part, which is not read; a person born on the queried day is
// found bearing it too. The other bearers of the rare part and the others
// born that day are not candidates.
func TestRarePartWithACommonOne(t *testing.T) {
	ix := NewIndex()
	for i := range 2 * pairFrom {
		ix.Add(Prepare(Person{ID: "m" + itoa(i), Name: "Muhammad " + synthSurname(i), BirthDate: "1970-01-01"}))
		ix.Add(Prepare(Person{ID: "o" + itoa(i), Name: "Ilse " + synthSurname(i+3), BirthDate: "1985-05-05"}))
	}
	ix.Add(Prepare(Person{ID: "target", Name: "Muhammad Zorbaqi"}))
	ix.Add(Prepare(Person{ID: "born", Name: "Muhammad Wexler", BirthDate: "1985-05-05"}))
	for i := range 20 {
		ix.Add(Prepare(Person{ID: "z" + itoa(i), Name: "Ilse Zorbaqi"}))
	}
	// the one person compared is the one expected; the second scores
	// below the floor of a search (its surname differs) and is not returned
	tests := []struct {
		query Query
		want  string
	}{
		{Query{Name: "Mohammed ZORBAQI"}, "target"},
		{Query{Name: "Mohammed Quist", BirthDate: "1985-05-05"}, ""},
	}
	for _, tt := range tests {
		st0 := ix.SearchStats()
		hits := ix.Search(tt.query, 0)
		st1 := ix.SearchStats()
		if tt.want != "" && (len(hits) != 1 || hits[0].ID != tt.want) {
			t.Errorf("%+v: hits %v, want %s", tt.query, hits, tt.want)
		}
		if got := st1.Compared - st0.Compared; got != 1 {
			t.Errorf("%+v: compared %d persons, want 1", tt.query, got)
		}
	}
}

// TestSearchSeesPartsAddedAfterItWasAsked: what a query part finds is
// remembered between searches; a spelling added later, or a lexicon
// renumbered by compaction, must still be found.
func TestSearchSeesPartsAddedAfterItWasAsked(t *testing.T) {
	ix := NewIndex()
	// persons removed at the end, so that compaction renumbers the entries
	for i := range 3000 {
		ix.Add(Prepare(Person{ID: "x" + itoa(i), Name: synthSurname(i) + " " + synthSurname(i+1)}))
	}
	ix.Add(Prepare(Person{ID: "first", Name: "Ivan SMIRNOV"}))
	found := func() map[string]bool {
		got := map[string]bool{}
		for _, h := range ix.Search(Query{Name: "Ivan Smirnow"}, 0) {
			if h.Result.Match {
				got[h.ID] = true
			}
		}
		return got
	}
	if got := found(); !got["first"] {
		t.Fatalf("first search: %v", got)
	}
	ix.Add(Prepare(Person{ID: "later", Name: "Ivan SMIRNOFF"}))
	if got := found(); !got["first"] || !got["later"] {
		t.Fatalf("after adding a new spelling: %v", got)
	}
	for i := range 3000 {
		ix.Remove("x" + itoa(i))
	}
	ix.Remove("first")
	ix.Add(Prepare(Person{ID: "after-compaction", Name: "Ivan SMYRNOV"}))
	if got := found(); got["first"] || !got["later"] || !got["after-compaction"] {
		t.Fatalf("after compaction: %v", got)
	}
}

// TestPartFoundTwiceByTheQuery: a common part that two parts of the query
// find (written twice, or in two spellings of one name) agrees with two
// parts by itself; its bearers are read although no pair lists them.
func TestPartFoundTwiceByTheQuery(t *testing.T) {
	ix := NewIndex()
	// one indexed before the part became common, one after
	ix.Add(Prepare(Person{ID: "early", Name: "Muhammad MUHAMMAD", BirthDate: "1970"}))
	for i := range 2 * pairFrom {
		ix.Add(Prepare(Person{ID: "m" + itoa(i), Name: "Muhammad " + synthSurname(i)}))
	}
	ix.Add(Prepare(Person{ID: "late", Name: "Muhammad MUHAMMAD", BirthDate: "1990"}))
	for _, q := range []Query{{Name: "Muhammad Muhammad", BirthDate: "1970"}, {Name: "Mohammed MUHAMMAD", BirthDate: "1990"}} {
		want := map[string]string{"1970": "early", "1990": "late"}[q.BirthDate]
		hits := ix.Search(q, 3)
		if len(hits) == 0 || hits[0].ID != want || !hits[0].Result.Match {
			t.Errorf("%q: hits = %+v, want %s", q.Name, hits, want)
		}
	}
}

// TestManyAliasesCostBoundedPairs: a person whose aliases hold many common
// parts is listed under a bounded number of pairs, not their square.
func TestManyAliasesCostBoundedPairs(t *testing.T) {
	ix := NewIndex()
	var given []string
	for i := range 40 {
		given = append(given, synthSurname(5000+i))
	}
	for _, g := range given {
		for i := range pairFrom {
			ix.Add(Prepare(Person{ID: g + itoa(i), Name: g + " " + synthSurname(i)}))
		}
	}
	listed := func() int {
		n := 0
		for i := range ix.paired {
			n += int(ix.paired[i].n)
		}
		return n
	}
	var aliases []string
	for i := 0; i < len(given); i += 4 {
		aliases = append(aliases, given[i]+" "+given[i+1]+" "+given[i+2]+" "+given[i+3])
	}
	before := listed()
	ix.Add(Prepare(Person{ID: "many", Name: aliases[0], Aliases: aliases[1:]}))
	if got, most := listed()-before, maxPairedParts*(maxPairedParts+1)/2; got > most {
		t.Errorf("a person with %d common parts is listed under %d pairs; want at most %d", len(given), got, most)
	}
	// its name is still found through its pairs
	if hits := ix.Search(Query{Name: aliases[0]}, 3); len(hits) == 0 || hits[0].ID != "many" {
		t.Errorf("hits = %+v", hits)
	}
}
