package mrz_test

import (
	"strings"
	"testing"

	"github.com/relais/relais/internal/mrz"
)

func FuzzParse(f *testing.F) {
	seeds := []string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
		"I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
		"C<FRAM4UY20649<278<<<<<<<<<<<<\n3301041F3006036UKR<<<<<<<<<<<2\nVON<DER<HEIDE<<FRANZISKA<JORDI",
		"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<",
		"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD23145890<UTO7408122F1204159<<<<<<<6",
		"", "<<<<", "\n\n\n", "P<",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r, err := mrz.ParseAt(strings.Split(text, "\n"), evalNow)
		if err != nil {
			if _, ok := err.(*mrz.ParseError); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		if r.Valid != (len(r.Errors) == 0) {
			t.Fatalf("valid=%v with %d errors", r.Valid, len(r.Errors))
		}
		for _, s := range []string{r.Surname, r.GivenNames} {
			if strings.ContainsAny(s, "<\n") {
				t.Fatalf("filler left in name %q", s)
			}
		}
		if r.Valid && (strings.Contains(r.IssuingState, "<") || strings.Contains(r.Nationality, "<")) {
			t.Fatalf("valid zone with filler in a state code: %q %q", r.IssuingState, r.Nationality)
		}
		if r.Valid && (r.DocumentNumber == "" && r.Format == "") {
			t.Fatal("valid zone without format")
		}
	})
}
