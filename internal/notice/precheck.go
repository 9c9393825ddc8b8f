package notice

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Flag is what an automated pre-check found; the reviewer sees the flags
// and decides. A flag never blocks a request by itself.
type Flag struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// History is what the store knows about earlier requests on the same person.
type History struct {
	// RefusedBefore counts earlier requests of the same bureau on the same
	// person that the General Secretariat refused.
	RefusedBefore int
}

// Thresholds of the rules on the processing of data for red notices.
const (
	minPenaltyYears   = 2.0
	minTimeLeftMonths = 6.0
)

//go:embed precheck_terms.txt
var termsTXT string

type term struct {
	category string
	lang     string
	words    []string // folded words; the last may end in * for a prefix
}

var terms = mustParseTerms(termsTXT)

func mustParseTerms(txt string) []term {
	out, err := parseTerms(txt)
	if err != nil {
		panic("notice: embedded precheck_terms.txt: " + err.Error())
	}
	return out
}

var categories = []string{"insult", "defamation", "adultery", "debt", "private_dispute", "religion", "expression", "political", "military", "racial"}

func parseTerms(txt string) ([]term, error) {
	var out []term
	for n, line := range strings.Split(txt, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("line %d: want CATEGORY, LANGUAGE and TERM separated by tabs", n+1)
		}
		if !slices.Contains(categories, f[0]) {
			return nil, fmt.Errorf("line %d: unknown category %q", n+1, f[0])
		}
		if !slices.Contains([]string{"ar", "en", "fr", "es"}, f[1]) {
			return nil, fmt.Errorf("line %d: language %q is not an official language", n+1, f[1])
		}
		prefix := strings.HasSuffix(f[2], "*")
		words := foldWords(strings.TrimSuffix(f[2], "*"))
		if len(words) == 0 {
			return nil, fmt.Errorf("line %d: empty term", n+1)
		}
		if prefix {
			words[len(words)-1] += "*"
		}
		out = append(out, term{category: f[0], lang: f[1], words: words})
	}
	return out, nil
}

// foldWords lower-cases text, strips accents and Arabic vowel marks, folds
// Arabic letter variants and splits it into words.
func foldWords(s string) []string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			r = 'ا'
		case r == 'ى':
			r = 'ي'
		case r == 'ة':
			r = 'ه'
		case r == '\'' || r == '’' || r == '-':
			// Apostrophes and hyphens join: "d'enfant", "non-payment".
			b.WriteRune(r)
			continue
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			r = ' '
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.Fields(b.String())
}

// arabicPrefixes are clitics that attach to an Arabic word: the article and
// the conjunctions and prepositions written as one with it.
var arabicPrefixes = []string{"وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل"}

func wordMatches(pattern, word string) bool {
	forms := []string{word}
	for _, p := range arabicPrefixes {
		if rest, ok := strings.CutPrefix(word, p); ok && len([]rune(rest)) >= 2 {
			forms = append(forms, rest)
		}
	}
	for _, w := range forms {
		if p, ok := strings.CutSuffix(pattern, "*"); ok {
			if strings.HasPrefix(w, p) {
				return true
			}
		} else if w == pattern {
			return true
		}
	}
	return false
}

// matchTerms returns the categories of the terms found in text, in the
// order of the term list, each once.
func matchTerms(text string) []string {
	words := foldWords(text)
	var found []string
	for _, t := range terms {
		if slices.Contains(found, t.category) {
			continue
		}
	scan:
		for i := 0; i+len(t.words) <= len(words); i++ {
			for j, p := range t.words {
				if !wordMatches(p, words[i+j]) {
					continue scan
				}
			}
			found = append(found, t.category)
			break
		}
	}
	return found
}

var categoryText = map[string]string{
	"insult":          "looks like an insult or offence of opinion",
	"defamation":      "looks like defamation",
	"adultery":        "looks like adultery or another matter of private life",
	"debt":            "looks like a debt or a bounced cheque",
	"private_dispute": "looks like a family or private dispute",
	"religion":        "looks like an offence against religion",
	"expression":      "looks like an offence of expression",
	"political":       "may have a political character (Art. 3)",
	"military":        "may have a military character (Art. 3)",
	"racial":          "may have a racial character (Art. 3)",
}

// Precheck runs the automated checks on a request before a reviewer looks
// at it: missing identifiers, a penalty under the threshold, charges that
// look like excluded matters, a subject with refugee status, a bureau whose
// earlier requests on the same person were refused.
func Precheck(d Data, h History) []Flag {
	flags := []Flag{}
	add := func(code, field, format string, args ...any) {
		flags = append(flags, Flag{Code: code, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if s := d.Subject; s != nil {
		if s.Name == "" || s.Forename == "" {
			add("missing_identifiers", "subject.name", "the family name and the forename are both needed to identify the person")
		}
		if s.DateOfBirth == "" && len(s.IdentityDocuments) == 0 && (d.Type == Red || d.Type == Blue || d.Type == Green) {
			add("missing_identifiers", "subject.date_of_birth", "neither a date of birth nor an identity document: the person may be hard to tell apart")
		}
		if s.RefugeeStatus {
			add("refugee_status", "subject.refugee_status", "the subject holds refugee status: check that the request does not come from the country the person fled")
		}
	}
	if d.Type == Red {
		for i, w := range d.ArrestWarrants {
			if w.MaxPenaltyYears < minPenaltyYears {
				add("penalty_below_threshold", fmt.Sprintf("arrest_warrants[%d].max_penalty_years", i),
					"the maximum penalty of %g years is under the %g years a red notice requires", w.MaxPenaltyYears, minPenaltyYears)
			}
		}
		if c := d.Conviction; c != nil && c.TimeLeftMonths < minTimeLeftMonths {
			add("sentence_below_threshold", "conviction.time_left_months",
				"%g months left to serve is under the %g months a red notice requires", c.TimeLeftMonths, minTimeLeftMonths)
		}
	}
	charges := map[string]string{}
	for i, w := range d.ArrestWarrants {
		charges[fmt.Sprintf("arrest_warrants[%d].charge", i)] = w.Charge + "\n" + w.ChargeTranslation
	}
	if c := d.Conviction; c != nil {
		charges["conviction.charge"] = c.Charge + "\n" + c.ChargeTranslation
	}
	if d.Description != "" {
		charges["description"] = d.Description
	}
	fields := make([]string, 0, len(charges))
	for f := range charges {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	for _, f := range fields {
		for _, cat := range matchTerms(charges[f]) {
			add("excluded_matter:"+cat, f, "the text %s", categoryText[cat])
		}
	}
	if h.RefusedBefore > 0 {
		add("refused_before", "subject", "%d earlier request(s) of this bureau on the same person were refused", h.RefusedBefore)
	}
	return flags
}
