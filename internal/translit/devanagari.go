package translit

// Devanagari, as used for Hindi, Marathi and Nepali names.
//
// Consonants carry an inherent a, which a virama cancels and a vowel sign
// replaces. Hindi drops the inherent a at the end of a word (unless the last
// consonant ends a conjunct: नरेन्द्र narendra) and between a vowel and
// a consonant followed by a vowel (मनमोहन manmohan, कमला kamla). Anusvara is
// m before labials and n elsewhere (सिंह singh).
//
// Profile 0 is the common ASCII spelling (ā ī ū as a i u, श ष sh, conjunct व
// w, ज्ञ gy); profile 1 writes ī ū as ee oo and ज्ञ as jn; profile 2 writes
// a word-initial ā as aa and श as s; profile 3 writes वा after a vowel as
// wa (केजरीवाल kejriwal).

type dunit struct {
	cons  string // consonant, "" for an independent vowel
	vowel string // vowel sign or independent vowel
	inh   bool   // inherent a
	vir   bool   // virama: no vowel
	mod   byte   // 'n' anusvara/candrabindu, 'h' visarga
	c     rune
}

func devaConsonant(c rune) string {
	switch c {
	case 'क':
		return "k"
	case 'ख', 0x959:
		return "kh"
	case 'ग':
		return "g"
	case 'घ', 0x95A:
		return "gh"
	case 'ङ', 'ञ', 'ण', 'न', 'ऩ':
		return "n"
	case 'च':
		return "ch"
	case 'छ':
		return "chh"
	case 'ज':
		return "j"
	case 'झ':
		return "jh"
	case 'ट':
		return "t"
	case 'ठ':
		return "th"
	case 'ड':
		return "d"
	case 'ढ':
		return "dh"
	case 'त':
		return "t"
	case 'थ':
		return "th"
	case 'द':
		return "d"
	case 'ध':
		return "dh"
	case 'प':
		return "p"
	case 'फ':
		return "ph"
	case 'ब':
		return "b"
	case 'भ':
		return "bh"
	case 'म':
		return "m"
	case 'य', 0x95F:
		return "y"
	case 'र', 'ऱ', 0x95C:
		return "r"
	case 0x95D:
		return "rh"
	case 'ल', 'ळ', 'ऴ':
		return "l"
	case 'व':
		return "v"
	case 'श', 'ष':
		return "sh"
	case 'स':
		return "s"
	case 'ह':
		return "h"
	case 0x958:
		return "q"
	case 0x95B:
		return "z"
	case 0x95E:
		return "f"
	}
	return ""
}

// devaVowel returns the rendering of an independent vowel or vowel sign.
func devaVowel(c rune, p int) string {
	switch c {
	case 'अ':
		return "a"
	case 'आ', 'ा':
		return "a"
	case 'इ', 'ि':
		return "i"
	case 'ई', 'ी':
		return pick(p, "i", "ee", "i")
	case 'उ', 'ु':
		return "u"
	case 'ऊ', 'ू':
		return pick(p, "u", "oo", "u")
	case 'ऋ', 'ृ', 'ॠ', 'ॄ':
		return "ri"
	case 'ए', 'े', 'ऍ', 'ॅ', 'ऎ', 'ॆ':
		return "e"
	case 'ऐ', 'ै':
		return "ai"
	case 'ओ', 'ो', 'ऑ', 'ॉ', 'ऒ', 'ॊ':
		return "o"
	case 'औ', 'ौ':
		return "au"
	case 'ऌ', 'ॢ':
		return "li"
	}
	return ""
}

func isDevaConsonant(c rune) bool { return c >= 0x915 && c <= 0x939 || c >= 0x958 && c <= 0x95F }

func isDevaLabial(c rune) bool {
	switch c {
	case 'प', 'फ', 'ब', 'भ', 'म':
		return true
	}
	return false
}

// devanagari renders one word starting at i.
func (w *rend) devanagari(i int) int {
	r := w.r
	j := i
	for j < len(r) && r[j] >= 0x900 && r[j] < 0x980 && r[j] != 0x964 && r[j] != 0x965 && r[j] != 0x970 {
		j++
	}
	if j == i {
		return i + 1
	}
	p, wa := w.p, w.p == 3
	if p == 3 {
		p = 0
	}
	var ubuf [32]dunit
	u := ubuf[:0]
	for k := i; k < j; k++ {
		c := r[k]
		switch {
		case isDevaConsonant(c):
			cons := devaConsonant(c)
			if n := len(u); n > 0 && u[n-1].vir {
				switch {
				case c == 'व' && p != 2:
					cons = "w"
				case c == 'ञ' && u[n-1].c == 'ज' && p != 1:
					u[n-1].cons = "g"
					cons = "y"
				}
			}
			if c == 'श' && p == 2 {
				cons = "s"
			}
			u = append(u, dunit{cons: cons, inh: true, c: c})
		case c == 0x93C: // nukta
			if n := len(u); n > 0 {
				switch u[n-1].c {
				case 'क':
					u[n-1].cons = "q"
				case 'ज':
					u[n-1].cons = "z"
				case 'ग':
					u[n-1].cons = "gh"
				case 'फ':
					u[n-1].cons = "f"
				case 'ड':
					u[n-1].cons = "r"
				case 'ढ':
					u[n-1].cons = "rh"
				}
			}
		case c == 0x94D: // virama
			if n := len(u); n > 0 && u[n-1].cons != "" {
				u[n-1].inh = false
				u[n-1].vir = true
			}
		case c >= 0x93E && c <= 0x94C || c >= 0x962 && c <= 0x963 || c >= 0x955 && c <= 0x957: // vowel signs
			if n := len(u); n > 0 && u[n-1].cons != "" && u[n-1].inh {
				u[n-1].inh = false
				u[n-1].vowel = devaVowel(c, p)
			}
		case c >= 0x904 && c <= 0x914 || c >= 0x960 && c <= 0x961 || c >= 0x972 && c <= 0x977: // independent vowels
			v := devaVowel(c, p)
			if c == 'आ' && p == 2 && len(u) == 0 {
				v = "aa"
			}
			u = append(u, dunit{vowel: v, c: c})
		case c == 0x901 || c == 0x902: // candrabindu, anusvara
			if n := len(u); n > 0 {
				u[n-1].mod = 'n'
			}
		case c == 0x903: // visarga
			if n := len(u); n > 0 {
				u[n-1].mod = 'h'
			}
		case c == 0x950: // om
			u = append(u, dunit{vowel: "om", c: c})
		}
	}
	// Schwa deletion, right to left.
	last := len(u) - 1
	if last >= 1 && u[last].inh && u[last].mod == 0 && !u[last-1].vir {
		u[last].inh = false
	}
	for k := last - 1; k >= 1; k-- {
		if !u[k].inh || u[k].mod != 0 || u[k-1].vir || u[k-1].cons != "" && !u[k-1].inh && u[k-1].vowel == "" {
			continue
		}
		nx := u[k+1]
		if nx.cons == "" || !(nx.inh || nx.vowel != "") {
			continue
		}
		u[k].inh = false
	}
	for k, d := range u {
		if wa && d.c == 'व' && d.vowel == "a" && k > 0 && (u[k-1].inh || u[k-1].vowel != "") {
			d.cons = "w"
		}
		w.s(d.cons)
		if d.inh {
			w.s("a")
		}
		w.s(d.vowel)
		switch d.mod {
		case 'h':
			w.s("h")
		case 'n':
			var nc rune
			if k+1 < len(u) {
				nc = u[k+1].c
			}
			switch {
			case isDevaLabial(nc):
				w.s("m")
			case nc == 'ह' && k+2 >= len(u):
				w.s("ng")
			default:
				w.s("n")
			}
		}
	}
	return j
}
