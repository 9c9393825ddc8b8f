package names

// postings lists persons by ordinal; once long, by birth era instead, so
// that a query with a birth date reads only the eras it may match.
type postings struct {
	persons []uint32 // until eras are kept
	born    []uint8  // the birth year of each of persons (yearCode): a search skips those it cannot match without reading them
	eras    *[numEras][]uint32
	n       uint32
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
	if p.eras != nil {
		era := eraOf(packedYear(cards[o].birth &^ deadCard))
		p.eras[era] = append(p.eras[era], o)
		return
	}
	p.persons = append(p.persons, o)
	p.born = append(p.born, yearCode(packedYear(cards[o].birth&^deadCard)))
	if len(p.persons) == eraFrom {
		p.eras = new([numEras][]uint32)
		for _, q := range p.persons {
			era := eraOf(packedYear(cards[q].birth &^ deadCard))
			p.eras[era] = append(p.eras[era], q)
		}
		p.persons, p.born = nil, nil
	}
}

// appendTo appends the persons born in [from, to] or of unknown birth;
// from == 0 appends them all. A long list keeps four-year eras: the caller
// still checks each person's birth year.
func (p *postings) appendTo(dst []uint32, from, to int) []uint32 {
	if p.eras == nil {
		if from == 0 {
			return append(dst, p.persons...)
		}
		lo, hi := yearCode(from), yearCode(to)
		for i, y := range p.born {
			if y == 0 || y >= lo && y <= hi {
				dst = append(dst, p.persons[i])
			}
		}
		return dst
	}
	if from == 0 {
		for _, l := range p.eras {
			dst = append(dst, l...)
		}
		return dst
	}
	dst = append(dst, p.eras[0]...)
	for era := eraOf(from); era <= eraOf(to); era++ {
		dst = append(dst, p.eras[era]...)
	}
	return dst
}

// count is about the number of persons appendTo(from, to) appends: all
// of them while the list is short.
func (p *postings) count(from, to int) int {
	if from == 0 || p.eras == nil {
		return int(p.n)
	}
	n := len(p.eras[0])
	for era := eraOf(from); era <= eraOf(to); era++ {
		n += len(p.eras[era])
	}
	return n
}

// each calls fn for every person listed.
func (p *postings) each(fn func(o uint32)) {
	for _, o := range p.persons {
		fn(o)
	}
	if p.eras != nil {
		for _, l := range p.eras {
			for _, o := range l {
				fn(o)
			}
		}
	}
}
