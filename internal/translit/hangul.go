package translit

// Korean Hangul, by the Revised Romanization of 2000, syllable by syllable
// as it applies to given names (no assimilation across syllables, except
// ㄹㄹ as ll). The first word of a name is split after a known surname
// (김민준 kim minjun) and the surname takes its common passport spellings
// (Lee, Park, Choi, ...) before the Revised Romanization ones.

var hangulInitial = [19]string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}

var hangulVowel = [21]string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"}

var hangulFinal = [28]string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"}

// hangulSurnames lists frequent surnames with their spellings, the most
// common in passports first; the Revised Romanization is among them.
var hangulSurnames = map[rune][]string{
	'김': {"kim", "gim"},
	'이': {"lee", "yi", "i", "rhee"},
	'리': {"lee", "ri", "li"},
	'박': {"park", "bak", "pak"},
	'최': {"choi", "choe", "chey"},
	'정': {"jung", "jeong", "chung", "jeung"},
	'강': {"kang", "gang"},
	'조': {"cho", "jo", "joe"},
	'윤': {"yoon", "yun"},
	'장': {"jang", "chang"},
	'임': {"lim", "im", "rim"},
	'림': {"lim", "rim", "im"},
	'한': {"han"},
	'오': {"oh", "o"},
	'서': {"seo", "suh", "su"},
	'신': {"shin", "sin"},
	'권': {"kwon", "gwon"},
	'황': {"hwang"},
	'안': {"ahn", "an"},
	'송': {"song"},
	'류': {"ryu", "yoo", "yu", "ryoo"},
	'유': {"yoo", "yu", "ryu"},
	'홍': {"hong"},
	'전': {"jeon", "jun", "chun", "chon"},
	'고': {"ko", "go", "koh"},
	'문': {"moon", "mun"},
	'양': {"yang"},
	'손': {"son", "sohn"},
	'배': {"bae", "pae"},
	'백': {"baek", "paik", "baik", "paek"},
	'허': {"heo", "huh", "hur"},
	'남': {"nam"},
	'심': {"shim", "sim"},
	'노': {"noh", "no", "roh"},
	'하': {"ha"},
	'곽': {"kwak", "gwak"},
	'성': {"sung", "seong"},
	'차': {"cha"},
	'주': {"joo", "ju", "chu"},
	'우': {"woo", "u"},
	'구': {"koo", "gu", "ku"},
	'민': {"min"},
	'나': {"na", "ra"},
	'진': {"jin", "chin"},
	'지': {"ji", "chi"},
	'엄': {"um", "eom"},
	'채': {"chae"},
	'원': {"won"},
	'천': {"cheon", "chun"},
	'방': {"bang", "pang"},
	'공': {"kong", "gong"},
	'현': {"hyun", "hyeon"},
	'함': {"ham"},
	'변': {"byun", "byeon", "pyun"},
	'염': {"yeom", "yum"},
	'여': {"yeo", "yuh"},
	'추': {"choo", "chu"},
	'도': {"do", "doh"},
	'소': {"so"},
	'석': {"seok", "suk"},
	'선': {"sun", "seon"},
	'설': {"seol", "sul"},
	'마': {"ma"},
	'길': {"gil", "kil"},
	'연': {"yeon", "yun"},
	'위': {"wi", "wee"},
	'표': {"pyo"},
	'명': {"myung", "myeong"},
	'기': {"ki", "gi"},
	'반': {"ban", "pan"},
	'왕': {"wang"},
	'금': {"keum", "geum"},
	'옥': {"ok"},
	'육': {"yook", "yuk"},
	'인': {"in"},
	'맹': {"maeng"},
	'제': {"je", "jae"},
	'모': {"mo"},
	'탁': {"tak"},
	'국': {"kook", "guk"},
	'어': {"eo", "uh"},
	'은': {"eun"},
	'편': {"pyeon", "pyun"},
	'용': {"yong"},
	'예': {"ye"},
	'경': {"kyung", "gyeong"},
	'봉': {"bong"},
	'사': {"sa"},
	'부': {"boo", "bu"},
}

// hangulCompound lists two-syllable surnames.
var hangulCompound = map[[2]rune]string{
	{'남', '궁'}: "namgung",
	{'황', '보'}: "hwangbo",
	{'제', '갈'}: "jegal",
	{'선', '우'}: "sunwoo",
	{'독', '고'}: "dokgo",
	{'사', '공'}: "sagong",
	{'서', '문'}: "seomun",
}

func (w *rend) hangulSyllables(from, to int) {
	r := w.r
	for k := from; k < to; k++ {
		s := int(r[k] - 0xAC00)
		ini, vow, fin := s/588, s%588/28, s%28
		if ini == 5 && k > from && (r[k-1]-0xAC00)%28 == 8 {
			w.s("l")
		} else {
			w.s(hangulInitial[ini])
		}
		w.s(hangulVowel[vow])
		w.s(hangulFinal[fin])
	}
}

// hangul renders one word starting at i.
func (w *rend) hangul(i int) int {
	r := w.r
	j := i
	for j < len(r) && r[j] >= 0xAC00 && r[j] <= 0xD7A3 {
		j++
	}
	first := true
	for k := 0; k < i; k++ {
		if r[k] >= 0xAC00 && r[k] <= 0xD7A3 {
			first = false
			break
		}
	}
	n := j - i
	if first && n <= 5 {
		if n >= 3 {
			if s, ok := hangulCompound[[2]rune{r[i], r[i+1]}]; ok {
				w.s(s)
				w.b = sep(w.b, ' ')
				w.hangulSyllables(i+2, j)
				return j
			}
		}
		if alts, ok := hangulSurnames[r[i]]; ok && n <= 4 {
			w.s(pick(w.p, alts...))
			if n > 1 {
				w.b = sep(w.b, ' ')
				w.hangulSyllables(i+1, j)
			}
			return j
		}
	}
	w.hangulSyllables(i, j)
	return j
}
