package names

// postings lists persons by ordinal; once long, by birth era instead, so
// that a query with a birth date reads only the eras it may match. Every
// person is listed with its birth year, so that a search skips those born
// outside its window without reading them.
type postings struct {
	short birthList // until eras are kept
	eras  *[numEras]birthList
	n     uint32
}

// birthList is persons with the birth year of each (yearCode).
type birthList struct {
	persons []uint32
	born    []uint8
}

func (l *birthList) add(o uint32, year int) {
	l.persons = append(l.persons, o)
	l.born = append(l.born, yearCode(year))
}

// appendRead appends to r the persons born in [lo, hi] (year codes) or
// of unknown birth (lo == 0: all of them), with their year codes and the
// signatures of listSigs (nil: all ones).
func (l *birthList) appendRead(r *readBuf, listSigs []uint64, lo, hi uint8) {
	for i, y := range l.born {
		if lo == 0 || y == 0 || y >= lo && y <= hi {
			r.ords = append(r.ords, l.persons[i])
			r.years = append(r.years, y)
			if listSigs != nil {
				r.sigs = append(r.sigs, listSigs[i])
			} else {
				r.sigs = append(r.sigs, ^uint64(0))
			}
		}
	}
}

// Birth eras: unknown, then four-year spans from 1880 (the last one open).
const (
	numEras   = 42
	eraFrom   = 256 // persons from which a list is kept by era
	eraYears  = 4
	eraOrigin = 1880
)

// yearCode packs a birth year in a byte: 0 unknown, then years from 1880,
// the first and last codes also standing for the years before and after.
func yearCode(year int) uint8 {
	if year <= 0 {
		return 0
	}
	return uint8(1 + min(max(year-eraOrigin, 0), 254))
}

func eraOf(year int) int {
	if year <= 0 {
		return 0
	}
	return 1 + min(max((year-eraOrigin)/eraYears, 0), numEras-2)
}

// add lists a person.
func (p *postings) add(o uint32, cards []card) {
	p.n++
	year := packedYear(cards[o].birth &^ deadCard)
	if p.eras != nil {
		p.eras[eraOf(year)].add(o, year)
		return
	}
	p.short.add(o, year)
	if len(p.short.persons) == eraFrom {
		p.eras = new([numEras]birthList)
		for _, q := range p.short.persons {
			year := packedYear(cards[q].birth &^ deadCard)
			p.eras[eraOf(year)].add(q, year)
		}
		p.short = birthList{}
	}
}

// appendRead appends to r the persons born in [from, to] or of unknown
// birth (from == 0: all of them), with their year codes and signatures:
// those of listSigs for a short list, all ones otherwise. The caller still
// checks each person's birth date: the first and last year codes stand for
// the years beyond them.
func (p *postings) appendRead(r *readBuf, listSigs []uint64, from, to int) {
	var lo, hi uint8
	if from != 0 {
		lo, hi = yearCode(from), yearCode(to)
	}
	if p.eras == nil {
		p.short.appendRead(r, listSigs, lo, hi)
		return
	}
	if from == 0 {
		for i := range p.eras {
			p.eras[i].appendRead(r, nil, 0, 0)
		}
		return
	}
	p.eras[0].appendRead(r, nil, lo, hi)
	for era := eraOf(from); era <= eraOf(to); era++ {
		p.eras[era].appendRead(r, nil, lo, hi)
	}
}

// count is about the number of persons appendRead(from, to) appends: all
// of them while the list is short.
func (p *postings) count(from, to int) int {
	if from == 0 || p.eras == nil {
		return int(p.n)
	}
	n := len(p.eras[0].persons)
	for era := eraOf(from); era <= eraOf(to); era++ {
		n += len(p.eras[era].persons)
	}
	return n
}

// each calls fn for every person listed.
func (p *postings) each(fn func(o uint32)) {
	for _, o := range p.short.persons {
		fn(o)
	}
	if p.eras != nil {
		for _, l := range p.eras {
			for _, o := range l.persons {
				fn(o)
			}
		}
	}
}
