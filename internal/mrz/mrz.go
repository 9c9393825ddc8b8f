// Package mrz parses the machine-readable zones of travel documents as
// ICAO Doc 9303 defines them: TD1 (3×30 characters, identity cards), TD2
// (2×36), TD3 (2×44, passports) and the visa formats MRV-A (2×44) and MRV-B
// (2×36).
//
// Input that is not a zone at all (wrong number of lines, wrong line
// lengths, characters outside A–Z, 0–9 and <) is rejected with a
// *ParseError. Anything else is read into a Result, which says whether the
// zone is structurally valid (every check digit right, real calendar dates,
// a legal sex character, well-formed codes) and, if not, exactly what is
// wrong. An expired document is still valid: expiry is a matter for the
// caller, not for the zone's structure.
//
// The package does no I/O and never panics.
package mrz

import (
	"fmt"
	"strings"
	"time"
)

// Formats, as reported in Result.Format.
const (
	TD1  = "TD1"
	TD2  = "TD2"
	TD3  = "TD3"
	MRVA = "MRV-A"
	MRVB = "MRV-B"
)

// Reasons for a ParseError.
const (
	ReasonEmpty             = "empty"
	ReasonLineCount         = "line_count"
	ReasonLineLength        = "line_length"
	ReasonIllegalCharacters = "illegal_characters"
)

// Codes of the issues found in a zone that could be read.
const (
	CodeCheckDocumentNumber = "check_digit_document_number"
	CodeCheckBirthDate      = "check_digit_birth_date"
	CodeCheckExpiryDate     = "check_digit_expiry_date"
	CodeCheckOptionalData   = "check_digit_optional_data"
	CodeCheckComposite      = "check_digit_composite"
	CodeImpossibleBirth     = "impossible_date_birth"
	CodeImpossibleExpiry    = "impossible_date_expiry"
	CodeInvalidSex          = "invalid_sex"
	CodeInvalidDocumentCode = "invalid_document_code"
	CodeInvalidState        = "invalid_issuing_state"
	CodeInvalidNationality  = "invalid_nationality"
)

// Result is a zone that could be read. Nullable fields are nil when the
// zone leaves them unspecified (sex <, a date of birth written as fillers)
// or holds an impossible value (then Errors says so).
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
	// OptionalData is the optional data field without filler: the personal
	// number of a TD3 passport; in TD1 and TD2 what follows a long document
	// number, if any.
	OptionalData string `json:"optional_data"`
	// OptionalData2 is the second optional data field of a TD1 zone (line 2).
	OptionalData2 string  `json:"optional_data_2,omitempty"`
	Valid         bool    `json:"valid"`
	Errors        []Issue `json:"errors"`
}

// Issue is one thing wrong with a zone that could be read.
type Issue struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ParseError says why the input is not a machine-readable zone at all.
type ParseError struct {
	Reason  string // ReasonEmpty, ReasonLineCount, ReasonLineLength or ReasonIllegalCharacters
	Line    int    // 1-based line the problem is on, 0 when it concerns the whole input
	Message string
}

func (e *ParseError) Error() string { return e.Message }

// Parse reads the lines of a zone, taking two-digit birth years against the
// current year. See ParseAt.
func Parse(lines []string) (*Result, error) { return ParseAt(lines, time.Now()) }

// ParseAt reads the lines of a zone as of now. Lines may carry surrounding
// white space and carriage returns, blank lines are ignored, and a line
// holding several lines separated by newlines (a pasted zone) is split.
//
// A two-digit birth year YY is 20YY unless that is after now's year, then
// 19YY; an expiry year is always 20YY.
//
// The error, when not nil, is a *ParseError.
func ParseAt(lines []string, now time.Time) (*Result, error) {
	lines = clean(lines)
	format, perr := detect(lines)
	if perr != nil {
		return nil, perr
	}
	p := &parser{r: &Result{Format: format, Errors: []Issue{}}, year: now.Year()}
	if format == TD1 {
		p.td1(lines[0], lines[1], lines[2])
	} else {
		p.twoLine(lines[0], lines[1])
	}
	p.r.Valid = len(p.r.Errors) == 0
	return p.r, nil
}

// clean splits pasted text into lines and trims what scanners and people
// add around them (spaces, tabs, carriage returns, blank lines).
func clean(lines []string) []string {
	out := make([]string, 0, 3)
	for _, l := range lines {
		for part := range strings.SplitSeq(l, "\n") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// width of the lines of each format.
var width = map[string]int{TD1: 30, TD2: 36, MRVB: 36, TD3: 44, MRVA: 44}

// formatOf names the format of a zone of n lines of w characters whose
// document code starts with c; "" when there is none.
func formatOf(n, w int, c byte) string {
	switch {
	case n == 3 && w == 30:
		return TD1
	case n == 2 && w == 36 && c == 'V':
		return MRVB
	case n == 2 && w == 36:
		return TD2
	case n == 2 && w == 44 && c == 'V':
		return MRVA
	case n == 2 && w == 44:
		return TD3
	}
	return ""
}

const shapes = "3 lines of 30 characters (TD1), 2 of 36 (TD2, MRV-B) or 2 of 44 (TD3, MRV-A)"

// detect tells the format of the cleaned lines, or why they are not a zone.
func detect(lines []string) (string, *ParseError) {
	n := len(lines)
	if n == 0 {
		return "", &ParseError{Reason: ReasonEmpty, Message: "no machine-readable zone given"}
	}
	if n != 2 && n != 3 {
		return "", &ParseError{Reason: ReasonLineCount, Message: fmt.Sprintf("%d %s given; a machine-readable zone has %s", n, plural(n, "line"), shapes)}
	}
	// Lines all of a known width but in the wrong number: say so rather
	// than blame the width (a TD1 zone missing a line, a repeated line).
	if w := len(lines[0]); (w == 30 || w == 36 || w == 44) && sameLength(lines) && formatOf(n, w, lines[0][0]) == "" {
		want := 2
		if w == 30 {
			want = 3
		}
		return "", &ParseError{Reason: ReasonLineCount, Message: fmt.Sprintf("%d lines of %d characters given; a zone of %d-character lines has %d", n, w, w, want)}
	}
	for i, l := range lines {
		for j, r := range l {
			if !legal(r) {
				return "", &ParseError{Reason: ReasonIllegalCharacters, Line: i + 1, Message: fmt.Sprintf(
					"line %d, character %d: %q is not allowed in a machine-readable zone (only A-Z, 0-9 and <)", i+1, runeIndex(l, j)+1, r)}
			}
		}
	}
	if n == 3 {
		for i, l := range lines {
			if len(l) != 30 {
				return "", lengthError(i, len(l), TD1)
			}
		}
		return TD1, nil
	}
	// Two lines: the first line of a known width tells the format.
	ref := -1
	for i, l := range lines {
		if len(l) == 36 || len(l) == 44 {
			ref = i
			break
		}
	}
	if ref < 0 {
		return "", &ParseError{Reason: ReasonLineLength, Line: 1, Message: fmt.Sprintf(
			"the lines have %d and %d characters; a machine-readable zone has %s", len(lines[0]), len(lines[1]), shapes)}
	}
	format := formatOf(2, len(lines[ref]), lines[0][0])
	for i, l := range lines {
		if len(l) != width[format] {
			return "", lengthError(i, len(l), format)
		}
	}
	return format, nil
}

func lengthError(i, got int, format string) *ParseError {
	return &ParseError{Reason: ReasonLineLength, Line: i + 1, Message: fmt.Sprintf(
		"line %d has %d %s, a %s line has %d", i+1, got, plural(got, "character"), format, width[format])}
}

func sameLength(lines []string) bool {
	for _, l := range lines[1:] {
		if len(l) != len(lines[0]) {
			return false
		}
	}
	return true
}

func legal(r rune) bool { return r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '<' }

// runeIndex converts a byte offset in s to a character offset.
func runeIndex(s string, byteOff int) int {
	n := 0
	for i := range s {
		if i >= byteOff {
			break
		}
		n++
	}
	return n
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// parser fills a Result from lines of a known format; every slice it takes
// is within the width detect checked.
type parser struct {
	r    *Result
	year int
}

func (p *parser) issue(field, code, format string, args ...any) {
	p.r.Errors = append(p.r.Errors, Issue{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

// td1 reads an identity card zone (ICAO 9303 part 5):
//
//	line 1: code(2) state(3) number(9) check(1) optional(15)
//	line 2: birth(6) check sex expiry(6) check nationality(3) optional(11) composite
//	line 3: name(30)
func (p *parser) td1(l1, l2, l3 string) {
	r := p.r
	p.documentCode(l1[0:2])
	r.IssuingState = p.state("issuing_state", CodeInvalidState, l1[2:5])
	r.OptionalData = p.documentNumber(l1[5:14], l1[14], l1[15:30], true)
	p.birthSexExpiry(l2[0:7], l2[7], l2[8:15])
	r.Nationality = p.state("nationality", CodeInvalidNationality, l2[15:18])
	r.OptionalData2 = unfill(l2[18:29])
	p.check("composite", CodeCheckComposite, "composite", l1[5:30]+l2[0:7]+l2[8:15]+l2[18:29], l2[29])
	r.Surname, r.GivenNames = names(l3)
}

// twoLine reads TD2 (part 6), TD3 (part 4), MRV-A and MRV-B (part 7)
// zones, which share one layout and differ in the width of the name and
// optional data fields and in their trailing check digits:
//
//	line 1: code(2) state(3) name(31 or 39)
//	line 2: number(9) check nationality(3) birth(6) check sex expiry(6) check
//	        then TD3:  personal number(14) check composite
//	             TD2:  optional(7) composite
//	             MRV:  optional(16 or 8)
func (p *parser) twoLine(l1, l2 string) {
	r := p.r
	n := len(l2)
	p.documentCode(l1[0:2])
	r.IssuingState = p.state("issuing_state", CodeInvalidState, l1[2:5])
	r.Surname, r.GivenNames = names(l1[5:])
	r.Nationality = p.state("nationality", CodeInvalidNationality, l2[10:13])
	switch r.Format {
	case TD3:
		optional := l2[28:42]
		r.DocumentNumber = unfill(l2[0:9])
		p.check("document_number", CodeCheckDocumentNumber, "document number", l2[0:9], l2[9])
		r.OptionalData = unfill(optional)
		// The personal number's check digit may be < when it is empty.
		if l2[42] != '<' || r.OptionalData != "" {
			p.check("optional_data", CodeCheckOptionalData, "optional data", optional, l2[42])
		}
	case TD2:
		// Part 6 lets a long document number continue in the optional data.
		r.OptionalData = p.documentNumber(l2[0:9], l2[9], l2[28:35], true)
	default: // MRV-A, MRV-B
		r.OptionalData = p.documentNumber(l2[0:9], l2[9], l2[28:n], false)
	}
	p.birthSexExpiry(l2[13:20], l2[20], l2[21:28])
	if r.Format == TD2 || r.Format == TD3 {
		p.check("composite", CodeCheckComposite, "composite", l2[0:10]+l2[13:20]+l2[21:n-1], l2[n-1])
	}
}

// documentNumber reads the document number field and its check digit, and
// returns the optional data without filler. When long numbers are allowed
// (TD1, TD2) and the number field is full with < in the check digit
// position, the number continues in the optional data up to its first <,
// and the last character of that continuation is the check digit of the
// whole number (ICAO 9303 parts 5 and 6).
func (p *parser) documentNumber(field string, cd byte, optional string, long bool) string {
	if long && cd == '<' && !strings.Contains(field, "<") && optional != "" && optional[0] != '<' {
		end := strings.IndexByte(optional, '<')
		if end < 0 {
			end = len(optional)
		}
		number := field + optional[:end-1]
		p.r.DocumentNumber = number
		p.check("document_number", CodeCheckDocumentNumber, "document number", number, optional[end-1])
		return unfill(optional[end:])
	}
	p.r.DocumentNumber = unfill(field)
	p.check("document_number", CodeCheckDocumentNumber, "document number", field, cd)
	return unfill(optional)
}

// birthSexExpiry reads "YYMMDD"+check, the sex and "YYMMDD"+check.
func (p *parser) birthSexExpiry(birth string, sex byte, expiry string) {
	r := p.r
	r.BirthDate = p.date("birth_date", CodeImpossibleBirth, "date of birth", birth[:6], true)
	p.check("birth_date", CodeCheckBirthDate, "date of birth", birth[:6], birth[6])
	switch sex {
	case 'M', 'F', 'X':
		s := string(sex)
		r.Sex = &s
	case '<': // unspecified
	default:
		p.issue("sex", CodeInvalidSex, "sex %q is not M, F, X or < (unspecified)", string(sex))
	}
	r.ExpiryDate = p.date("expiry_date", CodeImpossibleExpiry, "date of expiry", expiry[:6], false)
	p.check("expiry_date", CodeCheckExpiryDate, "date of expiry", expiry[:6], expiry[6])
}

// date reads YYMMDD into "YYYY-MM-DD". A birth year is in this century
// unless that is after the current year; an expiry year is always in this
// century. A date whose year, month or day is written << (unknown, as
// ICAO 9303 part 3 allows) is nil without an issue.
func (p *parser) date(field, code, what, s string, birth bool) *string {
	var v [3]int
	unknown := false
	for i := range 3 {
		a, b := s[2*i], s[2*i+1]
		switch {
		case a == '<' && b == '<':
			unknown = true
		case isDigit(a) && isDigit(b):
			v[i] = int(a-'0')*10 + int(b-'0')
		default:
			p.issue(field, code, "%s %s is not a date YYMMDD", what, s)
			return nil
		}
	}
	if unknown {
		return nil
	}
	year, month, day := 2000+v[0], v[1], v[2]
	if birth && year > p.year {
		year -= 100
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		p.issue(field, code, "%s %s is not a calendar date (year %d, month %d, day %d)", what, s, year, month, day)
		return nil
	}
	d := fmt.Sprintf("%04d-%02d-%02d", year, month, day)
	return &d
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// check verifies the check digit of data, reporting a wrong or missing one.
func (p *parser) check(field, code, what, data string, digit byte) {
	if !isDigit(digit) {
		p.issue(field, code, "%s check digit is %q, not a digit", what, string(digit))
		return
	}
	if want := CheckDigit(data); want != digit {
		p.issue(field, code, "%s check digit is %c, the data gives %c", what, digit, want)
	}
}

// CheckDigit computes the ICAO 9303 check digit of s, returned as a
// character '0'…'9': the weights 7, 3, 1 repeat over the characters;
// digits count their value, A–Z count 10–35, < (and anything else) 0.
func CheckDigit(s string) byte {
	var weights = [3]int{7, 3, 1}
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

// documentCode reads the two-character document code: a letter, then a
// letter or <.
func (p *parser) documentCode(s string) {
	p.r.DocumentCode = unfill(s)
	if !isLetter(s[0]) || !(isLetter(s[1]) || s[1] == '<') {
		p.issue("document_code", CodeInvalidDocumentCode, "document code %q is not a letter followed by a letter or <", s)
	}
}

// state reads a three-character state code (ISO 3166-1 alpha-3 or an ICAO
// code such as D<<, UTO, XXA): letters, then < filler only.
func (p *parser) state(field, code, s string) string {
	c := strings.TrimRight(s, "<")
	ok := c != ""
	for i := 0; i < len(c); i++ {
		ok = ok && isLetter(c[i])
	}
	if !ok {
		p.issue(field, code, "%s %q is not a state code (letters, then < filler)", strings.ReplaceAll(field, "_", " "), s)
	}
	return c
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }

// unfill removes the < filler around a field.
func unfill(s string) string { return strings.Trim(s, "<") }

// names splits a name field: the primary identifier (surname) before the
// first <<, the secondary identifier (given names) after it, single < being
// spaces. A truncated name stays truncated.
func names(field string) (surname, given string) {
	primary, secondary, _ := strings.Cut(strings.TrimRight(field, "<"), "<<")
	return spaced(primary), spaced(secondary)
}

// spaced turns the < separators of a name into single spaces.
func spaced(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '<' }), " ")
}
