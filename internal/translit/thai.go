package translit

// Thai, after the Royal Thai General System of Transcription (RTGS),
// simplified: syllables are found without a dictionary, an unwritten vowel
// is o before a final consonant and a otherwise, tone marks are ignored and
// a consonant under the silence mark (karan) is dropped with the vowel
// signs on it. Profile 1 writes จ as j, as many Thai names are spelt.

// thaiCons holds the initial and final values of the consonants from
// U+0E01 (ก) to U+0E2E (ฮ).
var thaiCons = [...][2]string{
	{"k", "k"}, {"kh", "k"}, {"kh", "k"}, {"kh", "k"}, {"kh", "k"}, {"kh", "k"}, {"ng", "ng"}, // ก ข ฃ ค ฅ ฆ ง
	{"ch", "t"}, {"ch", "t"}, {"ch", "t"}, {"s", "t"}, {"ch", "t"}, {"y", "n"}, // จ ฉ ช ซ ฌ ญ
	{"d", "t"}, {"t", "t"}, {"th", "t"}, {"th", "t"}, {"th", "t"}, {"n", "n"}, // ฎ ฏ ฐ ฑ ฒ ณ
	{"d", "t"}, {"t", "t"}, {"th", "t"}, {"th", "t"}, {"th", "t"}, {"n", "n"}, // ด ต ถ ท ธ น
	{"b", "p"}, {"p", "p"}, {"ph", "p"}, {"f", "p"}, {"ph", "p"}, {"f", "p"}, {"ph", "p"}, {"m", "m"}, // บ ป ผ ฝ พ ฟ ภ ม
	{"y", "i"}, {"r", "n"}, {"rue", "rue"}, {"l", "n"}, {"lue", "lue"}, {"w", "o"}, // ย ร ฤ ล ฦ ว
	{"s", "t"}, {"s", "t"}, {"s", "t"}, {"h", ""}, {"l", "n"}, {"", ""}, {"h", ""}, // ศ ษ ส ห ฬ อ ฮ
}

func isThaiCons(c rune) bool { return c >= 0xE01 && c <= 0xE2E && c != 0xE24 && c != 0xE26 }

// isThaiFollowing reports vowel signs written after (or above, below) the
// consonant, and tone marks.
func isThaiFollowing(c rune) bool {
	return c >= 0xE30 && c <= 0xE3A || c >= 0xE47 && c <= 0xE4B || c == 0xE4D || c == 0xE45
}

func isThaiLeading(c rune) bool { return c >= 0xE40 && c <= 0xE44 }

func thaiInitial(c rune, p int) string {
	if c == 'จ' && p == 1 {
		return "j"
	}
	return thaiCons[c-0xE01][0]
}

// thai renders one run of Thai starting at i.
func (w *rend) thai(i int) int {
	r := w.r
	j := i
	for j < len(r) && r[j] >= 0xE01 && r[j] <= 0xE4E && r[j] != 0xE2F && r[j] != 0xE46 && r[j] != 0xE4F {
		j++
	}
	if j == i {
		return i + 1
	}
	p := w.p
	if p > 1 {
		p = 0
	}
	at := func(k int) rune {
		if k < j {
			return r[k]
		}
		return 0
	}
	// silenced reports a consonant at k under the karan, possibly with a
	// vowel sign between.
	silenced := func(k int) bool {
		if !isThaiCons(at(k)) {
			return false
		}
		if at(k+1) == 0xE4C {
			return true
		}
		return (at(k+1) == 0xE34 || at(k+1) == 0xE38) && at(k+2) == 0xE4C
	}
	skipSilenced := func(k int) int {
		for silenced(k) {
			k++
			for k < j && (isThaiFollowing(at(k)) || at(k) == 0xE4C) {
				k++
			}
		}
		return k
	}
	hadFinal := false
	for k := i; k < j; {
		k = skipSilenced(k)
		if k >= j {
			break
		}
		c := r[k]
		switch {
		case c == 0xE24 || c == 0xE26: // ฤ ฦ
			w.s(thaiCons[c-0xE01][0])
			k++
			hadFinal = false
			continue
		case !isThaiCons(c) && !isThaiLeading(c):
			k++
			continue
		}
		lead := rune(0)
		if isThaiLeading(c) {
			lead = c
			k++
			if !isThaiCons(at(k)) {
				w.s(thaiLead(lead))
				continue
			}
		}
		c1 := r[k]
		k++
		// A consonant with no vowel right before a silenced one is silent
		// too (จันทร์ chan).
		if lead == 0 && silenced(k) && !isThaiFollowing(at(k)) {
			k = skipSilenced(k)
			continue
		}
		// A consonant with no vowel ending the word after a final is silent.
		if lead == 0 && k >= j && hadFinal {
			break
		}
		onset := thaiInitial(c1, p)
		switch {
		case c1 == 'ห' && isThaiSonorant(at(k)) && (isThaiFollowing(at(k+1)) || lead != 0):
			onset = thaiInitial(at(k), p)
			k++
		case c1 == 'อ' && at(k) == 'ย' && isThaiFollowing(at(k+1)):
			onset = "y"
			k++
		case isThaiClusterable(c1) && (at(k) == 'ร' || at(k) == 'ล' || at(k) == 'ว' && (c1 == 'ก' || c1 == 'ข' || c1 == 'ค')) &&
			(isThaiFollowing(at(k+1)) && at(k+1) != 0xE31 || lead != 0 && !isThaiFollowing(at(k+1))):
			onset += thaiInitial(at(k), p)
			k++
		}
		w.s(onset)
		// Vowel.
		var v1, v2 rune
		for k < j && isThaiFollowing(at(k)) {
			x := at(k)
			k++
			if x >= 0xE48 && x <= 0xE4B || x == 0xE45 { // tone marks
				continue
			}
			if v1 == 0 {
				v1 = x
			} else if v2 == 0 {
				v2 = x
			}
		}
		vowel, open := "", false
		switch lead {
		case 'เ':
			switch {
			case v1 == 'า' && v2 == 'ะ':
				vowel, open = "o", true
			case v1 == 'า':
				vowel, open = "ao", true
			case v1 == 'ี' && at(k) == 'ย':
				vowel = "ia"
				k++
			case v1 == 'ื' && at(k) == 'อ':
				vowel = "uea"
				k++
			case v1 == 0 && at(k) == 'อ' && !isThaiFollowing(at(k+1)):
				vowel = "oe"
				k++
			case v1 == 'ิ':
				vowel = "oe"
			case v1 == 'ะ':
				vowel, open = "e", true
			default:
				vowel = "e"
			}
		case 'แ':
			vowel = "ae"
			if v1 == 'ะ' {
				open = true
			}
		case 'โ':
			vowel = "o"
			if v1 == 'ะ' {
				open = true
			}
		case 'ใ', 'ไ':
			vowel, open = "ai", true
		default:
			switch v1 {
			case 'ะ':
				vowel, open = "a", true
			case 'ั':
				vowel = "a"
				if at(k) == 'ว' {
					vowel = "ua"
					k++
				}
			case 'า':
				vowel = "a"
			case 'ำ':
				vowel, open = "am", true
			case 'ิ', 'ี':
				vowel = "i"
			case 'ึ':
				vowel = "ue"
			case 'ื':
				vowel = "ue"
				if at(k) == 'อ' {
					k++
				}
			case 'ุ', 'ู':
				vowel = "u"
			case '็':
				vowel = "o"
			default:
				nx := at(k)
				switch {
				case nx == 'ว' && isThaiCons(at(k+1)) && !isThaiFollowing(at(k+2)):
					vowel = "ua"
					k++
				case nx == 'อ' && !isThaiFollowing(at(k+1)):
					vowel = "o"
					k++
				case isThaiCons(nx) && !isThaiFollowing(at(k+1)) && !silenced(k):
					vowel = "o"
				case c1 == 'อ' && onset == "" && isThaiCons(nx):
					vowel, open = "a", true
				default:
					vowel, open = "a", true
				}
			}
		}
		w.s(vowel)
		hadFinal = false
		if open {
			continue
		}
		// Final consonant: a consonant not starting the next syllable.
		k = skipSilenced(k)
		// พร and ภร at the end of a word read phon (จิราพร chiraphon).
		if fc := at(k); isThaiCons(fc) && !isThaiFollowing(at(k+1)) && !silenced(k) &&
			!(isThaiClusterable(fc) && (at(k+1) == 'ร' || at(k+1) == 'ล') && isThaiFollowing(at(k+2))) &&
			!((fc == 'พ' || fc == 'ภ') && at(k+1) == 'ร' && !isThaiFollowing(at(k+2))) {
			if f := thaiCons[fc-0xE01][1]; f != "" {
				if !(f == "i" && (vowel == "ai" || vowel == "i")) {
					w.s(f)
				}
			}
			hadFinal = true
			k++
		}
	}
	return j
}

func thaiLead(c rune) string {
	switch c {
	case 'เ':
		return "e"
	case 'แ':
		return "ae"
	case 'โ':
		return "o"
	}
	return "ai"
}

func isThaiSonorant(c rune) bool {
	switch c {
	case 'ง', 'ญ', 'น', 'ม', 'ย', 'ร', 'ล', 'ว':
		return true
	}
	return false
}

func isThaiClusterable(c rune) bool {
	switch c {
	case 'ก', 'ข', 'ค', 'ต', 'ป', 'ผ', 'พ', 'บ', 'ฟ', 'ด', 'ท':
		return true
	}
	return false
}
