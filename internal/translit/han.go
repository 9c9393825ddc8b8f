package translit

import (
	_ "embed"
	"strings"
)

// Chinese characters, by Hanyu Pinyin without tones, from hanzi.txt: the
// surname is written apart and the given name joined (张小明 zhang xiaoming),
// ü as yu after l and n (吕 lyu) as in Chinese passports. Profile 1 writes
// the given name in Wade-Giles without apostrophes, hyphenated as in
// Taiwanese passports (chang hsiao-ming); profiles 2 and 3 take the other
// spellings of the surname listed in the table (Cantonese, Hokkien:
// 陈 chan, tan; 黄 wong, ng) before a pinyin given name.
//
// Runs of characters fully covered by japanese.txt (common Japanese
// surnames, given names and places, with their readings in kana) are also
// read the Japanese way: as the primary rendering when the text has kana
// or the run starts with a name of two or more characters (山田 yamada,
// 東京 tokyo), else as profile 3.

//go:embed hanzi.txt
var hanziText string

//go:embed japanese.txt
var japaneseText string

type hanziTable struct {
	py       []string // pinyin syllables as written out
	wg       []string // the same in Wade-Giles
	read     map[rune]uint16
	surRead  map[rune]uint16 // readings as a surname, where they differ
	surAlt   map[rune][]string
	compound map[[2]rune]bool
}

type jpEntry struct {
	kana []rune
	n    int // characters
}

var (
	hz      hanziTable
	jpNames = map[[4]rune]jpEntry{}
)

func init() {
	hz.read = make(map[rune]uint16, 4096)
	hz.surRead = map[rune]uint16{}
	hz.surAlt = map[rune][]string{}
	hz.compound = map[[2]rune]bool{}
	ids := map[string]uint16{}
	surAlts := map[rune][]string{}
	intern := func(s string) uint16 {
		if id, ok := ids[s]; ok {
			return id
		}
		id := uint16(len(hz.py))
		ids[s] = id
		out := s
		switch s {
		case "lv", "nv":
			out = s[:1] + "yu"
		default:
			out = strings.ReplaceAll(s, "v", "u")
		}
		hz.py = append(hz.py, out)
		hz.wg = append(hz.wg, wadeGiles(s))
		return id
	}
	for _, line := range strings.Split(hanziText, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch {
		case strings.HasPrefix(f[0], "!"):
			id := intern(f[0][1:])
			for _, c := range strings.Join(f[1:], "") {
				hz.surRead[c] = id
			}
		case strings.HasPrefix(f[0], "="):
			for _, c := range f[0][1:] {
				surAlts[c] = f[1:]
			}
		case f[0] == "+":
			for _, s := range f[1:] {
				rs := []rune(s)
				if len(rs) == 2 {
					hz.compound[[2]rune{rs[0], rs[1]}] = true
				}
			}
		default:
			id := intern(f[0])
			for _, c := range strings.Join(f[1:], "") {
				if _, dup := hz.read[c]; !dup {
					hz.read[c] = id
				}
			}
		}
	}
	// Keep only the spellings that pinyin and Wade-Giles do not give.
	for c, alts := range surAlts {
		id, ok := hz.surRead[c]
		if !ok {
			id, ok = hz.read[c]
		}
		var extra []string
		for _, a := range alts {
			if !ok || a != hz.py[id] && a != hz.wg[id] {
				extra = append(extra, a)
			}
		}
		if len(extra) > 0 {
			hz.surAlt[c] = extra
		}
	}
	for _, line := range strings.Split(japaneseText, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		for i := 0; i+1 < len(f); i += 2 {
			rs := []rune(f[i])
			if len(rs) == 0 || len(rs) > 4 {
				continue
			}
			var key [4]rune
			copy(key[:], rs)
			jpNames[key] = jpEntry{kana: []rune(f[i+1]), n: len(rs)}
		}
	}
}

// hanziCount returns how many characters the pinyin table covers.
func hanziCount() int { return len(hz.read) }

// wadeGiles converts a toneless pinyin syllable (ü written v) to
// Wade-Giles without apostrophes or diaeresis.
func wadeGiles(py string) string {
	switch py {
	case "zi", "ci":
		return "tzu"
	case "si":
		return "ssu"
	case "zhi", "chi":
		return "chih"
	case "shi":
		return "shih"
	case "ri":
		return "jih"
	case "er":
		return "erh"
	case "e":
		return "o"
	case "ye":
		return "yeh"
	case "yan":
		return "yen"
	case "you":
		return "yu"
	case "yong":
		return "yung"
	case "yi":
		return "i"
	case "yue":
		return "yueh"
	case "ge", "ke":
		return "ko"
	case "he":
		return "ho"
	case "lve", "lue":
		return "lueh"
	case "nve", "nue":
		return "nueh"
	case "lv":
		return "lu"
	case "nv":
		return "nu"
	}
	ini, fin := py, ""
	for n := 0; n < len(py); n++ {
		if strings.IndexByte("aeiouv", py[n]) >= 0 {
			ini, fin = py[:n], py[n:]
			break
		}
	}
	switch fin {
	case "ian":
		fin = "ien"
	case "ie":
		fin = "ieh"
	case "ong":
		fin = "ung"
	case "iong":
		fin = "iung"
	case "ui":
		if ini == "g" || ini == "k" {
			fin = "uei"
		}
	case "uo":
		if ini != "g" && ini != "k" && ini != "h" && ini != "sh" {
			fin = "o"
		}
	case "ue", "ve":
		fin = "ueh"
	case "v":
		fin = "u"
	}
	switch ini {
	case "b":
		ini = "p"
	case "d":
		ini = "t"
	case "g":
		ini = "k"
	case "j", "q", "zh":
		ini = "ch"
	case "x":
		ini = "hs"
	case "r":
		ini = "j"
	case "z", "c":
		ini = "ts"
	}
	return ini + fin
}

// han renders a run of Chinese characters starting at i.
func (w *rend) han(i int) int {
	r := w.r
	j := i
	for j < len(r) && isHan(r[j]) {
		j++
	}
	p := w.p
	switch w.japaneseMode(i, j) {
	case 2:
		if p < 3 {
			w.japanese(i, j, p)
		} else {
			w.pinyin(i, j, 0)
		}
	case 1:
		if p == 3 {
			w.japanese(i, j, 0)
		} else {
			w.pinyin(i, j, p)
		}
	default:
		w.pinyin(i, j, p)
	}
	return j
}

// jpMatch returns the longest Japanese entry at k, not past j.
func (w *rend) jpMatch(k, j int) (jpEntry, bool) {
	for n := 4; n >= 1; n-- {
		if k+n > j {
			continue
		}
		var key [4]rune
		copy(key[:], w.r[k:k+n])
		if e, ok := jpNames[key]; ok {
			return e, true
		}
	}
	return jpEntry{}, false
}

// japaneseMode says whether the run reads as Japanese: 0 no, 1 as an
// alternative, 2 primarily.
func (w *rend) japaneseMode(i, j int) int {
	firstLen := 0
	for k := i; k < j; {
		e, ok := w.jpMatch(k, j)
		if !ok {
			return 0
		}
		if k == i {
			firstLen = e.n
		}
		k += e.n
	}
	if w.sc.kana || firstLen >= 2 {
		return 2
	}
	return 1
}

func (w *rend) japanese(i, j, p int) {
	for k := i; k < j; {
		e, ok := w.jpMatch(k, j)
		if !ok {
			k++
			continue
		}
		if k > i {
			w.b = sep(w.b, ' ')
		}
		w.kana(e.kana, p)
		k += e.n
	}
}

// hanSyllable writes the reading of the character at k and reports whether
// it knew it.
func (w *rend) hanSyllable(k int, wg, surname bool) bool {
	c := w.r[k]
	if c == 0x3005 && k > 0 { // 々 repeats the character before it
		c = w.r[k-1]
	}
	if c == 0x3007 {
		c = '零'
	}
	id, ok := uint16(0), false
	if surname {
		id, ok = hz.surRead[c]
	}
	if !ok {
		id, ok = hz.read[c]
	}
	if !ok {
		return false
	}
	if wg {
		w.s(hz.wg[id])
	} else {
		w.s(hz.py[id])
	}
	return true
}

func (w *rend) pinyin(i, j, p int) {
	r := w.r
	wg := p == 1
	k := i
	if j-i > 4 {
		for ; k < j; k++ {
			w.b = sep(w.b, ' ')
			w.hanSyllable(k, wg, false)
		}
		return
	}
	if i == w.sc.firstHan {
		switch alts := hz.surAlt[r[i]]; {
		case j-i >= 3 && hz.compound[[2]rune{r[i], r[i+1]}]:
			w.hanSyllable(k, wg, true)
			w.hanSyllable(k+1, wg, true)
			k += 2
		case p >= 2 && len(alts) > 0:
			w.s(pick(p-2, alts...))
			k++
		default:
			w.hanSyllable(k, wg, true)
			k++
		}
		if k < j {
			w.b = sep(w.b, ' ')
		}
	}
	first := true
	for ; k < j; k++ {
		if wg && !first && hanKnown(r, k) {
			w.s("-")
		}
		if w.hanSyllable(k, wg, false) {
			first = false
		}
	}
}

func hanKnown(r []rune, k int) bool {
	c := r[k]
	if c == 0x3005 && k > 0 {
		c = r[k-1]
	}
	_, ok := hz.read[c]
	return ok || c == 0x3007
}
