package names

import "strings"

// Phonetic codes: vowels are dropped (an initial vowel becomes 'A'), similar
// consonants share a code, doubled codes collapse. The key is meant to bring
// transliteration variants together (Zhuravleva/Zhuravlyova, Davydov/Davidov,
// Hwang/Huang, Giannopoulos/Yiannopoulos, Ivanow/Ivanov).
//
//	B  b   P  p      F  f v w ph        T  t d th dh
//	S  s z c(e,i) ts tz dz x→KS        X  sh sch sz ch tch cz
//	J  j zh dj dzh y/i/gi+vowel(initial)
//	K  k c q ck kh ch(r,l) g-less      G  g gh
//	H  initial h    L M N R as is
const maxPhon = 10

func phoneticKey(s string) string {
	if s == "" {
		return ""
	}
	b := []byte(s)
	n := len(b)
	out := make([]byte, 0, 12)
	emit := func(c byte) {
		if len(out) > 0 && out[len(out)-1] == c {
			return
		}
		out = append(out, c)
	}
	at := func(i int) byte {
		if i >= 0 && i < n {
			return b[i]
		}
		return 0
	}
	i := 0
	// initial clusters
	switch {
	case strings.HasPrefix(s, "kn"), strings.HasPrefix(s, "gn"), strings.HasPrefix(s, "pn"), strings.HasPrefix(s, "wr"), strings.HasPrefix(s, "ps"):
		i = 1
	case strings.HasPrefix(s, "hs"): // Wade-Giles hs = pinyin x
		emit('S')
		i = 2
	case strings.HasPrefix(s, "x"): // pinyin x
		emit('S')
		i = 1
	case strings.HasPrefix(s, "wh"):
		emit('F')
		i = 2
	case strings.HasPrefix(s, "ye"):
		// Russian initial Е: Yevgeny = Evgeny, Yegorov = Egorov
		emit('A')
		i = 2
	case (b[0] == 'y' || b[0] == 'i' || b[0] == 'j') && n > 1 && isVowel(b[1]) && b[1] != 'y':
		emit('J')
		i = 1
	case strings.HasPrefix(s, "gi") && n > 2 && isVowel(b[2]):
		emit('J')
		i = 2
	}
	if i == 0 && isVowel(b[0]) {
		emit('A')
		i = 1
	}
	for ; i < n; i++ {
		c := b[i]
		nx := at(i + 1)
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y':
			// vowels separate codes, so doubled consonants across vowels stay
			if len(out) > 0 && out[len(out)-1] != '.' {
				out = append(out, '.')
			}
		case 'b':
			emit('B')
		case 'p':
			if nx == 'h' {
				emit('F')
				i++
			} else {
				emit('P')
			}
		case 'f', 'v':
			emit('F')
		case 'w':
			if i > 0 && !isVowel(at(i-1)) && isVowel(nx) {
				// hw, kw, tw: Hwang = Huang
				continue
			}
			emit('F')
		case 't':
			switch {
			case nx == 'h':
				emit('T')
				i++
			case nx == 's' && at(i+2) == 'c' && at(i+3) == 'h':
				emit('X')
				i += 3
			case nx == 'c' && at(i+2) == 'h':
				emit('X')
				i += 2
			case nx == 's' || nx == 'z':
				emit('S')
				i++
			default:
				emit('T')
			}
		case 'd':
			switch {
			case nx == 'h':
				emit('T')
				i++
			case nx == 'j':
				emit('J')
				i++
			case nx == 'z' && at(i+2) == 'h':
				emit('J')
				i += 2
			case nx == 'z':
				emit('S')
				i++
			default:
				emit('T')
			}
		case 's':
			switch {
			case nx == 'c' && at(i+2) == 'h':
				emit('X')
				i += 2
			case nx == 'h':
				emit('X')
				i++
			case nx == 'z':
				emit('X')
				i++
			default:
				emit('S')
			}
		case 'z':
			if nx == 'h' {
				emit('J')
				i++
			} else {
				emit('S')
			}
		case 'c':
			switch {
			case nx == 'h':
				if r := at(i + 2); r == 'r' || r == 'l' {
					emit('K')
				} else {
					emit('X')
				}
				i++
			case nx == 'k' || nx == 'q':
				emit('K')
				i++
			case nx == 'z':
				emit('X')
				i++
			case nx == 'e' || nx == 'i' || nx == 'y':
				emit('S')
			default:
				emit('K')
			}
		case 'k':
			if nx == 'h' {
				i++
			}
			emit('K')
			if nx == 's' && at(i+2) == 'h' {
				// Lakshmi = Laxmi
				emit('S')
				i += 2
			}
		case 'q':
			emit('K')
		case 'x':
			emit('K')
			emit('S')
		case 'j':
			emit('J')
		case 'g':
			if nx == 'h' {
				i++
			}
			emit('G')
		case 'h':
			// silent unless first
			if len(out) == 0 {
				emit('H')
			}
		case 'l', 'm', 'n', 'r':
			emit(c - 'a' + 'A')
		}
		if len(out) >= maxPhon*2 {
			break
		}
	}
	// remove vowel markers, collapse doubles separated by nothing
	res := make([]byte, 0, len(out))
	for _, c := range out {
		if c == '.' {
			continue
		}
		res = append(res, c)
	}
	if len(res) > maxPhon {
		res = res[:maxPhon]
	}
	return string(res)
}

// skeleton is the consonant skeleton used to compare names written in
// consonantal scripts (Arabic, Persian, Hebrew) with Latin spellings: vowels
// and semivowels dropped, emphatic/plain pairs and transliteration digraphs
// folded (kh,h→h; q,k,c→k; th,t→t; dh,d,z→d/z; sh,s→s; j,g→g; p,b→b).
func skeleton(s string) string {
	if s == "" {
		return ""
	}
	b := []byte(s)
	n := len(b)
	// feminine ending -ah/-eh/-a: drop the final h
	if n > 3 && b[n-1] == 'h' && isVowel(b[n-2]) {
		n--
	}
	out := make([]byte, 0, n)
	emit := func(c byte) {
		if len(out) > 0 && out[len(out)-1] == c {
			return
		}
		out = append(out, c)
	}
	for i := 0; i < n; i++ {
		c := b[i]
		var nx byte
		if i+1 < n {
			nx = b[i+1]
		}
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y', 'w', 'v', '\'':
			continue
		case 'k':
			if nx == 'h' {
				emit('h')
				i++
			} else {
				emit('k')
			}
		case 'q', 'c':
			if c == 'c' && nx == 'h' {
				emit('s')
				i++
			} else {
				emit('k')
			}
		case 'g':
			if nx == 'h' {
				i++
			}
			emit('g')
		case 'j':
			emit('g')
		case 's':
			if nx == 'h' {
				i++
			}
			emit('s')
		case 't':
			if nx == 'h' {
				i++
			}
			emit('t')
		case 'd':
			if nx == 'h' {
				emit('z')
				i++
			} else {
				emit('d')
			}
		case 'z':
			if nx == 'h' {
				i++
			}
			emit('z')
		case 'p':
			if nx == 'h' {
				emit('f')
				i++
			} else {
				emit('b')
			}
		case 'x':
			emit('k')
			emit('s')
		default:
			emit(c)
		}
	}
	return string(out)
}

// foldSpelling removes differences that carry no meaning in Latin spellings:
// umlaut digraphs (ue→u), doubled letters, final h after a vowel, y↔i.
func foldSpelling(s string) string {
	var b strings.Builder
	var prev byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 'y' {
			c = 'i'
		}
		if c == 'e' && i > 0 && (s[i-1] == 'u' || s[i-1] == 'o' || s[i-1] == 'a') && i+1 < len(s) && !isVowel(s[i+1]) {
			continue // ue->u, oe->o, ae->a before a consonant
		}
		if c == 'h' && i == len(s)-1 && i > 2 && isVowel(s[i-1]) {
			continue
		}
		if c == prev {
			continue
		}
		b.WriteByte(c)
		prev = c
	}
	return b.String()
}
