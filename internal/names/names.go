// Package names matches person names across languages and scripts for
// border screening: a query (name, birth date, nationality, sex) is compared
// with listed persons (name, aliases, birth date, nationality, sex).
//
// Names are normalised (Unicode NFKC, case folding, diacritics removed with
// German umlaut alternatives, punctuation), romanised when written in another
// script (package translit), split into parts, and particles (al-, van der,
// de la, O', D') are attached to the part that follows them. Two names are
// compared by the best alignment of their parts in any order, part against
// part (or against two joined parts), by exact spelling, variant group
// (embedded tables: Muhammad = Mohamed, Sasha = Aleksandr, Zhang = Cheung),
// phonetic key, consonant skeleton (for consonantal scripts), typing/OCR
// edit distance and initials. Birth date, nationality and sex raise or lower
// the score; a birth date far from the listed one prevents a match.
//
// The package does no I/O: its tables are embedded.
package names

import (
	"strconv"
	"strings"
)

// Person is what is known of a listed or queried person.
type Person struct {
	ID          string
	Name        string
	Aliases     []string
	BirthDate   string // "YYYY-MM-DD", "YYYY-MM", "YYYY" or ""
	Nationality string // ISO alpha-2 or ""
	Sex         string // "M","F","X" or ""
	// Group is the caller's class of the person for the filter of
	// SearchAmong, such as who may see it: persons of one group are kept
	// or left out together.
	Group uint32
}

// Query is a name to screen with what else is known of the person.
type Query struct {
	Name, BirthDate, Nationality, Sex string
}

// DefaultThreshold is the score from which a candidate is reported as a match.
const DefaultThreshold = 0.80

// Prepared is the pre-computed form of a listed person; build it once at
// index time with Prepare.
type Prepared struct {
	ID          string
	Name        string
	Aliases     []string
	birth       date
	nationality string
	sex         string
	group       uint32
	forms       []nameForm
}

// PreparedQuery is the pre-computed form of a query.
type PreparedQuery struct {
	Query
	birth date
	forms []nameForm
}

// Prepare normalises a listed person's name and aliases.
func Prepare(p Person) *Prepared {
	pp := &Prepared{
		ID:          p.ID,
		Name:        p.Name,
		Aliases:     p.Aliases,
		birth:       parseDate(p.BirthDate),
		nationality: strings.ToUpper(strings.TrimSpace(p.Nationality)),
		sex:         strings.ToUpper(strings.TrimSpace(p.Sex)),
		group:       p.Group,
	}
	pp.forms = buildForms(p.Name, -1)
	seen := map[string]bool{}
	for _, f := range pp.forms {
		seen[formSig(f)] = true
	}
	for i, a := range p.Aliases {
		if i >= 32 {
			break
		}
		for _, f := range buildForms(a, i) {
			sig := formSig(f)
			if seen[sig] {
				continue // "JOSE GARCIA" next to "José García"
			}
			seen[sig] = true
			pp.forms = append(pp.forms, f)
		}
	}
	if twoSurnameCountries[pp.nationality] {
		for fi := range pp.forms {
			markFirstSurname(pp.forms[fi].tokens)
		}
	}
	return pp
}

// twoSurnameCountries name people with two surnames, either of which is
// often used alone: Spanish Given Paternal Maternal ("Cristina Álvarez" is
// Cristina Álvarez Ibáñez), Portuguese Given Maternal Paternal.
var twoSurnameCountries = map[string]bool{
	"ES": true, "MX": true, "AR": true, "CO": true, "PE": true, "VE": true, "CL": true, "EC": true, "GT": true,
	"CU": true, "BO": true, "DO": true, "HN": true, "PY": true, "SV": true, "NI": true, "CR": true, "PA": true,
	"UY": true, "PR": true, "GQ": true,
	"PT": true, "BR": true, "AO": true, "MZ": true, "CV": true, "GW": true, "ST": true, "TL": true,
}

// markFirstSurname flags the part before the last surname as a surname too,
// when the name has at least three parts and its surname was not marked by
// capitals (which would tell exactly).
func markFirstSurname(toks []token) {
	var content []int
	for i := range toks {
		if toks[i].kind == kindNormal {
			content = append(content, i)
		}
		if toks[i].upper {
			return
		}
	}
	if n := len(content); n >= 3 && toks[content[n-1]].surname {
		toks[content[n-2]].surname = true
	}
}

func formSig(f nameForm) string {
	var b strings.Builder
	for _, t := range f.tokens {
		b.WriteString(t.forms[0])
		b.WriteByte(' ')
	}
	return b.String()
}

// PrepareQuery normalises a query.
func PrepareQuery(q Query) *PreparedQuery {
	pq := &PreparedQuery{Query: q, birth: parseDate(q.BirthDate)}
	pq.Nationality = strings.ToUpper(strings.TrimSpace(q.Nationality))
	pq.Sex = strings.ToUpper(strings.TrimSpace(q.Sex))
	pq.forms = buildForms(q.Name, -1)
	return pq
}

// date is a possibly partial calendar date; zero fields are unknown.
type date struct{ y, m, d int }

func parseDate(s string) date {
	s = strings.TrimSpace(s)
	if len(s) > 10 {
		s = s[:10]
	}
	parts := strings.Split(s, "-")
	var dt date
	if len(parts) >= 1 && len(parts[0]) == 4 {
		if v, err := strconv.Atoi(parts[0]); err == nil && v > 0 {
			dt.y = v
		}
	}
	if dt.y == 0 {
		return date{}
	}
	if len(parts) >= 2 {
		if v, err := strconv.Atoi(parts[1]); err == nil && v >= 1 && v <= 12 {
			dt.m = v
		}
	}
	if len(parts) >= 3 && dt.m != 0 {
		if v, err := strconv.Atoi(parts[2]); err == nil && v >= 1 && v <= 31 {
			dt.d = v
		}
	}
	return dt
}

// Explanation tells which name parts matched how and what raised or lowered
// the score.
type Explanation struct {
	// NameSource is "name" or "alias"; AliasIndex is the alias's index.
	NameSource  string       `json:"name_source"`
	AliasIndex  int          `json:"alias_index,omitempty"`
	MatchedName string       `json:"matched_name"`
	QueryForm   string       `json:"query_form"`
	Parts       []PartMatch  `json:"parts"`
	NameScore   float64      `json:"name_score"`
	Adjustments []Adjustment `json:"adjustments,omitempty"`
	// Blocked names a reason that prevents a match whatever the score.
	Blocked string `json:"blocked,omitempty"`
}

// PartMatch is one aligned (or unaligned) name part. How is one of exact,
// variant, phonetic, skeleton, typo, initial, similar, missing (a listed part
// absent from the query) or extra (a query part absent from the listing).
type PartMatch struct {
	Query  string  `json:"query,omitempty"`
	Listed string  `json:"listed,omitempty"`
	How    string  `json:"how"`
	Score  float64 `json:"score"`
}

// Adjustment is a change of score for a reason such as birth_date_exact,
// birth_year, birth_day_month_swapped, birth_date_near, birth_date_conflict,
// nationality_same, nationality_different, sex_different, or a penalty for
// missing/extra name parts.
type Adjustment struct {
	Reason string  `json:"reason"`
	Delta  float64 `json:"delta"`
}

// Result is the outcome of comparing a query with one listed person.
type Result struct {
	Score       float64     `json:"score"`
	Match       bool        `json:"match"`
	Explanation Explanation `json:"explanation"`
}

// Hit is one search result.
type Hit struct {
	ID     string `json:"id"`
	Result Result `json:"result"`
}

// Compare scores a query against one listed person.
func Compare(q *PreparedQuery, p *Prepared) Result {
	return compare(q, p, nil)
}

func compare(q *PreparedQuery, p *Prepared, memo *simMemo) Result {
	if q == nil || p == nil {
		return Result{}
	}
	c := bestForms(q, p, memo, 0)
	return c.result(q, p, memo, true)
}

// formChoice is the pair of query and listed forms that agree best, with
// their alignment scored but not explained.
type formChoice struct {
	qi, ci int // -1 when there is no name to compare
	al     alignment
	strong bool
}

// bestForms aligns the query forms in the mask qforms (0: all) with every
// form of the person and keeps the best pair.
func bestForms(q *PreparedQuery, p *Prepared, memo *simMemo, qforms uint64) formChoice {
	best := formChoice{qi: -1, ci: -1, strong: q.birth.d != 0 && q.birth == p.birth}
	bestScore := -1.0
	for qi := range q.forms {
		if qforms != 0 && qi < 64 && qforms&(1<<uint(qi)) == 0 {
			continue
		}
		for ci := range p.forms {
			a := align(&q.forms[qi], &p.forms[ci], best.strong, false, memo)
			s := a.score
			if !a.ok {
				s -= 0.5 // prefer forms that can match
			}
			if s > bestScore {
				bestScore, best.qi, best.ci, best.al = s, qi, ci, a
			}
		}
	}
	return best
}

// result scores the chosen forms with the rest of the query (birth date,
// nationality, sex). Only with explain does the explanation list the name
// parts and adjustments: a search explains only the persons it returns.
func (fc formChoice) result(q *PreparedQuery, p *Prepared, memo *simMemo, explain bool) Result {
	if fc.qi < 0 {
		return Result{Explanation: Explanation{NameSource: "name", Blocked: "no_name"}}
	}
	best := fc.al
	if explain {
		best = align(&q.forms[fc.qi], &p.forms[fc.ci], fc.strong, true, memo)
	}
	var ex Explanation
	if explain {
		ex = Explanation{
			NameSource:  "name",
			MatchedName: p.Name,
			QueryForm:   best.q.text,
			Parts:       best.parts,
			NameScore:   round3(best.score),
		}
		if best.c.alias >= 0 {
			ex.NameSource = "alias"
			ex.AliasIndex = best.c.alias
			if best.c.alias < len(p.Aliases) {
				ex.MatchedName = p.Aliases[best.c.alias]
			} else {
				ex.MatchedName = best.c.text
			}
		}
		ex.Adjustments = append(ex.Adjustments, best.adj...)
	}
	adjust := func(reason string, delta float64) {
		if explain {
			ex.Adjustments = append(ex.Adjustments, Adjustment{reason, delta})
		}
	}
	score := best.score
	blocked := ""
	if !best.ok {
		blocked = best.why
	}
	if r, d, conflict := compareDates(q.birth, p.birth); r != "" {
		adjust(r, d)
		score += d
		if conflict && blocked == "" {
			blocked = "birth_date_conflict"
		}
	}
	if q.Nationality != "" && p.nationality != "" {
		if q.Nationality == p.nationality {
			adjust("nationality_same", nationalitySame)
			score += nationalitySame
		} else {
			adjust("nationality_different", nationalityDifferent)
			score += nationalityDifferent
		}
	}
	if q.Sex != "" && p.sex != "" && q.Sex != "X" && p.sex != "X" && q.Sex != p.sex {
		adjust("sex_different", -0.08)
		score -= 0.08
	}
	score = min(max(score, 0), 1)
	ex.Blocked = blocked
	return Result{Score: round3(score), Match: score >= DefaultThreshold && blocked == "", Explanation: ex}
}

func round3(x float64) float64 {
	return float64(int(x*1000+0.5)) / 1000
}

// birthSlack is how far apart two birth years may be and the dates still
// not conflict; a search does not look at persons born further away.
const birthSlack = 2

// Adjustments of a name's score by the rest of the query; a search ranks
// the bearers of a common name by them too (see candidates).
const (
	birthExact           = 0.06
	birthSameYear        = 0.02
	birthNear            = -0.04
	nationalitySame      = 0.02
	nationalityDifferent = -0.04
)

// compareDates returns the adjustment reason and delta, and whether the
// dates conflict (more than birthSlack years apart).
func compareDates(a, b date) (string, float64, bool) {
	if a.y == 0 || b.y == 0 {
		return "", 0, false
	}
	dy := a.y - b.y
	if dy < 0 {
		dy = -dy
	}
	full := a.m != 0 && a.d != 0 && b.m != 0 && b.d != 0
	switch {
	case dy > birthSlack:
		return "birth_date_conflict", -0.25, true
	case full && a == b:
		return "birth_date_exact", birthExact, false
	case full && dy == 0 && a.m == b.d && a.d == b.m:
		return "birth_day_month_swapped", 0.03, false
	case dy == 0 && (a.m == 0 || b.m == 0 || a.m == b.m):
		return "birth_year", birthSameYear, false
	case dy == 0:
		return "birth_year", 0.0, false
	default:
		return "birth_date_near", birthNear, false
	}
}
