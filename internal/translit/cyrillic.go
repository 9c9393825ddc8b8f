package translit

import "unicode"

// Cyrillic language guesses, from the letters present in the whole input.
const (
	cyRuAmb = iota // Russian letters only: Russian, or Ukrainian without its own letters
	cyRu           // Russian (ы, э, ъ or ё present)
	cyUk           // Ukrainian (і, ї, є, ґ)
	cyBe           // Belarusian (ў, or і with ы/э and no и)
	cyKk           // Kazakh (ә, ғ, қ, ң, ө, ұ, ү, һ)
	cySr           // Serbian or Macedonian (ђ, ј, љ, њ, ћ, џ, ѓ, ќ, ѕ)
	cyBg           // Bulgarian (ъ before a consonant)
)

func isCyrLetter(c rune) bool {
	if c >= 0x400 && c < 0x460 {
		return true
	}
	return c >= 0x460 && c < 0x530 && unicode.IsLetter(c)
}

func isCyrVowel(c rune) bool {
	switch c {
	case 'а', 'е', 'ё', 'и', 'о', 'у', 'ы', 'э', 'ю', 'я', 'і', 'ї', 'є', 'ә', 'ө', 'ұ', 'ү', 'ў':
		return true
	}
	return false
}

func isCyrConsonant(c rune) bool {
	return isCyrLetter(c) && !isCyrVowel(c) && c != 'ъ' && c != 'ь' && c != 'й'
}

// cyrBase is the letter-by-letter rendering shared by the systems below
// (BGN/PCGN-like for Russian, plus neutral values for the letters of other
// languages).
func cyrBase(c rune) string {
	switch c {
	case 'а':
		return "a"
	case 'б':
		return "b"
	case 'в':
		return "v"
	case 'г':
		return "g"
	case 'д':
		return "d"
	case 'е', 'ё', 'э', 'ѐ', 'ѣ', 'ӗ':
		return "e"
	case 'ж', 'ӂ', 'ӝ':
		return "zh"
	case 'з', 'ҙ', 'ӟ':
		return "z"
	case 'и', 'і', 'ѝ', 'ӣ', 'ѵ', 'ӥ':
		return "i"
	case 'й':
		return "y"
	case 'к':
		return "k"
	case 'л':
		return "l"
	case 'м':
		return "m"
	case 'н':
		return "n"
	case 'о', 'ө', 'ӧ':
		return "o"
	case 'п':
		return "p"
	case 'р':
		return "r"
	case 'с', 'ҫ':
		return "s"
	case 'т':
		return "t"
	case 'у', 'ұ', 'ү', 'ў', 'ӯ', 'ӱ', 'ӳ':
		return "u"
	case 'ф', 'ѳ':
		return "f"
	case 'х':
		return "kh"
	case 'ц':
		return "ts"
	case 'ч', 'ӵ':
		return "ch"
	case 'ш':
		return "sh"
	case 'щ':
		return "shch"
	case 'ы', 'ӹ':
		return "y"
	case 'ю':
		return "yu"
	case 'я':
		return "ya"
	case 'ї':
		return "yi"
	case 'є':
		return "ye"
	case 'ґ', 'ғ', 'ҕ', 'ҝ':
		return "g"
	case 'ә', 'ӑ', 'ӓ', 'ӕ':
		return "a"
	case 'қ', 'ҡ', 'ҟ':
		return "k"
	case 'ң', 'ҥ', 'ӈ':
		return "ng"
	case 'һ', 'ҳ', 'ӽ':
		return "h"
	case 'ђ':
		return "dj"
	case 'ј':
		return "j"
	case 'љ':
		return "lj"
	case 'њ':
		return "nj"
	case 'ћ':
		return "c"
	case 'џ':
		return "dz"
	case 'ѓ':
		return "gj"
	case 'ќ':
		return "kj"
	case 'ѕ':
		return "dz"
	case 'ҷ':
		return "j"
	}
	return ""
}

// cyrillic renders one word of Cyrillic letters starting at i.
//
// Profiles per language:
//   - Russian: 0 BGN/PCGN-like (Дмитрий dmitriy, Сергей sergey), 1 common
//     English (ye- at word start and after vowels, й as i, -ий as y, кс as x:
//     dmitry, sergei, yevgeny, maxim), 2 ICAO 9303 (dmitrii, iurii), 3 the
//     Ukrainian national system when no letter rules Ukrainian out.
//   - Ukrainian: 0 national system of 2010 (passports), 1 simplified (ye, yi,
//     y, yu, ya everywhere), 2 as 1 with г as g.
//   - Belarusian: 0 passport style (ia, iu, ie after consonants, ў as u),
//     1 BGN/PCGN (ya, yu, ў as w), 2 as 1 with г as g.
//   - Kazakh: 0 Russian-style passport, 1 with ae, gh, q, oe, ue and ye-.
//   - Serbian/Macedonian: 0 Latin alphabet without diacritics (č ć→c,
//     đ→dj), 1 English phonetic (ch, sh, zh), 2 diacritics folded (đ→d).
//   - Bulgarian: 0 official Streamlined System (ъ a, щ sht, х h), 1 with
//     ъ u, х kh, й i.
func (w *rend) cyrillic(i int) int {
	r := w.r
	j := i
	for j < len(r) && isCyrLetter(r[j]) {
		j++
	}
	lang, p := int(w.sc.cy), w.p
	switch lang {
	case cyRuAmb:
		if p == 3 {
			lang, p = cyUk, 0
		}
	case cyRu, cyUk, cyBe, cyKk, cySr:
		if p == 3 {
			p = 0
		}
	case cyBg:
		if p >= 2 {
			p = 0
		}
	}
	afterApos := i > 0 && r[i-1] == '\''
	for k := i; k < j; {
		c := r[k]
		var prev, next rune
		if k > i {
			prev = r[k-1]
		} else if afterApos {
			prev = '\''
		}
		if k+1 < j {
			next = r[k+1]
		}
		init := prev == 0
		soft := init || isCyrVowel(prev) || prev == 'ъ' || prev == 'ь' || prev == '\''
		end2 := k+2 == j // next is the last letter
		var out string
		n := 1
		switch lang {
		case cyRuAmb, cyRu, cyKk:
			out, n = ruLetter(c, prev, next, init, soft, end2, p)
			if lang == cyKk && p == 1 {
				switch c {
				case 'ә':
					out = "ae"
				case 'ғ':
					out = "gh"
				case 'қ':
					out = "q"
				case 'ө':
					out = "oe"
				case 'ү':
					out = "ue"
				}
			}
		case cyUk:
			out, n = ukLetter(c, prev, init, p)
		case cyBe:
			out = beLetter(c, init, soft, p)
		case cySr:
			out = srLetter(c, p)
		case cyBg:
			out, n = bgLetter(c, next, k+1 == j, end2, p)
		}
		w.s(out)
		k += n
	}
	return j
}

func ruLetter(c, prev, next rune, init, soft, end2 bool, p int) (string, int) {
	switch c {
	case 'е':
		if p == 1 && soft {
			return "ye", 1
		}
		return "e", 1
	case 'ё':
		if p == 1 {
			switch prev {
			case 'ж', 'ч', 'ш', 'щ':
				return "o", 1
			}
			return "yo", 1
		}
		return "e", 1
	case 'и':
		if next == 'й' && end2 {
			return pick(p, "iy", "y", "ii"), 2
		}
	case 'ы':
		if next == 'й' && end2 {
			return pick(p, "yy", "y", "yi"), 2
		}
	case 'й':
		if p == 2 || p == 1 && !init {
			return "i", 1
		}
		return "y", 1
	case 'ю':
		if p == 2 {
			return "iu", 1
		}
	case 'я':
		if p == 2 {
			return "ia", 1
		}
	case 'ъ':
		if p == 2 {
			return "ie", 1
		}
	case 'к':
		if p == 1 && next == 'с' {
			return "x", 2
		}
	}
	return cyrBase(c), 1
}

func ukLetter(c, prev rune, init bool, p int) (string, int) {
	kmu := p == 0 && !init
	switch c {
	case 'г':
		if p == 2 {
			return "g", 1
		}
		if p == 0 && prev == 'з' {
			return "gh", 1
		}
		return "h", 1
	case 'е':
		return "e", 1
	case 'є':
		if kmu {
			return "ie", 1
		}
		return "ye", 1
	case 'и':
		return "y", 1
	case 'ї':
		if kmu {
			return "i", 1
		}
		return "yi", 1
	case 'й':
		if kmu {
			return "i", 1
		}
		return "y", 1
	case 'ю':
		if kmu {
			return "iu", 1
		}
		return "yu", 1
	case 'я':
		if kmu {
			return "ia", 1
		}
		return "ya", 1
	}
	return cyrBase(c), 1
}

func beLetter(c rune, init, soft bool, p int) string {
	iot := func(v string) string {
		if p == 0 && !soft {
			return "i" + v
		}
		return "y" + v
	}
	switch c {
	case 'г':
		if p == 2 {
			return "g"
		}
		return "h"
	case 'е':
		if soft {
			return "ye"
		}
		return "e"
	case 'ё':
		return iot("o")
	case 'ю':
		return iot("u")
	case 'я':
		return iot("a")
	case 'й':
		if p == 0 && !init {
			return "i"
		}
		return "y"
	case 'ў':
		if p >= 1 {
			return "w"
		}
		return "u"
	}
	return cyrBase(c)
}

func srLetter(c rune, p int) string {
	switch c {
	case 'ж':
		return pick(p, "z", "zh", "z")
	case 'ч', 'ћ':
		return pick(p, "c", "ch", "c")
	case 'ш':
		return pick(p, "s", "sh", "s")
	case 'ђ':
		return pick(p, "dj", "dj", "d")
	case 'џ':
		return pick(p, "dz", "dzh", "dz")
	case 'ц':
		return "c"
	case 'х':
		return "h"
	case 'й':
		return "j"
	}
	return cyrBase(c)
}

func bgLetter(c, next rune, last, end2 bool, p int) (string, int) {
	switch c {
	case 'ъ':
		if p == 1 {
			return "u", 1
		}
		return "a", 1
	case 'щ':
		return "sht", 1
	case 'х':
		return pick(p, "h", "kh"), 1
	case 'й':
		return pick(p, "y", "i"), 1
	case 'ь':
		return "y", 1
	case 'и':
		if next == 'я' && end2 {
			return "ia", 2
		}
	}
	return cyrBase(c), 1
}
