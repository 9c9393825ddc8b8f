package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// The interface speaks the organisation's four official languages. Their
// texts live in one flat JSON catalogue per language (key → printf format).
//
// A small catalogue of our own rather than go-i18n: relais needs exactly one
// behaviour that go-i18n does not give — a missing text must be an error that
// tests catch, never a silent fallback to another language — and the texts
// are printf formats run through golang.org/x/text/message, so that numbers
// come out in the language's own digits and grouping. Plural-sensitive
// wording is avoided in the texts ("Results: %d"), which Arabic's six plural
// forms would otherwise demand.

// Languages of the interface, in the organisation's order.
var Languages = []string{"ar", "en", "fr", "es"}

//go:embed locales
var localeFiles embed.FS

// locale is one language of the interface.
type locale struct {
	Code    string // "fr"
	Dir     string // "ltr" or "rtl"
	tag     language.Tag
	texts   map[string]string
	printer *message.Printer
}

// missingPrefix marks a text that is not in the catalogue, so that a gap is
// visible on the page (and fails the tests) instead of passing unnoticed.
const missingPrefix = "‼"

// T returns the text of key, formatted with args in the locale's way.
func (l *locale) T(key string, args ...any) string {
	f, ok := l.texts[key]
	if !ok {
		return missingPrefix + key
	}
	if len(args) == 0 {
		return f
	}
	return l.printer.Sprintf(f, args...)
}

// Has reports whether the catalogue has key.
func (l *locale) Has(key string) bool {
	_, ok := l.texts[key]
	return ok
}

// Number formats n with the locale's digits and grouping.
func (l *locale) Number(n int) string { return l.printer.Sprint(number.Decimal(n)) }

// plain formats n with the locale's digits but without grouping (years, days).
func (l *locale) plain(n int) string {
	return l.printer.Sprint(number.Decimal(n, number.NoSeparator()))
}

// Date formats the calendar day of t as the locale writes dates in prose.
func (l *locale) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	month := l.T(fmt.Sprintf("month.%d", int(t.Month())))
	return strings.NewReplacer("{day}", l.plain(t.Day()), "{month}", month, "{year}", l.plain(t.Year())).
		Replace(l.T("date.format"))
}

// DateTime formats t (in UTC) with its time of day.
func (l *locale) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	hm := fmt.Sprintf("%s:%s", l.pad(t.Hour()), l.pad(t.Minute()))
	return l.Date(t) + " " + hm + " UTC"
}

func (l *locale) pad(n int) string {
	if n < 10 {
		return l.plain(0) + l.plain(n)
	}
	return l.plain(n)
}

// locales are the loaded catalogues by language code.
var locales = mustLoadLocales()

func mustLoadLocales() map[string]*locale {
	out, err := loadLocales()
	if err != nil {
		panic(err)
	}
	return out
}

func loadLocales() (map[string]*locale, error) {
	out := map[string]*locale{}
	for _, code := range Languages {
		texts, err := loadCatalogue(code)
		if err != nil {
			return nil, err
		}
		tag := language.MustParse(code)
		dir := "ltr"
		if code == "ar" {
			dir = "rtl"
		}
		out[code] = &locale{Code: code, Dir: dir, tag: tag, texts: texts, printer: message.NewPrinter(tag)}
	}
	return out, nil
}

// loadCatalogue merges the files of locales/{code}/: one file per part of
// the interface, so that a key defined twice is an error, not a silent
// override.
func loadCatalogue(code string) (map[string]string, error) {
	dir := path.Join("locales", code)
	files, err := fs.Glob(localeFiles, path.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("interface texts for %s: no files in %s", code, dir)
	}
	texts := map[string]string{}
	for _, name := range files {
		raw, err := localeFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("interface texts %s: %w", name, err)
		}
		var part map[string]string
		if err := json.Unmarshal(raw, &part); err != nil {
			return nil, fmt.Errorf("interface texts %s: %w", name, err)
		}
		for k, v := range part {
			if _, dup := texts[k]; dup {
				return nil, fmt.Errorf("interface texts %s: key %q is defined in two files", name, k)
			}
			texts[k] = v
		}
	}
	return texts, nil
}

// keys returns the catalogue's keys, sorted.
func (l *locale) keys() []string {
	k := make([]string, 0, len(l.texts))
	for key := range l.texts {
		k = append(k, key)
	}
	sort.Strings(k)
	return k
}

var matcher = language.NewMatcher([]language.Tag{language.English, language.French, language.Spanish, language.Arabic})

// negotiate picks the interface language from an Accept-Language header;
// English when nothing matches.
func negotiate(r *http.Request) string {
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return "en"
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return "en"
	}
	return []string{"en", "fr", "es", "ar"}[i]
}

func isLanguage(code string) bool { return slices.Contains(Languages, code) }
