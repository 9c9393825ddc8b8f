// Package translit renders person names written in other scripts in Latin
// letters, for fuzzy name matching.
//
// Romanize returns one to four renderings of a name, the most standard
// first. Each rendering is lower case; spaces, hyphens and apostrophes of the
// input are kept as word separators and joiners, other punctuation separates
// words and unknown characters are dropped. Latin text passes through
// lower-cased, with its diacritics untouched. Each run of another script is
// rendered by its own rules, so mixed input (and Latin text with look-alike
// Cyrillic or Greek letters) comes out whole.
//
// Where romanisation systems commonly differ, the renderings follow
// different systems consistently over the whole name (for Russian: a
// BGN-like spelling, a common English spelling, ICAO 9303 and, when the
// letters do not rule it out, a Ukrainian reading), rather than every
// combination of per-letter choices.
//
// Scripts covered: Latin; Cyrillic (Russian, Ukrainian, Belarusian,
// Bulgarian, Serbian, Macedonian, Kazakh); Greek (ELOT 743 and phonetic);
// Arabic with Persian and Urdu letters; Hebrew; Devanagari (Hindi spelling
// with schwa deletion); Korean Hangul (Revised Romanization with common
// surname spellings); Japanese kana (Hepburn) and a small table of Japanese
// names in kanji; Chinese characters (Hanyu Pinyin without tones from an
// embedded table of name characters, with Wade-Giles and Cantonese spellings
// of common surnames); Thai (RTGS, simplified); Georgian (national system);
// Armenian (Eastern, with -ian and Western spellings).
//
// Arabic and Hebrew do not write short vowels. Unless the text is pointed
// (harakat, niqqud) or the word is one of a small table of frequent names,
// the primary rendering of a word in these scripts is consonantal (محمد
// gives "mhmd", "muhammad", ...): it must be compared with Latin names by
// consonant skeleton, not letter by letter.
//
// Romanize is pure, safe for concurrent use and allocates only its results
// for typical names.
package translit

import (
	"sync"
	"unicode"
	"unicode/utf8"
)

// maxRenderings is the most renderings Romanize returns; it is also the
// number of spelling systems ("profiles") each script defines.
const maxRenderings = 4

// Romanize returns one or more Latin renderings of s.
func Romanize(s string) []string {
	if out, ok := romanizeASCII(s); ok {
		return out
	}
	st := statePool.Get().(*state)
	defer statePool.Put(st)
	runes := decode(s, st.runes[:0])
	st.sc = scanInfo{}
	st.sc.scan(runes)
	out := make([]string, 0, st.sc.profiles)
	w := &st.w
	*w = rend{r: runes, sc: &st.sc}
	for p := 0; p < st.sc.profiles; p++ {
		w.p = p
		w.b = st.buf[:0]
		w.render()
		b := trim(w.b)
		dup := false
		for _, o := range out {
			if o == string(b) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, string(b))
		}
	}
	*w = rend{}
	return out
}

// state holds the working buffers of one call, reused through statePool so
// that typical names need no allocation beyond the results.
type state struct {
	runes [192]rune
	buf   [384]byte
	sc    scanInfo
	w     rend
}

var statePool = sync.Pool{New: func() any { return new(state) }}

// romanizeASCII handles input that is plain ASCII without allocating more
// than the result.
func romanizeASCII(s string) ([]string, bool) {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return nil, false
		}
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			clean = false
		}
	}
	if clean {
		return []string{s}, true
	}
	var bbuf [128]byte
	b := bbuf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+32)
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b = append(b, c)
		case c == '-' || c == '\'':
			b = sep(b, c)
		case c == '`':
			b = sep(b, '\'')
		default:
			b = sep(b, ' ')
		}
	}
	b = trim(b)
	if string(b) == s {
		return []string{s}, true
	}
	return []string{string(b)}, true
}

// sep appends a separator unless the output is empty or already ends in a
// space.
func sep(b []byte, c byte) []byte {
	if len(b) == 0 {
		return b
	}
	last := b[len(b)-1]
	if c == ' ' {
		if last == ' ' {
			return b
		}
		if last == '-' || last == '\'' {
			b[len(b)-1] = ' '
			return b
		}
		return append(b, ' ')
	}
	if last == ' ' {
		return b
	}
	return append(b, c)
}

// trim removes trailing separators.
func trim(b []byte) []byte {
	for len(b) > 0 {
		switch b[len(b)-1] {
		case ' ', '-', '\'':
			b = b[:len(b)-1]
			continue
		}
		break
	}
	return b
}

// decode lower-cases s into runes, folds separators to space, hyphen and
// apostrophe and full-width forms to ASCII, and composes the decomposed
// sequences that the script rules need (Cyrillic й, ё, ї, ў; Greek diaeresis; Hangul jamo;
// kana voicing marks; Arabic presentation forms).
func decode(s string, buf []rune) []rune {
	for _, c := range s {
		if c >= 0xFF01 && c <= 0xFF5E {
			c -= 0xFEE0 // full-width ASCII
		}
		if c < 0x80 {
			switch {
			case c >= 'A' && c <= 'Z':
				c += 32
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '\'':
			case c == '`':
				c = '\''
			default:
				c = ' '
			}
			buf = append(buf, c)
			continue
		}
		// Fast path for the letters of the main blocks.
		switch {
		case c >= 0x410 && c <= 0x42F, c >= 0x391 && c <= 0x3A9 && c != 0x3A2:
			buf = append(buf, c+0x20)
			continue
		case c >= 0x400 && c <= 0x40F:
			buf = append(buf, c+0x50)
			continue
		case c >= 0x430 && c <= 0x45F, c >= 0x3B1 && c <= 0x3CE, c >= 0x4E00 && c <= 0x9FFF, c >= 0xAC00 && c <= 0xD7A3,
			c >= 0x5D0 && c <= 0x5EA, c >= 0x621 && c <= 0x63A, c >= 0x641 && c <= 0x652, c >= 0x3041 && c <= 0x3096, c >= 0x30A1 && c <= 0x30FA,
			c >= 0x905 && c <= 0x939, c >= 0x93E && c <= 0x94D, c >= 0xE01 && c <= 0xE2E, c >= 0x10D0 && c <= 0x10FA, c >= 0x561 && c <= 0x587:
			buf = append(buf, c)
			continue
		}
		n := len(buf)
		switch {
		case c >= 0x300 && c <= 0x36F:
			if n > 0 {
				if m, ok := composeMark(buf[n-1], c); ok {
					if m != 0 {
						buf[n-1] = m
					}
					continue
				}
			}
		case c >= 0x1161 && c <= 0x1175: // Hangul medial vowel jamo
			if n > 0 && buf[n-1] >= 0x1100 && buf[n-1] <= 0x1112 {
				buf[n-1] = 0xAC00 + ((buf[n-1]-0x1100)*21+(c-0x1161))*28
				continue
			}
		case c >= 0x11A8 && c <= 0x11C2: // Hangul final jamo
			if n > 0 && buf[n-1] >= 0xAC00 && buf[n-1] <= 0xD7A3 && (buf[n-1]-0xAC00)%28 == 0 {
				buf[n-1] += c - 0x11A7
				continue
			}
		case c == 0x3099 || c == 0x309A: // combining kana voicing marks
			if n > 0 {
				if m := voiceKana(buf[n-1], c == 0x309A); m != 0 {
					buf[n-1] = m
				}
			}
			continue
		case c >= 0xFE70 && c <= 0xFEFC:
			buf = arabicPresentation(buf, c)
			continue
		case c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x02BB || c == 0x00B4 || c == 0x2032 || c == 0x02B9:
			buf = append(buf, '\'')
			continue
		case c == 0x00B7 || c == 0x30FB || c == 0x3000:
			buf = append(buf, ' ')
			continue
		case c == 0x00AD || c == 0x200B || c == 0x200C || c == 0x200D || c == 0xFEFF:
			continue // soft hyphen, zero-width characters
		}
		if d, ok := digitValue(c); ok {
			buf = append(buf, d)
			continue
		}
		c = unicode.ToLower(c)
		if c >= 0x2D00 && c <= 0x2D25 {
			c = c - 0x2D00 + 0x10D0 // Georgian Nuskhuri to Mkhedruli
		}
		switch {
		case unicode.Is(unicode.Pd, c) || c == 0x2212:
			c = '-'
		case c == 0x05F3 || c == 0x05F4 || c == 0x3005 || c == 0x30FC || c == 0x309D || c == 0x309E || c == 0x30FD || c == 0x30FE:
			// Hebrew geresh, kana and kanji iteration and length marks
		case unicode.IsSpace(c) || unicode.IsPunct(c):
			c = ' '
		}
		buf = append(buf, c)
	}
	return buf
}

// digitValue folds the decimal digits of the scripts covered to ASCII.
func digitValue(c rune) (rune, bool) {
	if c < 0x660 || c > 0x1819 {
		return 0, false
	}
	for _, z := range [...]rune{0x660, 0x6F0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xE50, 0x1040, 0x17E0, 0x1810} {
		if c >= z && c <= z+9 {
			return '0' + c - z, true
		}
	}
	return 0, false
}

// composeMark composes a base letter with a combining diacritic where a
// script rule depends on it. It returns (0, true) when the mark is to be
// dropped and (_, false) when it is to be kept as is.
func composeMark(base, mark rune) (rune, bool) {
	switch {
	case base >= 0x400 && base < 0x530: // Cyrillic
		switch mark {
		case 0x306:
			switch base {
			case 'и':
				return 'й', true
			case 'у':
				return 'ў', true
			}
		case 0x308:
			switch base {
			case 'е':
				return 'ё', true
			case 'і':
				return 'ї', true
			}
		case 0x301:
			switch base {
			case 'г':
				return 'ѓ', true
			case 'к':
				return 'ќ', true
			}
		}
		return 0, true
	case base >= 0x370 && base < 0x400 || base >= 0x1F00 && base < 0x2000: // Greek
		if mark == 0x308 {
			switch base {
			case 'ι', 'ί':
				return 'ϊ', true
			case 'υ', 'ύ':
				return 'ϋ', true
			}
		}
		if mark == 0x301 {
			switch base {
			case 'α':
				return 'ά', true
			case 'ε':
				return 'έ', true
			case 'η':
				return 'ή', true
			case 'ι':
				return 'ί', true
			case 'ο':
				return 'ό', true
			case 'υ':
				return 'ύ', true
			case 'ω':
				return 'ώ', true
			}
		}
		return 0, true
	}
	return 0, false
}

// scanInfo holds what the renderer needs to know about the whole input.
type scanInfo struct {
	cy       uint8 // Cyrillic language guess
	persian  bool  // Persian letters present
	urdu     bool  // Urdu letters present
	kana     bool  // Japanese kana present
	firstHan int   // index of the first Chinese character, or -1
	profiles int
}

// scan guesses languages from distinctive letters and counts the profiles
// worth rendering.
func (sc *scanInfo) scan(r []rune) {
	sc.firstHan = -1
	var ukr, ukrI, bel, kaz, srb, rus, bgHard, cyrI, yeru bool
	other := false
	for k, c := range r {
		if c < 0x80 {
			continue
		}
		switch {
		case c >= 0x400 && c < 0x530:
			other = true
			switch c {
			case 'ї', 'є', 'ґ':
				ukr = true
			case 'і':
				ukrI = true
			case 'ў':
				bel = true
			case 'ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ':
				kaz = true
			case 'ђ', 'ј', 'љ', 'њ', 'ћ', 'џ', 'ѓ', 'ќ', 'ѕ':
				srb = true
			case 'ы', 'э':
				rus = true
				yeru = true
			case 'ё':
				rus = true
			case 'ъ':
				rus = true
				if k+1 < len(r) && isCyrConsonant(r[k+1]) {
					bgHard = true
				}
			case 'и':
				cyrI = true
			}
		case isHan(c):
			other = true
			if sc.firstHan < 0 {
				sc.firstHan = k
			}
		case c >= 0x3041 && c <= 0x30FF:
			other = true
			sc.kana = true
		case c >= 0x600 && c < 0x700:
			other = true
			switch c {
			case 'پ', 'چ', 'ژ', 'گ', 'ک', 'ی', 'ۀ':
				sc.persian = true
			case 'ٹ', 'ڈ', 'ڑ', 'ں', 'ھ', 'ہ', 'ے':
				sc.urdu = true
			}
		case unicode.IsLetter(c) && !unicode.Is(unicode.Latin, c):
			other = true
		}
	}
	switch {
	case srb:
		sc.cy = cySr
	case kaz:
		sc.cy = cyKk
	case bel || ukrI && yeru && !cyrI && !ukr:
		sc.cy = cyBe
	case ukr || ukrI:
		sc.cy = cyUk
	case bgHard:
		sc.cy = cyBg
	case rus:
		sc.cy = cyRu
	default:
		sc.cy = cyRuAmb
	}
	if sc.urdu {
		sc.persian = true
	}
	sc.profiles = 1
	if other {
		sc.profiles = maxRenderings
	}
}

// rend renders the decoded input under one profile.
type rend struct {
	r  []rune
	b  []byte
	p  int
	sc *scanInfo
}

func (w *rend) s(x string) { w.b = append(w.b, x...) }

// pick returns alts[p], or the last one when there are fewer.
func pick(p int, alts ...string) string {
	if p >= len(alts) {
		return alts[len(alts)-1]
	}
	return alts[p]
}

func (w *rend) render() {
	r := w.r
	prevLatin := false
	for i := 0; i < len(r); {
		c := r[i]
		if c < 0x80 {
			switch c {
			case ' ', '-', '\'':
				w.b = sep(w.b, byte(c))
			default:
				w.b = append(w.b, byte(c))
			}
			prevLatin = c >= 'a' && c <= 'z'
			i++
			continue
		}
		latin := false
		switch {
		case c >= 0x400 && c < 0x530:
			if isCyrLetter(c) {
				i = w.cyrillic(i)
			} else {
				i++
			}
		case c >= 0x370 && c < 0x400 || c >= 0x1F00 && c < 0x2000:
			if isGreekLetter(c) {
				i = w.greek(i)
			} else {
				i++
			}
		case c >= 0x600 && c < 0x700 || c >= 0x750 && c < 0x780:
			i = w.arabic(i)
		case c >= 0x591 && c < 0x600 && c != 0x5BE:
			i = w.hebrew(i)
		case c >= 0x900 && c < 0x980:
			i = w.devanagari(i)
		case c >= 0xAC00 && c <= 0xD7A3:
			i = w.hangul(i)
		case c >= 0x3041 && c <= 0x30FF:
			i = w.kanaRun(i)
		case isHan(c):
			i = w.han(i)
		case c >= 0xE01 && c < 0xE5C:
			i = w.thai(i)
		case c >= 0x10D0 && c <= 0x10FF || c >= 0x1C90 && c <= 0x1CBF || c >= 0x10A0 && c <= 0x10C5:
			i = w.georgian(i)
		case c >= 0x531 && c <= 0x58A:
			i = w.armenian(i)
		case c >= 0x300 && c <= 0x36F:
			if prevLatin {
				w.b = utf8.AppendRune(w.b, c)
				latin = true
			}
			i++
		default:
			if unicode.IsLetter(c) && unicode.Is(unicode.Latin, c) {
				w.b = utf8.AppendRune(w.b, c)
				latin = true
			}
			i++
		}
		prevLatin = latin
	}
}

func isHan(c rune) bool {
	return c >= 0x4E00 && c <= 0x9FFF || c >= 0x3400 && c <= 0x4DBF || c >= 0xF900 && c <= 0xFAFF ||
		c >= 0x20000 && c <= 0x3FFFF || c == 0x3005 || c == 0x3007
}
