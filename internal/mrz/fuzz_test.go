package mrz_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/relais/relais/internal/mrz"
)

// FuzzParse feeds arbitrary text (lines separated by newlines) to the
// parser and checks that it never panics and that what it reports is
// consistent with the zone it read.
func FuzzParse(f *testing.F) {
	for _, z := range [][]string{specimenTD3, specimenTD1, specimenTD2, specimenMRVA, specimenMRVB,
		td1("VON<DER<HEIDE<<FRANZISKA<JORDI", "M4UY2064927", "330104", "F", "300603"),
		td3("DOE<<JOHN", "E12345678", "D<<", "<<<<<<", "<", "270229", ""),
		{"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D23145890<UTO7408122F1204159AB1<<<<<6"},
	} {
		f.Add(strings.Join(z, "\n"))
	}
	for _, s := range []string{"", "<<<<", "\n\n\n", "P<", "p<utoeriksson\r\nx", "I<UTO\u00c9\n\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r, err := mrz.ParseAt(strings.Split(text, "\n"), evalNow)
		// The same text given as one pasted string reads the same.
		r2, err2 := mrz.ParseAt([]string{text}, evalNow)
		if js(r) != js(r2) || (err == nil) != (err2 == nil) {
			t.Fatalf("split and pasted input differ: %s %v / %s %v", js(r), err, js(r2), err2)
		}
		if err != nil {
			var pe *mrz.ParseError
			if !errors.As(err, &pe) || r != nil {
				t.Fatalf("error of type %T with result %v", err, r)
			}
			switch pe.Reason {
			case mrz.ReasonEmpty, mrz.ReasonLineCount, mrz.ReasonLineLength, mrz.ReasonIllegalCharacters:
			default:
				t.Fatalf("unknown reason %q", pe.Reason)
			}
			if pe.Message == "" {
				t.Fatal("ParseError without a message")
			}
			return
		}
		var lines []string
		for _, l := range strings.Split(text, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		checkResult(t, lines, r)
	})
}

// checkResult checks the invariants of a result read from lines.
func checkResult(t *testing.T, lines []string, r *mrz.Result) {
	t.Helper()
	if r.Valid != (len(r.Errors) == 0) {
		t.Fatalf("valid=%v with %d errors", r.Valid, len(r.Errors))
	}
	for _, i := range r.Errors {
		if i.Field == "" || i.Code == "" || i.Message == "" {
			t.Fatalf("incomplete issue %+v", i)
		}
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}
	w := map[string]int{mrz.TD1: 30, mrz.TD2: 36, mrz.MRVB: 36, mrz.TD3: 44, mrz.MRVA: 44}[r.Format]
	if n := map[bool]int{true: 3, false: 2}[r.Format == mrz.TD1]; w == 0 || len(lines) != n {
		t.Fatalf("format %q from %d lines", r.Format, len(lines))
	}
	for _, l := range lines {
		if len(l) != w {
			t.Fatalf("format %s with a line of %d characters", r.Format, len(l))
		}
	}
	if r.Format != mrz.TD1 && (r.Format == mrz.MRVA || r.Format == mrz.MRVB) != (lines[0][0] == 'V') {
		t.Fatalf("format %s for document code %q", r.Format, lines[0][:2])
	}
	// Fields are read back from their positions in the zone.
	name, data := lines[0][5:], lines[1]
	birth, sex, expiry := 13, 20, 21
	if r.Format == mrz.TD1 {
		name, data = lines[2], lines[0]
		birth, sex, expiry = 0, 7, 8
	}
	dates := lines[1]
	if !strings.Contains(lines[0][:2], r.DocumentCode) ||
		!strings.HasPrefix(lines[0][2:5], r.IssuingState) {
		t.Fatalf("document code %q / state %q not from %q", r.DocumentCode, r.IssuingState, lines[0])
	}
	for _, s := range []string{r.Surname, r.GivenNames} {
		if strings.ContainsAny(s, "<") || strings.Contains(s, "  ") || s != strings.TrimSpace(s) {
			t.Fatalf("name %q not cleaned", s)
		}
	}
	if r.Surname != "" && !strings.Contains(name, strings.ReplaceAll(r.Surname, " ", "<")) {
		t.Fatalf("surname %q not in %q", r.Surname, name)
	}
	if r.DocumentNumber != "" && !strings.Contains(data, r.DocumentNumber[:min(9, len(r.DocumentNumber))]) {
		t.Fatalf("document number %q not in %q", r.DocumentNumber, data)
	}
	if r.BirthDate != nil && yymmdd(*r.BirthDate) != dates[birth:birth+6] {
		t.Fatalf("birth date %s not from %q", *r.BirthDate, dates[birth:birth+6])
	}
	if r.ExpiryDate != nil && yymmdd(*r.ExpiryDate) != dates[expiry:expiry+6] {
		t.Fatalf("expiry date %s not from %q", *r.ExpiryDate, dates[expiry:expiry+6])
	}
	if (r.Sex == nil) != (dates[sex] != 'M' && dates[sex] != 'F' && dates[sex] != 'X') || (r.Sex != nil && (*r.Sex)[0] != dates[sex]) {
		t.Fatalf("sex %v from %q", r.Sex, dates[sex])
	}
	if r.Valid {
		for _, s := range []string{r.IssuingState, r.Nationality, r.DocumentCode} {
			if s == "" || strings.Contains(s, "<") {
				t.Fatalf("valid zone with code %q", s)
			}
		}
	}
}

// yymmdd turns "YYYY-MM-DD" back into the zone's YYMMDD.
func yymmdd(d string) string {
	if len(d) != 10 {
		return d
	}
	return d[2:4] + d[5:7] + d[8:10]
}

// FuzzParseZone builds zones of the right shape from arbitrary bytes mapped
// onto the MRZ alphabet, so that the field parsing itself is exercised
// rather than the shape checks.
func FuzzParseZone(f *testing.F) {
	const alphabet = "<ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<<<<<<"
	index := map[byte]byte{}
	for i := len(alphabet) - 1; i >= 0; i-- {
		index[alphabet[i]] = byte(i)
	}
	for _, z := range [][]string{specimenTD1, specimenTD2, specimenTD3, specimenMRVA, specimenMRVB} {
		var b []byte
		for _, c := range []byte(strings.Join(z, "")) {
			b = append(b, index[c])
		}
		f.Add(uint8(map[int]int{30: 0, 36: 1, 44: 2}[len(z[0])]), b)
	}
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		shape := [][2]int{{3, 30}, {2, 36}, {2, 44}}[int(kind)%3]
		var lines []string
		k := 0
		for range shape[0] {
			var b strings.Builder
			for range shape[1] {
				c := byte('<')
				if k < len(data) {
					c = alphabet[int(data[k])%len(alphabet)]
				}
				k++
				b.WriteByte(c)
			}
			lines = append(lines, b.String())
		}
		r, err := mrz.ParseAt(lines, evalNow)
		if err != nil {
			t.Fatalf("zone of the right shape rejected: %v", err)
		}
		checkResult(t, lines, r)
	})
}
