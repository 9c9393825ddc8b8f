package translit

// Georgian, by the national system of 2002 as used in Georgian passports
// (without the apostrophes that mark ejectives): one spelling.
var georgianTable = [...]string{ // U+10D0 ა .. U+10FA
	"a", "b", "g", "d", "e", "v", "z", "t", "i", "k", "l", "m", "n", "o", "p", "zh", "r", "s", "t", "u",
	"p", "k", "gh", "q", "sh", "ch", "ts", "dz", "ts", "ch", "kh", "j", "h",
	"e", "y", "v", "q", "o", "f", "", "", "", "",
}

func isGeorgian(c rune) bool {
	return c >= 0x10D0 && c <= 0x10FA || c >= 0x1C90 && c <= 0x1CBA || c >= 0x10A0 && c <= 0x10C5
}

func (w *rend) georgian(i int) int {
	r := w.r
	j := i
	for j < len(r) && isGeorgian(r[j]) {
		j++
	}
	if j == i {
		return i + 1
	}
	for k := i; k < j; k++ {
		c := r[k]
		switch {
		case c >= 0x1C90: // Mtavruli capitals not lower-cased
			c = c - 0x1C90 + 0x10D0
		case c < 0x10D0: // Asomtavruli
			c = c - 0x10A0 + 0x10D0
		}
		w.s(georgianTable[c-0x10D0])
	}
	return j
}

// Armenian: profile 0 Eastern Armenian in common use (Հովհաննիսյան
// hovhannisyan, ե ye and ո vo at word start, ու u), profile 1 the same with
// the surname ending -յան as -ian, profile 2 Western Armenian (բ p, պ b,
// գ k, կ g, դ t, տ d, ճ j, ջ ch: Հակոբյան hagopian).
var armenianEast = [...]string{ // U+0561 ա .. U+0587 և
	"a", "b", "g", "d", "e", "z", "e", "e", "t", "zh", "i", "l", "kh", "ts", "k", "h", "dz", "gh", "ch", "m",
	"y", "n", "sh", "o", "ch", "p", "j", "r", "s", "v", "t", "r", "ts", "v", "p", "k", "o", "f", "ev",
}

func armenianWest(c rune) string {
	switch c {
	case 'բ':
		return "p"
	case 'պ':
		return "b"
	case 'գ':
		return "k"
	case 'կ':
		return "g"
	case 'դ':
		return "t"
	case 'տ':
		return "d"
	case 'ճ':
		return "j"
	case 'ջ':
		return "ch"
	case 'ծ':
		return "dz"
	case 'ձ':
		return "ts"
	}
	return ""
}

func isArmenianLetter(c rune) bool { return c >= 0x561 && c <= 0x587 }

func (w *rend) armenian(i int) int {
	r := w.r
	j := i
	for j < len(r) && (isArmenianLetter(r[j]) || r[j] >= 0x531 && r[j] <= 0x556) {
		j++
	}
	if j == i {
		return i + 1
	}
	p := w.p
	if p == 3 {
		p = 0
	}
	low := func(k int) rune {
		if k >= j {
			return 0
		}
		c := r[k]
		if c >= 0x531 && c <= 0x556 {
			c += 0x30
		}
		return c
	}
	for k := i; k < j; k++ {
		c := low(k)
		init := k == i
		switch {
		case c == 'ո' && low(k+1) == 'ւ':
			w.s("u")
			k++
			continue
		case c == 'ե' && init:
			w.s("ye")
			continue
		case c == 'ո' && init:
			w.s("vo")
			continue
		case c == 'և' && init:
			w.s("yev")
			continue
		case c == 'յ' && p >= 1 && low(k+1) == 'ա' && low(k+2) == 'ն' && k+3 == j && k > i:
			w.s("i")
			continue
		}
		if p == 2 {
			if s := armenianWest(c); s != "" {
				w.s(s)
				continue
			}
		}
		if isArmenianLetter(c) {
			w.s(armenianEast[c-0x561])
		}
	}
	return j
}
