// Package member knows the organisation's member countries: their ISO 3166-1
// codes, their names in the four official languages (Arabic, English, French,
// Spanish), their region and the city of their National Central Bureau.
//
// The list is embedded data (members.tsv), parsed once at start-up; edit the
// file, not the code, when membership changes. The package also knows every
// assigned ISO 3166-1 alpha-2 code (iso3166.txt), because nationalities and
// document issuers need not be members: use IsMember for a bureau, IsISOCountry
// for a nationality.
package member

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
)

// GeneralSecretariat is the code of the organisation's General Secretariat.
// It is not a country and never a member, although ISO 3166-1 assigns the same
// letters to South Georgia and the South Sandwich Islands (so IsISOCountry("GS")
// is true): code that accepts both bureaus and the General Secretariat must test
// for it explicitly.
const GeneralSecretariat = "GS"

// Regions a member may belong to.
const (
	RegionAfrica                = "africa"
	RegionAmericas              = "americas"
	RegionAsiaPacific           = "asia-pacific"
	RegionEurope                = "europe"
	RegionMiddleEastNorthAfrica = "middle-east-north-africa"
)

// Country is a member country.
type Country struct {
	Alpha2, Alpha3, Numeric string            // ISO 3166-1 codes: "FR", "FRA", "250"
	Region                  string            // one of the Region constants
	NCBCity                 string            // city of the National Central Bureau, in English
	Names                   map[string]string // short name by language: "ar", "en", "fr", "es"
}

// Name returns the country's name in lang ("fr", "FR" or "fr-CA" alike), or
// its English name for a language the organisation does not work in.
func (c Country) Name(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	if n, ok := c.Names[lang]; ok && n != "" {
		return n
	}
	return c.Names["en"]
}

// Languages returns the organisation's official languages, Arabic, English,
// French and Spanish, as the keys of Country.Names.
func Languages() []string { return []string{"ar", "en", "fr", "es"} }

//go:embed members.tsv
var membersTSV string

//go:embed iso3166.txt
var isoTXT string

var (
	all     []Country       // sorted by Alpha2
	byCode  map[string]int  // alpha-2 and alpha-3 → index in all
	isoCode map[string]bool // every code IsISOCountry accepts
)

func init() {
	var err error
	if isoCode, err = parseISO(isoTXT); err != nil {
		panic("member: embedded iso3166.txt: " + err.Error())
	}
	if all, err = parse(membersTSV, isoCode); err != nil {
		panic("member: embedded members.tsv: " + err.Error())
	}
	byCode = make(map[string]int, 2*len(all))
	for i, c := range all {
		byCode[c.Alpha2] = i
		byCode[c.Alpha3] = i
	}
}

// columns of members.tsv, by header name.
var columns = []string{"alpha2", "alpha3", "numeric", "region", "name_en", "name_fr", "name_es", "name_ar", "ncb_city"}

var regions = map[string]bool{
	RegionAfrica: true, RegionAmericas: true, RegionAsiaPacific: true,
	RegionEurope: true, RegionMiddleEastNorthAfrica: true,
}

// parse reads the members table: '#' comment lines and blank lines are
// skipped, the first other line is the header. Columns are found by name, so
// their order does not matter. Every row is checked; any defect is an error.
func parse(tsv string, iso map[string]bool) ([]Country, error) {
	var (
		out  []Country
		col  map[string]int
		seen = map[string]int{} // "2:FR", "3:FRA", "n:250" → line
	)
	for n, line := range strings.Split(tsv, "\n") {
		n++
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if col == nil {
			col = map[string]int{}
			for i, name := range f {
				col[strings.TrimSpace(name)] = i
			}
			for _, name := range columns {
				if _, ok := col[name]; !ok {
					return nil, fmt.Errorf("line %d: header has no %q column", n, name)
				}
			}
			continue
		}
		if len(f) != len(col) {
			return nil, fmt.Errorf("line %d: %d columns, header has %d", n, len(f), len(col))
		}
		get := func(name string) string { return f[col[name]] }
		for _, name := range columns {
			if v := get(name); v == "" || v != strings.TrimSpace(v) {
				return nil, fmt.Errorf("line %d: %s %q is empty or has surrounding spaces", n, name, v)
			}
		}
		c := Country{
			Alpha2: get("alpha2"), Alpha3: get("alpha3"), Numeric: get("numeric"),
			Region: get("region"), NCBCity: get("ncb_city"),
			Names: map[string]string{
				"en": get("name_en"), "fr": get("name_fr"), "es": get("name_es"), "ar": get("name_ar"),
			},
		}
		switch {
		case !isUpper(c.Alpha2, 2):
			return nil, fmt.Errorf("line %d: alpha2 %q is not two capital letters", n, c.Alpha2)
		case !isUpper(c.Alpha3, 3):
			return nil, fmt.Errorf("line %d: alpha3 %q is not three capital letters", n, c.Alpha3)
		case !isDigits(c.Numeric, 3):
			return nil, fmt.Errorf("line %d: numeric %q is not three digits", n, c.Numeric)
		case !regions[c.Region]:
			return nil, fmt.Errorf("line %d: unknown region %q", n, c.Region)
		case c.Alpha2 == GeneralSecretariat:
			return nil, fmt.Errorf("line %d: %s is the General Secretariat, not a member", n, c.Alpha2)
		case iso != nil && !iso[c.Alpha2]:
			return nil, fmt.Errorf("line %d: %s is not an ISO 3166-1 alpha-2 code", n, c.Alpha2)
		}
		for _, k := range []string{"2:" + c.Alpha2, "3:" + c.Alpha3, "n:" + c.Numeric} {
			if prev, dup := seen[k]; dup {
				return nil, fmt.Errorf("line %d: code %s already used on line %d", n, k[2:], prev)
			}
			seen[k] = n
		}
		out = append(out, c)
	}
	if col == nil {
		return nil, fmt.Errorf("no header line")
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no members")
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Alpha2 < out[j].Alpha2 })
	return out, nil
}

// parseISO reads whitespace-separated alpha-2 codes, skipping '#' comment lines.
func parseISO(txt string) (map[string]bool, error) {
	set := map[string]bool{}
	for n, line := range strings.Split(txt, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, code := range strings.Fields(line) {
			if !isUpper(code, 2) {
				return nil, fmt.Errorf("line %d: %q is not two capital letters", n+1, code)
			}
			if set[code] {
				return nil, fmt.Errorf("line %d: %s listed twice", n+1, code)
			}
			set[code] = true
		}
	}
	return set, nil
}

func isUpper(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func key(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// All returns every member country, sorted by alpha-2 code. The result is a
// fresh copy: the caller may keep or modify it.
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

// Lookup finds a member by its alpha-2 or alpha-3 code, in any case and with
// surrounding spaces ignored. The Country returned is the caller's copy.
func Lookup(code string) (Country, bool) {
	i, ok := byCode[key(code)]
	if !ok {
		return Country{}, false
	}
	return all[i].clone(), true
}

// IsMember reports whether code (alpha-2 or alpha-3, any case) is a member
// country. The General Secretariat is not a member.
func IsMember(code string) bool {
	_, ok := byCode[key(code)]
	return ok
}

// Normalize returns the alpha-2 code of the member given by its alpha-2 or
// alpha-3 code: "fra", "FR" and " fr " all give "FR".
func Normalize(code string) (string, error) {
	i, ok := byCode[key(code)]
	if !ok {
		return "", fmt.Errorf("unknown country code %q: use an ISO 3166-1 alpha-2 or alpha-3 code of a member country", strings.TrimSpace(code))
	}
	return all[i].Alpha2, nil
}

// IsISOCountry reports whether code is an assigned ISO 3166-1 alpha-2 code
// (any case, spaces ignored), member or not: HK, MO, TW and KP are, and so is
// XK, the code in general use for Kosovo. Use it to check a nationality or a
// document's issuer; use IsMember to check a bureau.
func IsISOCountry(code string) bool {
	return isoCode[key(code)]
}
