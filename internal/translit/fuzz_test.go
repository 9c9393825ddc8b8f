package translit

import (
	"testing"
	"unicode/utf8"
)

func FuzzRomanize(f *testing.F) {
	for _, s := range benchNames {
		f.Add(s)
	}
	for _, s := range []string{
		"", " ", "'-'", "\xff", "ال", "عبدال", "ا", "ة", "ّ", "ــ", "ָ", "וו", "יי", "ְ", "्", "ं", "क्", "ँ",
		"っ", "ー", "ゃ", "ん", "々", "〇", "ก์", "เ", "ไ", "์", "ะ", "ᄀ", "ᅡ", "ᆨ", "\u0301", "й\u0306",
		"ﻻ", "ﹰ", "Ⴀ", "Ა", "ու", "ե", "ΐ", "ἀ", "ῥ", "ъ", "ий", "Ўў", "ђ", "ә",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Romanize(s)
		if got == nil || len(got) < 1 || len(got) > maxRenderings {
			t.Fatalf("Romanize(%q) = %q", s, got)
		}
		for _, g := range got {
			if !utf8.ValidString(g) {
				t.Fatalf("Romanize(%q) gives invalid UTF-8 %q", s, g)
			}
		}
	})
}
