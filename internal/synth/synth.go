// Package synth makes synthetic data for benchmarks and load tests: listed
// persons with realistic multilingual names (in the watch-list format of
// the person import), queries that name a listed person the way a border
// officer may meet it (another romanisation, native script, no diacritics,
// another order, a missing middle name, typing errors, another particle
// spelling) or name nobody listed, and travel documents with numbers shaped
// like each issuing country's.
//
// Everything is a function of the seed and an index, so that a benchmark
// generates millions of records on the fly, without keeping them, and can
// make again the record a query is about.
package synth

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Person is a listed person in the watch-list format of the person import.
type Person struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases"`
	BirthDate   *string  `json:"birth_date"`
	Nationality string   `json:"nationality"`
	Sex         string   `json:"sex"`
}

// Generator makes persons, queries and documents from a seed.
type Generator struct{ seed uint64 }

// New returns a generator; the same seed gives the same data.
func New(seed uint64) *Generator { return &Generator{seed: seed} }

// Streams of the generator: each kind of data draws from its own.
const (
	streamPerson   = 0x5045_5253 // "PERS"
	streamNegative = 0x4e45_4741 // "NEGA"
	streamQuery    = 0x5155_4552 // "QUER"
)

func (g *Generator) rng(stream uint64, i uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed^stream<<32, i))
}

// PersonID is the reference of the i-th listed person.
func PersonID(i int) string { return fmt.Sprintf("S-%09d", i) }

// part is one name part with its spellings.
type part struct {
	latin  []string // first: canonical
	native string   // "" when the culture writes Latin, or when unknown
}

func parsePart(entry string) part {
	var p part
	for _, s := range strings.Split(entry, "|") {
		if isNative(s) {
			p.native = s
		} else {
			p.latin = append(p.latin, s)
		}
	}
	return p
}

// isNative reports whether s holds a letter outside the Latin script.
func isNative(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return true
		}
	}
	return false
}

// person is a generated person before rendering.
type person struct {
	c       *culture
	male    bool
	given   []part // first given name, then the middle ones
	family  []part // one or two surnames
	birth   [3]int // year, month, day; month and day 0 when unknown
	known   bool   // birth date known
	nat     string
	upper   bool // the surname is written in capitals
	aliases []string
}

// pool is a list of name parts, the most frequent first, drawn with
// Zipf-Mandelbrot weights 1/(rank+offset): a few parts are very common and
// the rest make a long tail, as in real populations. The smaller the
// offset, the more the first parts dominate.
type pool struct {
	parts []part
	cum   []uint64 // cumulative weights
}

// zipf parses a table of comma-separated entries (see parsePart), the most
// frequent first. The weights are integers so that a seed makes the same
// persons on every platform.
func zipf(offset float64, entries string) pool {
	var p pool
	var total uint64
	for _, e := range strings.Split(entries, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		part := parsePart(e)
		if len(part.latin) == 0 {
			panic(fmt.Sprintf("synth: table entry %q has no Latin spelling", e))
		}
		total += uint64(1e12 / (float64(len(p.parts)) + offset))
		p.parts = append(p.parts, part)
		p.cum = append(p.cum, total)
	}
	return p
}

func (p *pool) pick(r *rand.Rand) part { return p.parts[drawIndex(r, p.cum)] }

// drawIndex draws an index with the probabilities of the cumulative
// weights cum.
func drawIndex(r *rand.Rand, cum []uint64) int {
	i, _ := slices.BinarySearch(cum, r.Uint64N(cum[len(cum)-1])+1)
	return i
}

// pickCulture draws a culture by its share of listed persons.
func pickCulture(r *rand.Rand) *culture {
	return &cultures()[drawIndex(r, cultureCum())]
}

var cultureCum = sync.OnceValue(func() []uint64 {
	cum := make([]uint64, len(cultures()))
	var total uint64
	for i, c := range cultures() {
		total += uint64(c.weight)
		cum[i] = total
	}
	return cum
})

func (g *Generator) newPerson(r *rand.Rand, c *culture, male bool) *person {
	p := &person{c: c, male: male, nat: c.nationality[r.IntN(len(c.nationality))]}
	names := &c.female
	if male {
		names = &c.male
	}
	if c.syllabic > 0 {
		p.given = []part{syllables(r, names, c.syllabic)}
	} else {
		p.given = []part{names.pick(r)}
	}
	switch c.middle {
	case middleGiven:
		if r.IntN(100) < 35 {
			if m := names.pick(r); m.latin[0] != p.given[0].latin[0] {
				p.given = append(p.given, m)
			}
		}
	case middlePatronymic:
		p.given = append(p.given, patronymic(c.male.pick(r), male))
	case middleFather:
		p.given = append(p.given, c.male.pick(r))
		if r.IntN(100) < 30 {
			p.given = append(p.given, c.male.pick(r))
		}
	case middleFixed:
		middles := &c.middleFemale
		if male {
			middles = &c.middleMale
		}
		p.given = append([]part{middles.pick(r)}, p.given...) // written between family and given name
	}
	p.family = []part{g.surname(r, c, male)}
	if c.middle == middleSurname && r.IntN(100) < 80 {
		p.family = append(p.family, g.surname(r, c, male))
	}
	if r.IntN(100) < 92 {
		p.known = true
		p.birth = [3]int{1945 + r.IntN(61), 1 + r.IntN(12), 1 + r.IntN(28)}
	}
	p.upper = r.IntN(100) < 30
	return p
}

// syllables makes a given name of one syllable or, with the given percent,
// two, as Chinese and Korean names are made: Xiaoming, Xiao Ming, Xiao-ming.
func syllables(r *rand.Rand, names *pool, twoPercent int) part {
	a := names.pick(r)
	if r.IntN(100) >= twoPercent {
		return a
	}
	b := names.pick(r)
	tail := strings.ToLower(b.latin[0])
	return part{
		latin:  []string{a.latin[0] + tail, a.latin[0] + " " + b.latin[0], a.latin[0] + "-" + tail},
		native: a.native + b.native,
	}
}

func (g *Generator) surname(r *rand.Rand, c *culture, male bool) part {
	var s part
	switch n := r.IntN(100); {
	case n < c.nasab:
		// no family name: the name ends with the grandfather's
		return c.male.pick(r)
	case n < c.nasab+c.composed:
		root, end := c.roots.pick(r), c.ends.pick(r)
		for _, e := range end.latin {
			s.latin = append(s.latin, root.latin[0]+e)
		}
		if root.native != "" && end.native != "" {
			s.native = root.native + end.native
		}
	default:
		s = c.surnames.pick(r)
	}
	if !male {
		s = feminine(c.tag, s)
	}
	return s
}

// patronymic derives a Russian patronymic from the father's given name.
func patronymic(father part, male bool) part {
	latinEnd, nativeEnd := "ovich", "ович"
	if !male {
		latinEnd, nativeEnd = "ovna", "овна"
	}
	soft := func(end string) string { return "e" + end[1:] }
	// fathers named Ilya or Nikita give Ilyich, Nikitichna
	latinA, nativeA := "ich", "ич"
	if !male {
		latinA, nativeA = "ichna", "ична"
	}
	var p part
	for _, l := range father.latin[:1] {
		switch {
		case strings.HasSuffix(l, "a"):
			p.latin = append(p.latin, l[:len(l)-1]+latinA)
		case strings.HasSuffix(l, "i") || strings.HasSuffix(l, "y"):
			p.latin = append(p.latin, l[:len(l)-1]+soft(latinEnd))
		case strings.HasSuffix(father.native, "ь"):
			p.latin = append(p.latin, l+soft(latinEnd))
		default:
			p.latin = append(p.latin, l+latinEnd)
		}
	}
	if n := father.native; n != "" {
		switch {
		case strings.HasSuffix(n, "а") || strings.HasSuffix(n, "я"):
			_, size := utf8.DecodeLastRuneInString(n)
			p.native = n[:len(n)-size] + nativeA
		case strings.HasSuffix(n, "й") || strings.HasSuffix(n, "ь"):
			_, size := utf8.DecodeLastRuneInString(n)
			p.native = n[:len(n)-size] + "е" + strings.TrimPrefix(nativeEnd, "о")
		default:
			p.native = n + nativeEnd
		}
	}
	return p
}

// feminine gives a surname its feminine form where the language has one.
func feminine(tag string, s part) part {
	type rule struct{ from, to string }
	var rules []rule
	switch tag {
	case "russian":
		rules = []rule{{"skiy", "skaya"}, {"sky", "skaya"}, {"ov", "ova"}, {"ev", "eva"}, {"in", "ina"}, {"ский", "ская"}, {"ов", "ова"}, {"ев", "ева"}, {"ин", "ина"}}
	case "greek":
		rules = []rule{{"os", "ou"}, {"is", "i"}, {"as", "a"}, {"ος", "ου"}, {"ης", "η"}, {"άς", "ά"}, {"ας", "α"}}
	default:
		return s
	}
	apply := func(w string) string {
		for _, r := range rules {
			if strings.HasSuffix(w, r.from) {
				return w[:len(w)-len(r.from)] + r.to
			}
		}
		return w
	}
	out := part{native: apply(s.native)}
	for _, l := range s.latin {
		out.latin = append(out.latin, apply(l))
	}
	return out
}

// spelling chooses which spelling of each part to write.
type spelling struct {
	alt    map[*part]int // part → index into latin
	native bool
}

func (s spelling) of(p *part) string {
	if s.native && p.native != "" {
		return p.native
	}
	if i, ok := s.alt[p]; ok && i < len(p.latin) {
		return p.latin[i]
	}
	return p.latin[0]
}

// render writes the name in the culture's order.
func (p *person) render(s spelling, familyFirst bool, upperFamily bool) string {
	fam := make([]string, len(p.family))
	for i := range p.family {
		fam[i] = s.of(&p.family[i])
		if upperFamily && !s.native {
			fam[i] = strings.ToUpper(fam[i])
		}
	}
	giv := make([]string, len(p.given))
	for i := range p.given {
		giv[i] = s.of(&p.given[i])
	}
	sep := " "
	if s.native && p.c.nativeJoined {
		sep = ""
	}
	if familyFirst {
		return strings.Join(append(fam, giv...), sep)
	}
	return strings.Join(append(giv, fam...), sep)
}

func (p *person) canonical() string {
	return p.render(spelling{}, p.c.familyFirst, p.upper && !p.c.familyFirst)
}

// keys are the person's given name with each of the surnames, in
// canonical spellings, without middle names: a name that shares its given
// name and a surname with a listed one may well be that person.
func (p *person) keys() []string {
	given := p.given[0]
	if p.c.middle == middleFixed {
		given = p.given[len(p.given)-1]
	}
	keys := make([]string, len(p.family))
	for i, f := range p.family {
		keys[i] = strings.ToLower(given.latin[0] + " " + f.latin[0])
	}
	return keys
}

// parity is 0 when every key of the person hashes even, 1 when every key
// hashes odd, and -1 otherwise.
func (p *person) parity() int {
	par := -1
	for _, k := range p.keys() {
		h := fnv.New32a()
		h.Write([]byte(k))
		v := int(h.Sum32() & 1)
		if par >= 0 && v != par {
			return -1
		}
		par = v
	}
	return par
}

// listedPerson makes the i-th listed person. The keys of listed names
// (and their aliases) hash even and those of absent persons odd, so that an
// absent name never has the given name and a surname of a listed one.
func (g *Generator) listedPerson(i int) *person {
	r := g.rng(streamPerson, uint64(i))
	for {
		c := pickCulture(r)
		p := g.newPerson(r, c, r.IntN(100) < 62)
		if p.parity() != 0 {
			continue
		}
		switch n := r.IntN(100); {
		case n < 10:
			alias := g.newPerson(r, c, p.male)
			for alias.parity() != 0 {
				alias = g.newPerson(r, c, p.male)
			}
			p.aliases = append(p.aliases, alias.canonical())
		case n < 15:
			p.aliases = append(p.aliases, strings.ToUpper(stripDiacritics(p.render(spelling{}, p.c.familyFirst, false), false)))
		}
		return p
	}
}

// Person returns the i-th listed person (i ≥ 0).
func (g *Generator) Person(i int) Person {
	return g.listedPerson(i).export(PersonID(i))
}

func (p *person) export(id string) Person {
	out := Person{ID: id, Name: p.canonical(), Aliases: p.aliases, Nationality: p.nat, Sex: "F"}
	if out.Aliases == nil {
		out.Aliases = []string{}
	}
	if p.male {
		out.Sex = "M"
	}
	if p.known {
		d := fmt.Sprintf("%04d-%02d-%02d", p.birth[0], p.birth[1], p.birth[2])
		out.BirthDate = &d
	}
	return out
}
