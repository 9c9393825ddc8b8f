package translit

import (
	"strings"
	"unicode/utf8"
)

// Arabic script (Arabic, Persian, Urdu).
//
// Short vowels are not written, so a word is rendered consonant by
// consonant with the long vowels ا و ي (a, u/w, i/y by position), unless it
// carries harakat (fatha a, kasra i, damma u, shadda doubles) or is in the
// table of frequent names below. The article ال at the start of a word
// gives "al-"; a word starting عبدال gives "abd al-".
//
// Profiles for Arabic: 0 consonantal (ق q, ة a, ع a before a consonant);
// 1 the first common spelling of a tabled name, else ق k, ة ah, ع dropped
// inside words; 2 the second tabled spelling, else French/Maghreb style
// (ou, ch, dj); 3 the third, else Egyptian/Levantine (ج g, ث s, ذ z).
// For Persian (letters پ چ ژ گ ک ی present): 0 Persian values (و v, ق gh,
// ث s, ذ ض ظ z, final ه e), 1 with ق q and و as o, 2 with و as ou, 3 Arabic
// values.

type atok struct {
	c   rune
	v   byte // short vowel from harakat: 'a', 'i', 'u' or 0
	sh  bool // shadda
	tan bool // tanwin
}

func isArabicLetter(c rune) bool {
	return c >= 0x620 && c <= 0x64A || c >= 0x66E && c <= 0x6D3 && c != 0x6D4 || c == 0x6D5 ||
		c >= 0x6FA && c <= 0x6FC || c == 0x6FF || c >= 0x750 && c <= 0x77F
}

func isArabicMark(c rune) bool {
	return c >= 0x64B && c <= 0x65F || c == 0x670 || c == 0x640 || c >= 0x6D6 && c <= 0x6ED && c != 0x6DD && c != 0x6DE && c != 0x6E9
}

func isAlif(c rune) bool {
	switch c {
	case 'ا', 'أ', 'إ', 'آ', 'ٱ', 'ٲ', 'ٳ':
		return true
	}
	return false
}

// arNorm folds letter variants for looking names up in the table.
func arNorm(c rune) rune {
	switch c {
	case 'أ', 'إ', 'آ', 'ٱ', 'ٲ', 'ٳ':
		return 'ا'
	case 'ى', 'ی', 'ې', 'ۍ', 'ێ':
		return 'ي'
	case 'ک', 'ڪ':
		return 'ك'
	case 'ة', 'ۀ', 'ہ', 'ە', 'ۃ', 'ھ':
		return 'ه'
	}
	return c
}

// arabicNames are vowelled spellings of frequent names, most common first.
// Keys are folded with arNorm when the table is built.
var arabicNames = map[string][]string{}

func init() {
	for _, line := range strings.Split(arabicNameList, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			continue
		}
		var kb []byte
		for _, c := range k {
			kb = utf8.AppendRune(kb, arNorm(c))
		}
		arabicNames[string(kb)] = strings.Split(v, ",")
	}
}

const arabicNameList = `
محمد:muhammad,mohammed,mohamed
أحمد:ahmad,ahmed
محمود:mahmoud,mahmud
مصطفى:mustafa,mostafa
علي:ali
عمر:omar,umar
عثمان:othman,uthman,osman
حسن:hassan,hasan
حسين:hussein,husain,hussain
خالد:khalid,khaled
إبراهيم:ibrahim,ebrahim
إسماعيل:ismail,ismael
يوسف:yusuf,youssef,yousef
يونس:younes,yunus,younis
موسى:musa,mousa,moussa
عيسى:isa,issa,eissa
عبد:abd,abdul,abdel
عبدالله:abdullah,abdallah,abdulla
الله:allah
عبدالرحمن:abdulrahman,abdelrahman,abderrahmane
عبدالعزيز:abdulaziz,abdelaziz
عبدالقادر:abdulkadir,abdelkader,abdulqadir
فاطمة:fatima,fatimah,fatma
عائشة:aisha,aicha,ayesha
مريم:maryam,mariam,meriem
خديجة:khadija,khadijah,khadiga
زينب:zainab,zaynab,zeinab
نور:nour,noor,nur
سارة:sara,sarah
ليلى:layla,leila,laila
سليم:salim,selim,saleem
حداد:haddad
سعيد:said,saeed,saied
سعد:saad,sad
صالح:salih,saleh
سالم:salem,salim
طارق:tariq,tarek,tarik
كريم:karim,kareem
جمال:jamal,djamel,gamal
منصور:mansour,mansur
عادل:adel,adil
وليد:walid,waleed
خليل:khalil
رشيد:rashid,rachid
حمزة:hamza,hamzah
بلال:bilal
أمين:amin,ameen
أسامة:osama,usama,oussama
جعفر:jafar,jaafar
قاسم:qasim,kassem,qasem
ياسين:yassin,yasin,yacine
ياسر:yasser,yasir
هشام:hisham,hicham
سمير:samir,sameer
نبيل:nabil
فيصل:faisal,faysal
زياد:ziad,ziyad
رامي:rami
هاني:hani
عماد:imad,emad
أيمن:ayman,aymen
مراد:murad,mourad
حسام:hussam,hossam
بشير:bashir,bachir
نادية:nadia,nadiya
هدى:huda,hoda
أمينة:amina,aminah
سلمى:salma
رانيا:rania
ياسمين:yasmin,yasmine
الياس:ilyas,elias
الهام:elham,ilham
عباس:abbas
جواد:javad,jawad
رضا:reza,rida
مهدي:mehdi,mahdi
أمير:amir
نيما:nima
زهرا:zahra
طه:taha
أبو:abu,abou
بكر:bakr,bakir
بن:bin,ben
بنت:bint
رحمن:rahman
رحيم:rahim
عزيز:aziz
قادر:qadir,kader,kadir
حميد:hamid
مجيد:majid,madjid
لطيف:latif
حكيم:hakim
ملك:malik
سلام:salam
غني:ghani
ناصر:nasser,nasir,naser
`

// arabic renders one word of Arabic script starting at i.
func (w *rend) arabic(i int) int {
	r := w.r
	j := i
	for j < len(r) && (isArabicLetter(r[j]) || isArabicMark(r[j])) {
		j++
	}
	if j == i {
		return i + 1
	}
	var tbuf [40]atok
	toks := tbuf[:0]
	for k := i; k < j; k++ {
		c := r[k]
		if isArabicLetter(c) {
			toks = append(toks, atok{c: c})
			continue
		}
		if len(toks) == 0 {
			continue
		}
		t := &toks[len(toks)-1]
		switch c {
		case 0x64E: // fatha
			t.v = 'a'
		case 0x650: // kasra
			t.v = 'i'
		case 0x64F: // damma
			t.v = 'u'
		case 0x651: // shadda
			t.sh = true
		case 0x64B, 0x64C, 0x64D: // tanwin
			t.tan = true
		case 0x670: // dagger alif
			if t.v == 0 {
				t.v = 'a'
			}
		}
	}
	if len(toks) == 0 {
		return j
	}
	p := w.p
	if p > 0 && w.arabicName(toks, p) {
		return j
	}
	start := 0
	switch {
	case len(toks) >= 4 && isAlif(toks[0].c) && toks[1].c == 'ل' && toks[0].v != 'i' && toks[0].v != 'u':
		w.s("al-")
		start = 2
	case len(toks) >= 7 && toks[0].c == 'ع' && toks[1].c == 'ب' && toks[2].c == 'د' && isAlif(toks[3].c) && toks[4].c == 'ل':
		w.s("abd al-")
		start = 5
	}
	pers, urdu := w.sc.persian, w.sc.urdu
	if pers && p == 3 {
		pers, urdu, p = false, false, 0
	}
	for k := start; k < len(toks); k++ {
		t := toks[k]
		init := k == start
		end := k == len(toks)-1
		var prev, next atok
		if k > start {
			prev = toks[k-1]
		}
		if !end {
			next = toks[k+1]
		}
		nextLong := isAlif(next.c) || next.c == 'ى' || isArabicSemivowel(next.c) && next.v == 0 && isArabicSemivowel(t.c)
		lastV := len(w.b) > 0 && isVowelByte(w.b[len(w.b)-1])
		var cons, vow string
		switch t.c {
		case 'ا', 'ٱ', 'ٲ', 'ٳ':
			if prev.v != 'a' {
				vow = "a"
			}
		case 'آ':
			vow = "a"
		case 'أ':
			if t.v == 0 && prev.v != 'a' {
				vow = "a"
			}
		case 'إ':
			if t.v == 0 {
				vow = "i"
			}
		case 'ؤ':
			if t.v == 0 {
				vow = "u"
			}
		case 'ئ':
			if t.v == 0 {
				vow = "i"
			}
		case 'ء':
		case 'و', 'ۥ':
			switch {
			case !init && prev.v == 'u' && t.v == 0 && !t.sh:
			case init || t.v != 0 || t.sh || lastV || nextLong:
				cons = "w"
				if pers && !urdu || urdu && p == 1 {
					cons = "v"
				}
			case pers:
				vow = pick(p, "u", "o", "ou")
			default:
				vow = pick(p, "u", "u", "ou", "u")
			}
		case 'ي', 'ی', 'ې', 'ۍ', 'ێ', 'ى':
			if t.c == 'ى' && !pers && (end || t.v == 0 && !t.sh) {
				vow = "a"
				break
			}
			switch {
			case !init && prev.v == 'i' && t.v == 0 && !t.sh:
			case init || t.v != 0 || t.sh || lastV || nextLong:
				cons = "y"
			default:
				vow = "i"
			}
		case 'ة', 'ۃ':
			if end && prev.v == 'a' {
				break
			}
			if end {
				if pers {
					vow = pick(p, "e", "eh", "a")
				} else {
					vow = pick(p, "a", "ah", "a", "a")
				}
			} else {
				cons = "t"
			}
		case 'ۀ', 'ە', 'ے', 'ۓ':
			vow = "e"
		case 'ه', 'ہ':
			if end && !init && !lastV && t.v == 0 {
				switch {
				case urdu:
					vow = pick(p, "a", "ah", "a")
				case pers:
					vow = pick(p, "e", "eh", "h")
				default:
					cons = "h"
				}
			} else {
				cons = "h"
			}
		case 'ع':
			nextVowelLetter := isArabicSemivowel(next.c) && next.v == 0 && !next.sh && !(k+2 < len(toks) && isAlif(toks[k+2].c))
			switch {
			case t.v != 0 || nextVowelLetter:
			case isAlif(next.c):
				if p == 0 {
					vow = "a"
				}
			case init || p == 0 && !pers:
				vow = "a"
			}
		default:
			cons = arabicConsonant(t.c, p, pers)
		}
		if cons != "" {
			w.s(cons)
			if t.sh {
				w.s(cons)
			}
		}
		w.s(vow)
		switch t.v {
		case 'a':
			w.s("a")
		case 'i':
			if pers {
				w.s("e")
			} else {
				w.s("i")
			}
		case 'u':
			if pers {
				w.s("o")
			} else {
				w.s("u")
			}
		}
	}
	return j
}

func isArabicSemivowel(c rune) bool {
	switch c {
	case 'و', 'ي', 'ی', 'ې':
		return true
	}
	return false
}

func isVowelByte(b byte) bool {
	switch b {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

func arabicConsonant(c rune, p int, pers bool) string {
	switch c {
	case 'ب':
		return "b"
	case 'ت', 'ط', 'ٹ':
		return "t"
	case 'ث':
		if pers {
			return "s"
		}
		return pick(p, "th", "th", "th", "s")
	case 'ج':
		if pers {
			return "j"
		}
		return pick(p, "j", "j", "dj", "g")
	case 'ح', 'ھ':
		return "h"
	case 'خ':
		return "kh"
	case 'د', 'ڈ':
		return "d"
	case 'ذ':
		if pers {
			return "z"
		}
		return pick(p, "dh", "dh", "dh", "z")
	case 'ر', 'ڑ', 'ڕ':
		return "r"
	case 'ز':
		return "z"
	case 'س', 'ص':
		return "s"
	case 'ش':
		if pers {
			return "sh"
		}
		return pick(p, "sh", "sh", "ch", "sh")
	case 'ض':
		if pers {
			return "z"
		}
		return "d"
	case 'ظ':
		return "z"
	case 'غ':
		return "gh"
	case 'ف':
		return "f"
	case 'ق':
		if pers {
			return pick(p, "gh", "q", "gh")
		}
		return pick(p, "q", "k", "k", "q")
	case 'ك', 'ک', 'ڪ':
		return "k"
	case 'گ':
		return "g"
	case 'ل', 'ڵ':
		return "l"
	case 'م':
		return "m"
	case 'ن', 'ں':
		return "n"
	case 'پ':
		return "p"
	case 'چ':
		return "ch"
	case 'ژ':
		return "zh"
	case 'ڤ', 'ۋ', 'ڨ':
		return "v"
	case 'ڭ':
		return "ng"
	case 'ۆ':
		return "o"
	case 'ۇ', 'ۈ':
		return "u"
	}
	return ""
}

// arabicName renders a word found in the name table, with the article
// split off if needed, and reports whether it did.
func (w *rend) arabicName(toks []atok, p int) bool {
	var kbuf [96]byte
	key := kbuf[:0]
	for _, t := range toks {
		key = utf8.AppendRune(key, arNorm(t.c))
	}
	if v, ok := arabicNames[string(key)]; ok {
		w.s(pick(p-1, v...))
		return true
	}
	// ال + name: the article is two letters of two bytes each.
	if len(toks) >= 4 && isAlif(toks[0].c) && toks[1].c == 'ل' {
		if v, ok := arabicNames[string(key[4:])]; ok {
			w.s("al-")
			w.s(pick(p-1, v...))
			return true
		}
	}
	return false
}

// arabicPresentation appends the letters of an Arabic presentation form
// (U+FE70–U+FEFC).
func arabicPresentation(buf []rune, c rune) []rune {
	if c < 0xFE80 {
		switch c {
		case 0xFE70, 0xFE71:
			return append(buf, 0x64B)
		case 0xFE72:
			return append(buf, 0x64C)
		case 0xFE74:
			return append(buf, 0x64D)
		case 0xFE76, 0xFE77:
			return append(buf, 0x64E)
		case 0xFE78, 0xFE79:
			return append(buf, 0x64F)
		case 0xFE7A, 0xFE7B:
			return append(buf, 0x650)
		case 0xFE7C, 0xFE7D:
			return append(buf, 0x651)
		case 0xFE7E, 0xFE7F:
			return append(buf, 0x652)
		}
		return buf
	}
	if c >= 0xFEF5 {
		buf = append(buf, 'ل')
		switch (c - 0xFEF5) / 2 {
		case 0:
			return append(buf, 'آ')
		case 1:
			return append(buf, 'أ')
		case 2:
			return append(buf, 'إ')
		}
		return append(buf, 'ا')
	}
	// Each letter has 1 (hamza), 2 (non-joining) or 4 forms, in code order.
	off := c - 0xFE80
	for _, f := range arabicForms {
		n := rune(2)
		if f.four {
			n = 4
		}
		if f.c == 'ء' {
			n = 1
		}
		if off < n {
			return append(buf, f.c)
		}
		off -= n
	}
	return buf
}

var arabicForms = [...]struct {
	c    rune
	four bool
}{
	{'ء', false}, {'آ', false}, {'أ', false}, {'ؤ', false}, {'إ', false}, {'ئ', true}, {'ا', false},
	{'ب', true}, {'ة', false}, {'ت', true}, {'ث', true}, {'ج', true}, {'ح', true}, {'خ', true},
	{'د', false}, {'ذ', false}, {'ر', false}, {'ز', false}, {'س', true}, {'ش', true}, {'ص', true},
	{'ض', true}, {'ط', true}, {'ظ', true}, {'ع', true}, {'غ', true}, {'ف', true}, {'ق', true},
	{'ك', true}, {'ل', true}, {'م', true}, {'ن', true}, {'ه', true}, {'و', false}, {'ى', false},
	{'ي', true},
}
