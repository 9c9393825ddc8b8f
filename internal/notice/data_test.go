package notice_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/notice"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func validRed() notice.Data {
	return notice.Data{
		Type: "red",
		Subject: &notice.Subject{Name: " Dupont ", Forename: "Jean", DateOfBirth: "1979-03-14", Sex: "m",
			Nationalities: []string{"fra", "FR", "ps"}, Languages: []string{"fre"}, Eyes: "bro"},
		ArrestWarrants: []notice.Warrant{{IssuingCountry: "fr", Charge: "Robbery", MaxPenaltyYears: 10, Date: "2025-12-01"}},
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(d *notice.Data)
		field string // empty: valid
	}{
		{"valid red", func(d *notice.Data) {}, ""},
		{"year-month birth", func(d *notice.Data) { d.Subject.DateOfBirth = "1979-03" }, ""},
		{"year only birth", func(d *notice.Data) { d.Subject.DateOfBirth = "1979" }, ""},
		{"leap day", func(d *notice.Data) { d.Subject.DateOfBirth = "1980-02-29" }, ""},
		{"conviction instead of warrant", func(d *notice.Data) {
			d.ArrestWarrants = nil
			d.Conviction = &notice.Convicted{IssuingCountry: "FR", Charge: "Murder", SentenceYears: 20, TimeLeftMonths: 100}
		}, ""},
		{"unknown type", func(d *notice.Data) { d.Type = "magenta" }, "type"},
		{"red without warrant", func(d *notice.Data) { d.ArrestWarrants = nil }, "arrest_warrants"},
		{"no subject", func(d *notice.Data) { d.Subject = nil }, "subject"},
		{"no name", func(d *notice.Data) { d.Subject.Name, d.Subject.Forename = "", " " }, "subject.name"},
		{"born in the future", func(d *notice.Data) { d.Subject.DateOfBirth = "2026-03-02" }, "subject.date_of_birth"},
		{"born next year", func(d *notice.Data) { d.Subject.DateOfBirth = "2027" }, "subject.date_of_birth"},
		{"29 February of a common year", func(d *notice.Data) { d.Subject.DateOfBirth = "1979-02-29" }, "subject.date_of_birth"},
		{"month 13", func(d *notice.Data) { d.Subject.DateOfBirth = "1979-13" }, "subject.date_of_birth"},
		{"unknown nationality", func(d *notice.Data) { d.Subject.Nationalities = []string{"FR", "XX"} }, "subject.nationalities[1]"},
		{"GS is no nationality", func(d *notice.Data) { d.Subject.Nationalities = []string{"GS"} }, "subject.nationalities[0]"},
		{"unknown warrant country", func(d *notice.Data) { d.ArrestWarrants[0].IssuingCountry = "QQ" }, "arrest_warrants[0].issuing_country"},
		{"warrant without charge", func(d *notice.Data) { d.ArrestWarrants[0].Charge = " " }, "arrest_warrants[0].charge"},
		{"warrant dated in the future", func(d *notice.Data) { d.ArrestWarrants[0].Date = "2026-04-01" }, "arrest_warrants[0].date"},
		{"no penalty", func(d *notice.Data) { d.ArrestWarrants[0].MaxPenaltyYears = 0 }, "arrest_warrants[0].max_penalty_years"},
		{"bad sex", func(d *notice.Data) { d.Subject.Sex = "X" }, "subject.sex"},
		{"bad language", func(d *notice.Data) { d.Subject.Languages = []string{"french"} }, "subject.languages[0]"},
		{"bad eyes", func(d *notice.Data) { d.Subject.Eyes = "PURPLE" }, "subject.eyes"},
		{"height out of range", func(d *notice.Data) { d.Subject.HeightCM = 400 }, "subject.height_cm"},
		{"control characters", func(d *notice.Data) { d.Subject.Name = "Du\x00pont" }, "subject.name"},
		{"time left beyond sentence", func(d *notice.Data) {
			d.ArrestWarrants = nil
			d.Conviction = &notice.Convicted{IssuingCountry: "FR", Charge: "Murder", SentenceYears: 1, TimeLeftMonths: 13}
		}, "conviction.time_left_months"},
		{"warrant on a yellow notice", func(d *notice.Data) { d.Type = "yellow" }, "arrest_warrants"},
		{"UN data on a red notice", func(d *notice.Data) { d.UN = &notice.UNInfo{Reference: "x", Resolution: "1"} }, "un"},
		{"bad document", func(d *notice.Data) {
			d.Subject.IdentityDocuments = []notice.Document{{Type: "passport", Number: "1", IssuingCountry: "ZZ"}}
		}, "subject.identity_documents[0].issuing_country"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := validRed()
			tc.edit(&d)
			err := d.Validate(now)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("valid data refused: %v", err)
				}
				return
			}
			fe, ok := fault.As(err)
			if !ok || fe.Kind != fault.Invalid || fe.Field != tc.field {
				t.Fatalf("got %v, want an invalid %s", err, tc.field)
			}
			if fe.Message == "" {
				t.Fatal("the error does not say what to fix")
			}
		})
	}
}

func TestValidateNormalises(t *testing.T) {
	d := validRed()
	if err := d.Validate(now); err != nil {
		t.Fatal(err)
	}
	s := d.Subject
	if s.Name != "Dupont" || s.Sex != "M" || s.Eyes != "BRO" || s.Languages[0] != "FRE" || d.ArrestWarrants[0].IssuingCountry != "FR" {
		t.Fatalf("not normalised: %+v %+v", s, d.ArrestWarrants)
	}
	if got, _ := json.Marshal(s.Nationalities); string(got) != `["FR","PS"]` {
		t.Fatalf("nationalities: %s", got)
	}
}

func TestValidateOtherTypes(t *testing.T) {
	cases := []struct {
		name  string
		d     notice.Data
		field string
	}{
		{"UN entity", notice.Data{Type: "un", UN: &notice.UNInfo{Reference: "QDe.1", Resolution: "1267"}, Entity: &notice.Entity{Name: "Front"}}, ""},
		{"UN without listing", notice.Data{Type: "un", Entity: &notice.Entity{Name: "Front"}}, "un"},
		{"UN person and entity", notice.Data{Type: "un", UN: &notice.UNInfo{Reference: "QDe.1", Resolution: "1267"}, Entity: &notice.Entity{Name: "F"}, Subject: &notice.Subject{Name: "X"}}, "entity"},
		{"purple by description", notice.Data{Type: "purple", Description: "Drugs hidden in car batteries"}, ""},
		{"purple with nothing", notice.Data{Type: "purple"}, "description"},
		{"yellow with disappearance", notice.Data{Type: "yellow", Subject: &notice.Subject{Forename: "Ana"}, Disappearance: &notice.Event{Date: "2025-02", Country: "br"}}, ""},
		{"disappearance in the future", notice.Data{Type: "yellow", Subject: &notice.Subject{Forename: "Ana"}, Disappearance: &notice.Event{Date: "2027"}}, "disappearance.date"},
		{"discovery on a yellow notice", notice.Data{Type: "yellow", Subject: &notice.Subject{Forename: "Ana"}, Discovery: &notice.Event{Date: "2025"}}, "discovery"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.d.Validate(now)
			fe, _ := fault.As(err)
			switch {
			case tc.field == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.field != "" && (fe == nil || fe.Field != tc.field):
				t.Fatalf("got %v, want field %s", err, tc.field)
			}
		})
	}
}

func TestPartialDate(t *testing.T) {
	for in, want := range map[string]string{"1979": "1979", "1979-03": "1979/03", "1979-03-14": "1979/03/14"} {
		d, err := notice.ParsePartialDate(in)
		if err != nil || d.Slashed() != want || d.String() != in {
			t.Errorf("%s: %v %q", in, err, d.Slashed())
		}
	}
	for _, bad := range []string{"", "79", "1979-3", "1979-00", "1979-04-31", "1900-02-29", "1700", "1979-03-14T00:00"} {
		if _, err := notice.ParsePartialDate(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestValidateNamesEveryField: one answer names every field to fix, in the
// order of the form, and reads as the first of them.
func TestValidateNamesEveryField(t *testing.T) {
	cases := []struct {
		name   string
		d      notice.Data
		fields []string // nil: valid
	}{
		{"valid red", validRed(), nil},
		{"empty red", notice.Data{Type: "red"}, []string{"subject", "arrest_warrants"}},
		{"red with empty parts", notice.Data{Type: "red", Subject: &notice.Subject{}, ArrestWarrants: []notice.Warrant{{}}},
			[]string{"subject.name", "arrest_warrants[0].issuing_country", "arrest_warrants[0].charge", "arrest_warrants[0].max_penalty_years"}},
		{"several faults of a person", notice.Data{Type: "blue", Subject: &notice.Subject{Name: "X", DateOfBirth: "2030", Sex: "X",
			Nationalities: []string{"FR", "XX"}, Languages: []string{"french"}}},
			[]string{"subject.date_of_birth", "subject.sex", "subject.nationalities[1]", "subject.languages[0]"}},
		{"empty UN notice", notice.Data{Type: "un"}, []string{"un", "subject"}},
		{"UN listing without its parts", notice.Data{Type: "un", UN: &notice.UNInfo{}, Entity: &notice.Entity{}},
			[]string{"un.reference", "un.resolution", "entity.name"}},
		{"unknown type stops there", notice.Data{Type: "magenta", Subject: &notice.Subject{}}, []string{"type"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.d.Validate(now)
			if tc.fields == nil {
				if err != nil {
					t.Fatalf("valid data refused: %v", err)
				}
				return
			}
			fe, ok := fault.As(err)
			if !ok || fe.Kind != fault.Invalid {
				t.Fatalf("got %v, want invalid fields %v", err, tc.fields)
			}
			var got []string
			for _, e := range fe.Errors {
				got = append(got, e.Field)
				if e.Message == "" || e.Code == "" {
					t.Errorf("%s: the error does not say what to fix", e.Field)
				}
			}
			if !slices.Equal(got, tc.fields) || fe.Field != tc.fields[0] {
				t.Fatalf("fields at fault %v (first %s), want %v", got, fe.Field, tc.fields)
			}
		})
	}
}
