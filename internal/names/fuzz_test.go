package names

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func checkResult(t *testing.T, r Result) {
	t.Helper()
	if r.Score < 0 || r.Score > 1 || r.Score != r.Score {
		t.Fatalf("score out of range: %v", r.Score)
	}
	if r.Match && r.Score < DefaultThreshold {
		t.Fatalf("match below threshold: %v", r.Score)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}
}

func FuzzPrepare(f *testing.F) {
	for _, s := range []string{"", "Ahmed Hassan AL-MASRI", "عبد الرحمن كنعان", "SMITH, John", "v.d. Berg", "O'Brien", "\xff\xfe", "'-'-,,", "Müller-Lüdenscheidt", strings.Repeat("a", 10000), strings.Repeat("ab ", 5000), "Nguyễn Văn Hùng", "Abd al", "al al al", "abdul"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := Prepare(Person{ID: "x", Name: s, Aliases: []string{s, s + " x"}, BirthDate: s})
		q := PrepareQuery(Query{Name: s, BirthDate: s})
		checkResult(t, Compare(q, p))
		for _, nf := range p.forms {
			if len(nf.tokens) > maxTokens {
				t.Fatalf("%d tokens", len(nf.tokens))
			}
			for _, tk := range nf.tokens {
				for _, fm := range tk.forms {
					if fm == "" || !utf8.ValidString(fm) {
						t.Fatalf("bad form %q", fm)
					}
				}
			}
		}
	})
}

func FuzzCompare(f *testing.F) {
	f.Add("Mohammed al-Masri", "Muhammad Almasri", "1979-03-14", "1979-14-03")
	f.Add("Сергей Иванов", "Sergey IVANOV", "1980", "1980-01-01")
	f.Add("ZHANG, Wei", "Cheung Wai", "", "2001-02")
	f.Add("\x00\xc3", "a b c d e f g h i j k l m n o p", "9999-99-99", "-")
	f.Fuzz(func(t *testing.T, a, b, da, db string) {
		q := PrepareQuery(Query{Name: a, BirthDate: da, Nationality: "FR", Sex: "M"})
		p := Prepare(Person{ID: "p", Name: b, BirthDate: db, Nationality: "DE", Sex: "F"})
		checkResult(t, Compare(q, p))
		ix := NewIndex()
		ix.Add(p)
		for _, h := range ix.Search(Query{Name: a, BirthDate: da}, 5) {
			checkResult(t, h.Result)
		}
	})
}
