package member

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// memberCount is the organisation's membership; change it together with
// members.tsv.
const memberCount = 196

func TestCount(t *testing.T) {
	if n := len(All()); n != memberCount {
		t.Fatalf("%d members, want %d", n, memberCount)
	}
}

func TestCodesWellFormedAndUnique(t *testing.T) {
	seen := map[string]string{}
	for _, c := range All() {
		for _, k := range []struct{ kind, code string }{
			{"alpha-2", c.Alpha2}, {"alpha-3", c.Alpha3}, {"numeric", c.Numeric},
		} {
			id := k.kind + " " + k.code
			if prev, dup := seen[id]; dup {
				t.Errorf("%s used by %s and %s", id, prev, c.Alpha2)
			}
			seen[id] = c.Alpha2
		}
		if !isUpper(c.Alpha2, 2) || !isUpper(c.Alpha3, 3) || !isDigits(c.Numeric, 3) {
			t.Errorf("%s: malformed codes %q %q %q", c.Alpha2, c.Alpha2, c.Alpha3, c.Numeric)
		}
		if !IsISOCountry(c.Alpha2) {
			t.Errorf("%s is a member but not an ISO 3166-1 code", c.Alpha2)
		}
		if !regions[c.Region] {
			t.Errorf("%s: unknown region %q", c.Alpha2, c.Region)
		}
		if c.NCBCity == "" {
			t.Errorf("%s: no NCB city", c.Alpha2)
		}
	}
}

func TestSortedByAlpha2(t *testing.T) {
	all := All()
	if !slices.IsSortedFunc(all, func(a, b Country) int { return strings.Compare(a.Alpha2, b.Alpha2) }) {
		t.Error("All is not sorted by alpha-2")
	}
	// The file itself is kept in order too, so that edits stay easy to review.
	var codes []string
	for _, line := range strings.Split(membersTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "alpha2\t") {
			continue
		}
		codes = append(codes, line[:2])
	}
	if !slices.IsSorted(codes) {
		t.Error("members.tsv rows are not in alpha-2 order")
	}
}

func TestNamesInEveryLanguage(t *testing.T) {
	for _, c := range All() {
		for _, lang := range Languages() {
			name := c.Names[lang]
			if name == "" {
				t.Errorf("%s has no %s name", c.Alpha2, lang)
				continue
			}
			arabic, latin := 0, 0
			for _, r := range name {
				switch {
				case unicode.Is(unicode.Arabic, r):
					arabic++
				case unicode.Is(unicode.Latin, r):
					latin++
				}
			}
			if lang == "ar" && (arabic == 0 || latin > 0) {
				t.Errorf("%s: Arabic name %q is not in Arabic script", c.Alpha2, name)
			}
			if lang != "ar" && (latin == 0 || arabic > 0) {
				t.Errorf("%s: %s name %q is not in Latin script", c.Alpha2, lang, name)
			}
		}
		if len(c.Names) != len(Languages()) {
			t.Errorf("%s: names in %d languages, want %d", c.Alpha2, len(c.Names), len(Languages()))
		}
	}
}

func TestSpotChecks(t *testing.T) {
	cases := []struct {
		code, alpha2, alpha3, numeric, region, city string
		en, fr, es, ar                              string
	}{
		{"FR", "FR", "FRA", "250", "europe", "Paris", "France", "France", "Francia", "فرنسا"},
		{"deu", "DE", "DEU", "276", "europe", "Wiesbaden", "Germany", "Allemagne", "Alemania", "ألمانيا"},
		{" us ", "US", "USA", "840", "americas", "Washington", "United States", "États-Unis", "Estados Unidos", "الولايات المتحدة"},
		{"BRA", "BR", "BRA", "076", "americas", "Brasília", "Brazil", "Brésil", "Brasil", "البرازيل"},
		{"ng", "NG", "NGA", "566", "africa", "Abuja", "Nigeria", "Nigéria", "Nigeria", "نيجيريا"},
		{"JPN", "JP", "JPN", "392", "asia-pacific", "Tokyo", "Japan", "Japon", "Japón", "اليابان"},
		{"egy", "EG", "EGY", "818", "middle-east-north-africa", "Cairo", "Egypt", "Égypte", "Egipto", "مصر"},
		{"CN", "CN", "CHN", "156", "asia-pacific", "Beijing", "China", "Chine", "China", "الصين"},
		{"rus", "RU", "RUS", "643", "europe", "Moscow", "Russia", "Russie", "Rusia", "روسيا"},
		{"Es", "ES", "ESP", "724", "europe", "Madrid", "Spain", "Espagne", "España", "إسبانيا"},
		{"MAR", "MA", "MAR", "504", "middle-east-north-africa", "Rabat", "Morocco", "Maroc", "Marruecos", "المغرب"},
		{"sa", "SA", "SAU", "682", "middle-east-north-africa", "Riyadh", "Saudi Arabia", "Arabie saoudite", "Arabia Saudita", "المملكة العربية السعودية"},
		{"GB", "GB", "GBR", "826", "europe", "Manchester", "United Kingdom", "Royaume-Uni", "Reino Unido", "المملكة المتحدة"},
	}
	for _, tc := range cases {
		c, ok := Lookup(tc.code)
		if !ok {
			t.Errorf("Lookup(%q): not found", tc.code)
			continue
		}
		if c.Alpha2 != tc.alpha2 || c.Alpha3 != tc.alpha3 || c.Numeric != tc.numeric || c.Region != tc.region || c.NCBCity != tc.city {
			t.Errorf("Lookup(%q) = %s %s %s %s %s, want %s %s %s %s %s", tc.code,
				c.Alpha2, c.Alpha3, c.Numeric, c.Region, c.NCBCity,
				tc.alpha2, tc.alpha3, tc.numeric, tc.region, tc.city)
		}
		for lang, want := range map[string]string{"en": tc.en, "fr": tc.fr, "es": tc.es, "ar": tc.ar} {
			if got := c.Name(lang); got != want {
				t.Errorf("%s in %s = %q, want %q", tc.alpha2, lang, got, want)
			}
		}
	}
}

func TestMembership(t *testing.T) {
	cases := []struct {
		code   string
		member bool
		why    string
	}{
		{"PS", true, "State of Palestine, not a UN member state"},
		{"VA", true, "Vatican City State, not a UN member state"},
		{"AW", true, "Aruba, own bureau within the Kingdom of the Netherlands"},
		{"CW", true, "Curaçao, own bureau within the Kingdom of the Netherlands"},
		{"SX", true, "Sint Maarten, own bureau within the Kingdom of the Netherlands"},
		{"PW", true, "Palau, the latest member"},
		{"KP", false, "North Korea"},
		{"PRK", false, "North Korea, alpha-3"},
		{"TV", false, "Tuvalu, a UN member state that is not a member"},
		{"XK", false, "Kosovo"},
		{"TW", false, "Taiwan"},
		{"HK", false, "Hong Kong works through China's bureau"},
		{"MO", false, "Macao works through China's bureau"},
		{GeneralSecretariat, false, "the General Secretariat is not a country"},
		{"gs", false, "the General Secretariat, lower case"},
		{"", false, "empty"},
		{"F", false, "too short"},
		{"FRANCE", false, "a name, not a code"},
		{"250", false, "numeric codes are not accepted"},
	}
	for _, tc := range cases {
		if got := IsMember(tc.code); got != tc.member {
			t.Errorf("IsMember(%q) = %v, want %v (%s)", tc.code, got, tc.member, tc.why)
		}
		if _, ok := Lookup(tc.code); ok != tc.member {
			t.Errorf("Lookup(%q) found = %v, want %v (%s)", tc.code, ok, tc.member, tc.why)
		}
	}
}

func TestLookupByAlpha3(t *testing.T) {
	for _, c := range All() {
		for _, code := range []string{c.Alpha3, strings.ToLower(c.Alpha3), " " + c.Alpha3 + "\t"} {
			got, ok := Lookup(code)
			if !ok || got.Alpha2 != c.Alpha2 {
				t.Errorf("Lookup(%q) = %q, %v, want %s", code, got.Alpha2, ok, c.Alpha2)
			}
		}
	}
}

func TestNormalize(t *testing.T) {
	cases := []struct {
		in, want, err string
	}{
		{"fra", "FR", ""},
		{"FR", "FR", ""},
		{" fr ", "FR", ""},
		{"Deu", "DE", ""},
		{"pse", "PS", ""},
		{"XX", "", `unknown country code "XX": use an ISO 3166-1 alpha-2 or alpha-3 code of a member country`},
		{" kp ", "", `unknown country code "kp": use an ISO 3166-1 alpha-2 or alpha-3 code of a member country`},
		{"GS", "", `unknown country code "GS"`},
		{"", "", `unknown country code ""`},
		{"France", "", `unknown country code "France"`},
	}
	for _, tc := range cases {
		got, err := Normalize(tc.in)
		if tc.err == "" {
			if err != nil || got != tc.want {
				t.Errorf("Normalize(%q) = %q, %v, want %q", tc.in, got, err, tc.want)
			}
			continue
		}
		if err == nil || got != "" || !strings.HasPrefix(err.Error(), tc.err) {
			t.Errorf("Normalize(%q) = %q, %v, want error starting %q", tc.in, got, err, tc.err)
		}
	}
	for _, c := range All() {
		if got, err := Normalize(c.Alpha3); err != nil || got != c.Alpha2 {
			t.Errorf("Normalize(%q) = %q, %v", c.Alpha3, got, err)
		}
	}
}

func TestIsISOCountry(t *testing.T) {
	cases := []struct {
		code string
		want bool
	}{
		{"FR", true}, {"fr", true}, {" fr ", true},
		{"KP", true}, {"HK", true}, {"MO", true}, {"TW", true}, {"TV", true},
		{"XK", true}, // not an ISO assignment, accepted for Kosovo
		{"AQ", true}, {"BQ", true}, {"EH", true},
		{"GS", true}, // South Georgia; the General Secretariat shares the letters
		{"ZZ", false}, {"UK", false}, {"EU", false}, {"YU", false}, {"AN", false},
		{"FRA", false}, {"", false}, {"F", false},
	}
	for _, tc := range cases {
		if got := IsISOCountry(tc.code); got != tc.want {
			t.Errorf("IsISOCountry(%q) = %v, want %v", tc.code, got, tc.want)
		}
	}
	if n := len(isoCode); n != 249+1 {
		t.Errorf("%d codes accepted, want the 249 ISO assignments and XK", n)
	}
}

func TestNameFallback(t *testing.T) {
	c, _ := Lookup("MA")
	cases := []struct{ lang, want string }{
		{"en", "Morocco"}, {"fr", "Maroc"}, {"FR", "Maroc"}, {"fr-CA", "Maroc"},
		{"es_419", "Marruecos"}, {"ar", "المغرب"},
		{"de", "Morocco"}, {"", "Morocco"}, {"zh-Hans", "Morocco"},
	}
	for _, tc := range cases {
		if got := c.Name(tc.lang); got != tc.want {
			t.Errorf("Name(%q) = %q, want %q", tc.lang, got, tc.want)
		}
	}
	if got := (Country{}).Name("fr"); got != "" {
		t.Errorf("zero Country has name %q", got)
	}
}

func TestLanguages(t *testing.T) {
	if got := Languages(); !slices.Equal(got, []string{"ar", "en", "fr", "es"}) {
		t.Errorf("Languages() = %v", got)
	}
	Languages()[0] = "xx"
	if Languages()[0] != "ar" {
		t.Error("Languages must return a copy")
	}
}

func TestCallersCannotCorruptData(t *testing.T) {
	a := All()
	first := a[0].Alpha2
	a[0].Alpha2 = "ZZ"
	a[0].Names["en"] = "changed"
	a = a[:0]
	_ = append(a, Country{Alpha2: "QQ"})
	b := All()
	if b[0].Alpha2 != first || b[0].Names["en"] == "changed" || len(b) != memberCount {
		t.Error("All must return a copy")
	}
	c, _ := Lookup("FR")
	c.Names["fr"] = "changed"
	if d, _ := Lookup("FR"); d.Names["fr"] != "France" {
		t.Error("Lookup must return a copy")
	}
}

func TestParseRejectsMalformed(t *testing.T) {
	const header = "alpha2\talpha3\tnumeric\tregion\tname_en\tname_fr\tname_es\tname_ar\tncb_city\n"
	const fr = "FR\tFRA\t250\teurope\tFrance\tFrance\tFrancia\tفرنسا\tParis\n"
	iso := map[string]bool{"FR": true, "DE": true, "GS": true}
	cases := []struct{ name, tsv, err string }{
		{"no header", "", "no header"},
		{"no members", header, "no members"},
		{"missing column", "alpha2\talpha3\n", `no "numeric" column`},
		{"short row", header + "FR\tFRA\t250\n", "3 columns"},
		{"empty field", header + "FR\tFRA\t250\teurope\tFrance\t\tFrancia\tفرنسا\tParis\n", "name_fr"},
		{"padded field", header + "FR\tFRA\t250\teurope\tFrance \tFrance\tFrancia\tفرنسا\tParis\n", "name_en"},
		{"lower-case alpha2", header + "fr\tFRA\t250\teurope\tFrance\tFrance\tFrancia\tفرنسا\tParis\n", "alpha2"},
		{"bad alpha3", header + "FR\tFR\t250\teurope\tFrance\tFrance\tFrancia\tفرنسا\tParis\n", "alpha3"},
		{"bad numeric", header + "FR\tFRA\t25\teurope\tFrance\tFrance\tFrancia\tفرنسا\tParis\n", "numeric"},
		{"bad region", header + "FR\tFRA\t250\tEurope\tFrance\tFrance\tFrancia\tفرنسا\tParis\n", "region"},
		{"not ISO", header + "QQ\tQQQ\t999\teurope\tX\tX\tX\tس\tX\n", "not an ISO"},
		{"General Secretariat", header + "GS\tSGS\t239\teurope\tX\tX\tX\tس\tLyon\n", "General Secretariat"},
		{"duplicate alpha2", header + fr + fr, "already used"},
		{"duplicate numeric", header + fr + "DE\tDEU\t250\teurope\tGermany\tAllemagne\tAlemania\tألمانيا\tWiesbaden\n", "already used"},
	}
	for _, tc := range cases {
		_, err := parse(tc.tsv, iso)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: err = %v, want one containing %q", tc.name, err, tc.err)
		}
	}

	// Comments, blank lines, CRLF endings and reordered columns are fine.
	ok := "# comment\r\n\r\nncb_city\talpha3\talpha2\tnumeric\tregion\tname_ar\tname_en\tname_fr\tname_es\r\n" +
		"Paris\tFRA\tFR\t250\teurope\tفرنسا\tFrance\tFrance\tFrancia\r\n"
	got, err := parse(ok, iso)
	if err != nil || len(got) != 1 || got[0].Alpha2 != "FR" || got[0].NCBCity != "Paris" || got[0].Names["es"] != "Francia" {
		t.Errorf("parse(reordered, CRLF) = %+v, %v", got, err)
	}
}

func TestParseISORejectsMalformed(t *testing.T) {
	for _, txt := range []string{"FR fr", "FR FRA", "FR FR"} {
		if _, err := parseISO(txt); err == nil {
			t.Errorf("parseISO(%q) accepted", txt)
		}
	}
}
