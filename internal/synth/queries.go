package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Query is a name to screen with what the generator knows of its answer:
// Expect is the id of the listed person it names, "" when it names nobody
// listed; Kind says how it differs from the listing (the kinds of the names
// development set: translit, script, diacritics, order, partial, typo,
// particle, alias; neg-absent and neg-dob-nat for negatives).
type Query struct {
	QID         string  `json:"qid"`
	Name        string  `json:"name"`
	BirthDate   *string `json:"birth_date"`
	Nationality *string `json:"nationality"`
	Expect      string  `json:"expect,omitempty"`
	Kind        string  `json:"kind"`
}

// PositiveKinds are the ways a query may name a listed person.
var PositiveKinds = []string{"translit", "script", "diacritics", "order", "partial", "typo", "particle", "alias"}

// NegativeKinds are the kinds of queries that name nobody listed.
var NegativeKinds = []string{"neg-absent", "neg-dob-nat"}

// Query returns the j-th query over a list of the first listed persons:
// about 65 % name one of them, the rest nobody.
func (g *Generator) Query(j, listed int) Query {
	r := g.rng(streamQuery, uint64(j))
	q := Query{QID: fmt.Sprintf("q%09d", j)}
	if listed <= 0 || r.IntN(100) >= 65 {
		g.negative(r, j, listed, &q)
		return q
	}
	i := r.IntN(listed)
	p := g.listedPerson(i)
	q.Expect = PersonID(i)
	q.Kind = PositiveKinds[r.IntN(len(PositiveKinds))]
	q.Name, q.Kind = variant(r, p, q.Kind)
	if p.known && r.IntN(100) < 70 {
		d := fmt.Sprintf("%04d-%02d-%02d", p.birth[0], p.birth[1], p.birth[2])
		q.BirthDate = &d
	}
	if r.IntN(100) < 30 {
		n := p.nat
		q.Nationality = &n
	}
	return q
}

func (g *Generator) negative(r *rand.Rand, j, listed int, q *Query) {
	if listed > 0 && r.IntN(100) < 30 {
		// a listed name, but born far from the listed date and elsewhere
		p := g.listedPerson(r.IntN(listed))
		if p.known {
			q.Kind = "neg-dob-nat"
			q.Name = p.canonical()
			// born outside the listed persons' years (1945-2005) by more
			// than two years, so no one of that name on the list matches
			year := 1920 + r.IntN(22)
			if r.IntN(4) == 0 {
				year = 2008 + r.IntN(10)
			}
			d := fmt.Sprintf("%04d-%02d-%02d", year, 1+r.IntN(12), 1+r.IntN(28))
			q.BirthDate = &d
			n := otherNationality(r, p.nat)
			q.Nationality = &n
			return
		}
	}
	// a plausible name that nobody listed bears (its keys hash odd)
	nr := g.rng(streamNegative, uint64(j))
	for {
		c := pickCulture(nr)
		p := g.newPerson(nr, c, nr.IntN(100) < 62)
		if p.parity() != 1 {
			continue
		}
		q.Kind = "neg-absent"
		q.Name = p.canonical()
		if p.known && nr.IntN(100) < 70 {
			d := fmt.Sprintf("%04d-%02d-%02d", p.birth[0], p.birth[1], p.birth[2])
			q.BirthDate = &d
		}
		return
	}
}

func otherNationality(r *rand.Rand, nat string) string {
	for {
		c := &cultures()[r.IntN(len(cultures()))]
		if n := c.nationality[r.IntN(len(c.nationality))]; n != nat {
			return n
		}
	}
}

// variant writes the person's name the way kind says; when the person's
// name does not allow it (no native script, no particle...), it falls back
// to another kind and says which.
func variant(r *rand.Rand, p *person, kind string) (string, string) {
	for range 4 {
		if s, ok := tryVariant(r, p, kind); ok {
			if r.IntN(100) < 10 && kind != "script" {
				s = strings.ToUpper(s)
			}
			return s, kind
		}
		kind = map[string]string{"script": "translit", "translit": "order", "diacritics": "typo",
			"particle": "typo", "alias": "translit", "partial": "order", "typo": "order"}[kind]
		if kind == "" {
			break
		}
	}
	return p.canonical(), "exact"
}

func tryVariant(r *rand.Rand, p *person, kind string) (string, bool) {
	ff := p.c.familyFirst
	switch kind {
	case "translit":
		s := spelling{alt: map[*part]int{}}
		for _, ps := range [][]part{p.given, p.family} {
			for i := range ps {
				if n := len(ps[i].latin); n > 1 && (len(s.alt) == 0 || r.IntN(2) == 0) {
					s.alt[&ps[i]] = 1 + r.IntN(n-1)
				}
			}
		}
		if len(s.alt) == 0 {
			return "", false
		}
		return p.render(s, ff, false), true
	case "script":
		for _, ps := range [][]part{p.given, p.family} {
			for i := range ps {
				if ps[i].native == "" {
					return "", false
				}
			}
		}
		// Arabic and Cyrillic names are written given name first, Chinese
		// and Japanese family name first.
		return p.render(spelling{native: true}, ff || p.c.nativeFamilyFirst, false), true
	case "diacritics":
		name := p.render(spelling{}, ff, false)
		plain := stripDiacritics(name, r.IntN(2) == 0)
		if plain == name {
			return "", false
		}
		return plain, true
	case "order":
		if ff {
			return p.render(spelling{}, false, false), true
		}
		fam := p.render(spelling{}, true, false)
		if r.IntN(2) == 0 {
			// SURNAME, Given Middle
			var f, gv []string
			for i := range p.family {
				f = append(f, strings.ToUpper(p.family[i].latin[0]))
			}
			for i := range p.given {
				gv = append(gv, p.given[i].latin[0])
			}
			return strings.Join(f, " ") + ", " + strings.Join(gv, " "), true
		}
		return fam, true
	case "partial":
		q := *p
		switch {
		case len(p.family) > 1:
			q.family = p.family[:1]
		case len(p.given) > 1 && !ff:
			q.given = p.given[:1]
		case len(p.given) > 1 && ff && p.c.middle == middleFixed:
			q.given = p.given[1:]
		default:
			return "", false
		}
		return q.render(spelling{}, ff, false), true
	case "typo":
		return typos(r, p.render(spelling{}, ff, false))
	case "particle":
		return particle(r, p.render(spelling{}, ff, false))
	case "alias":
		if len(p.aliases) == 0 || !strings.ContainsFunc(p.aliases[0], unicode.IsLower) {
			return "", false
		}
		return p.aliases[0], true
	}
	return "", false
}

// stripDiacritics removes accents; with umlautE, German umlauts become ae,
// oe, ue as in passports.
func stripDiacritics(s string, umlautE bool) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			if umlautE && r == '\u0308' {
				b.WriteByte('e')
			}
			continue
		}
		switch r {
		case 'ı':
			r = 'i'
		case 'đ':
			r = 'd'
		case 'Đ':
			r = 'D'
		case 'ß':
			b.WriteString("ss")
			continue
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// keyboard neighbours for substitutions
var neighbours = map[rune]string{
	'a': "qsz", 'b': "vn", 'c': "xv", 'd': "sf", 'e': "wr", 'f': "dg", 'g': "fh", 'h': "gj", 'i': "uo", 'j': "hk",
	'k': "jl", 'l': "k", 'm': "n", 'n': "bm", 'o': "ip", 'p': "o", 'q': "w", 'r': "et", 's': "ad", 't': "ry",
	'u': "yi", 'v': "cb", 'w': "qe", 'x': "zc", 'y': "tu", 'z': "xa",
}

// typos makes one or two edits in words longer than three letters.
func typos(r *rand.Rand, name string) (string, bool) {
	words := strings.Fields(name)
	var long []int
	for i, w := range words {
		if len([]rune(w)) > 3 && !isNative(w) {
			long = append(long, i)
		}
	}
	if len(long) == 0 {
		return "", false
	}
	edits := 1 + r.IntN(2)
	for range edits {
		wi := long[r.IntN(len(long))]
		words[wi] = typo(r, []rune(words[wi]))
	}
	out := strings.Join(words, " ")
	return out, out != name
}

func typo(r *rand.Rand, w []rune) string {
	i := 1 + r.IntN(len(w)-1) // the first letter is the one most often right
	switch r.IntN(4) {
	case 0: // substitution by a neighbouring key
		lower := unicode.ToLower(w[i])
		if n, ok := neighbours[lower]; ok {
			c := rune(n[r.IntN(len(n))])
			if unicode.IsUpper(w[i]) {
				c = unicode.ToUpper(c)
			}
			w[i] = c
			return string(w)
		}
		fallthrough
	case 1: // transposition
		if i == len(w)-1 {
			i--
		}
		w[i], w[i+1] = w[i+1], w[i]
		return string(w)
	case 2: // deletion
		return string(append(w[:i:i], w[i+1:]...))
	default: // doubling
		return string(w[:i+1]) + string(w[i:])
	}
}

// particle writes the name's particles another way: al-Masri / Almasri /
// El Masri, van der Meer / Vandermeer / v.d. Meer, O'Brien / OBrien.
func particle(r *rand.Rand, name string) (string, bool) {
	words := strings.Fields(name)
	for i, w := range words {
		lw := strings.ToLower(w)
		switch {
		case strings.HasPrefix(lw, "al-") || strings.HasPrefix(lw, "el-"):
			rest := w[3:]
			forms := []string{"Al " + rest, "Al" + strings.ToLower(rest), "El " + rest, "al " + rest, "El-" + rest}
			words[i] = forms[r.IntN(len(forms))]
			return strings.Join(words, " "), true
		case (strings.HasPrefix(lw, "o'") || strings.HasPrefix(lw, "d'")) && len(w) > 2:
			forms := []string{w[:1] + w[2:], w[:1] + " " + w[2:]}
			if lw[0] == 'd' {
				forms = append(forms, "De "+w[2:])
			}
			words[i] = forms[r.IntN(len(forms))]
			return strings.Join(words, " "), true
		case i+1 < len(words) && isParticle(lw):
			// take the particle words and the name after them
			j := i
			for j < len(words)-1 && isParticle(strings.ToLower(words[j])) {
				j++
			}
			parts := words[i : j+1]
			var forms []string
			joined := strings.Join(parts[:len(parts)-1], "")
			forms = append(forms, title(joined)+strings.ToLower(parts[len(parts)-1]))
			forms = append(forms, titleEach(parts))
			if lw == "van" && len(parts) == 3 {
				forms = append(forms, "v.d. "+parts[2])
			}
			repl := forms[r.IntN(len(forms))]
			out := append(append(append([]string{}, words[:i]...), repl), words[j+1:]...)
			return strings.Join(out, " "), true
		}
	}
	return "", false
}

func isParticle(w string) bool {
	switch w {
	case "van", "der", "den", "de", "la", "los", "del", "da", "dos", "do", "von", "le":
		return true
	}
	return false
}

func title(s string) string {
	if s == "" {
		return s
	}
	r := []rune(strings.ToLower(s))
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

func titleEach(ws []string) string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = title(w)
	}
	return strings.Join(out, " ")
}
