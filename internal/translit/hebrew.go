package translit

import (
	"strings"
	"unicode/utf8"
)

// Hebrew script (Hebrew and Yiddish letters).
//
// Like Arabic, Hebrew does not write most vowels. Profile 0 is consonantal
// (ו v, י y, ב/כ/פ b/k/p at word start and v/kh/f inside, ח h, צ tz) unless
// niqqud is present, which then gives the vowels and the dagesh. Profile 1
// gives the first spelling of a tabled name, else reads ו and י inside words
// as the vowels o and i, a final ה as a, and ח as ch; profile 2 the second
// spelling, else ו as u, ח as kh and ב as b; profile 3 the third spelling.

type htok struct {
	c      rune
	v      byte // vowel from niqqud: 'a', 'e', 'i', 'o', 'u' or 0
	dagesh bool
	sin    bool // sin dot: ש is s
	geresh bool
}

func isHebrewLetter(c rune) bool { return c >= 0x5D0 && c <= 0x5EA || c >= 0x5F0 && c <= 0x5F2 }

func hebNorm(c rune) rune {
	switch c {
	case 'ך':
		return 'כ'
	case 'ם':
		return 'מ'
	case 'ן':
		return 'נ'
	case 'ף':
		return 'פ'
	case 'ץ':
		return 'צ'
	}
	return c
}

var hebrewNames = map[string][]string{}

func init() {
	for _, line := range strings.Split(hebrewNameList, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			continue
		}
		var kb []byte
		for _, c := range k {
			kb = utf8.AppendRune(kb, hebNorm(c))
		}
		hebrewNames[string(kb)] = strings.Split(v, ",")
	}
}

// hebrewNameList holds common Israeli and Jewish names with their usual
// Latin spellings, most common first.
const hebrewNameList = `
דוד:david,dovid
לוי:levi,levy
כהן:cohen,kohen,cohn
משה:moshe,moses
יוסף:yosef,joseph,yossef
אברהם:avraham,abraham
יצחק:yitzhak,itzhak,isaac
יעקב:yaakov,jacob,yakov
שרה:sara,sarah
רחל:rachel,rahel
לאה:lea,leah
רבקה:rivka,rebecca
מרים:miriam,miryam
שמואל:shmuel,samuel
אליהו:eliyahu,eliahu
חיים:haim,chaim,hayim
נתן:natan,nathan
בנימין:binyamin,benjamin
יונתן:yonatan,jonathan
אריאל:ariel
נועם:noam
איתי:itai,itay
עומר:omer,omar
תמר:tamar
נועה:noa,noah
מאיר:meir
אהרון:aharon,aaron
אהרן:aharon,aaron
אסתר:ester,esther
רות:rut,ruth
יעל:yael
חנה:hana,hannah,chana
שלמה:shlomo,salomon
אבי:avi
יוסי:yossi,yosi
רון:ron
עמית:amit
גיל:gil
שי:shai,shay
טל:tal
אורי:uri,ori
איתן:eitan,etan,ethan
אלון:alon
עידו:ido
יהודה:yehuda,yehudah,juda
דניאל:daniel
מיכאל:michael,mikhael
גבריאל:gavriel,gabriel
רפאל:refael,raphael
מזרחי:mizrahi,mizrachi
פרץ:peretz,perez
ביטון:biton
דהן:dahan
אזולאי:azoulay,azulay
פרידמן:fridman,friedman
שפירא:shapira,shapiro
גולדברג:goldberg
גולדשטיין:goldstein,goldshtein
רוזנברג:rozenberg,rosenberg
כץ:katz,kats
אשכנזי:ashkenazi
ישראל:israel,yisrael
שלום:shalom
`

// hebrew renders one word of Hebrew script starting at i.
func (w *rend) hebrew(i int) int {
	r := w.r
	j := i
	for j < len(r) {
		c := r[j]
		if isHebrewLetter(c) || c >= 0x591 && c <= 0x5C7 && c != 0x5BE && c != 0x5C0 && c != 0x5C3 && c != 0x5C6 || c == 0x5F3 ||
			c == '\'' && j > i && takesGeresh(r[j-1]) {
			j++
			continue
		}
		break
	}
	if j == i {
		return i + 1
	}
	var tbuf [32]htok
	toks := tbuf[:0]
	niq := false
	for k := i; k < j; k++ {
		c := r[k]
		if isHebrewLetter(c) {
			toks = append(toks, htok{c: c})
			continue
		}
		if len(toks) == 0 {
			continue
		}
		t := &toks[len(toks)-1]
		switch {
		case c == 0x5F3 || c == '\'':
			t.geresh = true
		case c == 0x5BC:
			t.dagesh = true
		case c == 0x5C1:
		case c == 0x5C2:
			t.sin = true
		case c >= 0x5B0 && c <= 0x5BB || c == 0x5C7:
			niq = true
			t.v = hebrewPoint(c)
		}
	}
	if len(toks) == 0 {
		return j
	}
	p := w.p
	if p > 0 && !niq {
		var kbuf [96]byte
		key := kbuf[:0]
		for _, t := range toks {
			key = utf8.AppendRune(key, hebNorm(t.c))
		}
		if v, ok := hebrewNames[string(key)]; ok {
			w.s(pick(p-1, v...))
			return j
		}
	}
	if p == 3 {
		p = 0
	}
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		init := k == 0
		end := k == len(toks)-1
		var prev, next htok
		if !init {
			prev = toks[k-1]
		}
		if !end {
			next = toks[k+1]
		}
		var out string
		hard := init || t.dagesh
		switch t.c {
		case 'א', 'ע':
			if init && !niq {
				out = "a"
			} else if !niq && p == 1 && !end {
				out = "a"
			}
		case 'ב':
			if hard || p == 2 {
				out = "b"
			} else {
				out = "v"
			}
		case 'ג':
			out = "g"
			if t.geresh {
				out = "j"
			}
		case 'ד':
			out = "d"
		case 'ה':
			out = "h"
			if end && !init && !niq && p == 1 {
				out = "a"
			}
		case 'ו':
			switch {
			case niq && t.v == 'o':
				out = "o"
				t.v = 0
			case niq && t.dagesh && prev.v == 0 && !init:
				out = "u"
			case next.c == 'ו':
				out = "v"
				k++
			case init || p == 0 || niq:
				out = "v"
			case isHebrewMater(next.c) && !(next.c == 'ה' && k+2 == len(toks)):
				out = "v"
			case end:
				out = "u"
			default:
				out = pick(p, "v", "o", "u")
			}
		case 'ז':
			out = "z"
			if t.geresh {
				out = "zh"
			}
		case 'ח':
			out = pick(p, "h", "ch", "kh")
		case 'ט', 'ת':
			out = "t"
		case 'י':
			switch {
			case niq && (prev.v == 'i' || prev.v == 'e') && t.v == 0:
			case next.c == 'י':
				out = "y"
				k++
			case init || p == 0 || niq:
				out = "y"
			case isHebrewMater(next.c):
				out = "y"
			default:
				out = "i"
			}
		case 'כ':
			if hard {
				out = "k"
			} else {
				out = pick(p, "kh", "ch", "kh")
			}
		case 'ך':
			out = pick(p, "kh", "ch", "kh")
		case 'ל':
			out = "l"
		case 'מ', 'ם':
			out = "m"
		case 'נ', 'ן':
			out = "n"
		case 'ס':
			out = "s"
		case 'פ':
			if hard {
				out = "p"
			} else {
				out = "f"
			}
		case 'ף':
			out = "f"
		case 'צ', 'ץ':
			out = pick(p, "tz", "ts", "tz")
			if t.geresh {
				out = "ch"
			}
		case 'ק':
			out = "k"
		case 'ר':
			out = "r"
		case 'ש':
			out = "sh"
			if t.sin {
				out = "s"
			}
		case 'װ':
			out = "v"
		case 'ױ':
			out = "oy"
		case 'ײ':
			out = "ey"
		}
		w.s(out)
		if t.v != 0 {
			w.b = append(w.b, t.v)
		}
	}
	return j
}

// isHebrewMater reports letters that often stand for vowels.
func isHebrewMater(c rune) bool {
	switch c {
	case 'א', 'ה', 'ו', 'י', 'ע':
		return true
	}
	return false
}

func hebrewPoint(c rune) byte {
	switch c {
	case 0x5B1, 0x5B5, 0x5B6:
		return 'e'
	case 0x5B2, 0x5B7, 0x5B8:
		return 'a'
	case 0x5B3, 0x5B9, 0x5BA, 0x5C7:
		return 'o'
	case 0x5B4:
		return 'i'
	case 0x5BB:
		return 'u'
	}
	return 0 // sheva
}

// takesGeresh reports letters that a geresh turns into another sound.
func takesGeresh(c rune) bool {
	switch c {
	case 'ג', 'ז', 'צ', 'ץ', 'ד', 'ת':
		return true
	}
	return false
}
