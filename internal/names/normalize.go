package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/relais/relais/internal/translit"
)

// Defensive limits: names longer than this are truncated before any work.
const (
	maxNameRunes  = 256
	maxTokens     = 12
	maxTokenBytes = 40
	maxForms      = 6
)

// token kinds
const (
	kindNormal   uint8 = iota
	kindParticle       // al, van, de, ... attached to the next token
	kindLink           // bin, ibn, bint, ould: marks a father's/ancestor's name
	kindKunya          // abu, umm: part of a kunya
	kindInitial        // a single letter
)

// token is one occurrence of a name part: the part's spellings (its
// lexeme, shared by every listed person whose name has the same part once
// the person is indexed) and what this occurrence says of it.
type token struct {
	*lexeme
	raw     string // as written (after script conversion), lower case
	kind    uint8
	upper   bool // written all upper case in a mixed-case name
	surname bool // judged to be (part of) the surname
	known   bool // (query) this spelling is a listed name part: not a misspelling
}

// lexeme is a name part's spellings and the keys derived from them.
type lexeme struct {
	forms  []string // forms[0] is the primary normalised form; then alternatives
	core   int      // forms[:core] are core spellings (indexed); the rest are particle-joined
	joined []string // particle-joined spellings, pending
	groups []int32  // variant groups of any form
	phon   string   // phonetic key of forms[0]
	phons  []string // phonetic keys of forms[:core]
	folds  []string // foldSpelling of forms[:core]
	skel   string   // consonant skeleton of forms[0]
	patro  bool     // looks like a patronymic / filler middle name
}

// nameForm is one way of writing a person's name: the main name, an alias,
// or one romanisation of a name in another script.
type nameForm struct {
	text    string
	alias   int // -1 for the main name, else the alias index
	arabic  bool
	tokens  []token
	merges  []merged
	content int // number of tokens that are not particles/links
	// eastAsian: a part is an East-Asian family name, and the name may
	// carry an added Western given name
	eastAsian bool
}

// special letters that Unicode decomposition does not reduce to ASCII.
var specialFold = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'ø': "o", 'Ø': "o", 'œ': "oe", 'Œ': "oe",
	'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th", 'ł': "l", 'Ł': "l",
	'ı': "i", 'ħ': "h", 'Ħ': "h", 'ŀ': "l", 'ĸ': "k", 'ŉ': "n", 'ſ': "s", 'ƒ': "f",
	'ʻ': "'", 'ʼ': "'", 'ʽ': "'", '’': "'", '‘': "'", '`': "'", '´': "'", 'ʿ': "'", 'ʾ': "'",
	'‐': "-", '‑': "-", '‒': "-", '–': "-", '—': "-", '־': "-",
	'0': "o", '1': "l", '5': "s", '8': "b",
}

// umlaut expansions (German/Scandinavian convention): Müller = Mueller.
var umlautFold = map[rune]string{
	'ä': "ae", 'ö': "oe", 'ü': "ue", 'Ä': "ae", 'Ö': "oe", 'Ü': "ue",
}

// isLatinOrCommon reports whether r needs no transliteration.
func isLatinOrCommon(r rune) bool {
	if r < 0x80 {
		return true
	}
	if unicode.Is(unicode.Latin, r) || unicode.Is(unicode.Mn, r) {
		return true
	}
	return !unicode.IsLetter(r)
}

func isArabicScript(r rune) bool { return unicode.Is(unicode.Arabic, r) }

// sanitize caps length and removes invalid UTF-8 and control characters.
func sanitize(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n >= maxNameRunes {
			break
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	return norm.NFKC.String(b.String())
}

// reorderComma turns "SURNAME, Given Middle" into "Given Middle SURNAME".
func reorderComma(s string) string {
	i := strings.IndexByte(s, ',')
	if i < 0 {
		return s
	}
	a := strings.TrimSpace(s[:i])
	b := strings.TrimSpace(strings.ReplaceAll(s[i+1:], ",", " "))
	if a == "" || b == "" {
		return strings.ReplaceAll(s, ",", " ")
	}
	return b + " " + a
}

// renderings returns the Latin renderings of a name and whether it was
// written in Arabic script.
func renderings(s string) ([]string, bool) {
	latin := true
	arabic := false
	for _, r := range s {
		if !isLatinOrCommon(r) {
			latin = false
			if isArabicScript(r) {
				arabic = true
			}
		}
	}
	if latin {
		return []string{s}, false
	}
	out := translit.Romanize(s)
	if len(out) == 0 {
		return []string{s}, arabic
	}
	if len(out) > 4 {
		out = out[:4]
	}
	return out, arabic
}

// foldString returns the ASCII lower-case rendering of a name part (letters
// and apostrophes; digits other than OCR look-alikes are dropped).
// expandUmlaut selects the ae/oe/ue rendering of umlauts.
func foldString(s string, expandUmlaut bool) string {
	var b strings.Builder
	for _, r := range s {
		if expandUmlaut {
			if u, ok := umlautFold[r]; ok {
				b.WriteString(u)
				continue
			}
		}
		if f, ok := specialFold[r]; ok {
			b.WriteString(f)
			continue
		}
		if r < 0x80 {
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			if (r >= 'a' && r <= 'z') || r == '\'' {
				b.WriteRune(r)
			}
			continue
		}
		// decompose and keep base letters only
		d := norm.NFD.String(string(r))
		for _, dr := range d {
			if unicode.Is(unicode.Mn, dr) {
				continue
			}
			if f, ok := specialFold[dr]; ok {
				b.WriteString(f)
				continue
			}
			dr = unicode.ToLower(dr)
			if dr >= 'a' && dr <= 'z' {
				b.WriteRune(dr)
			} else if dr == 'ı' {
				b.WriteByte('i')
			}
		}
	}
	return b.String()
}

func hasUmlaut(s string) bool {
	for _, r := range s {
		if _, ok := umlautFold[r]; ok {
			return true
		}
	}
	return false
}

// isSep reports whether r separates name parts.
func isSep(r rune) bool {
	switch r {
	case '\'', '’', 'ʻ', 'ʼ', '`', '´', 'ʿ', 'ʾ', '‘':
		return false
	}
	if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) {
		return false
	}
	if r >= '0' && r <= '9' {
		return false
	}
	return true
}

type rawTok struct {
	text   string // original spelling (letters, apostrophes)
	hyphen bool   // followed by a hyphen
}

// splitRaw splits a Latin name into raw parts. Dotted abbreviations of
// letters written without spaces ("v.d.") are joined.
func splitRaw(s string) []rawTok {
	var out []rawTok
	var cur []rune
	flush := func(h bool) {
		if len(cur) > 0 {
			out = append(out, rawTok{text: string(cur), hyphen: h})
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '.' && len(cur) == 1 && i+2 < len(rs) && !isSep(rs[i+1]) && rs[i+2] == '.' {
			// "v.d." -> "vd"
			continue
		}
		if isSep(r) {
			h := r == '-' || r == '‐' || r == '‑' || r == '–' || r == '—'
			flush(h)
			if len(out) > maxTokens*2 {
				break
			}
			continue
		}
		cur = append(cur, r)
	}
	flush(false)
	return out
}

// isAllUpper reports whether the letters of s are all upper case (≥2 letters).
func isAllUpper(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			n++
		}
	}
	return n >= 2
}

func hasLower(s string) bool {
	for _, r := range s {
		if unicode.IsLower(r) {
			return true
		}
	}
	return false
}

// parseName turns one Latin rendering into tokens.
func parseName(s string, arabic bool) []token {
	raws := splitRaw(s)
	mixed := hasLower(s) && !arabic
	var toks []token
	for _, rt := range raws {
		if len(toks) >= maxTokens {
			break
		}
		up := mixed && isAllUpper(rt.text)
		plain := foldString(rt.text, false)
		// apostrophes: O'Brien, D'Souza, L'Huillier; elsewhere (Sa'id) dropped
		if i := strings.IndexByte(plain, '\''); i >= 0 {
			pre := strings.ReplaceAll(plain[:i], "'", "")
			post := strings.ReplaceAll(plain[i+1:], "'", "")
			if (pre == "o" || pre == "d" || pre == "l" || pre == "dell" || pre == "de") && len(post) >= 2 {
				toks = append(toks, token{lexeme: &lexeme{forms: []string{pre}}, raw: pre, kind: kindParticle, upper: up})
				plain = post
			} else {
				plain = pre + post
			}
		}
		if plain == "" {
			continue
		}
		if len(plain) > maxTokenBytes {
			plain = plain[:maxTokenBytes]
		}
		t := token{lexeme: &lexeme{forms: []string{plain}}, raw: plain, upper: up}
		if hasUmlaut(rt.text) {
			if alt := foldString(rt.text, true); alt != plain && alt != "" {
				alt = strings.ReplaceAll(alt, "'", "")
				if len(alt) > maxTokenBytes {
					alt = alt[:maxTokenBytes]
				}
				t.forms = append(t.forms, alt)
			}
		}
		toks = append(toks, t)
	}
	toks = mergeAbd(toks)
	// Vietnamese names have no particles: Mạc, Văn, Lê are name parts
	vietnamese := isVietnamese(s)
	if !vietnamese {
		markParticles(toks)
		toks = attachParticles(toks)
	}
	for i := range toks {
		finishToken(&toks[i])
	}
	markSurnames(toks, mixed)
	if vietnamese && len(toks) >= 2 && !mixed {
		toks[0].surname = true // the family name comes first
	}
	return toks
}

// isVietnamese reports whether s has letters only Vietnamese writes: ă, â,
// đ, ê, ô, ơ, ư, or the stacked tone marks of Latin Extended Additional.
func isVietnamese(s string) bool {
	for _, r := range s {
		switch {
		case r >= 0x1EA0 && r <= 0x1EF9:
			return true
		case strings.ContainsRune("ăâđêôơưĂÂĐÊÔƠƯ", r):
			return true
		}
	}
	return false
}

// abdWords are the spellings of "servant of" that start Arabic theophoric names.
var abdWords = map[string]bool{"abd": true, "abdul": true, "abdel": true, "abdal": true, "abdol": true,
	"abdil": true, "abdur": true, "abdor": true, "abdu": true, "abde": true}

var abdLinks = []string{"ush", "ash", "ul", "el", "al", "ol", "il", "ur", "ar", "er", "or", "us", "as", "es", "ud", "ad", "un", "an", "ut", "at", "uz", "az", "ud", "u", "e", "a", "o", "i"}

// abdCore reduces a joined theophoric name to "abd"+root: Abdulrahman,
// Abdelrahman, Abdurrahman -> abdrahman. ok is false when s is not one.
func abdCore(s string) (string, bool) {
	if !strings.HasPrefix(s, "abd") || len(s) < 7 {
		return s, false
	}
	rest := s[3:]
	for _, l := range abdLinks {
		if strings.HasPrefix(rest, l) && len(rest)-len(l) >= 3 {
			r := rest[len(l):]
			// assimilated article doubles the consonant: abdurrahman
			if len(l) == 2 && l[1] != 'l' && r[0] == l[1] {
				r = r[1:]
			}
			return "abd" + r, true
		}
	}
	return "abd" + rest, true
}

var articleWords = map[string]bool{"al": true, "el": true, "ul": true, "il": true}
var assimilated = map[string]bool{"ad": true, "an": true, "ar": true, "as": true, "ash": true, "at": true, "az": true, "adh": true, "ath": true}

// mergeAbd joins "Abd al Rahman", "Abdul Rahman", "Abdel-Rahman" into one token.
func mergeAbd(toks []token) []token {
	out := toks[:0:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		w := t.forms[0]
		if abdWords[w] && i+1 < len(toks) {
			j := i + 1
			nw := toks[j].forms[0]
			if (articleWords[nw] || assimilated[nw]) && j+1 < len(toks) {
				j++
				nw = toks[j].forms[0]
			}
			if len(nw) >= 3 {
				m := token{lexeme: &lexeme{forms: []string{"abd" + nw}}, raw: t.raw + " " + toks[j].raw, upper: t.upper && toks[j].upper}
				out = append(out, m)
				i = j
				continue
			}
		}
		if c, ok := abdCore(w); ok {
			t.forms = append([]string{c}, t.forms...)
			t.forms = dedupe(t.forms)
		}
		out = append(out, t)
	}
	return out
}

var particleWords = map[string]bool{
	// Arabic article
	"al": true, "el": true, "ul": true, "il": true,
	// Romance / Germanic / Celtic
	"van": true, "von": true, "der": true, "den": true, "de": true, "del": true, "della": true, "delle": true, "dei": true,
	"di": true, "da": true, "das": true, "dos": true, "do": true, "du": true, "des": true, "la": true, "le": true, "les": true,
	"lo": true, "ten": true, "ter": true, "te": true, "zu": true, "zum": true, "zur": true, "vd": true, "vander": true,
	"vanden": true, "vande": true, "y": true, "e": true, "mac": true, "mc": true, "st": true, "saint": true, "o": true, "d": true, "l": true, "dell": true,
}

var linkWords = map[string]bool{"bin": true, "ben": true, "ibn": true, "bint": true, "binti": true, "ould": true, "walad": true, "bn": true}
var kunyaWords = map[string]bool{"abu": true, "abou": true, "abo": true, "umm": true, "um": true, "om": true, "umme": true, "ummu": true}

// markParticles classifies tokens; a particle needs a following token to attach to.
func markParticles(toks []token) {
	for i := range toks {
		w := toks[i].forms[0]
		last := i == len(toks)-1
		switch {
		case toks[i].kind == kindParticle:
		case particleWords[w] && !last && i == 0 && eastAsianFamily[w]:
			// Lê, Du, Di ... written first are family names
		case particleWords[w] && !last && len(toks) > 2:
			toks[i].kind = kindParticle
		case particleWords[w] && !last && (articleWords[w] || w == "van" || w == "von" || w == "mac" || w == "mc" || i > 0):
			toks[i].kind = kindParticle
		case assimilated[w] && !last && len(toks[i+1].forms[0]) > 2 && strings.HasPrefix(toks[i+1].forms[0], w[1:2]):
			toks[i].kind = kindParticle
		case linkWords[w] && i > 0 && !last:
			toks[i].kind = kindLink
		case kunyaWords[w] && !last:
			toks[i].kind = kindKunya
		case len(w) == 1:
			toks[i].kind = kindInitial
		}
	}
	// "Van", "Le", "Du", "Da" are also Vietnamese/Chinese name parts; a name
	// made of particles only keeps them as ordinary parts.
	n := 0
	for i := range toks {
		if toks[i].kind != kindParticle {
			n++
		}
	}
	if n == 0 {
		for i := range toks {
			toks[i].kind = kindNormal
		}
	}
}

// attachParticles gives the token after a run of particles joined forms:
// "van der Berg" -> berg with alternatives vanderberg, derberg.
func attachParticles(toks []token) []token {
	for i := 0; i < len(toks); i++ {
		if toks[i].kind != kindParticle {
			continue
		}
		j := i
		for j < len(toks) && toks[j].kind == kindParticle {
			j++
		}
		if j >= len(toks) {
			break
		}
		core := toks[j].forms[0]
		for k := i; k < j; k++ {
			var b strings.Builder
			for m := k; m < j; m++ {
				p := toks[m].forms[0]
				if articleWords[p] || assimilated[p] {
					p = "al"
				}
				if p == "mac" {
					p = "mc"
				}
				b.WriteString(p)
			}
			b.WriteString(core)
			toks[j].joined = append(toks[j].joined, b.String())
		}
		i = j
	}
	return toks
}

// particlePrefixes may be written joined to a surname: Almasri, DaSilva,
// Vanderberg, McDonald.
var particlePrefixes = []string{"vander", "vanden", "vande", "van", "von", "della", "del", "dos", "das", "da", "de", "di", "du", "le", "la", "al", "el", "ul", "mac", "mc"}

func finishToken(t *token) {
	f0 := t.forms[0]
	if t.kind == kindNormal {
		// joined particle: add the stripped core as an alternative
		for _, p := range particlePrefixes {
			if strings.HasPrefix(f0, p) && len(f0)-len(p) >= 4 {
				rest := f0[len(p):]
				arabicArt := p == "al" || p == "el" || p == "ul"
				// an East-Asian family name is a syllable of many given
				// names (Dekang is not de Kang)
				if arabicArt || !isVowel(rest[0]) && !eastAsianFamily[rest] {
					t.forms = append(t.forms, rest)
				}
				if p == "mac" {
					t.forms = append(t.forms, "mc"+rest)
				}
				break
			}
		}
		// assimilated joined article: Ashshami, Azzahrani
		if len(f0) >= 6 && f0[0] == 'a' && f0[1] == f0[2] && !isVowel(f0[1]) && f0[1] != 'l' {
			t.forms = append(t.forms, f0[2:])
		}
		if len(f0) >= 7 && strings.HasPrefix(f0, "ash") && strings.HasPrefix(f0[3:], "sh") {
			t.forms = append(t.forms, f0[3:])
		}
	}
	t.forms = dedupe(t.forms)
	if len(t.forms) > maxForms {
		t.forms = t.forms[:maxForms]
	}
	t.core = len(t.forms)
	for _, j := range t.joined {
		if len(t.forms) >= maxForms+2 {
			break
		}
		t.forms = append(t.forms, j)
	}
	t.forms = dedupe(t.forms)
	t.joined = nil
	t.groups = groupsOf(t.forms)
	t.phons = make([]string, t.core)
	t.folds = make([]string, t.core)
	for i, f := range t.forms[:t.core] {
		t.phons[i] = phoneticKey(f)
		t.folds[i] = foldSpelling(f)
	}
	t.phon = t.phons[0]
	t.skel = skeleton(f0)
	t.patro = isPatronymic(f0)
}

func dedupe(ss []string) []string {
	out := ss[:0]
	for i, s := range ss {
		dup := s == ""
		for _, p := range ss[:i] {
			if p == s {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

var patroSuffixes = []string{"ovich", "evich", "ovych", "evych", "ich", "ovna", "evna", "ivna", "yevna", "ovic", "oglu", "ogly", "kyzy", "qizi", "ovitch"}

// isPatronymic reports a father's name form or a common filler middle name.
func isPatronymic(s string) bool {
	if len(s) >= 7 {
		for _, suf := range patroSuffixes {
			if strings.HasSuffix(s, suf) {
				return true
			}
		}
	}
	return fillerMiddles[s]
}

// fillerMiddles are parts commonly added or dropped as middle names.
var fillerMiddles = map[string]bool{"kumar": true, "kumari": true, "devi": true, "singh": true, "kaur": true, "bai": true, "ben": true,
	"thi": true, "van": true, "bin": true, "binti": true, "ibn": true, "bint": true}

// markSurnames flags likely surname tokens: upper-case parts of a mixed-case
// name, else the last part; an East-Asian family name written first also counts.
func markSurnames(toks []token, mixed bool) {
	content := 0
	for i := range toks {
		if toks[i].kind != kindParticle {
			content++
		}
	}
	anyUpper := false
	if mixed {
		for i := range toks {
			if toks[i].upper && toks[i].kind == kindNormal {
				anyUpper = true
			}
		}
	}
	if anyUpper && content > 1 {
		for i := range toks {
			if toks[i].upper && toks[i].kind == kindNormal {
				toks[i].surname = true
			}
		}
		return
	}
	for i := len(toks) - 1; i >= 0; i-- {
		if toks[i].kind == kindNormal || toks[i].kind == kindInitial {
			toks[i].surname = true
			break
		}
	}
	if len(toks) >= 2 && toks[0].kind == kindNormal && eastAsianFamily[toks[0].forms[0]] {
		toks[0].surname = true
	}
}

// buildForms prepares all name forms of a name string.
func buildForms(name string, alias int) []nameForm {
	s := sanitize(name)
	s = reorderComma(s)
	if strings.TrimSpace(s) == "" {
		return nil
	}
	rs, arabic := renderings(s)
	var out []nameForm
	for _, r := range rs {
		r = sanitize(r)
		toks := parseName(r, arabic)
		if len(toks) == 0 {
			continue
		}
		nf := nameForm{text: r, alias: alias, arabic: arabic, tokens: toks, merges: buildMerges(toks)}
		for _, t := range toks {
			if t.kind != kindParticle && t.kind != kindLink {
				nf.content++
			}
			nf.eastAsian = nf.eastAsian || eastAsianFamily[t.forms[0]]
		}
		out = append(out, nf)
	}
	if arabic {
		shareRenderingGroups(out)
	}
	return out
}

// shareRenderingGroups gives each part of a consonantal rendering the variant
// groups of the vocalised renderings of the same part (mhmd: muhammad), so
// that it is not taken for another known name with the same consonants
// (Mahmoud).
func shareRenderingGroups(forms []nameForm) {
	if len(forms) < 2 {
		return
	}
	n := len(forms[0].tokens)
	for _, f := range forms[1:] {
		if len(f.tokens) != n {
			return
		}
	}
	for i := 0; i < n; i++ {
		var all []int32
		for _, f := range forms {
			for _, g := range f.tokens[i].groups {
				dup := false
				for _, h := range all {
					dup = dup || h == g
				}
				if !dup {
					all = append(all, g)
				}
			}
		}
		if len(all) == 0 {
			continue
		}
		for fi := range forms {
			forms[fi].tokens[i].groups = all
		}
	}
}
