package web

import (
	"slices"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/relais/relais/internal/member"
)

// countryOption is a country of a country picker.
type countryOption struct {
	Code, Name string
	Selected   bool
}

// countryNames are the member countries by name in each interface language,
// sorted as that language sorts; built once, since they never change while
// relais runs.
var countryNames = sync.OnceValue(func() map[string][]countryOption {
	out := map[string][]countryOption{}
	for _, lang := range Languages {
		col := collate.New(language.MustParse(lang), collate.Loose)
		var opts []countryOption
		for _, m := range member.All() {
			opts = append(opts, countryOption{Code: m.Alpha2, Name: m.Name(lang)})
		}
		slices.SortFunc(opts, func(a, b countryOption) int { return col.CompareString(a.Name, b.Name) })
		out[lang] = opts
	}
	return out
})

// CountryOptions are the options of a country picker in the page's
// language, with selected marked.
func (p *page) CountryOptions(selected string) []countryOption {
	opts := slices.Clone(countryNames()[p.L.Code])
	for i := range opts {
		opts[i].Selected = opts[i].Code == selected
	}
	return opts
}
