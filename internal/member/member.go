// Package member knows the organisation's member countries: their ISO 3166-1
// codes, their names in the four official languages (Arabic, English, French,
// Spanish), their region and the city of their National Central Bureau. The
// list is embedded data (members.tsv), not code.
package member

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
)

// GeneralSecretariat is the organisation code of the General Secretariat,
// which is not a country.
const GeneralSecretariat = "GS"

// Country is a member country.
type Country struct {
	Alpha2, Alpha3, Numeric string
	Region                  string // africa, americas, asia-pacific, europe, middle-east-north-africa
	NCBCity                 string
	Names                   map[string]string // by language: ar, en, fr, es
}

// Name returns the country's name in lang, or in English for a language
// relais does not speak.
func (c Country) Name(lang string) string {
	if n, ok := c.Names[lang]; ok {
		return n
	}
	return c.Names["en"]
}

// Languages are the organisation's official languages.
func Languages() []string { return []string{"ar", "en", "fr", "es"} }

//go:embed members.tsv
var membersTSV string

//go:embed iso3166.txt
var isoTXT string

var (
	all     []Country
	byCode  map[string]int // alpha-2 and alpha-3 → index in all
	isoCode map[string]bool
)

func init() {
	var err error
	all, err = parse(membersTSV)
	if err != nil {
		panic("member: embedded members.tsv: " + err.Error())
	}
	byCode = make(map[string]int, 2*len(all))
	for i, c := range all {
		byCode[c.Alpha2] = i
		byCode[c.Alpha3] = i
	}
	isoCode = map[string]bool{}
	for _, line := range strings.Split(isoTXT, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, code := range strings.Fields(line) {
			isoCode[code] = true
		}
	}
}

func parse(tsv string) ([]Country, error) {
	var out []Country
	header := true
	for n, line := range strings.Split(tsv, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if header {
			header = false
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 9 {
			return nil, fmt.Errorf("line %d has %d columns, want 9", n+1, len(f))
		}
		out = append(out, Country{
			Alpha2: f[0], Alpha3: f[1], Numeric: f[2], Region: f[3], NCBCity: f[8],
			Names: map[string]string{"en": f[4], "fr": f[5], "es": f[6], "ar": f[7]},
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Alpha2 < out[j].Alpha2 })
	return out, nil
}

// All returns every member country, sorted by alpha-2 code. The slice is the
// caller's to keep.
func All() []Country {
	out := make([]Country, len(all))
	for i, c := range all {
		out[i] = c.clone()
	}
	return out
}

func (c Country) clone() Country {
	names := make(map[string]string, len(c.Names))
	for k, v := range c.Names {
		names[k] = v
	}
	c.Names = names
	return c
}

// Lookup finds a member by alpha-2 or alpha-3 code, in any case.
func Lookup(code string) (Country, bool) {
	i, ok := byCode[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return Country{}, false
	}
	return all[i].clone(), true
}

// IsMember reports whether code (alpha-2 or alpha-3) is a member country.
func IsMember(code string) bool {
	_, ok := byCode[strings.ToUpper(strings.TrimSpace(code))]
	return ok
}

// Normalize returns the alpha-2 code of a member given as alpha-2 or alpha-3.
func Normalize(code string) (string, error) {
	i, ok := byCode[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return "", fmt.Errorf("unknown country code %q: use an ISO 3166-1 alpha-2 or alpha-3 code of a member country", strings.TrimSpace(code))
	}
	return all[i].Alpha2, nil
}

// IsISOCountry reports whether code is an assigned ISO 3166-1 alpha-2 code,
// member or not: a nationality or a document's issuer may be any country or
// territory (HK, TW, KP ...).
func IsISOCountry(code string) bool {
	return isoCode[strings.ToUpper(strings.TrimSpace(code))]
}
