package translit

// Japanese kana, by Hepburn romanisation: shi, chi, tsu, fu, ji; small tsu
// doubles the next consonant (tch before ch); ん is n, m before b, m, p in
// the passport style.
//
// Long vowels (おう, おお, うう, ー) differ by profile: 0 passport style
// (Sato, Yuki, Ono), 1 as written in kana (satou, yuuki, oono), 2 with oh
// (satoh, ohno).

// kanaTable romanises hiragana from U+3041 to U+3096.
var kanaTable = [...]string{
	"a", "a", "i", "i", "u", "u", "e", "e", "o", "o",
	"ka", "ga", "ki", "gi", "ku", "gu", "ke", "ge", "ko", "go",
	"sa", "za", "shi", "ji", "su", "zu", "se", "ze", "so", "zo",
	"ta", "da", "chi", "ji", "tsu", "tsu", "zu", "te", "de", "to", "do",
	"na", "ni", "nu", "ne", "no",
	"ha", "ba", "pa", "hi", "bi", "pi", "fu", "bu", "pu", "he", "be", "pe", "ho", "bo", "po",
	"ma", "mi", "mu", "me", "mo",
	"ya", "ya", "yu", "yu", "yo", "yo",
	"ra", "ri", "ru", "re", "ro",
	"wa", "wa", "i", "e", "o", "n", "vu", "ka", "ke",
}

// toHiragana maps katakana to hiragana; other runes are returned unchanged.
func toHiragana(c rune) rune {
	if c >= 0x30A1 && c <= 0x30F6 {
		return c - 0x60
	}
	return c
}

func isSmallVowel(c rune) bool {
	switch c {
	case 'ぁ', 'ぃ', 'ぅ', 'ぇ', 'ぉ':
		return true
	}
	return false
}

func isSmallY(c rune) bool { return c == 'ゃ' || c == 'ゅ' || c == 'ょ' }

func isBareVowel(c rune) bool {
	switch c {
	case 'あ', 'い', 'う', 'え', 'お':
		return true
	}
	return false
}

// voiceKana applies a combining voicing mark (dakuten, or handakuten when
// semi is set) to a kana, or returns 0.
func voiceKana(c rune, semi bool) rune {
	h := toHiragana(c)
	kata := h != c
	var v rune
	switch {
	case semi:
		if h >= 'は' && h <= 'ぽ' && (h-'は')%3 == 0 {
			v = h + 2
		}
	case h == 'う':
		v = 'ゔ'
	case h >= 'か' && h <= 'ぢ' && (h-'か')%2 == 0:
		v = h + 1
	case h >= 'つ' && h <= 'ど' && (h-'つ')%2 == 0:
		v = h + 1
	case h >= 'は' && h <= 'ぽ' && (h-'は')%3 == 0:
		v = h + 1
	}
	if v != 0 && kata {
		v += 0x60
	}
	return v
}

func isKana(c rune) bool {
	return c >= 0x3041 && c <= 0x3096 || c >= 0x309D && c <= 0x309E || c >= 0x30A1 && c <= 0x30FA || c >= 0x30FC && c <= 0x30FE
}

// kanaRun renders one word of kana starting at i.
func (w *rend) kanaRun(i int) int {
	r := w.r
	j := i
	for j < len(r) && isKana(r[j]) {
		j++
	}
	if j == i {
		return i + 1
	}
	p := w.p
	if p == 3 {
		p = 0
	}
	w.kana(r[i:j], p)
	return j
}

// kanaSyllable returns the romaji of the kana at k and how many runes it
// uses (with a following small kana).
func kanaSyllable(rs []rune, k int) (head, tail string, n int) {
	c := toHiragana(rs[k])
	var next rune
	if k+1 < len(rs) {
		next = toHiragana(rs[k+1])
	}
	var syl string
	switch {
	case c >= 0x3041 && c <= 0x3096:
		syl = kanaTable[c-0x3041]
	case c >= 0x30F7 && c <= 0x30FA:
		syl = [...]string{"va", "vi", "ve", "vo"}[c-0x30F7]
	default:
		return "", "", 1
	}
	switch {
	case isSmallY(next) && len(syl) >= 2 && syl[len(syl)-1] == 'i':
		v := kanaTable[next-0x3041][1:]
		if syl == "shi" || syl == "chi" || syl == "ji" {
			return syl[:len(syl)-1], v, 2
		}
		return yoonHead(syl), v, 2
	case isSmallVowel(next) && !isSmallVowel(c):
		v := kanaTable[next-0x3041]
		switch {
		case syl == "u":
			return "w", v, 2
		case len(syl) >= 2:
			return syl[:len(syl)-1], v, 2
		}
	}
	return syl, "", 1
}

// kana renders a kana sequence under profile p (0, 1 or 2).
func (w *rend) kana(rs []rune, p int) {
	var lastV byte
	gem := false
	prevHead, prevTail := "", ""
	// long writes a long-vowel mark after the vowel v; lit is the vowel
	// the kana spells it with.
	long := func(v, lit byte) {
		switch {
		case v == 0:
		case p == 1:
			w.b = append(w.b, lit)
		case p == 2 && v == 'o':
			w.b = append(w.b, 'h')
		}
	}
	for k := 0; k < len(rs); {
		c := toHiragana(rs[k])
		var next rune
		if k+1 < len(rs) {
			next = toHiragana(rs[k+1])
		}
		switch c {
		case 'っ':
			gem = true
			k++
			continue
		case 0x30FC: // ー
			long(lastV, lastV)
			k++
			continue
		case 'ん':
			h := ""
			if next != 0 {
				h, _, _ = kanaSyllable(rs, k+1)
			}
			if p == 0 && h != "" && (h[0] == 'b' || h[0] == 'm' || h[0] == 'p') {
				w.s("m")
			} else {
				w.s("n")
			}
			lastV = 0
			gem = false
			k++
			continue
		case 'ゝ', 'ゞ':
			w.s(prevHead)
			w.s(prevTail)
			k++
			continue
		}
		head, tail, n := kanaSyllable(rs, k)
		if head == "" && tail == "" {
			k++
			continue
		}
		after := rune(0)
		if k+n < len(rs) {
			after = toHiragana(rs[k+n])
		}
		if n == 1 && (c == 'う' && (lastV == 'o' || lastV == 'u') || c == 'お' && lastV == 'o') &&
			!isBareVowel(after) && !isSmallVowel(after) && !isSmallY(after) {
			if c == 'う' {
				long(lastV, 'u')
			} else {
				long(lastV, 'o')
			}
			k++
			continue
		}
		if gem {
			switch {
			case len(head) >= 2 && head[:2] == "ch":
				w.s("t")
			case head != "" && !isVowelByte(head[0]):
				w.b = append(w.b, head[0])
			}
			gem = false
		}
		w.s(head)
		w.s(tail)
		prevHead, prevTail = head, tail
		s := tail
		if s == "" {
			s = head
		}
		lastV = s[len(s)-1]
		if !isVowelByte(lastV) {
			lastV = 0
		}
		k += n
	}
}

// yoonHead gives the consonant part of an i-kana before small ya, yu, yo.
func yoonHead(syl string) string {
	switch syl {
	case "ki":
		return "ky"
	case "gi":
		return "gy"
	case "ni":
		return "ny"
	case "hi":
		return "hy"
	case "bi":
		return "by"
	case "pi":
		return "py"
	case "mi":
		return "my"
	case "ri":
		return "ry"
	case "vi":
		return "vy"
	}
	return syl[:len(syl)-1]
}
