package member_test

import (
	"testing"
	"unicode"

	"github.com/relais/relais/internal/member"
)

func TestData(t *testing.T) {
	all := member.All()
	if len(all) != 196 {
		t.Fatalf("%d members, want 196", len(all))
	}
	seen := map[string]bool{}
	for _, c := range all {
		for _, code := range []string{c.Alpha2, "3:" + c.Alpha3, "n:" + c.Numeric} {
			if seen[code] {
				t.Errorf("duplicate code %s", code)
			}
			seen[code] = true
		}
		if len(c.Alpha2) != 2 || len(c.Alpha3) != 3 || len(c.Numeric) != 3 || c.NCBCity == "" {
			t.Errorf("%s: malformed codes or city: %+v", c.Alpha2, c)
		}
		switch c.Region {
		case "africa", "americas", "asia-pacific", "europe", "middle-east-north-africa":
		default:
			t.Errorf("%s: unknown region %q", c.Alpha2, c.Region)
		}
		for _, lang := range member.Languages() {
			if c.Names[lang] == "" {
				t.Errorf("%s has no %s name", c.Alpha2, lang)
			}
		}
		arabic := false
		for _, r := range c.Names["ar"] {
			if unicode.Is(unicode.Arabic, r) {
				arabic = true
			}
		}
		if !arabic {
			t.Errorf("%s: Arabic name %q is not in Arabic script", c.Alpha2, c.Names["ar"])
		}
		if !member.IsISOCountry(c.Alpha2) {
			t.Errorf("%s is a member but not an ISO code", c.Alpha2)
		}
	}
}

func TestLookup(t *testing.T) {
	cases := []struct {
		code, alpha2, en, fr, es, ar string
	}{
		{"FR", "FR", "France", "France", "Francia", "فرنسا"},
		{"deu", "DE", "Germany", "Allemagne", "Alemania", "ألمانيا"},
		{" us ", "US", "United States", "États-Unis", "Estados Unidos", "الولايات المتحدة"},
		{"BRA", "BR", "Brazil", "Brésil", "Brasil", "البرازيل"},
		{"ng", "NG", "Nigeria", "Nigéria", "Nigeria", "نيجيريا"},
		{"JP", "JP", "Japan", "Japon", "Japón", "اليابان"},
		{"EGY", "EG", "Egypt", "Égypte", "Egipto", "مصر"},
		{"CN", "CN", "China", "Chine", "China", "الصين"},
		{"RU", "RU", "Russia", "Russie", "Rusia", "روسيا"},
		{"ES", "ES", "Spain", "Espagne", "España", "إسبانيا"},
		{"MA", "MA", "Morocco", "Maroc", "Marruecos", "المغرب"},
		{"SA", "SA", "Saudi Arabia", "Arabie saoudite", "Arabia Saudí", "المملكة العربية السعودية"},
	}
	for _, tc := range cases {
		c, ok := member.Lookup(tc.code)
		if !ok || c.Alpha2 != tc.alpha2 {
			t.Errorf("Lookup(%q) = %v, %v", tc.code, c.Alpha2, ok)
			continue
		}
		for lang, want := range map[string]string{"en": tc.en, "fr": tc.fr, "es": tc.es, "ar": tc.ar} {
			if got := c.Name(lang); got != want {
				t.Errorf("%s in %s = %q, want %q", tc.code, lang, got, want)
			}
		}
		if c.Name("de") != tc.en {
			t.Errorf("unknown language must fall back to English")
		}
	}
}

func TestNormalize(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"fra", "FR", true}, {"FR", "FR", true}, {" fr ", "FR", true},
		{"KP", "", false}, {"XX", "", false}, {"GS", "", false}, {"", "", false}, {"FRANCE", "", false},
	}
	for _, tc := range cases {
		got, err := member.Normalize(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("Normalize(%q) = %q, %v", tc.in, got, err)
		}
	}
	for code, want := range map[string]bool{"KP": true, "HK": true, "TW": true, "XK": false, "GS": true, "ZZ": false} {
		if member.IsISOCountry(code) != want {
			t.Errorf("IsISOCountry(%s) != %v", code, want)
		}
	}
	if member.IsMember("KP") || member.IsMember(member.GeneralSecretariat) {
		t.Error("KP and GS are not members")
	}
	all := member.All()
	all[0].Names["en"] = "changed"
	if member.All()[0].Names["en"] == "changed" {
		t.Error("All must return a copy")
	}
}
