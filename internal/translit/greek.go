package translit

import "unicode"

func isGreekLetter(c rune) bool {
	return (c >= 0x370 && c < 0x400 || c >= 0x1F00 && c < 0x2000) && unicode.IsLetter(c)
}

// greekBase reduces a lower-case Greek letter to its unaccented form and
// says whether it carried an accent or a diaeresis.
func greekBase(c rune) (base rune, acc, dia bool) {
	switch c {
	case 'ά':
		return 'α', true, false
	case 'έ':
		return 'ε', true, false
	case 'ή':
		return 'η', true, false
	case 'ί':
		return 'ι', true, false
	case 'ό':
		return 'ο', true, false
	case 'ύ':
		return 'υ', true, false
	case 'ώ':
		return 'ω', true, false
	case 'ϊ':
		return 'ι', false, true
	case 'ϋ':
		return 'υ', false, true
	case 'ΐ':
		return 'ι', true, true
	case 'ΰ':
		return 'υ', true, true
	case 'ς', 'ϲ':
		return 'σ', false, false
	case 'ϐ':
		return 'β', false, false
	case 'ϑ':
		return 'θ', false, false
	case 'ϕ':
		return 'φ', false, false
	case 'ϰ':
		return 'κ', false, false
	case 'ϱ':
		return 'ρ', false, false
	}
	if c >= 0x1F00 && c < 0x2000 { // polytonic letters
		switch {
		case c <= 0x1F0F, c >= 0x1F70 && c <= 0x1F71, c >= 0x1F80 && c <= 0x1F8F, c >= 0x1FB0 && c <= 0x1FBC:
			return 'α', true, false
		case c >= 0x1F10 && c <= 0x1F1F, c >= 0x1F72 && c <= 0x1F73, c >= 0x1FC8 && c <= 0x1FC9:
			return 'ε', true, false
		case c >= 0x1F20 && c <= 0x1F2F, c >= 0x1F74 && c <= 0x1F75, c >= 0x1F90 && c <= 0x1F9F, c >= 0x1FC2 && c <= 0x1FCC:
			return 'η', true, false
		case c >= 0x1F30 && c <= 0x1F3F, c >= 0x1F76 && c <= 0x1F77, c >= 0x1FD0 && c <= 0x1FDB:
			return 'ι', true, c >= 0x1FD1 && c <= 0x1FD3
		case c >= 0x1F40 && c <= 0x1F4F, c >= 0x1F78 && c <= 0x1F79, c >= 0x1FF8 && c <= 0x1FF9:
			return 'ο', true, false
		case c >= 0x1F50 && c <= 0x1F5F, c >= 0x1F7A && c <= 0x1F7B, c >= 0x1FE0 && c <= 0x1FE3, c >= 0x1FE6 && c <= 0x1FEB:
			return 'υ', true, c >= 0x1FE1 && c <= 0x1FE3
		case c >= 0x1F60 && c <= 0x1F6F, c >= 0x1F7C && c <= 0x1F7D, c >= 0x1FA0 && c <= 0x1FAF, c >= 0x1FF2 && c <= 0x1FF7, c >= 0x1FFA && c <= 0x1FFC:
			return 'ω', true, false
		case c >= 0x1FE4 && c <= 0x1FE5, c == 0x1FEC:
			return 'ρ', false, false
		}
		return 0, false, false
	}
	return c, false, false
}

// greekVoiceless reports whether a letter makes a preceding αυ/ευ/ηυ
// unvoiced (af, ef, if).
func greekVoiceless(c rune) bool {
	switch c {
	case 0, 'θ', 'κ', 'ξ', 'π', 'σ', 'τ', 'φ', 'χ', 'ψ':
		return true
	}
	return false
}

// greek renders one word of Greek letters starting at i.
//
// Profile 0 follows ELOT 743 as Greek passports use it (η i, υ y, χ ch,
// ου ou, αι ai, μπ b at word start and mp inside); profile 1 is phonetic
// (υ i, αι e, ει/οι i, χ h, μπ mb, ντ nd, γκ ng); profile 2 is ELOT 743
// with υ as i and ξ as ks.
func (w *rend) greek(i int) int {
	r := w.r
	j := i
	for j < len(r) && isGreekLetter(r[j]) {
		j++
	}
	p := w.p
	if p == 3 {
		p = 0
	}
	at := func(k int) (rune, bool, bool) {
		if k >= j {
			return 0, false, false
		}
		return greekBase(r[k])
	}
	for k := i; k < j; {
		b0, acc0, _ := at(k)
		b1, _, dia1 := at(k + 1)
		b2, _, _ := at(k + 2)
		init := k == i
		n := 1
		var out string
		switch {
		case (b0 == 'α' || b0 == 'ε' || b0 == 'η') && b1 == 'υ' && !dia1 && !acc0:
			v := "a"
			if b0 == 'ε' {
				v = "e"
			} else if b0 == 'η' {
				v = "i"
			}
			if greekVoiceless(b2) {
				w.s(v)
				out = "f"
			} else {
				w.s(v)
				out = "v"
			}
			n = 2
		case b0 == 'ο' && b1 == 'υ' && !dia1 && !acc0:
			out, n = "ou", 2
		case b0 == 'α' && b1 == 'ι' && !dia1 && !acc0:
			out, n = pick(p, "ai", "e", "ai"), 2
		case (b0 == 'ε' || b0 == 'ο') && b1 == 'ι' && !dia1 && !acc0:
			out, n = pick(p, "ei", "i", "ei"), 2
			if b0 == 'ο' {
				out = pick(p, "oi", "i", "oi")
			}
		case b0 == 'υ' && b1 == 'ι' && !dia1 && !acc0:
			out, n = pick(p, "yi", "i", "i"), 2
		case b0 == 'μ' && b1 == 'π':
			n = 2
			if init {
				out = "b"
			} else {
				out = pick(p, "mp", "mb", "mp")
			}
		case b0 == 'ν' && b1 == 'τ':
			n = 2
			if init {
				out = "d"
			} else {
				out = pick(p, "nt", "nd", "nt")
			}
		case b0 == 'γ' && b1 == 'γ':
			out, n = "ng", 2
		case b0 == 'γ' && b1 == 'κ':
			n = 2
			if init {
				out = pick(p, "g", "g", "gk")
			} else {
				out = pick(p, "gk", "ng", "nk")
			}
		case b0 == 'γ' && b1 == 'ξ':
			out, n = "nx", 2
		case b0 == 'γ' && b1 == 'χ':
			out, n = pick(p, "nch", "nh", "nch"), 2
		default:
			out = greekLetter(b0, p)
		}
		w.s(out)
		k += n
	}
	return j
}

func greekLetter(c rune, p int) string {
	switch c {
	case 'α':
		return "a"
	case 'β':
		return "v"
	case 'γ':
		return "g"
	case 'δ':
		return "d"
	case 'ε':
		return "e"
	case 'ζ':
		return "z"
	case 'η', 'ι':
		return "i"
	case 'θ':
		return "th"
	case 'κ':
		return "k"
	case 'λ':
		return "l"
	case 'μ':
		return "m"
	case 'ν':
		return "n"
	case 'ξ':
		return pick(p, "x", "x", "ks")
	case 'ο', 'ω':
		return "o"
	case 'π':
		return "p"
	case 'ρ':
		return "r"
	case 'σ':
		return "s"
	case 'τ':
		return "t"
	case 'υ':
		return pick(p, "y", "i", "i")
	case 'φ':
		return "f"
	case 'χ':
		return pick(p, "ch", "h", "ch")
	case 'ψ':
		return "ps"
	}
	return ""
}
