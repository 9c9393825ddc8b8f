package mrz_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/mrz"
)

var evalNow = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

func str(s string) *string { return &s }

func TestSpecimens(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  mrz.Result
	}{
		{"ICAO TD3 passport", []string{
			"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
			"L898902C36UTO7408122F1204159ZE184226B<<<<<10"},
			mrz.Result{Format: "TD3", DocumentCode: "P", IssuingState: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
				DocumentNumber: "L898902C3", Nationality: "UTO", BirthDate: str("1974-08-12"), Sex: str("F"),
				ExpiryDate: str("2012-04-15"), OptionalData: "ZE184226B", Valid: true}},
		{"ICAO TD1 identity card", []string{
			"I<UTOD231458907<<<<<<<<<<<<<<<",
			"7408122F1204159UTO<<<<<<<<<<<6",
			"ERIKSSON<<ANNA<MARIA<<<<<<<<<<"},
			mrz.Result{Format: "TD1", DocumentCode: "I", IssuingState: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
				DocumentNumber: "D23145890", Nationality: "UTO", BirthDate: str("1974-08-12"), Sex: str("F"),
				ExpiryDate: str("2012-04-15"), Valid: true}},
		{"ICAO TD2", []string{
			"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
			"D231458907UTO7408122F1204159<<<<<<<6"},
			mrz.Result{Format: "TD2", DocumentCode: "I", IssuingState: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
				DocumentNumber: "D23145890", Nationality: "UTO", BirthDate: str("1974-08-12"), Sex: str("F"),
				ExpiryDate: str("2012-04-15"), Valid: true}},
		{"ICAO MRV-A", []string{
			"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
			"L8988901C4XXX4009078F96121096ZE184226B<<<<<<"},
			mrz.Result{Format: "MRV-A", DocumentCode: "V", IssuingState: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
				DocumentNumber: "L8988901C", Nationality: "XXX", BirthDate: str("1940-09-07"), Sex: str("F"),
				ExpiryDate: str("2096-12-10"), OptionalData: "6ZE184226B", Valid: true}},
		{"ICAO MRV-B", []string{
			"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
			"L8988901C4XXX4009078F9612109<<<<<<<<"},
			mrz.Result{Format: "MRV-B", DocumentCode: "V", IssuingState: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
				DocumentNumber: "L8988901C", Nationality: "XXX", BirthDate: str("1940-09-07"), Sex: str("F"),
				ExpiryDate: str("2096-12-10"), Valid: true}},
		{"pasted as one text with spaces and CR", []string{
			"  P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\r\n\nL898902C36UTO7408122F1204159ZE184226B<<<<<10 "},
			mrz.Result{Format: "TD3", DocumentCode: "P", IssuingState: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
				DocumentNumber: "L898902C3", Nationality: "UTO", BirthDate: str("1974-08-12"), Sex: str("F"),
				ExpiryDate: str("2012-04-15"), OptionalData: "ZE184226B", Valid: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := mrz.ParseAt(tc.lines, evalNow)
			if err != nil {
				t.Fatal(err)
			}
			tc.want.Errors = []mrz.Issue{}
			if g, w := js(got), js(&tc.want); g != w {
				t.Fatalf("got  %s\nwant %s", g, w)
			}
		})
	}
}

func js(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestErrors(t *testing.T) {
	td3 := []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}
	with := func(line int, pos int, c byte) []string {
		l := append([]string(nil), td3...)
		b := []byte(l[line])
		b[pos] = c
		l[line] = string(b)
		return l
	}
	cases := []struct {
		name   string
		lines  []string
		parse  string   // ParseError reason, or ""
		issues []string // issue codes
	}{
		{"empty", nil, "empty", nil},
		{"one line", td3[:1], "line_count", nil},
		{"four lines", append(td3, td3...), "line_count", nil},
		{"short line", []string{td3[0], td3[1][:43]}, "line_length", nil},
		{"odd width", []string{td3[0][:40], td3[1][:40]}, "line_length", nil},
		{"lower case", []string{strings.ToLower(td3[0]), td3[1]}, "illegal_characters", nil},
		{"accented letter", []string{strings.Replace(td3[0], "ANNA", "ANNÉ", 1), td3[1]}, "illegal_characters", nil},
		{"wrong number check digit", with(1, 9, '7'), "", []string{"check_digit_document_number", "check_digit_composite"}},
		{"wrong birth check digit", with(1, 19, '3'), "", []string{"check_digit_birth_date", "check_digit_composite"}},
		{"wrong expiry check digit", with(1, 27, '0'), "", []string{"check_digit_expiry_date", "check_digit_composite"}},
		{"wrong composite", with(1, 43, '9'), "", []string{"check_digit_composite"}},
		{"wrong personal number check", with(1, 42, '5'), "", []string{"check_digit_optional_data", "check_digit_composite"}},
		{"letter as check digit", with(1, 9, 'A'), "", []string{"check_digit_document_number", "check_digit_composite"}},
		{"month 13", with(1, 15, '3'), "", []string{"impossible_date", "check_digit_birth_date", "check_digit_composite"}},
		{"bad sex", with(1, 20, 'Q'), "", []string{"invalid_sex"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := mrz.ParseAt(tc.lines, evalNow)
			if tc.parse != "" {
				pe, ok := err.(*mrz.ParseError)
				if !ok || pe.Reason != tc.parse || pe.Message == "" {
					t.Fatalf("want ParseError %s, got %v %v", tc.parse, got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, i := range got.Errors {
				codes = append(codes, i.Code)
				if i.Message == "" || i.Field == "" {
					t.Errorf("issue without field or message: %+v", i)
				}
			}
			if got.Valid || strings.Join(codes, ",") != strings.Join(tc.issues, ",") {
				t.Fatalf("valid=%v issues %v, want %v", got.Valid, codes, tc.issues)
			}
		})
	}
}

func TestFebruary29(t *testing.T) {
	// 29 February exists in 2024 but not in 2023.
	for _, tc := range []struct {
		yymmdd string
		ok     bool
	}{{"240229", true}, {"230229", false}, {"000229", true}, {"260431", false}} {
		line2 := "L898902C36UTO" + tc.yymmdd + string(mrz.CheckDigit(tc.yymmdd)) + "F1204159ZE184226B<<<<<1"
		line2 += string(mrz.CheckDigit(line2[0:10] + line2[13:20] + line2[21:43]))
		r, err := mrz.ParseAt([]string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", line2}, evalNow)
		if err != nil {
			t.Fatal(err)
		}
		if r.Valid != tc.ok || (r.BirthDate == nil) == tc.ok {
			t.Errorf("%s: valid=%v birth=%v %+v", tc.yymmdd, r.Valid, r.BirthDate, r.Errors)
		}
	}
}

// findEval finds shared/eval beside the repository (or any ancestor).
func findEval(t *testing.T, name string) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		p := filepath.Join(dir, "shared", "eval", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("shared/eval/%s not found beside the repository", name)
	}
	t.Skipf("shared/eval/%s not found beside the repository", name)
	return ""
}

type devCase struct {
	CID    string         `json:"cid"`
	Lines  []string       `json:"lines"`
	Expect map[string]any `json:"expect"`
	Bad    string         `json:"bad"`
}

// TestDevSet scores the parser on the development set by its README's rule.
func TestDevSet(t *testing.T) {
	f, err := os.Open(findEval(t, "mrz-dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	total, passed := map[string]int{}, map[string]int{}
	var failures []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c devCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		group := []string{"all", "format:" + fmt.Sprint(c.Expect["format"])}
		if c.Bad != "" {
			group = append(group, "bad:"+c.Bad)
		}
		ok, why := score(c)
		for _, g := range group {
			total[g]++
			if ok {
				passed[g]++
			}
		}
		if !ok {
			failures = append(failures, c.CID+": "+why)
		}
	}
	keys := make([]string, 0, len(total))
	for k := range total {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%-34s %3d/%3d  %.3f", k, passed[k], total[k], float64(passed[k])/float64(total[k]))
	}
	for _, f := range failures {
		t.Error(f)
	}
}

func score(c devCase) (bool, string) {
	r, err := mrz.ParseAt(c.Lines, evalNow)
	if c.Expect["parse_error"] == true {
		if err != nil || !r.Valid {
			return true, ""
		}
		return false, "accepted input that is not an MRZ"
	}
	if err != nil {
		return false, "rejected: " + err.Error()
	}
	var got map[string]any
	_ = json.Unmarshal([]byte(js(r)), &got)
	wantValid := c.Expect["valid"] == true
	if r.Valid != wantValid {
		return false, fmt.Sprintf("valid=%v, want %v (%v)", r.Valid, wantValid, r.Errors)
	}
	for k, want := range c.Expect {
		if k == "valid" || (!wantValid && want == nil) {
			continue
		}
		if fmt.Sprint(got[k]) != fmt.Sprint(want) {
			return false, fmt.Sprintf("%s = %v, want %v", k, got[k], want)
		}
	}
	return true, ""
}

func BenchmarkParseTD3(b *testing.B) {
	lines := []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}
	for b.Loop() {
		if _, err := mrz.ParseAt(lines, evalNow); err != nil {
			b.Fatal(err)
		}
	}
}
