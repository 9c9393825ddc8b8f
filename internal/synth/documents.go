package synth

import (
	"fmt"
	"time"
)

// Document is a reported travel document in the format of the
// travel-document import.
type Document struct {
	Number         string `json:"number"`
	IssuingCountry string `json:"issuing_country"`
	Type           string `json:"type"`
	Status         string `json:"status"`
	ReportedAt     string `json:"reported_at"`
}

// MaxDocuments is the number of distinct documents a generator makes:
// documents 0..MaxDocuments-1 have distinct (issuing country, number).
const MaxDocuments = 1 << docBits

const docBits = 28

// docSlot is an issuing country and the shape of its numbers. Pattern
// letters: d a digit, l a letter, a a letter or digit without O (Dutch), g
// a character of German numbers (no vowels but none that read as digits);
// capitals and digits stand for themselves.
type docSlot struct {
	country     string
	pattern     string
	rank, count uint64 // this slot's rank among its country's slots, and their number
}

// docSlots weighs the countries by repeating them: 32 slots.
var docSlots = func() []docSlot {
	shapes := []struct {
		country, pattern string
		weight           int
	}{
		{"US", "ldddddddd", 4}, {"GB", "ddddddddd", 2}, {"FR", "ddllddddd", 2}, {"DE", "Cgggggggg", 2},
		{"IT", "llddddddd", 2}, {"ES", "llldddddd", 2}, {"CN", "Edddddddd", 2}, {"IN", "lddddddd", 2},
		{"RU", "ddddddddd", 2}, {"BR", "lldddddd", 2}, {"NL", "llaaaaaad", 1}, {"NG", "Adddddddd", 1},
		{"JP", "llddddddd", 1}, {"TR", "Udddddddd", 1}, {"IR", "ldddddddd", 1}, {"EG", "Adddddddd", 1},
		{"MX", "ldddddddd", 1}, {"PK", "llddddddd", 1}, {"UA", "lldddddd", 1}, {"PL", "llddddddd", 1},
	}
	var out []docSlot
	for _, s := range shapes {
		for k := range s.weight {
			out = append(out, docSlot{country: s.country, pattern: s.pattern, rank: uint64(k), count: uint64(s.weight)})
		}
	}
	if len(out) != 32 {
		panic("synth: the document slots must be 32")
	}
	return out
}()

const (
	alphaLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	alphaDigits  = "0123456789"
	alphaDutch   = "ABCDEFGHIJKLMNPQRSTUVWXYZ0123456789"
	alphaGerman  = "CFGHJKLMNPRTVWXYZ0123456789"
)

func patternAlphabet(c byte) string {
	switch c {
	case 'd':
		return alphaDigits
	case 'l':
		return alphaLetters
	case 'a':
		return alphaDutch
	case 'g':
		return alphaGerman
	}
	return ""
}

// capacity is the number of distinct numbers of a pattern.
func capacity(pattern string) uint64 {
	n := uint64(1)
	for i := 0; i < len(pattern); i++ {
		if a := patternAlphabet(pattern[i]); a != "" {
			n *= uint64(len(a))
		}
	}
	return n
}

// permute is a bijection of [0, MaxDocuments) that depends on the seed:
// each step (xor, odd multiplication, xor-shift) is one.
func (g *Generator) permute(i uint64) uint64 {
	const mask = MaxDocuments - 1
	x := ((i ^ g.seed) + 0x5bd1e995) & mask
	x = (x * 0x9E3779B1) & mask
	x ^= x >> 15
	x = (x * 0x85EBCA6B) & mask
	x ^= x >> 13
	x = (x + g.seed>>docBits) & mask
	return x
}

func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

var (
	docTypes    = []string{"passport", "id-card", "residence-permit", "visa", "travel-document"}
	docTypeCum  = []int{70, 92, 96, 98, 100}
	docStatuses = []string{"lost", "stolen", "revoked"}
	docStatCum  = []int{55, 95, 100}
	reportedMin = time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
)

func cumPick(list []string, cum []int, v int) string {
	for i, c := range cum {
		if v < c {
			return list[i]
		}
	}
	return list[len(list)-1]
}

// Document returns document i (0 ≤ i < MaxDocuments). Distinct i give
// distinct (issuing country, number) pairs: a benchmark lists documents
// 0..n-1 and asks about documents from the other end of the range to ask
// about documents nobody listed.
func (g *Generator) Document(i int) Document {
	v := g.permute(uint64(i))
	slot := docSlots[v&31]
	w := v >> 5 // 2^23 values per slot
	h := mix(uint64(i)*0x9E3779B97F4A7C15 + g.seed + 1)
	// spread the country's numbers over its pattern's range: distinct w
	// and slot give disjoint ranges, the hash picks a number inside one
	span := capacity(slot.pattern) / (slot.count << (docBits - 5))
	u := (w*slot.count+slot.rank)*span + h%span
	return Document{
		Number:         render(slot.pattern, u),
		IssuingCountry: slot.country,
		Type:           cumPick(docTypes, docTypeCum, int(h>>8%100)),
		Status:         cumPick(docStatuses, docStatCum, int(h>>16%100)),
		ReportedAt:     reportedMin.AddDate(0, 0, int(h>>24%5000)).Format(time.DateOnly),
	}
}

// AbsentDocument returns a document that none of the first MaxDocuments-j-1
// documents is: for a list of n documents, AbsentDocument(j) with
// j < MaxDocuments-n is not listed.
func (g *Generator) AbsentDocument(j int) Document { return g.Document(MaxDocuments - 1 - j) }

// render writes u in the pattern's mixed radix, last position fastest.
func render(pattern string, u uint64) string {
	b := []byte(pattern)
	for i := len(b) - 1; i >= 0; i-- {
		if a := patternAlphabet(pattern[i]); a != "" {
			b[i] = a[u%uint64(len(a))]
			u /= uint64(len(a))
		}
	}
	return string(b)
}

// AppendJSON appends the document as one JSON object (its fields are
// plain ASCII, so no escaping is needed).
func (d Document) AppendJSON(b []byte) []byte {
	b = append(b, `{"number":"`...)
	b = append(b, d.Number...)
	b = append(b, `","issuing_country":"`...)
	b = append(b, d.IssuingCountry...)
	b = append(b, `","type":"`...)
	b = append(b, d.Type...)
	b = append(b, `","status":"`...)
	b = append(b, d.Status...)
	b = append(b, `","reported_at":"`...)
	b = append(b, d.ReportedAt...)
	return append(b, `"}`...)
}

// String is the document as an officer reads it.
func (d Document) String() string {
	return fmt.Sprintf("%s %s (%s, %s)", d.IssuingCountry, d.Number, d.Type, d.Status)
}
