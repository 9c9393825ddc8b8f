// Package mrz parses the machine-readable zones of travel documents as
// ICAO Doc 9303 defines them: TD1 (3×30 characters), TD2 (2×36), TD3 (2×44,
// passports) and the visa formats MRV-A (2×44) and MRV-B (2×36). It checks
// every check digit and date and says precisely what is wrong. It does no
// I/O and never panics.
package mrz

import (
	"fmt"
	"strings"
	"time"
)

// Formats.
const (
	TD1  = "TD1"
	TD2  = "TD2"
	TD3  = "TD3"
	MRVA = "MRV-A"
	MRVB = "MRV-B"
)

// Result is a parsed machine-readable zone. Nullable fields are nil when the
// zone leaves them unspecified or holds an impossible value.
type Result struct {
	Format         string  `json:"format"`
	DocumentCode   string  `json:"document_code"`
	IssuingState   string  `json:"issuing_state"`
	Surname        string  `json:"surname"`
	GivenNames     string  `json:"given_names"`
	DocumentNumber string  `json:"document_number"`
	Nationality    string  `json:"nationality"`
	BirthDate      *string `json:"birth_date"`
	Sex            *string `json:"sex"`
	ExpiryDate     *string `json:"expiry_date"`
	OptionalData   string  `json:"optional_data"`
	OptionalData2  string  `json:"optional_data_2,omitempty"`
	Valid          bool    `json:"valid"`
	Errors         []Issue `json:"errors"`
}

// Issue is one thing wrong with a zone that could be parsed.
type Issue struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ParseError says why input is not a machine-readable zone at all.
type ParseError struct {
	Reason  string // empty, line_count, line_length, illegal_characters
	Message string
}

func (e *ParseError) Error() string { return e.Message }

// Parse parses the lines of a zone, reading two-digit birth years against
// the current year.
func Parse(lines []string) (*Result, error) { return ParseAt(lines, time.Now()) }

// ParseAt parses the lines of a zone as of now: a two-digit birth year is
// taken in this century unless that would be after now's year.
func ParseAt(lines []string, now time.Time) (*Result, error) {
	lines = clean(lines)
	if len(lines) == 0 {
		return nil, &ParseError{"empty", "no machine-readable zone given"}
	}
	if len(lines) != 2 && len(lines) != 3 {
		return nil, &ParseError{"line_count", fmt.Sprintf("a machine-readable zone has 2 or 3 lines, not %d", len(lines))}
	}
	for i, l := range lines {
		for j := 0; j < len(l); j++ {
			if c := l[j]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '<') {
				return nil, &ParseError{"illegal_characters", fmt.Sprintf("line %d, position %d: %q is not allowed (only A-Z, 0-9 and <)", i+1, j+1, illegalRune(l, j))}
			}
		}
	}
	want := map[int]int{3: 30, 2: len(lines[0])}[len(lines)]
	if len(lines) == 2 && want != 36 && want != 44 {
		return nil, &ParseError{"line_length", fmt.Sprintf("line 1 has %d characters; a two-line zone has lines of 36 (TD2, MRV-B) or 44 (TD3, MRV-A)", want)}
	}
	for i, l := range lines {
		if len(l) != want {
			return nil, &ParseError{"line_length", fmt.Sprintf("line %d has %d characters, this format has %d", i+1, len(l), want)}
		}
	}
	p := &parser{r: &Result{Errors: []Issue{}}, now: now}
	switch {
	case len(lines) == 3:
		p.td1(lines)
	case want == 36 && lines[0][0] == 'V':
		p.twoLine(lines, MRVB)
	case want == 36:
		p.twoLine(lines, TD2)
	case lines[0][0] == 'V':
		p.twoLine(lines, MRVA)
	default:
		p.twoLine(lines, TD3)
	}
	p.r.Valid = len(p.r.Errors) == 0
	return p.r, nil
}

// clean splits pasted text into lines and trims what scanners and people add
// around them (spaces, carriage returns, blank lines).
func clean(lines []string) []string {
	var out []string
	for _, l := range lines {
		for _, part := range strings.Split(l, "\n") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

func illegalRune(l string, j int) string {
	for _, r := range l[j:] {
		return string(r)
	}
	return l[j : j+1]
}

type parser struct {
	r   *Result
	now time.Time
}

func (p *parser) fail(field, code, format string, args ...any) {
	p.r.Errors = append(p.r.Errors, Issue{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

// td1 reads an identity card zone:
//
//	line 1: code(2) state(3) number(9) check(1) optional(15)
//	line 2: birth(6) check sex expiry(6) check nationality(3) optional(11) composite
//	line 3: name(30)
func (p *parser) td1(l []string) {
	r := p.r
	r.Format = TD1
	r.DocumentCode = unfill(l[0][0:2])
	r.IssuingState = p.country("issuing_state", l[0][2:5])
	p.documentNumber(l[0][5:14], l[0][14], l[0][15:30], func(opt string) { r.OptionalData = opt })
	p.birthSexExpiry(l[1][0:7], l[1][7], l[1][8:15])
	r.Nationality = p.country("nationality", l[1][15:18])
	r.OptionalData2 = unfill(l[1][18:29])
	p.check("composite", "check_digit_composite", l[0][5:30]+l[1][0:7]+l[1][8:15]+l[1][18:29], l[1][29])
	r.Surname, r.GivenNames = names(l[2])
}

// twoLine reads TD2, TD3, MRV-A and MRV-B zones, which differ only in the
// width of the name and optional fields and in the composite check digit.
//
//	line 1: code(2) state(3) name(31 or 39)
//	line 2: number(9) check nationality(3) birth(6) check sex expiry(6) check optional [composite]
func (p *parser) twoLine(l []string, format string) {
	r := p.r
	r.Format = format
	r.DocumentCode = unfill(l[0][0:2])
	r.IssuingState = p.country("issuing_state", l[0][2:5])
	r.Surname, r.GivenNames = names(l[0][5:])
	l2 := l[1]
	n := len(l2)
	optEnd := n - 1 // TD2 and TD3 end with the composite check digit
	if format == MRVA || format == MRVB {
		optEnd = n
	}
	optional := l2[28:optEnd]
	if format == TD3 {
		// The personal number has its own check digit, which may be < when
		// the number is empty.
		optional = l2[28:42]
		if l2[42] != '<' || strings.Trim(optional, "<") != "" {
			p.check("optional_data", "check_digit_optional_data", optional, l2[42])
		}
	}
	p.documentNumber(l2[0:9], l2[9], optional, func(opt string) { r.OptionalData = opt })
	r.Nationality = p.country("nationality", l2[10:13])
	p.birthSexExpiry(l2[13:20], l2[20], l2[21:28])
	if format == TD2 || format == TD3 {
		p.check("composite", "check_digit_composite", l2[0:10]+l2[13:20]+l2[21:n-1], l2[n-1])
	}
}

// documentNumber reads the number and its check digit. A number longer than
// nine characters (ICAO 9303 part 5 and 6) has < in the check digit position
// and continues in the optional data, up to the first <, whose last
// character is then the check digit of the whole number.
func (p *parser) documentNumber(field string, checkDigit byte, optional string, setOptional func(string)) {
	if checkDigit == '<' && optional != "" && optional[0] != '<' {
		end := strings.IndexByte(optional, '<')
		if end < 0 {
			end = len(optional)
		}
		if end >= 2 {
			number := field + optional[:end-1]
			p.r.DocumentNumber = unfill(number)
			p.check("document_number", "check_digit_document_number", number, optional[end-1])
			setOptional(unfill(optional[end:]))
			return
		}
	}
	p.r.DocumentNumber = unfill(field)
	p.check("document_number", "check_digit_document_number", field, checkDigit)
	setOptional(unfill(optional))
}

// birthSexExpiry reads "YYMMDD+check", the sex and "YYMMDD+check".
func (p *parser) birthSexExpiry(birth string, sex byte, expiry string) {
	r := p.r
	r.BirthDate = p.date("birth_date", birth[:6], true)
	p.check("birth_date", "check_digit_birth_date", birth[:6], birth[6])
	switch sex {
	case 'M', 'F', 'X':
		s := string(sex)
		r.Sex = &s
	case '<':
	default:
		p.fail("sex", "invalid_sex", "sex %q is not M, F, X or <", string(sex))
	}
	r.ExpiryDate = p.date("expiry_date", expiry[:6], false)
	p.check("expiry_date", "check_digit_expiry_date", expiry[:6], expiry[6])
}

// date reads YYMMDD. Birth years are in this century unless that is after
// the current year; expiry years are always in this century.
func (p *parser) date(field, s string, birth bool) *string {
	for i := 0; i < 6; i++ {
		if s[i] < '0' || s[i] > '9' {
			p.fail(field, "impossible_date", "%s %q is not a date YYMMDD", field, s)
			return nil
		}
	}
	yy := int(s[0]-'0')*10 + int(s[1]-'0')
	month := int(s[2]-'0')*10 + int(s[3]-'0')
	day := int(s[4]-'0')*10 + int(s[5]-'0')
	year := 2000 + yy
	if birth && year > p.now.Year() {
		year -= 100
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if month < 1 || month > 12 || day < 1 || t.Day() != day || int(t.Month()) != month {
		p.fail(field, "impossible_date", "%s %s is not a calendar date (year %d, month %d, day %d)", field, s, year, month, day)
		return nil
	}
	d := t.Format("2006-01-02")
	return &d
}

// check verifies a check digit, reporting a wrong or missing one.
func (p *parser) check(field, code, data string, digit byte) {
	if digit < '0' || digit > '9' {
		p.fail(field, code, "the check digit of %s is %q, not a digit", field, string(digit))
		return
	}
	if want := CheckDigit(data); want != digit {
		p.fail(field, code, "the check digit of %s is %c but the data gives %c", field, digit, want)
	}
}

// CheckDigit computes the ICAO 9303 check digit of s: weights 7, 3, 1
// repeating; digits count their value, A–Z count 10–35, and < (or anything
// else) counts 0.
func CheckDigit(s string) byte {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		v := 0
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		}
		sum += v * weights[i%3]
	}
	return byte('0' + sum%10)
}

// country reads a three-letter state code (ISO 3166-1 alpha-3 or an ICAO
// code such as D, UTO, XXA): letters, then < filler only.
func (p *parser) country(field, s string) string {
	code := strings.TrimRight(s, "<")
	for i := 0; i < len(code); i++ {
		if code[i] < 'A' || code[i] > 'Z' {
			p.fail(field, "invalid_"+field, "%s %q is not a state code (letters, then < filler)", field, s)
			return unfill(s)
		}
	}
	if code == "" {
		p.fail(field, "invalid_"+field, "%s is empty", field)
	}
	return code
}

// unfill removes the < filler at the ends of a field.
func unfill(s string) string { return strings.Trim(s, "<") }

// names splits a name field: the primary identifier (surname) before the
// first <<, the secondary identifier (given names) after it; single < are
// spaces. A truncated name stays truncated.
func names(field string) (surname, given string) {
	field = strings.TrimRight(field, "<")
	primary, secondary, _ := strings.Cut(field, "<<")
	return spaced(primary), spaced(secondary)
}

func spaced(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '<' }), " ")
}
